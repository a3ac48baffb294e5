"""pytest's root conftest: pytest puts this folder on ``sys.path``, so the tests import the project's
scripts as ``scripts.<name>`` (``from scripts import execute_parallel``) without editing the path.
Fixtures and settings shared by the tests are in tests/conftest.py."""

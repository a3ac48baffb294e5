"""The book's Sphinx extensions, a package: ``_config.yml`` loads them as ``_ext.<name>`` (its
``sphinx: local_extensions`` puts the book's root on ``sys.path``), so they import each other as
``_ext.<module>`` and the book's scripts as ``scripts.<module>`` without editing ``sys.path``; the tests
and scripts import them the same way (``from _ext import front_figure``)."""

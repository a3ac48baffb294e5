"""The project's scripts, importable as ``scripts.<name>`` and run from the book's folder as
``python -m scripts.<name>`` (no ``sys.path`` edits: ``-m`` and pytest's root ``conftest.py`` put the
book's folder on the path).

- ``book``: the table of contents (one reader) and the book-build command (one place)
- ``execute_parallel``: notebooks executed in parallel into the jupyter-cache before the build
- ``browser``: which Chromium the browser tests drive, installed the way the platform provides it
- ``repository``: the repository's address, written from ``_config.yml`` to every copy
- ``handouts``, ``slides``: printable handouts and reveal.js decks from the built site
- ``hub``: a class's JupyterHub on one machine (``make hub``), its nbgitpuller links, simulated students
"""

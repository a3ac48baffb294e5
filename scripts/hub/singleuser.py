"""What a student's single-user server leaves out, to keep it light (used by jupyterhub_config.py).

A student opens the course's notebooks and Markdown pages (MyST) in JupyterLab and pulls the course
with nbgitpuller's links. The server extensions they do not use are not loaded: the language server
(jupyter_lsp: completions come from the kernel), terminals, jupytext's pairing (the course's
notebooks are plain ``.ipynb``; its JupyterLab extension logs an error in JupyterLab 4.5), and the
extension manager's PyPI search. ``benchmarks/server.py`` measures the idle server with and without them.

Example::

    c.Spawner.args += server_args()
    c.Spawner.environment.update(server_environment())
"""

from __future__ import annotations

from pathlib import Path

#: Server extensions a student's server does not load (jupyterlab, jupyterlab_myst and nbgitpuller stay).
DISABLED_SERVER_EXTENSIONS = ("jupyter_lsp", "jupyter_server_terminals", "jupyterlab_jupytext")
#: A Jupyter configuration folder added to the students' servers' search path: its
#: ``labconfig/page_config.json`` turns off JupyterLab (front-end) extensions a student does not use
#: (jupytext's menu), as ``jupyter labextension disable`` would for the whole environment.
STUDENT_CONFIG = Path(__file__).resolve().parent / "student_config"
#: glibc's malloc in the server and, inherited, in every kernel it starts: two arenas instead of one per
#: thread (ipykernel and jupyter-server run several threads), and large blocks (a brain volume, a figure's
#: pixels) mapped and given back to the system when freed rather than kept in the heap.
MALLOC_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "262144",
                      "MALLOC_TRIM_THRESHOLD_": "262144"}


def server_args() -> list[str]:
    """Extra command-line options of every student's server: the extensions a student does not use, off.

    Returns
    -------
    list of str
        Options for ``jupyterhub-singleuser`` (JupyterLab's server), one per item.

    Examples
    --------
    >>> "--ServerApp.jpserver_extensions=jupyter_lsp=False" in server_args()
    True
    >>> any("nbgitpuller" in option or "myst" in option for option in server_args())
    False
    """
    return [
        *(f"--ServerApp.jpserver_extensions={name}=False" for name in DISABLED_SERVER_EXTENSIONS),
        "--ServerApp.terminals_enabled=False",
        "--LabApp.extension_manager=readonly",  # no PyPI search from the student's JupyterLab
    ]


def server_environment() -> dict[str, str]:
    """Extra environment variables of every student's server (its kernels inherit them).

    Returns
    -------
    dict of str to str
        glibc's malloc settings (:data:`MALLOC_ENVIRONMENT`; other C libraries ignore them), and
        ``JUPYTER_CONFIG_PATH``: the student configuration folder (:data:`STUDENT_CONFIG`).

    Examples
    --------
    >>> env = server_environment()
    >>> env["MALLOC_ARENA_MAX"], env["JUPYTER_CONFIG_PATH"].endswith("student_config")
    ('2', True)
    """
    return {**MALLOC_ENVIRONMENT, "JUPYTER_CONFIG_PATH": str(STUDENT_CONFIG)}

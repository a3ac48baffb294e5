"""Execute the book's notebooks in parallel into the jupyter-cache that `jupyter-book build` reads.

Jupyter Book 1 (execute_notebooks: cache) executes the notebooks that have no cached outputs one by one.
Run this first and the build finds every notebook cached: it executes none. Notebooks whose code is
unchanged since their last run are not executed again (the cache matches them by the hash of their code).
The cache cannot see the `therapybrain` package the notebooks import, so a change to the package (or to
the requirements) empties it and drops the notebooks' doctrees: the figures are never stale.

Usage: .venv/bin/python -m scripts.execute_parallel [BUILD_DIR]   (default: _build, as `jupyter-book build .`;
with `jupyter-book build . --path-output OUT` pass OUT/_build). `make book` runs it through scripts/book.py.
Uses jupyter_cache's 'local-parallel' worker in a multiprocessing pool, one process per core
(JOBS=N in the environment sets another number), one notebook per task, the slowest notebooks first.
The kernels talk to the build over local (Unix domain) sockets, not TCP: ipykernel then has no reason to
print "Kernel is running over TCP without encryption" for every notebook, and no port is opened.
(`jupyter-book build` run on its own executes uncached notebooks through myst-nb, which has no option for
the kernel manager: those kernels still use TCP. After this step it finds every notebook cached.)
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from scripts.toc import ROOT, toc_notebooks  # noqa: F401  (toc_notebooks: the notebooks this step executes)


@functools.cache
def _ipc_kernel_manager():
    """nbclient's kernel manager with the IPC transport: ZeroMQ over Unix domain sockets in a private
    temporary folder (removed with the kernel), instead of TCP ports on 127.0.0.1.

    jupyter_client puts IPC sockets at ``<ip>-<n>`` with ``ip`` defaulting to ``kernel-ipc`` relative to the
    kernel's working folder, the notebook's folder, where parallel kernels would share names: ``ip`` is
    therefore set to a fresh folder. On Windows (no Unix domain sockets) the default TCP manager is kept.
    """
    import shutil
    import tempfile

    from jupyter_client import AsyncKernelManager

    if os.name != "posix":
        return AsyncKernelManager

    class _IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            self._ipc_dir = tempfile.mkdtemp(prefix="kernel-")
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(self._ipc_dir, "ipc"))
            super().__init__(**kwargs)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._ipc_dir, ignore_errors=True)

        cleanup_resources = _async_cleanup_resources

    return _IPCKernelManager


def files_fingerprint(files: list[Path], root: Path = ROOT) -> str:
    """A hash of files' paths (relative to ``root``) and contents, in the order given."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_fingerprint(root: Path = ROOT) -> str:
    """A hash of what the notebooks run besides their own code: the helper package and the requirements."""
    return files_fingerprint(sorted((root / "therapybrain").rglob("*.py")) + [root / "requirements.txt"], root)


def _worker():
    """jupyter_cache's 'local-parallel' worker, its kernels started with the IPC transport.

    Leans on jupyter_cache internals (``ExecutionWorkerLocalMProc``, ``ProcessData``,
    ``JupyterExecutorLocalMproc.get_records``): jupyter-cache 1.0 has no option for the kernel manager nor
    for one notebook per task and their order. It can go when jupyter-cache's executors accept the
    NotebookClient's options (``kernel_manager_class``) and a task size (its ``Pool.map`` hands out pairs).
    """
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc
    from jupyter_cache.executors.utils import single_nb_execution

    class Worker(ExecutionWorkerLocalMProc):
        @staticmethod
        def execute(project_nb, data):
            return single_nb_execution(project_nb.nb, cwd=str(Path(project_nb.uri).parent), timeout=data.timeout,
                                       allow_errors=data.allow_errors, kernel_manager_class=_ipc_kernel_manager())

    return Worker


def _run_one(task) -> tuple[int, str]:
    """One notebook in a pool process (a module-level function: the pool pickles it by name)."""
    return _worker()()(task)


def _run_and_cache(cache, notebooks: list[Path], timeout: int, processes: int, last: dict[str, float],
                   root: Path):
    """jupyter_cache's 'local-parallel' executor with one notebook per task (its Pool.map hands out
    pairs) and the longest notebooks first (``last``: their previous durations; toc order when unknown)."""
    import logging
    import multiprocessing

    from jupyter_cache.executors.basic import JupyterExecutorLocalMproc, ProcessData

    records = JupyterExecutorLocalMproc(cache).get_records([str(nb) for nb in notebooks], None)
    records.sort(key=lambda r: -last.get(_key(r.uri, root), 0.0))
    tasks = [ProcessData(r.pk, r.uri, cache, timeout, False) for r in records]
    if not tasks:
        return []
    multiprocessing.log_to_stderr(logging.WARNING)  # a failing notebook's error is shown
    with multiprocessing.Pool(processes=min(processes, len(tasks))) as pool:
        return list(pool.imap_unordered(_run_one, tasks, chunksize=1))


def _key(uri: str, root: Path) -> str:
    """A notebook's name in durations.json: its path in the book."""
    return Path(uri).resolve().relative_to(root.resolve()).as_posix()


def execute_parallel(build_dir: Path, notebooks: list[Path], timeout: int = 600, processes: int | None = None,
                     root: Path = ROOT) -> float:
    """Execute the notebooks not yet cached into BUILD_DIR/.jupyter_cache; returns the seconds taken.

    ``root`` is the book's folder (docnames are relative to it); ``processes`` defaults to the cores.
    """
    from jupyter_cache import get_cache

    start = time.perf_counter()
    cache = get_cache(str(build_dir / ".jupyter_cache"))
    stamp = build_dir / ".jupyter_cache" / "therapybrain.sha256"
    fingerprint = package_fingerprint()
    old = stamp.read_text() if stamp.exists() else ""
    if old != fingerprint and cache.list_cache_records():
        print("therapybrain or requirements.txt changed (or unknown): executing every notebook again")
        for record in cache.list_cache_records():
            cache.remove_cache(record.pk)
        for nb in notebooks:  # and Sphinx re-reads them (it only checks the source's time and its doctree)
            (build_dir / ".doctrees" / nb.relative_to(root).with_suffix(".doctree")).unlink(missing_ok=True)
    for nb in notebooks:
        cache.add_nb_to_project(str(nb))
    durations = build_dir / ".jupyter_cache" / "durations.json"
    last = json.loads(durations.read_text()) if durations.exists() else {}
    results = _run_and_cache(cache, notebooks, timeout, processes or os.cpu_count() or 1, last, root)
    last.update({_key(r.uri, root): (r.data or {}).get("execution_seconds", 0.0) for r in cache.list_cache_records()})
    durations.write_text(json.dumps(last, indent=1, sort_keys=True))
    failed = [uri for status, uri in results if status != 0]
    if failed:
        raise RuntimeError(f"notebooks failed: {failed} (`jcache project list` shows their tracebacks)")
    stamp.write_text(fingerprint)
    return time.perf_counter() - start


if __name__ == "__main__":
    build_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    notebooks = toc_notebooks()
    jobs = int(os.environ["JOBS"]) if os.environ.get("JOBS") else None
    seconds = execute_parallel(build_dir, notebooks, processes=jobs)
    print(f"{len(notebooks)} notebooks up to date in {build_dir / '.jupyter_cache'} ({seconds:.1f} s)")

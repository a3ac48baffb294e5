"""Execute notebooks with a named kernel, saving each executed copy in place (used by test_binder, on copies):
python _run_notebooks.py KERNEL NOTEBOOK..."""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

kernel, paths = sys.argv[1], sys.argv[2:]
for path in paths:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name=kernel,
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(notebook, path)
    print("ok", path, flush=True)
print(f"executed {len(paths)} notebooks")

"""Run one submitted notebook in a kernel, cell by cell, with limits; report each cell and the answers as JSON.

This is the only part of the grader that runs beside student code: the sandbox (``scripts/grading/sandbox.py``)
starts it inside bubblewrap, with this file and ``plaindata.py`` bound read-only into ``/grader``. It knows
no hidden test and no solution: it gets the notebook, the names of the answers to take out, and the limits.

It starts a fresh IPython kernel (its output thrown away, not inherited), then runs every code cell in order:

- a cell still running after ``cell_timeout`` seconds (or when the submission's ``deadline`` comes) is
  interrupted (SIGINT, as JupyterLab's stop button) and the next cell runs; a kernel that does not answer
  the interrupt within ``GRACE`` seconds is killed and nothing more runs (``"hung"``);
- a cell that writes more than ``max_output`` bytes of output is interrupted the same way (the output
  itself is counted, never stored); printing past it raises ``OutputLimitExceeded`` in the kernel itself
  (``LIMIT_OUTPUT``), before the kernel can buffer more than it can send;
- a cell that raises is noted (its error's name and message) and the next cell runs;
- a kernel that dies (a crash, or killed for its memory) ends the run (``"dead"``).

Then, if the kernel is alive, the answers are taken out as plain data (``plaindata.encode`` run in the
kernel, sent back as one display of their own MIME type) and the report is written to the file
descriptor ``report_fd`` (the grader's pipe) as JSON lines:
``{"cell": i}`` when cell ``i`` starts (so that a grader that has to kill the sandbox can name the cell),
then ``{"result": {...}}``.

Usage (inside the sandbox; the grader writes the job as JSON)::

    python /grader/runner.py '{"notebook": "lab.ipynb", "names": ["x"], "cell_timeout": 60, ...}'

Standard library and jupyter_client only: this file must not import the course's grading code.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import tempfile
import time
from pathlib import Path

#: Seconds a kernel gets to stop a cell after an interrupt before it is killed.
GRACE = 10.0
#: Seconds a kernel gets to start.
START = 60.0
#: Seconds the answers' extraction may take.
EXTRACT = 60.0
#: Bytes of answers read at most.
MAX_ANSWERS = 50_000_000
#: The MIME type the answers are displayed as, once, after the last cell.
ANSWERS_MIME = "text/x-therapybrain-answers"
#: Run in the kernel before the first cell: print and other writes to stdout/stderr raise
#: ``OutputLimitExceeded`` past ``CAP`` characters in one cell, before the kernel buffers them (a print loop
#: can outrun the kernel's sending and fill its memory before a single message reaches the runner).
LIMIT_OUTPUT = """
def _grader_limit_output(cap):
    import sys

    class OutputLimitExceeded(Exception):
        pass

    class Capped:
        def __init__(self, stream):
            self._stream, self._count = stream, 0

        def write(self, text):
            self._count += len(text)
            if self._count > cap:
                raise OutputLimitExceeded(f"this cell wrote more than {cap:,} characters of output")
            return self._stream.write(text)

        def __getattr__(self, name):
            return getattr(self._stream, name)

    streams = [Capped(sys.stdout), Capped(sys.stderr)]
    sys.stdout, sys.stderr = streams

    def reset(*args):
        for stream in streams:
            stream._count = 0

    get_ipython().events.register("pre_run_cell", reset)


_grader_limit_output(CAP)
del _grader_limit_output
"""
_OUTPUT_TYPES = ("stream", "display_data", "execute_result", "update_display_data", "error")


def _report(fd: int, event: dict) -> None:
    """One JSON line on the report's file descriptor (the grader's pipe), flushed at once."""
    try:
        os.write(fd, (json.dumps(event) + "\n").encode())
    except OSError:   # the grader is gone: nothing to report to
        pass


def _size(content: dict) -> int:
    """The bytes a message's output carries (text and data), without serialising it."""
    if "text" in content:
        return len(content["text"])
    data = content.get("data") or {}
    total = sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in data.values())
    return total + len(str(content.get("evalue", ""))) + sum(len(line) for line in content.get("traceback", []))


def _code_cells(path: Path) -> list[tuple[int, str]]:
    """(cell number counted from 1 over all cells, source) of every code cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append((number, "".join(source) if isinstance(source, list) else str(source)))
    return cells


class Kernel:
    """A kernel and its client, with a cell runner that keeps to the limits."""

    def __init__(self, max_output: int) -> None:
        from jupyter_client import KernelManager

        startup = Path(tempfile.mkdtemp(prefix="grader-")) / "limit_output.py"
        startup.write_text(LIMIT_OUTPUT.replace("CAP", str(int(max_output))))
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(stdout=open(os.devnull, "wb"), stderr=open(os.devnull, "wb"),  # noqa: SIM115
                             stdin=open(os.devnull, "rb"),  # noqa: SIM115
                             extra_arguments=[f"--IPKernelApp.exec_files={[str(startup)]!r}"])
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=START)

    def alive(self) -> bool:
        return bool(self.km.is_alive())

    def run(self, code: str, timeout: float, max_output: int, capture: str = "") -> dict:
        """Run one cell: ``{"status": "ok"|"error"|"timeout"|"output"|"hung"|"dead", ...}``; with ``capture``
        (a MIME type), the last output of that type the cell displayed is ``note["captured"]``."""
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        ends, written, note, captured = time.monotonic() + timeout, 0, {"status": "ok"}, None
        while True:
            left = ends - time.monotonic()
            if left <= 0 or written > max_output:
                note = {"status": "timeout" if left <= 0 else "output", "bytes": written}
                return self._interrupt(msg_id, note)
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 0.5))
            except queue.Empty:
                if not self.alive():
                    return {"status": "dead"}
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg.get("content", {})
            if kind in _OUTPUT_TYPES:
                written += _size(content)
            if capture and kind == "display_data" and capture in (content.get("data") or {}):
                captured = content["data"][capture]
            if kind == "error":
                note = {"status": "error", "ename": str(content.get("ename"))[:200],
                        "evalue": str(content.get("evalue"))[:500]}
            elif kind == "status" and content.get("execution_state") == "idle":
                return {**note, "captured": captured} if captured is not None else note

    def _interrupt(self, msg_id: str, note: dict) -> dict:
        if not self.alive():
            return {"status": "dead"}
        self.km.interrupt_kernel()
        ends = time.monotonic() + GRACE
        while time.monotonic() < ends:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                if not self.alive():
                    return {"status": "dead"}
                continue
            if (msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"):
                return note
        self.stop()
        return {**note, "status": "hung", "cause": note["status"]}

    def stop(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - already gone
            pass


def extract(kernel: Kernel, names: list[str], encoder: str) -> dict | str:
    """The answers as encoded data (``{name: data}``), or a string saying why they could not be taken.

    They travel as a display of their own MIME type on the kernel's message channel, as any output does:
    no file, so a notebook that filled its folder or ``/tmp`` still has its answers read.
    """
    tail = (f"\n_out = {{}}\nfor _name in {names!r}:\n"
            "    _out[_name] = encode(__ns__[_name]) if _name in __ns__ else {'__missing__': True}\n"
            "from IPython.display import publish_display_data\n"
            f"publish_display_data({{{ANSWERS_MIME!r}: json.dumps(_out)}})\n")
    program = encoder + "\nimport json\n" + tail
    code = ('__import__("builtins").exec(__import__("builtins").compile(' + repr(program)
            + ', "<grader>", "exec"), {"__name__": "__grader__", "__ns__": __import__("builtins").globals()})')
    note = kernel.run(code, EXTRACT, MAX_ANSWERS, capture=ANSWERS_MIME)
    if note["status"] != "ok":
        why = note.get("ename", "") + (f": {note['evalue']}" if note.get("evalue") else "")
        return f"the answers could not be read ({note['status']}{', ' + why if why else ''})"
    if not isinstance(note.get("captured"), str):
        return "the answers could not be read (the kernel sent none)"
    try:
        answers = json.loads(note["captured"])
    except ValueError as error:
        return f"the answers could not be read ({error})"
    return answers if isinstance(answers, dict) else "the answers could not be read (not a table of answers)"


def main(job: dict) -> None:
    started = time.monotonic()
    fd = int(job.get("report_fd", 3))
    os.set_inheritable(fd, False)   # the kernel must not inherit the report's pipe
    deadline = started + float(job["deadline"])
    cells = _code_cells(Path(job["notebook"]))
    encoder = Path(job["encoder"]).read_text(encoding="utf-8")
    result: dict = {"cells": [], "kernel": "alive", "answers": None, "why": ""}
    kernel = Kernel(int(job["max_output"]))
    for number, source in cells:
        left = deadline - time.monotonic()
        if left <= 0:
            result["cells"].append({"cell": number, "status": "skipped"})
            result["deadline"] = True
            continue
        _report(fd, {"cell": number})
        t0 = time.monotonic()
        note = kernel.run(source, min(float(job["cell_timeout"]), left), int(job["max_output"]))
        note.update(cell=number, seconds=round(time.monotonic() - t0, 2))
        if note["status"] == "timeout" and float(job["cell_timeout"]) > left:
            result["deadline"] = True
        result["cells"].append(note)
        if note["status"] in ("dead", "hung"):
            result["kernel"] = note["status"]
            break
    if result["kernel"] == "alive":
        answers = extract(kernel, list(job["names"]), encoder)
        result["answers" if isinstance(answers, dict) else "why"] = answers
        kernel.stop()
    result["seconds"] = round(time.monotonic() - started, 2)
    _report(fd, {"result": result})


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))

"""The grader against hostile, broken and honest submissions (scripts/grade.py, scripts/grading/).

A tiny lab (four questions, no atlas: each notebook runs in a second or two) is graded as a class with
one honest submission and one of each attack: reading the key from disk, always-equal answer objects,
patched builtins and numpy, a hang (stoppable, and one that ignores interrupts), killing the process above
its kernel, killing everything it can, flooding output (printed or displayed), holding several GB,
deleting files outside its folder, opening sockets, filling its disk, and files that are not notebooks.
Then: only the honest submission scores, every submission has its row and a status that says what
happened, and nothing outside the submissions' folders changed. A probe notebook reports what the sandbox lets it see.

The limits are small here (a 10 s cell, 1 GB, 1 MB of output) so that the class takes about a minute.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from scripts import grade
from scripts.grading import sandbox as sandbox_module
from scripts.grading.notebook import PLACEHOLDER
from scripts.grading.sandbox import Limits, Sandbox

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]

LAB = "tiny-lab"
QUESTIONS = [
    {"name": "answer_n", "points": 1, "public": ["assert isinstance(answer_n, int), 'a whole number'"],
     "hidden": ["assert answer_n == 42"]},
    {"name": "answer_word", "points": 1, "public": ["assert isinstance(answer_word, str), 'a word'"],
     "hidden": ["assert answer_word == 'insula'"]},
    {"name": "answer_array", "points": 1, "public": ["assert len(answer_array) == 3, 'three numbers'"],
     "hidden": ["assert isinstance(answer_array, np.ndarray) and abs(answer_array - [0.5, 1.5, 2.5]).max() < 1e-9"]},
    {"name": "answer_table", "points": 1, "public": ["assert hasattr(answer_table, 'loc'), 'a table'"],
     "hidden": ["assert isinstance(answer_table, pd.DataFrame) and answer_table.loc['b', 'x'] == 7"]},
    {"name": "why", "points": 2, "manual": True, "prompt": "Why?", "rubric": "2 points: a reason."},
]
HONEST = ["import numpy as np\nimport pandas as pd",
          "answer_n = 6 * 7",
          "answer_word = 'in' + 'sula'",
          "answer_array = np.arange(3) + 0.5",
          "answer_table = pd.DataFrame({'x': [1, 7]}, index=['a', 'b'])"]
LIMITS = Limits(cell_timeout=10, timeout=40, memory=1024 ** 3, max_output=1_000_000, disk=32 * 1024 ** 2)


def notebook(*cells: str, lab: str = LAB, written: str | None = None) -> str:
    """A submission of code cells; with ``written``, then the written question as the student notebook has it
    (its locked cell, the answer's cell holding ``written``, the locked cell that closes it)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    if written is not None:
        locked = {"deletable": False, "editable": False}
        nb.cells += [nbformat.v4.new_markdown_cell("<!-- BEGIN QUESTION -->\n\n**Question `why`** (2 points, read by "
                                                   "your instructor). Why?", metadata=locked),
                     nbformat.v4.new_markdown_cell(written, metadata={"tags": ["otter_answer_cell"]}),
                     nbformat.v4.new_markdown_cell("<!-- END QUESTION -->\n\nKey takeaways", metadata=locked)]
    nb.metadata["otter"] = {"assignment_name": lab}
    return nbformat.writes(nb)


def attacks(key_file: Path, sentinel: Path, submissions: Path, port: int) -> dict[str, str]:
    """Submission file name -> notebook text, for every attack (and the honest one)."""
    wrong = ["answer_n = 41", "answer_word = 'amygdala'", "answer_array = np.zeros(3)",
             "answer_table = pd.DataFrame({'x': [0, 0]}, index=['a', 'b'])"]
    steal = f"""
import glob, json, os, re
from pathlib import Path
import therapybrain
found = {{}}
places = [{str(key_file)!r}, str(Path(therapybrain.__file__).parents[1]), os.path.expanduser('~'), '/root', '/tmp',
          {str(ROOT)!r}, '/work']
for place in places:
    for path in glob.glob(place, recursive=False) + glob.glob(place + '/**/*', recursive=True)[:20000]:
        try:
            text = Path(path).read_text()
        except Exception:
            continue
        for name, value in re.findall(r"assert (answer_\\w+) == ('?[\\w.]+'?)", text):
            found[name] = eval(value)
answer_n = found.get('answer_n', 0)
answer_word = found.get('answer_word', 'none')
"""
    return {
        "honest.ipynb": notebook(*HONEST, written="Because the insula *maps* the body."),
        "steals-the-key.ipynb": notebook(HONEST[0], steal),
        "always-equal.ipynb": notebook(
            HONEST[0],
            "class Always(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__",
            "answer_n = Always(1)",
            "answer_word = type('S', (str,), {'__eq__': lambda s, o: True, '__hash__': str.__hash__})('x')",
            "class Arr(np.ndarray):\n    def __sub__(self, other):\n        return np.zeros(3)",
            "answer_array = np.zeros(3).view(Arr)",
            "answer_table = type('T', (), {'loc': {('b', 'x'): 7}})()"),
        "patches-builtins.ipynb": notebook(
            HONEST[0], *wrong,
            "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.sorted = lambda x: x\n"
            "np.isclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
            "builtins.AssertionError = type('Never', (Exception,), {})"),
        "hangs.ipynb": notebook(HONEST[0], HONEST[1], "while True:\n    pass", HONEST[2], written="Because."),
        "hangs-unstoppably.ipynb": notebook(
            HONEST[0], HONEST[1], "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                  "while True:\n    time.sleep(0.1)", *HONEST[2:]),
        "kills-its-parent.ipynb": notebook(HONEST[0], HONEST[1], "import os, signal\nos.kill(os.getppid(), "
                                           "signal.SIGKILL)", *HONEST[2:]),
        "kills-everything.ipynb": notebook(HONEST[0], "import os, signal\nos.kill(-1, signal.SIGKILL)", *HONEST[1:]),
        "floods-output.ipynb": notebook(HONEST[0], "while True:\n    print('x' * 100_000)", "answer_n = 41"),
        "floods-displays.ipynb": notebook(HONEST[0], "from IPython.display import HTML, display\nwhile True:\n"
                                          "    display(HTML('x' * 10_000))", "answer_n = 41"),
        "holds-memory.ipynb": notebook(HONEST[0], "hoard = bytearray(b'x') * (3 * 1024 ** 3)", *wrong),
        "deletes-files.ipynb": notebook(
            HONEST[0],
            "import os, shutil, subprocess\nfrom pathlib import Path\nimport therapybrain\n"
            f"for target in [{str(sentinel)!r}, {str(submissions / 'honest.ipynb')!r}]:\n"
            "    try:\n        os.remove(target)\n    except OSError as e:\n        print(e)\n"
            "shutil.rmtree(Path(therapybrain.__file__).parent, ignore_errors=True)\n"
            "subprocess.run('rm -rf ~/* /root /tmp/* 2>/dev/null', shell=True)", *wrong),
        "opens-sockets.ipynb": notebook(
            HONEST[0],
            "import socket\nreached = []\n"
            f"for host, port in [('127.0.0.1', {port}), ('localhost', {port})]:\n"
            "    try:\n        socket.create_connection((host, port), timeout=2).sendall(b'stolen')\n"
            "        reached.append(host)\n    except OSError:\n        pass", *wrong),
        "fills-its-disk.ipynb": notebook(HONEST[0], "open('big', 'wb').write(b'0' * (64 * 1024 ** 2))",
                                         "open('/tmp/big', 'wb').write(b'0' * (64 * 1024 ** 2))", *wrong),
        "blank.ipynb": notebook(HONEST[0], "answer_n = ...", "answer_word = ...", written=PLACEHOLDER),
        "raises-with-paths.ipynb": _with_text_cells(notebook(
            HONEST[0], "LIB, TMP = '/work/main/.venv/lib/python3.12/site-packages/pandas/io/parsers.py', "
                       "'/tmp/tb-grade-x/home/data.csv'",
            "# my plot\n\nraise RuntimeError(f'no file {LIB} nor {TMP}')", written="  \n")),
        "essay.docx": "PK\x03\x04 not a notebook",
        "truncated.ipynb": '{"cells": [',
        "=HYPERLINK(x).ipynb": notebook(*wrong[:1], written="=cmd|' /C calc'!A0 <script>alert(1)</script>"),
    }


def _with_text_cells(text: str) -> str:
    """The notebook with Markdown cells before each code cell, as a lab has them."""
    nb = nbformat.reads(text, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cells += [nbformat.v4.new_markdown_cell("## A section"), nbformat.v4.new_markdown_cell("Some prose.")]
        cells.append(cell)
    nb.cells = cells
    return nbformat.writes(nb)


class Listener:
    """A TCP server on the host's loopback that records whether anything connected."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.server.settimeout(0.5)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> dict[str, grade.Lab]:
    return {LAB: grade.Lab(LAB, QUESTIONS)}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, course, sandbox):
    """(rows by student, output folder, the submissions folder, sentinel, listener, files' state before)."""
    base = tmp_path_factory.mktemp("attack")
    key_file = base / "key" / "tests.py"   # a key on disk outside the submissions, as an autograder's would be
    key_file.parent.mkdir()
    key_file.write_text("\n".join(t for q in QUESTIONS for t in q.get("hidden", [])))
    sentinel = base / "instructor-file.txt"
    sentinel.write_text("keep me")
    folder = base / "submissions"
    folder.mkdir()
    listener = Listener()
    for name, text in attacks(key_file, sentinel, folder, listener.port).items():
        (folder / name).write_text(text)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    package = {p: p.read_bytes() for p in sorted(Path(sandbox.package).rglob("*.py"))}
    out = base / "grades"
    graded, worked = grade.grade_folder(folder, out, jobs=2, limits=LIMITS, sandbox=sandbox, course=course)
    listener.close()
    with (out / "gradebook.csv").open(newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return {"rows": rows, "out": out, "folder": folder, "sentinel": sentinel, "listener": listener,
            "before": before, "package": package, "worked": worked, "key": key_file}


def test_every_submission_has_its_row_and_the_grader_worked(graded_class):
    rows = graded_class["rows"]
    assert graded_class["worked"]
    assert len(rows) == len(graded_class["before"]) == 19
    assert set(rows["honest"]) >= {"answer_n", "answer_word", "answer_array", "answer_table", "status", "message"}


def test_only_the_honest_submission_scores(graded_class):
    rows = graded_class["rows"]
    honest = rows["honest"]
    assert (honest["status"], honest["autograded_total"], honest["autograded_possible"]) == ("graded", "4", "4")
    assert honest["manual_points"] == "" and honest["why"] == ""   # the written question is the instructor's
    assert (honest["manual_possible"], honest["total"], honest["total_possible"]) == ("2", "", "6")
    scored = {name: row["autograded_total"] for name, row in rows.items()
              if name not in ("honest", "hangs") and row["autograded_total"] not in ("", "0")}
    assert scored == {}


@pytest.mark.parametrize("student, status, words", [
    ("honest", "graded", ""),
    ("steals-the-key", "blank", "the written answer `why` (2 points) is blank: its question's cell is not in the"),
    ("always-equal", "blank", "the written answer `why` (2 points) is blank"),
    ("patches-builtins", "blank", "the written answer `why` (2 points) is blank"),
    ("hangs", "timeout", 'code cell 3 ("while True:") ran longer than 10 s and was interrupted; the cells after it'),
    ("hangs-unstoppably", "timeout", 'code cell 3 ("import signal, time") did not finish within its time and did '
                                     "not stop when interrupted"),
    ("kills-its-parent", "crashed", 'the run ended at code cell 3 ("import os, signal") without a result'),
    ("kills-everything", "crashed", "code cell 2"),
    ("floods-output", "output", 'code cell 2 ("while True:") wrote more than 1 MB of output and was stopped; the'),
    ("floods-displays", "output", "wrote more than 1 MB of output and was interrupted; the cells after it"),
    ("holds-memory", "memory", "code cell 2 ("),
    ("fills-its-disk", "raised", """code cell 2 ("open('big', 'wb').write(b'0' * (64 * 1024 ** 2))") raised OSError"""),
    ("blank", "blank", "the written answer `why` (2 points) is blank: the placeholder was left as it was"),
    ("raises-with-paths", "raised", """code cell 3 ("raise RuntimeError(f'no file {LIB} nor {TMP}')") raised """
                                    "RuntimeError: no file pandas/io/parsers.py nor …/data.csv"),
    ("essay", "error", "not a Jupyter notebook"),
    ("truncated", "error", "not a Jupyter notebook"),
])
def test_each_submission_gets_a_status_that_says_what_happened(graded_class, student, status, words):
    row = graded_class["rows"][student]
    assert row["status"] == status, row["message"]
    assert words in row["message"]


def test_a_stoppable_hang_is_interrupted_and_the_rest_is_graded(graded_class):
    row = graded_class["rows"]["hangs"]
    assert row["answer_n"] == "1" and row["answer_word"] == "1" and row["autograded_total"] == "2"


def test_a_full_disk_is_an_error_in_its_cell_and_the_answers_are_still_read(graded_class):
    row = graded_class["rows"]["fills-its-disk"]
    assert "code cell 2 (" in row["message"] and "code cell 3 (" in row["message"]
    assert row["message"].count("raised OSError: [Errno 28] No space left on device") == 2
    text = (graded_class["out"] / "feedback" / "fills-its-disk.md").read_text()
    assert text.count("hidden test: failed") == 4 and "not defined" not in text


def test_answers_that_are_not_plain_data_are_wrong_and_the_feedback_says_why(graded_class):
    text = (graded_class["out"] / "feedback" / "always-equal.md").read_text()
    assert text.count("only plain data is graded") == 4
    assert "an object of type Always (from the module __main__)" in text


def test_nothing_outside_the_submissions_own_folders_changed(graded_class, sandbox):
    assert graded_class["sentinel"].read_text() == "keep me"
    assert graded_class["key"].exists()
    assert {p.name: p.read_bytes() for p in graded_class["folder"].iterdir()} == graded_class["before"]
    assert {p: p.read_bytes() for p in sorted(Path(sandbox.package).rglob("*.py"))} == graded_class["package"]
    assert graded_class["listener"].connections == 0


def test_names_are_safe_in_a_spreadsheet_and_feedback_is_written_as_it_goes(graded_class):
    text = (graded_class["out"] / "gradebook.csv").read_text()
    assert "\n'=HYPERLINK(x)," in text and "\n=HYPERLINK" not in text
    assert (graded_class["out"] / "feedback" / "HYPERLINK_x.md").exists()
    assert len(list((graded_class["out"] / "feedback").glob("*.md"))) == 17   # every notebook but the two errors


def test_the_sandbox_hides_the_key_the_home_and_the_network(sandbox, tmp_path):
    """A probe reports what it can see from inside; the same probe without the sandbox sees the course and
    reaches a server on the host's loopback (no test here sends anything beyond this machine's loopback)."""
    listener = Listener()
    probe = """
import json, os, socket
from pathlib import Path
import therapybrain
course = Path(therapybrain.__file__).parents[1]
seen = {"uid": os.getuid(), "root": sorted(os.listdir("/")), "course": sorted(os.listdir(course)),
        "home": sorted(os.listdir(os.path.expanduser("~"))), "cwd": os.getcwd()}
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
    seen["net"] = "reached"
except OSError as error:
    seen["net"] = str(error)
try:
    (Path(therapybrain.__file__).parent / "planted.py").write_text("x = 1")
    seen["write"] = "written"
except OSError as error:
    seen["write"] = str(error)
answer_word = json.dumps(seen)
"""
    path = tmp_path / "probe.ipynb"
    path.write_text(notebook(probe.replace("PORT", str(listener.port))))
    run = sandbox.run(path, LAB, ["answer_word"], LIMITS)
    seen = json.loads(run.result["answers"]["answer_word"])
    assert seen["uid"] == 1000 and seen["cwd"] == sandbox_module.HOME
    assert set(seen["course"]) <= {"therapybrain", ".venv"}
    assert not {"chapters", "_build", "tests", "scripts"} & set(seen["course"])
    assert sorted(seen["home"]) == sorted(["tiny-lab.ipynb", *[n for n in seen["home"] if n.startswith(".")]])
    assert "refused" in seen["net"] and "Read-only file system" in seen["write"]
    assert listener.connections == 0
    # the same probe with no sandbox sees the course folder: the assertions above can fail
    planted = Path(sandbox.package) / "planted.py"
    try:
        open_run = Sandbox(sandbox.venv, sandbox.base, sandbox.package, sandbox.store, bwrap=None).run(
            path, LAB, ["answer_word"], LIMITS)
        assert planted.exists()
    finally:
        planted.unlink(missing_ok=True)
    seen_openly = json.loads(open_run.result["answers"]["answer_word"])
    for _ in range(50):   # the listener's thread counts the connection it accepts
        if listener.connections:
            break
        time.sleep(0.1)
    listener.close()
    assert "chapters" in seen_openly["course"] and seen_openly["net"] == "reached" and listener.connections == 1


def test_resume_grades_only_what_the_gradebook_lacks(tmp_path, course, sandbox):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "a.ipynb").write_text(notebook(*HONEST))
    out = tmp_path / "out"
    first, _ = grade.grade_folder(folder, out, limits=LIMITS, sandbox=sandbox, course=course)
    (folder / "b.ipynb").write_text(notebook(HONEST[0], "answer_n = 42"))
    second, _ = grade.grade_folder(folder, out, limits=LIMITS, sandbox=sandbox, course=course, resume=True)
    assert [g.student for g in first] == ["a"] and [g.student for g in second] == ["b"]
    rows = list(csv.DictReader((out / "gradebook.csv").open()))
    assert [(r["student"], r["autograded_total"]) for r in rows] == [("a", "4"), ("b", "1")]


def test_without_bubblewrap_the_grader_refuses_and_names_the_fix(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    (tmp_path / "subs").mkdir()
    assert grade.main([str(tmp_path / "subs"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "bubblewrap (bwrap) is not installed" in err and "apt-get install bubblewrap" in err
    assert "--no-sandbox" in err


def test_a_sandbox_that_cannot_start_names_the_fix(tmp_path):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(sandbox_module.SandboxUnavailable, match="user namespaces.*--no-sandbox"):
        sandbox_module.probe(str(fake))


def test_bad_limits_are_clear_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):
        grade.main([str(tmp_path), "--memory", "lots"])
    assert "'lots' is not a size: use bytes or a number with K, M or G" in capsys.readouterr().err
    assert grade.size("512M") == 512 * 1024 ** 2 and grade.size("3G") == 3 * 1024 ** 3


def test_no_sandbox_warns_plainly(tmp_path, capsys):
    (tmp_path / "subs").mkdir()
    assert grade.main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--no-sandbox"]) == 0
    err = capsys.readouterr().err
    assert "runs as you" in err and "hidden tests and solutions" in err


def test_without_a_memory_cgroup_each_process_has_a_memory_cap(sandbox, tmp_path, monkeypatch):
    """Where no cgroup can be made (not root, cgroup v2): an address-space cap per process, MemoryError."""
    monkeypatch.setattr(sandbox_module._Cgroups, "make", classmethod(lambda cls, limits: cls()))
    path = tmp_path / "hoard.ipynb"
    path.write_text(notebook(*HONEST[:2], "hoard = bytearray(b'x') * (3 * 1024 ** 3)", *HONEST[2:]))
    run = sandbox.run(path, LAB, ["answer_n", "answer_word"], LIMITS)
    assert run.peak_memory == 0 and not run.oom   # nothing measured: no cgroup
    assert [c.get("ename") for c in run.result["cells"]][2] == "MemoryError"
    assert run.result["answers"] == {"answer_n": 42, "answer_word": "insula"}   # the cells after it ran
    assert grade._notes(run, LIMITS)[0] == ("memory", "cell 3 raised MemoryError (over 1.0 GB)")


def test_os_environ_is_not_passed_into_the_sandbox(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTRUCTOR_SECRET", "s3cret")
    path = tmp_path / "env.ipynb"
    path.write_text(notebook("import os, json\nanswer_word = json.dumps(dict(os.environ))"))
    run = sandbox.run(path, LAB, ["answer_word"], LIMITS)
    env = json.loads(run.result["answers"]["answer_word"])
    assert "INSTRUCTOR_SECRET" not in env and env["HOME"] == sandbox_module.HOME
    assert os.environ["INSTRUCTOR_SECRET"] == "s3cret"


def test_a_roster_gives_canvas_and_moodle_import_files_from_the_gradebook(graded_class, course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,Name,SIS Login ID,Email address\nhonest,Hon Est,hon,hon@uni.example\n"
                      "hangs,Han Gs,hang,hang@uni.example\nabsent,Ab Sent,abs,abs@uni.example\n")
    written = grade.write_lms_files(graded_class["out"], roster, course)
    canvas = list(csv.reader(written["canvas"].open()))
    moodle = list(csv.DictReader(written["moodle"].open()))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and canvas[0][5] == LAB
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "6"   # 4 autograded + 2 by hand
    assert {row[3]: row[5] for row in canvas[2:]} == {"hon": "4", "hang": "2"}
    assert {row["Email address"]: row[LAB] for row in moodle} == {"hon@uni.example": "4", "hang@uni.example": "2"}
    assert "absent" in written["unmatched"].read_text()


def test_a_grader_failure_is_a_row_and_the_exit_status_says_so(tmp_path, course, sandbox, monkeypatch):
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.ipynb").write_text(notebook(*HONEST, written="Because."))
    real = grade.grade_one

    def flaky(path, *args):
        if path.name == "a.ipynb":
            raise RuntimeError("a bug of the grader's")
        return real(path, *args)

    monkeypatch.setattr(grade, "grade_one", flaky)
    graded, worked = grade.grade_folder(folder, tmp_path / "out", limits=LIMITS, sandbox=sandbox, course=course)
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "out" / "gradebook.csv").open())}
    assert not worked
    assert rows["a"]["status"] == "error" and "the grader failed on this submission" in rows["a"]["message"]
    assert rows["b"]["status"] == "graded" and rows["b"]["autograded_total"] == "4"


def test_the_progress_bar_counts_the_class(course):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = grade.Progress(3, 1, stream)
    for status in ("graded", "timeout", "graded"):
        progress.done(grade.Graded(Path(f"{status}.ipynb"), status, LAB, status=status))
    assert "[##########" in stream.getvalue() and "3/3" in stream.getvalue()
    assert progress.summary() == "2 graded, 1 timeout, 1 already in the gradebook"


def test_messages_name_the_cell_as_the_student_finds_it_and_carry_no_machine_path(graded_class):
    """The raising cell is the 9th cell counting the text cells, the 3rd code cell: the message says the 3rd
    code cell and quotes its first line that is not a comment; no feedback file shows a path of the grader's."""
    row = graded_class["rows"]["raises-with-paths"]
    assert row["message"].startswith('code cell 3 ("raise RuntimeError(f\'no file {LIB} nor {TMP}\')") raised')
    assert "cell 9" not in row["message"] and "/work/" not in row["message"]
    for path in (graded_class["out"] / "feedback").glob("*.md"):
        text = re.sub(r'\("[^"\n]*"\)', "", path.read_text())   # the cells' own first lines quoted
        for machine in ("/work/", "/tmp/", "site-packages", "/home/student", "Traceback"):
            assert machine not in text, (path.name, machine)
    feedback = (graded_class["out"] / "feedback" / "raises-with-paths.md").read_text()
    assert "RuntimeError: no file pandas/io/parsers.py nor …/data.csv" in feedback


def test_blank_written_answers_are_in_the_row_and_the_feedback(graded_class):
    rows, out = graded_class["rows"], graded_class["out"]
    assert rows["honest"]["blank_written"] == "" and rows["honest"]["status"] == "graded"
    for student in ("blank", "raises-with-paths", "steals-the-key"):
        assert rows[student]["blank_written"] == "why", student
        assert "Your answer is blank" in (out / "feedback" / f"{student}.md").read_text()
    assert "Read by your instructor" in (out / "feedback" / "honest.md").read_text()


def test_the_written_answers_sheet_escapes_flags_blanks_and_loads_nothing(graded_class):
    out = graded_class["out"]
    page = (out / "written" / f"{LAB}.html").read_text()
    assert "Because the insula *maps* the body." in page and "2: a reason" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert page.count("<script>") == 1 and " src=" not in page and "http" not in page.split("<body", 1)[1]
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert page.count("BLANK: ") == sum(r["blank_written"] == "why" for r in graded_class["rows"].values())
    rows = list(csv.DictReader((out / "written" / f"{LAB}.csv").open(newline="")))
    graded = [r for r in graded_class["rows"].values() if r["status"] != "error"]
    assert len(rows) == len(graded) == 17
    assert {r["blank"] for r in rows} == {"yes", ""}
    assert all(r["points"] == ("0" if r["blank"] else "") for r in rows)
    hyperlink = next(r for r in rows if r["file"] == "'=HYPERLINK(x).ipynb")
    assert hyperlink["student"] == "'=HYPERLINK(x)" and hyperlink["answer"].startswith("'=cmd")


def _points_file(out: Path, points: dict[str, str]) -> Path:
    rows = list(csv.DictReader((out / "written" / f"{LAB}.csv").open(newline="")))
    for row in rows:
        row["points"] = points.get(row["student"], row["points"])
    path = out / "entered.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_entered_points_merge_into_the_gradebook_and_the_lms_files(graded_class, course, tmp_path, capsys):
    out = tmp_path / "grades"
    shutil.copytree(graded_class["out"], out)
    sheet = _points_file(out, {"honest": "2", "'=HYPERLINK(x)": "1,5"})
    assert grade.merge_written(out, [sheet], course=course) == 0
    rows = {r["student"]: r for r in csv.DictReader((out / "gradebook.csv").open(newline=""))}
    honest = rows["honest"]
    assert (honest["why"], honest["manual_points"], honest["total"], honest["total_possible"]) == ("2", "2", "6", "6")
    assert (rows["blank"]["why"], rows["blank"]["total"]) == ("0", "0")   # blank: 0 entered for the instructor
    assert rows["'=HYPERLINK(x)"]["why"] == "1.5"
    feedback = (out / "feedback" / "honest.md").read_text()
    assert "## `why`: 2 of 2 points (graded by hand)" in feedback and "Total: 6 of 6 points." in feedback
    blank = (out / "feedback" / "blank.md").read_text()
    assert "## `why`: 0 of 2 points (graded by hand)\n\nYour answer is blank" in blank
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,Name,SIS Login ID,Email address\nhonest,Hon Est,hon,hon@uni.example\n")
    written = grade.write_lms_files(out, roster, course)
    assert {r["Email address"]: r[LAB] for r in csv.DictReader(written["moodle"].open())} == {"hon@uni.example": "6"}
    # graded again (resumed), the sheet keeps the points entered in it
    (out / "written" / f"{LAB}.csv").write_text(sheet.read_text())
    grade.write_written_sheets(graded_class["folder"], out, course)
    again = {r["student"]: r["points"] for r in csv.DictReader((out / "written" / f"{LAB}.csv").open(newline=""))}
    assert again["honest"] == "2" and again["'=HYPERLINK(x)"] == "1,5"


def test_points_that_cannot_be_merged_are_refused_with_every_reason(graded_class, course, tmp_path, capsys):
    out = tmp_path / "grades"
    shutil.copytree(graded_class["out"], out)
    before = (out / "gradebook.csv").read_bytes()
    sheet = _points_file(out, {"honest": "3", "hangs": "two", "blank": "-1"})
    with sheet.open("a", newline="") as f:
        f.write(f"{LAB},nobody,nobody.ipynb,why,2,,1,\n{LAB},honest,honest.ipynb,how,2,,1,\nother-lab,a,a,why,2,,1,\n")
    assert grade.merge_written(out, [sheet], course=course) == 2
    err = capsys.readouterr().err
    for words in ("nothing was merged", "3 points for honest are more than why's 2",
                  "points 'two' for hangs are not a number", "points -1 for blank are negative",
                  "'how' is not a question of tiny-lab graded by hand (those are: why)", "unknown lab 'other-lab'"):
        assert words in err, words
    assert (out / "gradebook.csv").read_bytes() == before
    sheet = _points_file(out, {"honest": "2"})
    with sheet.open("a", newline="") as f:
        f.write(f"{LAB},nobody,nobody.ipynb,why,2,,1,\n")
    assert grade.merge_written(out, [sheet], course=course) == 2
    assert "no student 'nobody' for tiny-lab in the gradebook" in capsys.readouterr().err
    assert (out / "gradebook.csv").read_bytes() == before

"""The grader's parts, one job each (``scripts/grade.py`` puts them together; ``make grade`` runs it).

- ``sandbox``: one submission's run inside bubblewrap, with its time, memory, process, disk and output limits.
- ``runner``: inside the sandbox, the notebook cell by cell in a kernel, then its answers taken out.
- ``plaindata``: answers as plain data (JSON), out of the kernel and back, never pickled.
- ``checks``: the lab's public and hidden tests on those plain values, in the grader's own process.
- ``notebook``: a submitted notebook read as data: its cells named the student's way, its written answers.
- ``scrub``: messages for students without tracebacks or the grading machine's paths.
- ``marking``: the written answers of a lab to read beside the rubric, and the points entered merged back.
- ``gradebook``: the CSV written a row at a time, resumed, safe in a spreadsheet.
- ``lms``: a roster from Canvas or Moodle, and the grade import files each accepts.
- ``samples``: sample submissions with one wrong answer, for the tests and the benchmark.
"""

"""Score answers taken out of a submission: the lab's public and hidden tests, run on plain data only.

This runs in the grader's own process, which never runs student code: the answers arrive as JSON text
(``plaindata``), are rebuilt as plain values, and each test of the lab's grading spec (``scripts/editions.py``:
``public`` and ``hidden``, Python ``assert`` statements) runs on a fresh copy of them. A question scores its
points when every hidden test passes; public tests carry no points (they give the student's feedback).

Example:

>>> spec = [{"name": "n", "points": 2, "public": ["assert isinstance(n, int), 'a whole number'"],
...          "hidden": ["assert n == 9"]}]
>>> [r.score for r in score(spec, {"n": 9})]
[2.0]
>>> result = score(spec, {"n": {"__unsupported__": "an object of type Always (from the module __main__)"}})[0]
>>> result.score, result.problem.startswith("an object of type Always (from the module __main__): only plain")
(0.0, True)
"""

from __future__ import annotations

import builtins
import copy
from dataclasses import dataclass, field
from typing import Any

from scripts.grading.plaindata import PLACEHOLDER, NotPlainData, decode

PLAIN = ("only plain data is graded (a number, text, True/False, None, or lists, dicts, numpy arrays and pandas "
         "tables of them)")


@dataclass
class Outcome:
    """One test's outcome: ``hidden`` ones never show their code or message to the student."""

    hidden: bool
    passed: bool
    message: str = ""


@dataclass
class QuestionResult:
    """One autograded question: its points, why it has none (``problem``), and its tests."""

    name: str
    points: float
    score: float = 0.0
    problem: str = ""
    tests: list[Outcome] = field(default_factory=list)


def _namespace() -> dict[str, Any]:
    """What a test may use besides the answers: the builtins, numpy as np, pandas as pd."""
    import numpy
    import pandas

    return {"__builtins__": builtins, "np": numpy, "pd": pandas}


def _run(test: str, names: dict[str, Any]) -> Outcome:
    env = {**_namespace(), **copy.deepcopy(names)}
    try:
        exec(compile(test, "<test>", "exec"), env)   # noqa: S102 - the instructor's test on plain data
    except AssertionError as error:
        return Outcome(False, False, str(error) or "the answer is not right yet")
    except Exception as error:  # noqa: BLE001 - a test that cannot run on this answer: failed, with why
        return Outcome(False, False, f"the test could not run on this answer ({type(error).__name__}: {error})")
    return Outcome(False, True)


def score(questions: list[dict], answers: dict[str, Any]) -> list[QuestionResult]:
    """One ``QuestionResult`` per autograded question of ``questions``; ``answers``: name -> encoded data.

    A name missing from ``answers`` (or marked ``{"__missing__": true}``) was not defined; an answer that does
    not decode is not plain data. Neither scores.
    """
    auto = [q for q in questions if not q.get("manual")]
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for q in auto:
        data = answers.get(q["name"], {"__missing__": True})
        if isinstance(data, dict) and data.get("__missing__") is True:
            problems[q["name"]] = f"`{q['name']}` is not defined (did its cell run without an error?)"
            continue
        try:
            values[q["name"]] = decode(data)
        except NotPlainData as error:
            problems[q["name"]] = (f"not answered yet: replace the `...` of `{q['name']}` with your answer"
                                   if str(error) == PLACEHOLDER else f"{error}: {PLAIN}")
        except (ValueError, TypeError, KeyError) as error:
            problems[q["name"]] = f"the answer could not be read ({error})"
    results = []
    for q in auto:
        result = QuestionResult(q["name"], float(q["points"]))
        if q["name"] in problems:
            result.problem = problems[q["name"]]
        else:
            for test in q.get("public", []):
                result.tests.append(_run(test, values))
            for test in q.get("hidden", []):
                outcome = _run(test, values)
                result.tests.append(Outcome(True, outcome.passed))
            if all(t.passed for t in result.tests if t.hidden):
                result.score = result.points
        results.append(result)
    return results

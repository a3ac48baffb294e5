"""The public tests speak to the student: when one fails, it says what was expected and what it got.

A lab's public tests (its grading spec: ``scripts/editions.py``) are what a student meets when
``grader.check("name")`` runs in their notebook, through otter-grader, in the notebook's own namespace;
the grader runs them again on the plain data taken out of the submission (``scripts/grading/checks.py``)
and writes their messages into the feedback. So every ``assert`` has a message, and a public test uses
nothing but the answer and the builtins (a student's kernel has no ``np`` unless they imported it).

Each autograded question is tried, both ways (``checks.score`` on the encoded answer, otter's own doctest
runner on the raw value), with

- the solution's value (read off the hidden test, which it must pass): every public test passes;
- values of the wrong type (a str, None, a list ...): a public test fails with its message, never with a
  bare ``AssertionError`` or a ``NameError`` / ``TypeError`` of the test itself;
- a number where a number is asked: an int where the answer is a float (whole or not), numpy numbers;
  ``True`` is not a number. A count may be a numpy integer; ``True`` or ``False`` may be numpy's.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any

import numpy as np
import pytest

from conftest import ROOT
from scripts import editions
from scripts.grading import checks
from scripts.grading.plaindata import encode

QUESTIONS = [q for lab in editions.labs(ROOT) for q in editions.questions(lab) if not q.get("manual")]
IDS = [f"{q['lab']}::{q['name']}" for q in QUESTIONS]
BARE = "the answer is not right yet"            # checks' report of an AssertionError without a message
BROKEN = "the test could not run on this answer"  # ... and of a test that raised something else


def solution_value(q: dict) -> Any:
    """The value the question's first hidden test asks for: ``abs(x - v) < tol``, ``x == v``, ``x is v``,
    ``sorted(x) == [...]``."""
    node = ast.parse(q["hidden"][0]).body[0]
    assert isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare), q["hidden"][0]
    left, right = node.test.left, node.test.comparators[0]
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "abs":
        return float(ast.literal_eval(left.args[0].right))
    return ast.literal_eval(right)


def wrong_types(value: Any) -> list[Any]:
    """Answers of another type than ``value``'s, as a student might give them."""
    if isinstance(value, bool):
        return [str(value), None, int(value)]
    if isinstance(value, (int, float)):
        return [str(value), None, [value]]
    if isinstance(value, str):
        return [None, 3, [value]]
    return [", ".join(value), None, tuple(value)]


def _graded(q: dict, value: Any) -> checks.QuestionResult:
    """The grader's run of the question's tests on ``value`` (encoded as a submission's answer is)."""
    return checks.score([q], {q["name"]: encode(value)})[0]


@pytest.fixture(scope="module")
def in_notebook():
    """Run one public test on a raw value as ``grader.check`` does in a student's notebook (otter's doctest
    runner, in the namespace of the notebook): (passed, what otter prints)."""
    from otter.test_files.ok_test import run_doctest

    def run(q: dict, test: str, value: Any) -> tuple[bool, str]:
        return run_doctest(q["name"], "\n".join(">>> " + line for line in test.splitlines()), {q["name"]: value})

    return run


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return loaded, stored


def test_there_are_questions_of_every_kind():
    kinds = {type(solution_value(q)).__name__ for q in QUESTIONS}
    assert {"float", "int", "bool", "str", "list"} <= kinds and len(QUESTIONS) >= 40


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_every_public_assert_has_a_message_and_needs_only_the_answer(q):
    for test in q["public"]:
        tree = ast.parse(test)
        asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert asserts, f"{q['lab']}: {q['name']}: a public test without an assert: {test}"
        bare = [ast.unparse(n) for n in asserts if n.msg is None]
        assert not bare, f"{q['lab']}: {q['name']}: an assert without a message fails as a bare AssertionError: {bare}"
        loaded, stored = _names(tree)
        unknown = loaded - stored - {q["name"]} - set(dir(builtins))
        assert not unknown, f"{q['lab']}: {q['name']}: a public test uses {sorted(unknown)}, which a student's " \
                            f"notebook need not define: {test}"


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_the_solution_passes_every_test(q, in_notebook):
    value = solution_value(q)
    result = _graded(q, value)
    assert result.problem == "" and result.score == result.points, (q["name"], value, result)
    assert all(t.passed for t in result.tests), [t.message for t in result.tests if not t.passed]
    for test in q["public"]:
        passed, output = in_notebook(q, test, value)
        assert passed, output


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_a_wrong_type_fails_with_the_tests_message(q, in_notebook):
    for value in wrong_types(solution_value(q)):
        public = [t for t in _graded(q, value).tests if not t.hidden]
        failed = [t.message for t in public if not t.passed]
        assert failed, f"{q['name']} = {value!r} passed the public tests"
        for message in failed:
            assert message != BARE and not message.startswith(BROKEN), (q["name"], value, message)
            assert message.startswith("expected ") and repr(value)[:20] in message, (q["name"], value, message)
        outputs = [output for passed, output in (in_notebook(q, t, value) for t in q["public"]) if not passed]
        assert outputs, f"{q['name']} = {value!r} passed the public tests in the notebook"
        for output in outputs:
            assert "AssertionError: expected " in output, output
            assert "NameError" not in output and "TypeError" not in output, output


@pytest.mark.parametrize("q", [q for q in QUESTIONS if type(solution_value(q)) in (int, float)],
                         ids=[i for i, q in zip(IDS, QUESTIONS) if type(solution_value(q)) in (int, float)])
def test_a_number_may_be_an_int_or_a_numpy_number_but_not_a_bool(q, in_notebook):
    value = solution_value(q)
    if isinstance(value, float):
        # an int where the answer is a float: the type is what matters, the value may be whole or not
        numbers_given = [round(value), int(value), np.float64(value), np.float32(value), np.int64(round(value))]
    else:
        numbers_given = [np.int64(value), np.int32(value), np.uint16(value)]
    for given in numbers_given:
        assert all(t.passed for t in _graded(q, given).tests if not t.hidden), (q["name"], given)
        for test in q["public"]:
            passed, output = in_notebook(q, test, given)
            assert passed, f"{q['name']} = {given!r} ({type(given).__name__}) was refused:\n{output}"
    for flag in (True, np.True_):
        outputs = [output for passed, output in (in_notebook(q, t, flag) for t in q["public"]) if not passed]
        assert outputs and all("AssertionError: expected " in o for o in outputs), (q["name"], flag, outputs)


@pytest.mark.parametrize("q", [q for q in QUESTIONS if isinstance(solution_value(q), bool)],
                         ids=[i for i, q in zip(IDS, QUESTIONS) if isinstance(solution_value(q), bool)])
def test_true_or_false_may_be_numpys(q, in_notebook):
    """``"dlpfc" in regions`` gives a bool, ``table["detected"].iloc[0]`` a numpy bool: both are True or False."""
    given = np.bool_(solution_value(q))
    assert all(t.passed for t in _graded(q, given).tests), q["name"]   # the grader reads it as a bool
    for test in q["public"]:
        passed, output = in_notebook(q, test, given)
        assert passed, output

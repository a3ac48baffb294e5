"""The quiz bank (assets/quizzes/*.yml), its exports (`make quizzes`) and its quizzes on the built pages.

- every self-check question lives once, in the bank, and the page that shows it names its file;
- `make quizzes` (scripts/quizzes.py, run here in its own process) writes QTI zips and Moodle XML, which
  are read back with real parsers (zipfile + xml.etree for QTI 1.2, xml.etree for Moodle XML): every
  question arrives with its options, its right answer marked, and its explanation;
- on the built site, each question is a fieldset of real radio buttons whose answer is hidden until the
  student checks a chosen option, with the keyboard alone (Chromium).
"""

from __future__ import annotations

import functools
import html as htmllib
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from _ext.quiz_bank import LETTERS, QuizBankError, load_bank, load_quiz, quiz_path
from conftest import ROOT, build_book
from scripts.quizzes import plain

BANK = load_bank()
QUESTIONS = [q for quiz in BANK.values() for q in quiz.questions]
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
DIRECTIVE = re.compile(r"```\{quiz\} ([\w-]+)\n```")


def _norm(text: str) -> str:
    """Text as a reader sees it: tags dropped, entities decoded, typographic quotes straightened, no Markdown marks."""
    text = htmllib.unescape(re.sub(r"</?[a-zA-Z][^>]*>", "", text))
    for curly, straight in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.replace("*", "").replace("`", "").split())


# --- the bank -----------------------------------------------------------------------------------------------

def test_the_bank_holds_every_page_quiz_once():
    assert len(QUESTIONS) >= 30, f"only {len(QUESTIONS)} questions in the bank"
    used: dict[str, list[str]] = {}
    for page in sorted((ROOT / "chapters").rglob("*.md")) + [ROOT / "index.md"]:
        text = page.read_text(encoding="utf-8")
        assert ":::{dropdown} Show the answer" not in text, f"{page}: a quiz answer outside the bank"
        for name in DIRECTIVE.findall(text):
            used.setdefault(name, []).append(str(page.relative_to(ROOT).with_suffix("")))
    assert set(used) == set(BANK), f"bank files never shown: {set(BANK) - set(used)}; unknown: {set(used) - set(BANK)}"
    for name, pages in used.items():
        assert pages == [BANK[name].page], f"{name}.yml is shown on {pages}, its file says {BANK[name].page}"
    stems = [_norm(q.question) for q in QUESTIONS]
    assert len(stems) == len(set(stems)), "a question is in the bank twice"


def test_every_answer_is_one_of_its_options_and_explained():
    for q in QUESTIONS:
        assert 0 <= q.answer < len(q.options) and len(q.options) >= 2, q.id
        assert len(q.explanation.split()) >= 5, f"{q.id}: the explanation says too little"


def test_a_bad_quiz_file_gets_a_clear_error(tmp_path):
    good = quiz_path("01-plasticity").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(good.replace("answer: b", "answer: z", 1), encoding="utf-8")
    with pytest.raises(QuizBankError, match=r"bad.yml, question 1: answer 'z' is not one of a, b, c"):
        load_quiz(bad)
    with pytest.raises(QuizBankError, match="valid quizzes: 00-welcome-course-guide, 01-plasticity"):
        quiz_path("no-such-quiz")


def test_citations_are_written_out_for_the_platforms():
    assert plain("no change {cite}`kral2022`") == "no change (Kral et al., 2022)"
    assert plain("{cite:t}`ochsner2005` review") == "Ochsner and Gross (2005) review"
    with pytest.raises(KeyError, match="nobody1999"):
        plain("{cite}`nobody1999`")


# --- the exports, read back -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quizzes")
    result = subprocess.run([sys.executable, "-m", "scripts.quizzes", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{len(QUESTIONS)} questions" in result.stdout
    return out


def _expected(chapter: str):
    return [q for quiz in BANK.values() if quiz.chapter == chapter for q in quiz.questions]


def _read_qti(path: Path) -> list[dict]:
    """The items of a QTI 1.2 package: title, stem, choices, the right choice's text, the feedback."""
    with zipfile.ZipFile(path) as package:
        manifest = ET.fromstring(package.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter()
                 if f.tag.endswith("file") and f.get("href", "").endswith(".xml")]
        assessments = [h for h in hrefs if not h.endswith("assessment_meta.xml")]
        assert len(assessments) == 1, f"{path.name}: {hrefs}"
        tree = ET.fromstring(package.read(assessments[0]))
    items = []
    for item in tree.iter(f"{QTI}item"):
        labels = {label.get("ident"): label.find(f".//{QTI}mattext").text
                  for label in item.iter(f"{QTI}response_label")}
        right = [cond.find(f".//{QTI}varequal").text for cond in item.iter(f"{QTI}respcondition")
                 if (setvar := cond.find(f"{QTI}setvar")) is not None and float(setvar.text) == 100]
        assert len(right) == 1, f"{item.get('title')}: {len(right)} choices score 100"
        feedback = item.find(f"{QTI}itemfeedback")
        items.append({"title": item.get("title"),
                      "stem": item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text,
                      "choices": list(labels.values()), "right": labels[right[0]],
                      "feedback": " ".join(m.text for m in feedback.iter(f"{QTI}mattext"))})
    return items


@pytest.mark.parametrize("chapter", sorted({quiz.chapter for quiz in BANK.values()}))
def test_qti_export_has_every_question_and_its_answer(chapter, exports):
    items = _read_qti(exports / "qti" / f"{chapter}.zip")
    expected = _expected(chapter)
    assert [i["title"] for i in items] == [q.id for q in expected]
    for item, q in zip(items, expected, strict=True):
        assert _norm(item["stem"]) == _norm(plain(q.question)), q.id
        assert [_norm(c) for c in item["choices"]] == [_norm(plain(o)) for o in q.options], q.id
        assert _norm(item["right"]) == _norm(plain(q.options[q.answer])), q.id
        assert _norm(plain(q.explanation)) in _norm(item["feedback"]), q.id


def _read_moodle(path: Path) -> tuple[list[str], list[dict]]:
    root = ET.parse(path).getroot()
    assert root.tag == "quiz"
    categories = [q.findtext("category/text") for q in root.findall("question[@type='category']")]
    questions = []
    for q in root.findall("question[@type='multichoice']"):
        answers = q.findall("answer")
        right = [a.findtext("text") for a in answers if float(a.get("fraction")) == 100]
        assert len(right) == 1 and all(float(a.get("fraction")) in (0, 100) for a in answers), q.findtext("name/text")
        questions.append({"name": q.findtext("name/text"), "stem": q.findtext("questiontext/text"),
                          "choices": [a.findtext("text") for a in answers], "right": right[0],
                          "feedback": q.findtext("generalfeedback/text"), "single": q.findtext("single")})
    return categories, questions


@pytest.mark.parametrize("chapter", sorted({quiz.chapter for quiz in BANK.values()}))
def test_moodle_export_has_every_question_and_its_answer(chapter, exports):
    categories, questions = _read_moodle(exports / "moodle" / f"{chapter}.xml")
    expected = _expected(chapter)
    assert len(categories) == 1 and categories[0].startswith("$course$/top/Psychotherapy and the Brain/")
    assert [q["name"] for q in questions] == [q.id for q in expected]
    for got, q in zip(questions, expected, strict=True):
        assert got["single"] == "true"
        assert _norm(got["stem"]) == _norm(plain(q.question)), q.id
        assert [_norm(c) for c in got["choices"]] == [_norm(plain(o)) for o in q.options], q.id
        assert _norm(got["right"]) == _norm(plain(q.options[q.answer])), q.id
        assert _norm(plain(q.explanation)) in _norm(got["feedback"]), q.id
        assert "{cite" not in got["feedback"] + got["stem"]


def test_moodle_all_in_one_file(exports):
    categories, questions = _read_moodle(exports / "moodle" / "all.xml")
    assert len(categories) == len({quiz.chapter for quiz in BANK.values()})
    chapters = sorted({quiz.chapter for quiz in BANK.values()})
    assert [q["name"] for q in questions] == [q.id for chapter in chapters for q in _expected(chapter)]


# --- the built pages ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site() -> Path:
    return build_book(ROOT)


@pytest.mark.slow
@pytest.mark.xdist_group("book")
@pytest.mark.parametrize("name", list(BANK))
def test_built_page_shows_the_questions_with_hidden_answers(name, site):
    quiz = BANK[name]
    soup = BeautifulSoup((site / f"{quiz.page}.html").read_text(encoding="utf-8"), "html.parser")
    shown = soup.select("div.quiz-question")
    assert [d["id"] for d in shown] == [f"quiz-{q.id}" for q in quiz.questions]
    for box, q in zip(shown, quiz.questions, strict=True):
        radios = box.select("fieldset input[type=radio]")
        assert len(radios) == len(q.options) and len({r["name"] for r in radios}) == 1, q.id
        assert all(box.select_one(f"label[for='{r['id']}']") for r in radios), f"{q.id}: a radio without its label"
        assert box.select_one("fieldset > legend").get_text(strip=True), q.id
        assert box.select_one("button.quiz-check[type=button]") and box.select_one("[role=status]"), q.id
        feedback = box.select_one(".quiz-feedback")
        assert feedback.has_attr("hidden") and box["data-answer"] == q.letter, q.id
        assert "{cite" not in box.get_text(), f"{q.id}: a citation left unrendered"
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any(s.split("?")[0].endswith("_static/quiz.js") for s in scripts), "the page does not load quiz.js"
    assert (site / "_static" / "quiz.js").is_file() and (site / "_static" / "quiz.css").is_file()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("book")
def test_a_student_answers_with_the_keyboard(site, chromium_browser):
    """Tab to the first question, arrow to an option, Tab to the button, Enter: the verdict and the answer show."""
    quiz = BANK["01-plasticity"]
    q = quiz.questions[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{quiz.page}.html", wait_until="load")
        box = page.locator(f"#quiz-{q.id}")
        assert box.locator(".quiz-feedback").is_hidden(), "the answer shows before the student chose"
        box.locator("button.quiz-check").click()  # nothing chosen: a prompt, not the answer
        assert "Choose an option" in box.locator("[role=status]").inner_text()
        assert box.locator(".quiz-feedback").is_hidden()
        box.locator("input[type=radio]").first.focus()
        page.keyboard.press("Space")       # a)
        page.keyboard.press("ArrowDown")   # b)
        wrong = next(i for i in range(len(q.options)) if i != q.answer)
        for _ in range((wrong - 1) % len(q.options)):
            page.keyboard.press("ArrowDown")
        chosen = box.locator("input[type=radio]:checked").get_attribute("value")
        assert chosen == LETTERS[wrong]
        page.keyboard.press("Tab")          # the button
        page.keyboard.press("Enter")
        status = box.locator("[role=status]").inner_text()
        assert f"the answer is {q.letter})" in status, status
        assert box.locator(".quiz-feedback").is_visible()
        assert _norm(q.explanation.split("{cite")[0])[:60] in _norm(box.locator(".quiz-feedback").inner_text())
        box.locator(f"input[value={q.letter}]").check()
        box.locator("button.quiz-check").press("Enter")
        assert box.locator("[role=status]").inner_text().startswith("Correct")
        assert not errors, errors
    finally:
        context.close()
        server.shutdown()
        server.server_close()

"""The quiz bank (assets/quizzes/*.yml, assets/instructor/quizzes/*.yml), its exports (`make quizzes`) and its
quizzes on the built pages.

- every shown question lives once, in the bank, and the page that shows it names its file; the held-out
  questions of the graded quizzes are shown by no page, neither in the sources nor in the built site;
- the keys are balanced: no answer position holds more than 40 % of the keys, and the key is the longest
  option (or the shortest) in at most half of the questions, over the whole bank and over each export;
- `make quizzes` (scripts/quizzes.py, run here in its own process) writes practice quizzes (the shown
  questions) and graded quizzes (the held-out ones) in folders of their own, as QTI zips and Moodle XML,
  which are read back with real parsers (zipfile + xml.etree for QTI 1.2, xml.etree for Moodle XML):
  every question arrives with its options and its right answer marked, shuffled; the practice quizzes
  carry the explanations and show the answers, the graded ones carry no feedback and hide the answers;
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
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import QuietHandler

from _ext.quiz_bank import BANK as SELF_CHECKS
from _ext.quiz_bank import INSTRUCTOR_BANK, LETTERS, QuizBankError, load_bank, load_quiz, quiz_path
from conftest import ROOT, book_html, build_book
from scripts.quizzes import plain

ALL = load_bank()
BANK = {name: quiz for name, quiz in ALL.items() if not quiz.held_out}       # shown on a page: practice export
HELD_OUT = {name: quiz for name, quiz in ALL.items() if quiz.held_out}      # shown nowhere: graded export
QUESTIONS = [q for quiz in BANK.values() for q in quiz.questions]
HELD_QUESTIONS = [q for quiz in HELD_OUT.values() for q in quiz.questions]
CHAPTERS = ["00-welcome", "01-plasticity", "02-mechanisms", "03-therapies", "04-future", "05-conclusion"]
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
    for q in QUESTIONS + HELD_QUESTIONS:
        assert 0 <= q.answer < len(q.options) and len(q.options) >= 2, q.id
        assert len(q.explanation.split()) >= 5, f"{q.id}: the explanation says too little"


def test_a_bad_quiz_file_gets_a_clear_error(tmp_path):
    good = quiz_path("01-plasticity").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(good.replace("answer: c", "answer: z", 1), encoding="utf-8")  # question 1's key
    with pytest.raises(QuizBankError, match=r"bad.yml, question 1: answer 'z' is not one of a, b, c"):
        load_quiz(bad)
    with pytest.raises(QuizBankError, match="valid quizzes: 00-welcome-course-guide, 01-plasticity"):
        quiz_path("no-such-quiz")
    assert quiz_path("instructor-ch1").parent == INSTRUCTOR_BANK   # the instructor pages' {quiz} still finds it
    with pytest.raises(QuizBankError, match="held out for the graded quizzes"):
        quiz_path("held-out-01-plasticity")
    shown = tmp_path / "held-out-01-plasticity.yml"
    shown.write_text(good, encoding="utf-8")  # a held-out file that names a page
    with pytest.raises(QuizBankError, match="a held-out quiz is shown on no page"):
        load_quiz(shown)


# --- the keys: no answering by position or by length ------------------------------------------------------------

def _balance(questions) -> list[str]:
    """What is wrong with the keys of ``questions``: counts of positions and of longest/shortest keys."""
    n = len(questions)
    positions = {letter: sum(q.letter == letter for q in questions) for letter in LETTERS}
    longest = [q.id for q in questions if len(q.options[q.answer]) >= max(map(len, q.options))]
    shortest = [q.id for q in questions if len(q.options[q.answer]) <= min(map(len, q.options))]
    problems = []
    for letter, count in positions.items():
        if count > 0.4 * n:
            problems.append(f"{count} of {n} keys are option {letter}) (at most 40 %; positions: "
                            f"{ {k: v for k, v in positions.items() if v} })")
    for name, ids in (("longest", longest), ("shortest", shortest)):
        if len(ids) > n / 2:
            problems.append(f"the key is the {name} option (ties included) in {len(ids)} of {n} questions "
                            f"(at most half): {ids}")
    return problems


@pytest.mark.parametrize("part", ["whole bank", "practice", "graded"])
def test_the_keys_are_balanced(part):
    questions = {"whole bank": QUESTIONS + HELD_QUESTIONS, "practice": QUESTIONS, "graded": HELD_QUESTIONS}[part]
    assert not _balance(questions), f"{part}: " + "; ".join(_balance(questions))


def test_the_balance_check_names_the_counts():
    always_b = [q for q in QUESTIONS if q.letter == "b"][:3] + [q for q in QUESTIONS if q.letter != "b"][:1]
    problems = " ".join(_balance(always_b))
    assert "3 of 4 keys are option b)" in problems, problems


def test_no_explanation_names_an_option_by_its_letter():
    """The exports shuffle the options: "c) is wrong" would point at another option there."""
    letter = re.compile(r"(?<![\w{`])\(?[a-f]\)(?=[\s,.;:]|$)")
    for q in QUESTIONS + HELD_QUESTIONS:
        assert not letter.search(q.explanation), f"{q.id}: the explanation names an option by letter: {q.explanation}"


# --- held-out questions: for graded quizzes, shown nowhere -----------------------------------------------------

def test_every_chapter_has_held_out_questions_kept_for_instructors():
    for chapter in CHAPTERS:
        held = [q for quiz in HELD_OUT.values() if quiz.chapter == chapter for q in quiz.questions]
        assert len(held) >= 4, f"{chapter}: {len(held)} held-out questions (at least 4)"
    for quiz in HELD_OUT.values():
        assert quiz.path.parent == INSTRUCTOR_BANK and quiz.page == "", quiz.path
        assert quiz.path.read_text(encoding="utf-8").startswith("# HELD-OUT"), f"{quiz.path.name}: no header"
    assert not list(SELF_CHECKS.glob("held-out-*")) and not list(SELF_CHECKS.glob("instructor-*")), \
        "instructor-only banks belong in assets/instructor/quizzes/"
    assert not (ROOT / "assets" / "slides").exists(), "the slide notes belong in assets/instructor/slides/"
    stems = [_norm(q.question) for q in QUESTIONS + HELD_QUESTIONS]
    assert len(stems) == len(set(stems)), "a held-out question is also a shown one"


def _held_out_found_in(text: str) -> list[str]:
    text = _norm(text)
    return [q.id for q in HELD_QUESTIONS if _norm(plain(q.question)) in text or _norm(q.question) in text]


def test_no_held_out_question_is_in_the_public_sources():
    sources = sorted(SELF_CHECKS.glob("*.yml")) + sorted((ROOT / "chapters").rglob("*.md")) + [ROOT / "index.md"]
    sources += sorted((ROOT / "chapters").rglob("*.ipynb"))
    for path in sources:
        assert not _held_out_found_in(path.read_text(encoding="utf-8")), path
        assert "{quiz} held-out" not in path.read_text(encoding="utf-8"), path


def test_no_held_out_question_is_in_the_built_site():
    """Reads the site as it was last built (`make book`); builds nothing."""
    html = book_html(ROOT)
    if not (html / "index.html").exists():
        pytest.skip(f"no built site in {html} (make book)")
    files = [p for p in html.rglob("*") if p.suffix in (".html", ".txt", ".md", ".ipynb") or p.name == "searchindex.js"]
    assert len(files) > 10, files
    for path in files:
        found = _held_out_found_in(path.read_text(encoding="utf-8", errors="replace"))
        assert not found, f"{path.relative_to(html)} shows held-out questions {found}"


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
    assert f"practice: {len(QUESTIONS)} questions" in result.stdout, result.stdout
    assert f"graded: {len(HELD_QUESTIONS)} questions" in result.stdout, result.stdout
    assert set(p.name for p in out.iterdir()) == {"practice", "graded", "README.txt"}
    return out


def _expected(chapter: str, bank: dict = BANK):
    return [q for quiz in bank.values() if quiz.chapter == chapter for q in quiz.questions]


CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"


def _qti_meta(path: Path) -> dict[str, str]:
    """Canvas's quiz settings in the package's assessment_meta.xml: tag -> text."""
    with zipfile.ZipFile(path) as package:
        meta = [n for n in package.namelist() if n.endswith("assessment_meta.xml")]
        assert len(meta) == 1, f"{path.name}: {package.namelist()}"
        root = ET.fromstring(package.read(meta[0]))
    return {child.tag.removeprefix(CANVAS): (child.text or "").strip() for child in root}


def _read_qti(path: Path) -> list[dict]:
    """The items of a QTI 1.2 package: title, stem, choices, the right choice's text, the feedback, shuffling."""
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
        feedback = " ".join(m.text or "" for fb in item.iter(f"{QTI}itemfeedback") for m in fb.iter(f"{QTI}mattext"))
        items.append({"title": item.get("title"),
                      "stem": item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text,
                      "choices": list(labels.values()), "right": labels[right[0]], "feedback": feedback,
                      "shuffle": [r.get("shuffle") for r in item.iter(f"{QTI}render_choice")]})
    return items


@pytest.mark.parametrize("chapter", sorted({quiz.chapter for quiz in BANK.values()}))
def test_qti_export_has_every_question_and_its_answer(chapter, exports):
    package = exports / "practice" / "qti" / f"{chapter}.zip"
    meta = _qti_meta(package)
    assert meta["shuffle_answers"] == "true" and meta["show_correct_answers"] == "true", meta
    assert "practice" in meta["title"] and "not for grading" in meta["title"], meta["title"]
    items = _read_qti(package)
    expected = _expected(chapter)
    assert [i["title"] for i in items] == [q.id for q in expected]
    for item, q in zip(items, expected, strict=True):
        assert _norm(item["stem"]) == _norm(plain(q.question)), q.id
        assert [_norm(c) for c in item["choices"]] == [_norm(plain(o)) for o in q.options], q.id
        assert _norm(item["right"]) == _norm(plain(q.options[q.answer])), q.id
        assert _norm(plain(q.explanation)) in _norm(item["feedback"]), q.id
        assert item["shuffle"] == ["Yes"], q.id


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_graded_qti_export_holds_the_held_out_questions_and_hides_the_answers(chapter, exports):
    package = exports / "graded" / "qti" / f"{chapter}.zip"
    meta = _qti_meta(package)
    assert meta["shuffle_answers"] == "true", meta
    assert meta["show_correct_answers"] == "false" and meta["hide_results"] == "always", meta
    assert meta["show_correct_answers_last_attempt"] == "false", meta
    assert "graded" in meta["title"], meta["title"]
    items = _read_qti(package)
    expected = _expected(chapter, HELD_OUT)
    assert [i["title"] for i in items] == [q.id for q in expected]
    for item, q in zip(items, expected, strict=True):
        assert _norm(item["stem"]) == _norm(plain(q.question)), q.id
        assert _norm(item["right"]) == _norm(plain(q.options[q.answer])), q.id
        assert item["feedback"] == "", f"{q.id}: feedback in a graded quiz: {item['feedback']}"
        assert item["shuffle"] == ["Yes"], q.id


def test_graded_answer_key_is_for_the_instructor(exports):
    key = (exports / "graded" / "answer-key.md").read_text(encoding="utf-8")
    assert "do not upload" in key
    for q in HELD_QUESTIONS:
        assert q.id in key and _norm(plain(q.options[q.answer])) in _norm(key), q.id
    readme = (exports / "README.txt").read_text(encoding="utf-8")
    assert "NEVER for a grade" in readme and "graded/" in readme


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
                          "feedback": q.findtext("generalfeedback/text") or "", "single": q.findtext("single"),
                          "shuffle": q.findtext("shuffleanswers"),
                          "answer_feedback": " ".join(a.findtext("feedback/text") or "" for a in answers)})
    return categories, questions


@pytest.mark.parametrize("chapter", sorted({quiz.chapter for quiz in BANK.values()}))
def test_moodle_export_has_every_question_and_its_answer(chapter, exports):
    categories, questions = _read_moodle(exports / "practice" / "moodle" / f"{chapter}.xml")
    expected = _expected(chapter)
    assert len(categories) == 1 and categories[0].startswith("$course$/top/Psychotherapy and the Brain/Practice")
    assert [q["name"] for q in questions] == [q.id for q in expected]
    for got, q in zip(questions, expected, strict=True):
        assert got["single"] == "true"
        assert _norm(got["stem"]) == _norm(plain(q.question)), q.id
        assert [_norm(c) for c in got["choices"]] == [_norm(plain(o)) for o in q.options], q.id
        assert _norm(got["right"]) == _norm(plain(q.options[q.answer])), q.id
        assert _norm(plain(q.explanation)) in _norm(got["feedback"]), q.id
        assert "{cite" not in got["feedback"] + got["stem"]
        assert got["shuffle"] == "1", q.id


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_graded_moodle_export_holds_the_held_out_questions_without_feedback(chapter, exports):
    categories, questions = _read_moodle(exports / "graded" / "moodle" / f"{chapter}.xml")
    expected = _expected(chapter, HELD_OUT)
    assert len(categories) == 1 and categories[0].startswith("$course$/top/Psychotherapy and the Brain/Graded")
    assert [q["name"] for q in questions] == [q.id for q in expected]
    for got, q in zip(questions, expected, strict=True):
        assert got["single"] == "true" and got["shuffle"] == "1", q.id
        assert _norm(got["stem"]) == _norm(plain(q.question)), q.id
        assert _norm(got["right"]) == _norm(plain(q.options[q.answer])), q.id
        assert got["feedback"].strip() == "" and got["answer_feedback"].strip() == "", \
            f"{q.id}: feedback in a graded quiz"


@pytest.mark.parametrize("kind", ["practice", "graded"])
def test_moodle_all_in_one_file(kind, exports):
    bank = BANK if kind == "practice" else HELD_OUT
    categories, questions = _read_moodle(exports / kind / "moodle" / "all.xml")
    chapters = sorted({quiz.chapter for quiz in bank.values()})
    assert len(categories) == len(chapters)
    assert [q["name"] for q in questions] == [q.id for chapter in chapters for q in _expected(chapter, bank)]


# --- the built pages ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site() -> Path:
    return build_book(ROOT)


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.browser
def test_a_student_answers_with_the_keyboard(site, chromium_browser):
    """Tab to the first question, arrow to an option, Tab to the button, Enter: the verdict and the answer show."""
    quiz = BANK["01-plasticity"]
    q = quiz.questions[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
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

"""Sphinx extension of the course: the ``{quiz}`` directive shows one file of the quiz bank on a page.

In a page (MyST)::

    ```{quiz} 01-plasticity
    ```

renders every question of ``assets/quizzes/01-plasticity.yml`` (see ``_ext/quiz_bank.py``) as a form
that works without a server and without any third-party script:

- each question is a ``<fieldset>`` whose ``<legend>`` is the question, with one real radio button
  (``<input type="radio">`` in its ``<label>``) per option: Tab reaches the group, the arrow keys
  choose, Space/Enter on the "Check my answer" button checks;
- the right answer and its explanation are in the page but ``hidden`` until the student checks a
  chosen option (``_ext/quiz_static/quiz.js``, about 40 lines); the verdict is announced in a
  ``role="status"`` line (screen readers read it);
- printed, or in a browser without JavaScript, the questions show without their answers.

The question, options and explanation are MyST: citations (``{cite}``), emphasis and code work as on
the rest of the page. The page is rebuilt when its quiz file changes. ``{quiz} instructor-ch1`` finds the
instructor guide's bank in ``assets/instructor/quizzes/``; a held-out quiz (``held-out-*``, the graded
quizzes' questions) is refused with an error: no page shows it. Only pages with a quiz load
``quiz.js`` and ``quiz.css`` (a few kB).
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from _ext.quiz_bank import LETTERS, Question, load_quiz, quiz_path

STATIC = Path(__file__).resolve().parent / "quiz_static"


class quiz_element(nodes.Element):  # noqa: N801 (docutils' node naming)
    """An HTML element of a quiz: ``tag`` with ``attrs``; a ``void`` element (input) has no end tag."""


def _visit_html(self, node: quiz_element) -> None:
    attrs = "".join(f' {k}="{html.escape(str(v), quote=True)}"' if v is not True else f" {k}"
                    for k, v in node["attrs"].items())
    self.body.append(f"<{node['tag']}{attrs}>")
    for void in node.get("void", []):
        self.body.append(void)


def _depart_html(self, node: quiz_element) -> None:
    self.body.append(f"</{node['tag']}>")


def _skip(self, node: quiz_element) -> None:
    raise nodes.SkipNode


def element(tag: str, *children: nodes.Node, void: tuple[str, ...] = (), **attrs) -> quiz_element:
    node = quiz_element(tag=tag, attrs={k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()},
                        void=list(void))
    node.extend(children)
    return node


class QuizDirective(SphinxDirective):
    """``{quiz} NAME``: the questions of ``NAME.yml`` (``assets/quizzes/``, or ``assets/instructor/quizzes/``)."""

    required_arguments = 1
    has_content = False

    def _inline(self, text: str) -> list[nodes.Node]:
        """MyST ``text`` as inline nodes (one paragraph unwrapped) or as blocks when it has several."""
        box = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source=self.get_source_info()[0]),
                                self.content_offset, box)
        if len(box.children) == 1 and isinstance(box.children[0], nodes.paragraph):
            return list(box.children[0].children)
        return list(box.children)

    def _question(self, q: Question, total: int) -> quiz_element:
        name = f"quiz-{q.id}"
        legend = element("legend", nodes.inline("", f"{q.number}. ", classes=["quiz-number"]),
                         *self._inline(q.question), class_="quiz-stem")
        options = []
        for i, option in enumerate(q.options):
            radio = (f'<input type="radio" name="{name}" id="{name}-{LETTERS[i]}" value="{LETTERS[i]}">'
                     f'<span class="quiz-letter">{LETTERS[i]})</span> ')
            options.append(element("label", *self._inline(option), void=(radio,), for_=f"{name}-{LETTERS[i]}",
                                   class_="quiz-option"))
        check = element("button", nodes.Text("Check my answer"), type="button", class_="quiz-check")
        status = element("p", class_="quiz-result", role="status", aria_live="polite")
        explanation = element("div", nodes.paragraph("", "", nodes.strong("", f"{q.letter})"), nodes.Text(" "),
                                                     *self._inline(q.explanation)),
                              class_="quiz-feedback", hidden=True)
        fieldset = element("fieldset", legend, element("div", *options, class_="quiz-options"), check, status,
                           explanation)
        return element("div", fieldset, class_="quiz-question", id=name, data_answer=q.letter,
                       data_question=f"{q.number} of {total}")

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        try:
            path = quiz_path(name)
            quiz = load_quiz(path)
        except ValueError as why:
            raise self.error(str(why)) from None
        self.env.note_dependency(str(path))
        questions = [self._question(q, len(quiz.questions)) for q in quiz.questions]
        return [element("div", *questions, class_="quiz", data_quiz=name)]


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None and any(True for _ in doctree.findall(quiz_element)):
        app.add_css_file("quiz.css")
        app.add_js_file("quiz.js", loading_method="defer")


def _static_path(app: Sphinx) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict:
    app.add_node(quiz_element, html=(_visit_html, _depart_html), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.add_directive("quiz", QuizDirective)
    app.connect("builder-inited", _static_path)
    app.connect("html-page-context", _page_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

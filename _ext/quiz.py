"""A Sphinx extension: self-check questions that a reader answers on the page, with no kernel.

Each chapter ends with a few multiple-choice questions, written in the
notebook's Markdown as one ``quiz`` directive per question::

    :::{quiz}
    :answer: 2

    Why does an RNN use the same weights at every step?

    1. To run faster on a GPU.

       No: sharing weights is about what the model can read, not speed ...

    2. So that one set of weights reads a sequence of any length.

       Yes: ...
    :::

The paragraphs before the numbered list are the question; each item of the
list is a choice (its first paragraph) followed by the explanation a reader
sees after choosing it; ``:answer:`` is the number of the right choice. Every
paragraph is an ordinary message of the page's catalog, so the Chinese
edition translates the questions like the rest of the prose.

- **On the site** each question is a group of native radio buttons
  (keyboard: Tab to the group, arrow keys to choose). Choosing one shows
  whether it is right and why, in a live region that screen readers announce
  (``_vendor/quiz.js``, ``_vendor/quiz.css``).
- **In the PDF** (the single-page build, ``tools/book_pdf.py``) the choices
  are lettered and the explanations hidden; the answers, with their
  explanations, follow at the back of the book, chapter by chapter.
- **On Colab** ``tools/colab_edition.py`` writes each question as plain
  Markdown, with its answer in a ``<details>`` block.

A malformed question (no numbered list, an answer out of range, a choice
without an explanation) is a build error naming the page.
"""

from __future__ import annotations

import copy
import html
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

#: The words the extension writes itself, by the book's language (``language`` in the configuration).
WORDS = {
    "en": {
        "question": "Question {number}",
        "right": "Right.",
        "wrong": "Not quite.",
        "answers": "Answers to the self-check questions",
        "answer": "Question {number}: {letter}.",
    },
    "zh_CN": {
        "question": "问题 {number}",
        "right": "答对了。",
        "wrong": "不太对。",
        "answers": "自测题答案",
        "answer": "问题 {number}：{letter}。",
    },
}
#: How the choices are lettered in print and in the answers (a, b, c, ...).
LETTERS = "abcdefgh"


class quiz(nodes.General, nodes.Element):
    """One question: a ``quiz_question`` and its ``quiz_choice`` children.

    Attributes: ``answer`` (the right choice's number, from 1), ``number`` (the
    question's number on its page, from 1) and ``docname``.
    """


class quiz_question(nodes.General, nodes.Element):
    """The question's paragraphs."""


class quiz_choice(nodes.General, nodes.Element):
    """One choice: its text (a paragraph) and a ``quiz_explanation``. Attributes: ``number``, ``correct``."""


class quiz_explanation(nodes.General, nodes.Element):
    """What a reader is told after choosing the choice it belongs to."""


class QuizDirective(SphinxDirective):
    """``{quiz}``: one multiple-choice question (see the module's docstring)."""

    has_content = True
    option_spec = {"answer": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        if "answer" not in self.options:
            raise self.error("a {quiz} needs :answer: N, the number of the right choice")
        parsed = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, parsed)
        if not parsed.children or not isinstance(parsed.children[-1], nodes.enumerated_list):
            raise self.error("a {quiz} ends with its choices, as a numbered list (1. ..., 2. ...)")
        *question, choices = parsed.children
        if not question:
            raise self.error("a {quiz} starts with its question, before the numbered list of choices")
        items = list(choices.children)
        answer = self.options["answer"]
        if not 2 <= len(items) <= len(LETTERS):
            raise self.error(f"a {{quiz}} has 2 to {len(LETTERS)} choices, this one {len(items)}")
        if answer > len(items):
            raise self.error(f":answer: {answer} is not one of the {len(items)} choices")
        number = self.env.new_serialno("quiz") + 1
        node = quiz(answer=answer, number=number, docname=self.env.docname)
        self.set_source_info(node)
        node += quiz_question("", *question)
        for index, item in enumerate(items, start=1):
            if len(item.children) < 2 or not isinstance(item.children[0], nodes.paragraph):
                raise self.error(f"choice {index} of a {{quiz}} needs its text, then a paragraph explaining it")
            text, *explanation = item.children
            node += quiz_choice("", text, quiz_explanation("", *explanation), number=index, correct=index == answer)
        return [node]


def _words(translator: Any) -> dict[str, str]:
    return WORDS.get(translator.builder.config.language, WORDS["en"])


def _quiz_id(node: quiz) -> str:
    """An id unique in the whole book (the single-page build puts every page on one)."""
    return "quiz-" + nodes.make_id(node["docname"]) + f"-{node['number']}"


def visit_quiz(self: Any, node: quiz) -> None:
    words = _words(self)
    ident = _quiz_id(node)
    self.body.append(
        f'<div class="quiz" id="{ident}" role="group" aria-labelledby="{ident}-q"'
        f' data-right="{html.escape(words["right"])}" data-wrong="{html.escape(words["wrong"])}">\n'
        f'<p class="quiz-title" id="{ident}-q">{html.escape(words["question"].format(number=node["number"]))}</p>\n'
    )


def depart_quiz(self: Any, node: quiz) -> None:
    self.body.append('</ol>\n<div class="quiz-feedback" role="status" aria-live="polite"></div>\n</div>\n')


def visit_quiz_question(self: Any, node: quiz_question) -> None:
    self.body.append('<div class="quiz-question">\n')


def depart_quiz_question(self: Any, node: quiz_question) -> None:
    self.body.append('</div>\n<ol class="quiz-choices" type="a">\n')


def visit_quiz_choice(self: Any, node: quiz_choice) -> None:
    """A radio button whose label is the choice's paragraph, rendered inline (a label holds no ``<p>``)."""
    ident = f"{_quiz_id(node.parent)}-{node['number']}"
    correct = "true" if node["correct"] else "false"
    self.body.append(
        f'<li class="quiz-choice"><input type="radio" id="{ident}" name="{_quiz_id(node.parent)}"'
        f' value="{node["number"]}" data-correct="{correct}"> <label for="{ident}">'
    )
    for child in node.children[0].children:
        child.walkabout(self)
    self.body.append("</label>\n")
    node.children[1].walkabout(self)
    self.body.append("</li>\n")
    raise nodes.SkipNode


def visit_quiz_explanation(self: Any, node: quiz_explanation) -> None:
    self.body.append('<div class="quiz-explanation" hidden>\n')


def depart_quiz_explanation(self: Any, node: quiz_explanation) -> None:
    self.body.append("</div>\n")


def answers_at_the_back(app: Any, doctree: nodes.document, docname: str) -> None:
    """In the single-page build (the PDF), add every question's answer at the end, chapter by chapter."""
    if app.builder.name != "singlehtml" or docname != app.config.root_doc:
        return
    quizzes = list(doctree.findall(quiz))
    if not quizzes:
        return
    words = WORDS.get(app.config.language, WORDS["en"])
    section = nodes.section(ids=["quiz-answers"], classes=["quiz-answers"])
    section += nodes.title("", words["answers"])
    chapter = None
    for node in quizzes:
        if node["docname"] != chapter:
            chapter = node["docname"]
            title = app.env.titles[chapter].astext()
            section += nodes.rubric("", title)
        choice = node.children[node["answer"]]  # children[0] is the question
        letter = LETTERS[node["answer"] - 1]
        entry = nodes.container(classes=["quiz-answer"])
        entry += nodes.paragraph(
            "", "", nodes.strong("", words["answer"].format(number=node["number"], letter=letter)), nodes.Text(" ")
        )
        entry[0].extend(copy.deepcopy(choice.children[0]).children)  # the right choice's text
        entry.extend(copy.deepcopy(child) for child in choice.children[1].children)  # and why
        section += entry
    # Inside the book's top section, as the chapters are, so that its title is a chapter's heading (an h2).
    # (A second top-level section would be an h1, which the theme hides in print as if it were the book's title.)
    top = doctree.next_node(nodes.section)
    (top if top is not None else doctree).append(section)


def setup(app: Any) -> dict[str, bool]:
    app.add_directive("quiz", QuizDirective)
    app.add_node(quiz, html=(visit_quiz, depart_quiz))
    app.add_node(quiz_question, html=(visit_quiz_question, depart_quiz_question))
    app.add_node(quiz_choice, html=(visit_quiz_choice, None))
    app.add_node(quiz_explanation, html=(visit_quiz_explanation, depart_quiz_explanation))
    app.connect("doctree-resolved", answers_at_the_back)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The Colab edition (``tools/colab_edition.py``): every chapter and assignment
with its MyST markup turned into what Colab and Jupyter render, the numbers
taken from the build.

Most tests read the edition that README command 1 wrote with the tool from
the real build (``_build/colab``, from ``_build/html`` and the execution cache
``_build/.jupyter_cache``); without it they are skipped, except under CI, where
they fail. The tests of errors use small notebooks made here and need no build.
"""

from __future__ import annotations

import copy
import html
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
import yaml
from nbconvert import HTMLExporter

from conftest import ROOT, require, require_built
from tools import colab_edition
from tools.colab_edition import CHECKS_TITLE
from tools.zh_edition import is_english

SITE = ROOT / "_build" / "html"
CACHE = ROOT / "_build" / ".jupyter_cache"
EDITION = ROOT / "_build" / "colab"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
CHAPTERS = sorted(p.relative_to(ROOT) for p in (ROOT / "chapters").glob("*.ipynb"))
ASSIGNMENTS = sorted(p.relative_to(ROOT) for p in (ROOT / "assignments" / "student").glob("*/*.ipynb"))
NOTEBOOKS = CHAPTERS + ASSIGNMENTS
#: The Chinese edition: the same notebooks, in zh/, with their prose from the catalogs in locale/zh_CN.
CHINESE = [Path("zh") / path for path in NOTEBOOKS]
#: What the Colab edition puts before the code of a checks cell, after its title: the book's values of its checks.
PUBLISHED = re.compile(
    rf"#@title [^\n]*\n({re.escape(colab_edition.PUBLISHED_IMPORT)}\n"
    r'published\(\{\n(?:    .*\n)+\}, language="(?:en|zh_CN)"\)\n)'
)
#: How each edition titles the learning objectives and the folded checks cells.
OBJECTIVES = {"": "Learning objectives", "zh": "学习目标"}
CHECKS = {"": CHECKS_TITLE, "zh": colab_edition.TITLES["zh_CN"]["checks"]}


#: MyST that Colab would show raw: a role, a colon fence, a directive, a labelled equation.
MYST = {
    "role": re.compile(r"\{[^\s{}`]+\}`"),
    "colon fence": re.compile(r"^\s*:::", re.MULTILINE),
    "directive": re.compile(r"^\s*(```|~~~)\s*\{", re.MULTILINE),
    "labelled equation": re.compile(r"\$\$\s*\([^()\s]+\)"),
}
#: A sphinx-bibtex citation on the site: its text, without tags.
SITE_CITATION = re.compile(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', re.DOTALL)
SITE_GLUE = re.compile(r'<span class="pasted-text">([^<]*)</span>')


def english(path: Path) -> Path:
    """The committed notebook that an edition's notebook is made from."""
    return path.relative_to("zh") if path.parts[0] == "zh" else path


def markdown(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


@pytest.fixture(scope="module")
def edition() -> dict[Path, nbformat.NotebookNode]:
    """The edition README command 1 wrote (``tools/colab_edition.py`` on the real build); its notebooks by path.

    Read, not made again: command 1 ran this very tool on this very build, so
    a second run here would only repeat its work (and rewrite ``_build/colab``,
    which tests/test_colab.py runs).
    """
    require_built(SITE / "index.html", "built site")
    require_built(EDITION / "README.md", "Colab edition (tools/colab_edition.py)")
    return {path: nbformat.read(EDITION / path, as_version=4) for path in NOTEBOOKS + CHINESE}


@pytest.fixture(scope="module")
def book():
    require_built(SITE / "index.html", "built site")
    return colab_edition.read_book()


def test_every_chapter_and_assignment_has_its_colab_edition(edition):
    written = sorted(p.relative_to(EDITION) for p in EDITION.rglob("*.ipynb"))
    assert written == sorted(NOTEBOOKS + CHINESE)
    assert len(CHAPTERS) == 11 and len(ASSIGNMENTS) == 4  # the course plan: tests/test_book_layout.py


def test_the_edition_holds_binders_environment_and_each_assignments_public_checks(edition):
    """Binder builds from binder/ on the branch it opens; an assignment looks for tests/ beside it (both editions)."""
    assert (EDITION / "binder" / "requirements.txt").read_bytes() == (ROOT / "binder" / "requirements.txt").read_bytes()
    for notebook in ASSIGNMENTS:
        public = sorted(p.name for p in (ROOT / notebook.parent / "tests").glob("*.py"))
        for folder in (EDITION, EDITION / "zh"):
            assert sorted(p.name for p in (folder / notebook.parent / "tests").glob("*.py")) == public, notebook


@pytest.mark.parametrize("path", NOTEBOOKS + CHINESE, ids=str)
def test_no_myst_markup_is_left(edition, path):
    text = "\n\n".join(markdown(edition[path]))
    left = {name: pattern.findall(text) for name, pattern in MYST.items()}
    assert {name: found for name, found in left.items() if found} == {}


@pytest.mark.parametrize("path", NOTEBOOKS + CHINESE, ids=str)
def test_rendered_by_nbconvert_it_shows_no_raw_markup(edition, path):
    body, _ = HTMLExporter(template_name="basic", exclude_input=True).from_notebook_node(edition[path])
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert [raw for raw in ("{glue", "{eq}", "{cite", ":::", "$$ (") if raw in text] == []
    if english(path) in CHAPTERS:  # every chapter opens with its learning objectives, now a blockquote
        objectives = OBJECTIVES[path.parts[0] if path.parts[0] == "zh" else ""]
        assert re.search(rf"<blockquote>\s*<p><strong>{objectives}</strong></p>", body)


@pytest.mark.parametrize("path", NOTEBOOKS + CHINESE, ids=str)
def test_code_cells_are_the_sources_without_outputs_and_the_rest_is_kept(edition, path):
    source = nbformat.read(ROOT / english(path), as_version=4)
    chinese = path.parts[0] == "zh"
    made = edition[path]
    assert [c.cell_type for c in made.cells] == [c.cell_type for c in source.cells]
    assert made.metadata == source.metadata
    for ours, theirs in zip(made.cells, source.cells, strict=True):
        assert ours.get("id") == theirs.get("id")
        if "checks" in theirs.metadata.get("tags", []):  # folded on Colab, and still run, after the book's values
            assert ours.metadata == {**theirs.metadata, "cellView": "form"}
            title, published = f"#@title {CHECKS['zh' if chinese else '']}\n", PUBLISHED.match(ours.source)
            assert ours.source == title + (published[1] if published else "") + theirs.source
            assert bool(published) == ("check(" in theirs.source), "a checks cell with checks publishes their values"
        elif ours.cell_type == "code":
            assert ours.metadata == theirs.metadata and ours.source == theirs.source
        else:
            assert ours.metadata == theirs.metadata
        if ours.cell_type == "code":
            assert ours.outputs == [] and ours.execution_count is None
        if "<details>" in theirs.source:  # answers stay folded, on Colab too
            assert re.findall(r"</?details>|</?summary>", ours.source) == re.findall(
                r"</?details>|</?summary>", theirs.source
            )
        plain = not MYST["role"].search(theirs.source) and ":::" not in theirs.source and "$$" not in theirs.source
        if ours.cell_type == "markdown" and plain and not chinese:
            assert ours.source == theirs.source, "markdown with no MyST markup is unchanged"
    if english(path) in CHAPTERS:  # the first cell installs rnnlib on Colab
        assert 'if "google.colab" in sys.modules:' in made.cells[0].source


@pytest.mark.parametrize("path", CHINESE, ids=str)
def test_the_chinese_edition_has_no_english_prose_outside_code(edition, path):
    """Every paragraph of every markdown cell reads in Chinese (code blocks are shared, not translated)."""
    left = []
    for index, cell in enumerate(edition[path].cells):
        if cell.cell_type == "markdown":
            text = re.sub(r"^([ \t>]*)(`{3,}|~{3,}).*?^\1\2", "", cell.source, flags=re.MULTILINE | re.DOTALL)
            left += [f"cell {index}: {p[:80]!r}" for p in re.split(r"\n\s*\n", text) if is_english(p)]
    assert left == []


@pytest.mark.parametrize("path", CHAPTERS, ids=str)
def test_glued_numbers_are_those_the_site_shows(edition, path):
    """Each glue role, in page order, became the text of the site's pasted value."""
    site = SITE_GLUE.findall((SITE / path.with_suffix(".html")).read_text(encoding="utf-8"))
    source = nbformat.read(ROOT / path, as_version=4)
    roles = [re.findall(r"\{glue[^}]*\}`", cell) for cell in markdown(source)]
    assert sum(map(len, roles)) == len(site), "one pasted value on the site per glue role"
    values = iter(html.unescape(v) for v in site)
    for cell_roles, text in zip(roles, markdown(edition[path]), strict=True):
        position = 0
        for _ in cell_roles:
            value = next(values)
            found = text.find(value, position)
            assert found >= 0, f"{value!r}, as on the site, not in order in {text!r}"
            position = found + len(value)


def test_a_glued_number_reads_as_on_the_site_in_its_sentence(edition):
    chapter = Path("chapters/06_gates_and_clipping.ipynb")
    page = (SITE / chapter.with_suffix(".html")).read_text(encoding="utf-8")
    shown = re.search(r'\\\(\\sigma\(3\) \\approx\\\)</span> <span class="pasted-text">([^<]+)</span>', page)[1]
    assert f"$\\sigma(3) \\approx$ {shown}," in "".join(markdown(edition[chapter]))


def test_a_changed_glued_value_changes_the_text(book):
    """The text follows the executed notebook: alter one glued output, and it reads the new value."""
    from jupyter_cache import get_cache

    require_built(CACHE, "execution cache")
    path = Path("chapters/05_vanishing_gradients.ipynb")
    source = nbformat.read(ROOT / path, as_version=4)
    try:
        _, executed = get_cache(str(CACHE)).merge_match_into_notebook(source)
    except KeyError:
        require(False, f"{path} is not in the execution cache: run README command 1 again")
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    (glued,) = [o for o in outputs if o.get("metadata", {}).get("scrapbook", {}).get("name") == "cliff_ratio"]

    def text() -> str:
        glue = colab_edition.glue_values(executed)
        return "".join(markdown(colab_edition.convert_notebook(source, book, str(path), glue)))

    before = text()
    sentence = re.compile(r"up to (\d+)(\s+)times larger than that 99th percentile")  # {glue:text}`cliff_ratio:.0f`
    built = sentence.search(before)[1]
    (key,) = [k for k in glued.data if k.endswith("text/plain")]
    glued.data[key] = "1234.5678"
    assert built != "1235"
    assert text() == sentence.sub(r"up to 1235\2times larger than that 99th percentile", before, count=1)


def test_equation_numbers_are_those_the_site_shows(edition):
    chapter = Path("chapters/03_formulas.ipynb")
    page = (SITE / chapter.with_suffix(".html")).read_text(encoding="utf-8")
    state = re.search(r'href="#equation-eq-state">\(([^)]+)\)</a>', page)[1]  # what {eq}`eq-state` shows
    output = re.search(r'id="equation-eq-output">\s*<span class="eqno">\(([^)]+)\)', page)[1]  # the equation's number
    text = "".join(markdown(edition[chapter]))
    assert (state, output) == ("3.1", "3.2")
    assert f"s_t = f\\left(U x_t + W s_{{t-1}}\\right) \\tag{{{state}}}\n$$" in text
    assert f"o_t = g\\left(V s_t\\right) \\tag{{{output}}}\n$$" in text
    assert f"Formula ({output}) needs $s_t$. Formula ({state}) gives it" in text


@pytest.mark.parametrize("path", CHAPTERS, ids=str)
def test_citations_read_as_on_the_site_and_link_to_its_references(edition, path):
    owner, repo = urlsplit(CONFIG["repository"]["url"]).path.strip("/").split("/")
    references = f"https://{owner}.github.io/{repo}/references.html"
    page = (SITE / path.with_suffix(".html")).read_text(encoding="utf-8")
    site = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in SITE_CITATION.findall(page)]
    text = "".join(markdown(edition[path]))
    ours = re.findall(r"\\\[((?:\[[^\]]+\]\([^)]+\)(?:, )?)+)\\\]", text)
    assert all(set(re.findall(r"\]\(([^)]+)\)", c)) == {references} for c in ours)
    assert ["[" + re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", c).replace("*", "") + "]" for c in ours] == site


# The converter on small notebooks: what it turns into Markdown, and what it refuses.

BOOK = colab_edition.Book(
    equations={"eq-a": "4.2"},
    citations={"elman1990finding": "Elman, 1990"},
    order=["elman1990finding"],
    references_url="https://example.org/references.html",
)
GLUE = {"x": {"data": {"text/plain": "0.123456"}, "metadata": {}}, "n": {"data": {"text/plain": "'ab'"}}}


def convert(*cells: str) -> list[str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(c) for c in cells])
    return markdown(colab_edition.convert_notebook(nb, BOOK, "chapters/99_small.ipynb", copy.deepcopy(GLUE)))


def test_small_notebook_converts_each_construct():
    (text,) = convert(
        "Is {glue:text}`x:.2f` (or {glue:text}`x:.1%`, {glue:text}`n`), see {eq}`eq-a` and {cite}`elman1990finding`.\n"
        "\n$$\na = b\n$$ (eq-a)\n\n"
        ":::{note}\nA *note* with {glue:text}`x:.0e`.\n:::\n"
        "```{warning} Careful\n```\n"
        "```python\nprint({eq}`kept in code`)\n```\n"
        "Code ``{eq}`kept` `` and math $\\{x\\}$ stay; <details><summary>Answer</summary>42</details>"
    )
    assert text == (
        "Is 0.12 (or 12.3%, ab), see (4.2) and \\[[Elman, 1990](https://example.org/references.html)\\].\n"
        "\n$$\na = b \\tag{4.2}\n$$\n\n"
        "> **Note**\n>\n> A *note* with 1e-01.\n\n"
        "> **Warning**\n>\n> Careful\n\n"
        "```python\nprint({eq}`kept in code`)\n```\n"
        "Code ``{eq}`kept` `` and math $\\{x\\}$ stay; <details><summary>Answer</summary>42</details>"
    )


def test_an_admonition_in_a_list_item_keeps_its_body_as_text():
    (text,) = convert("1. Item\n\n   :::{note}\n   Body {glue:text}`x:.1f`.\n   :::\n")
    assert text == "1. Item\n\n   > **Note**\n   >\n   > Body 0.1.\n"


def test_a_role_hidden_by_a_stray_dollar_is_refused():
    with pytest.raises(colab_edition.EditionError, match=r"left after conversion: '\{eq\}`'"):
        convert("It costs $5, see {eq}`eq-a`, and 6$ more.")


def test_a_bare_amsmath_environment_becomes_display_math():
    (text,) = convert("So:\n\n\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n\nand $$x$$ stays.")
    assert text == "So:\n\n$$\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}$$\n\nand $$x$$ stays."


QUIZ = """:::{quiz}
:answer: 2

Which is {glue:text}`x:.1f`?

1. The first, with $a$.

   No: it is the second.

2. The second.

   Yes: see {eq}`eq-a`.
   It holds.
:::
"""


def test_a_self_check_question_becomes_plain_markdown_with_its_answer_folded():
    (text,) = convert("## Check yourself\n\n" + QUIZ + "\n" + QUIZ)
    one = (
        "**Question {n}.** Which is 0.1?\n\n"
        "- **a.** The first, with $a$.\n- **b.** The second.\n\n"
        "<details><summary>Answer</summary>\n\n"
        "**b.** Yes: see (4.2).\nIt holds.\n\n"
        "*The other choices:*\n\n**a.** No: it is the second.\n\n</details>"
    )
    assert text == "## Check yourself\n\n" + one.format(n=1) + "\n\n" + one.format(n=2) + "\n"


@pytest.mark.parametrize(
    "markup, message",
    [
        (":::{quiz}\nWhich?\n\n1. A.\n\n   No.\n:::", r"needs :answer: N"),
        (":::{quiz}\n:answer: 3\nWhich?\n\n1. A.\n\n   No.\n2. B.\n\n   Yes.\n:::", r"needs :answer: N and"),
        (":::{quiz}\n:answer: 1\nWhich?\n\n1. A.\n2. B.\n\n   No.\n:::", r"choice 1 of a \{quiz\} needs a paragraph"),
        (":::{quiz}\n:class: x\n:answer: 1\nWhich?\n\n1. A.\n\n   Yes.\n:::", r"takes only :answer: N"),
    ],
)
def test_a_malformed_question_is_an_error(markup, message):
    with pytest.raises(colab_edition.EditionError, match=message):
        convert(markup)


@pytest.mark.parametrize("path", CHAPTERS + [Path("zh") / p for p in CHAPTERS], ids=str)
def test_each_chapter_ends_with_its_questions_answers_folded(edition, path):
    last = edition[path].cells[-1].source
    count = (ROOT / english(path)).read_text(encoding="utf-8").count(":::{quiz}")
    assert 3 <= count <= 5 and last.count("<details><summary>") == count, last[:300]
    word = "问题" if path.parts[0] == "zh" else "Question"
    assert [int(n) for n in re.findall(rf"^\*\*{word} (\d+)\.\*\*", last, re.MULTILINE)] == list(range(1, count + 1))


@pytest.mark.parametrize(
    "markup, message",
    [
        ("See {ref}`somewhere`.", r"unknown MyST role \{ref\}`somewhere`"),
        (":::{figure} a.png\n:::", r"unknown MyST directive \{figure\}"),
        ("```{code-cell} python\nx\n```", r"unknown MyST directive \{code-cell\}"),
        (":::{note}\n:open:\nBody\n:::", r"option :open: of \{note\}"),
        ("::: just colons\n:::", "colon fence without a directive"),
        ("(a-target)=\n# Title", r"\(a-target\)="),
        ("Hello {{ name }}.", r"substitution .*\{\{ name \}\}"),
        ("Is {glue:text}`missing:.2f`.", "glue key 'missing' not found"),
        ("See {eq}`eq-nowhere`.", "no equation labelled 'eq-nowhere'"),
        ("$$\nx\n$$ (eq-nowhere)", "no equation labelled 'eq-nowhere'"),
        ("As {cite}`nobody2020`.", "nobody2020 not in the bibliography"),
    ],
)
def test_unknown_markup_is_an_error_naming_notebook_and_markup(markup, message):
    with pytest.raises(colab_edition.EditionError, match=rf"^chapters/99_small\.ipynb, cell 1: .*{message}"):
        convert("Fine.", markup)


def test_glue_in_a_notebook_the_build_does_not_execute_is_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("{glue:text}`x`")])
    with pytest.raises(colab_edition.EditionError, match="not executed by the build"):
        colab_edition.convert_notebook(nb, BOOK, "assignments/student/a/a.ipynb", None)


def test_a_notebook_changed_since_the_build_is_an_error_asking_for_a_rebuild(tmp_path):
    """A chapter whose code no longer matches the execution cache: a clear error, nothing written."""
    require_built(SITE / "index.html", "built site")
    require_built(CACHE, "execution cache")
    for name in ("_config.yml", *CONFIG["bibtex_bibfiles"]):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "html").symlink_to(SITE)
    (tmp_path / "_build" / ".jupyter_cache").symlink_to(CACHE)
    chapter = Path("chapters/03_formulas.ipynb")
    nb = nbformat.read(ROOT / chapter, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[-1].source += "\n# changed"
    (tmp_path / "chapters").mkdir()
    nbformat.write(nb, tmp_path / chapter)
    os.utime(tmp_path / chapter, (0, 0))  # older than the site, so only the cache can tell
    with pytest.raises(colab_edition.EditionError, match=r"03_formulas\.ipynb: its code is not in the execution cache"):
        colab_edition.write_edition(tmp_path)
    assert not (tmp_path / "_build" / "colab").exists()
    os.utime(tmp_path / chapter)  # newer than the site
    with pytest.raises(colab_edition.EditionError, match="changed after the book was built"):
        colab_edition.write_edition(tmp_path)

"""Write the Colab edition of the book: every chapter and assignment as a
notebook that Colab and Jupyter show as the website does.

The notebooks in ``chapters/`` and ``assignments/student/`` are written in
MyST, which only the book build understands: in Colab a ``{glue:text}`` role
would show instead of its number. Run after ``jupyter-book build .``::

    .venv/bin/python tools/colab_edition.py

It writes ``_build/colab/<same path>.ipynb`` for each notebook, in which

- every glue role holds the value the build computed, formatted by myst-nb's
  own code (values from the build's execution cache, ``_build/.jupyter_cache``);
- every ``{eq}`` role holds the equation's number, and every labelled display
  equation ``$$ ... $$ (label)`` shows it with ``\\tag``, numbered as the site
  (``_build/html``) numbers them;
- every ``{cite}`` role is the site's author-year citation, linked to the
  published site's references page;
- every bare amsmath environment (``\\begin{align}``) is wrapped in ``$$``, so
  that Colab's renderer, too, shows it as display math;
- every admonition directive is a blockquote with a bold title;
- every self-check question (``{quiz}``, ``_ext/quiz.py``) is plain Markdown:
  the question, its lettered choices, and the answer with its explanations
  in a ``<details>`` block that the reader opens;
- code cells are the source's, without outputs; each checks cell is folded
  into a titled form that still runs, and starts by telling
  ``rnnlib.book.check`` what the book's own run got for each of its claims
  (the values each check recorded in the build), so that a check that the
  reader's run does not bear out can show both.

Any other MyST markup is an error naming the notebook, never passed through.

It also writes the Chinese edition, ``_build/colab/zh/<same path>.ipynb``: the
same notebooks with the prose of their markdown cells taken from the Chinese
catalogs (``locale/zh_CN/LC_MESSAGES/<page>.po``, the ones the Chinese site is
built from, see ``tools/zh_edition.py``), then converted in the same way.

The edition is generated, never edited or committed; the publish workflow
pushes it to the repository's ``colab`` branch, which the site's Colab
buttons open (the Chinese pages' buttons open ``zh/``).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
#: The notebooks of the edition, relative to the repository root.
NOTEBOOK_PATTERNS = ("chapters/*.ipynb", "assignments/student/*/*.ipynb")
#: Directives that become a blockquote, with their default title.
ADMONITIONS = {
    "admonition": "",
    "attention": "Attention",
    "caution": "Caution",
    "danger": "Danger",
    "error": "Error",
    "hint": "Hint",
    "important": "Important",
    "note": "Note",
    "seealso": "See also",
    "tip": "Tip",
    "warning": "Warning",
}
#: The edition's README: the colab branch holds the notebooks, the assignments' public checks and binder/.
README = """# The Colab edition of the course

Generated from {url} by `tools/colab_edition.py` after each build of the book,
for the book's launch buttons (Colab, Binder, JupyterHub): never edit it here.
"""
#: The translated editions: their folder in the edition (and on the site), and their language.
TRANSLATIONS = {"zh": "zh_CN"}
#: What a translated edition writes instead of the English titles.
TITLES = {
    "zh_CN": {
        "attention": "注意",
        "caution": "小心",
        "danger": "危险",
        "error": "错误",
        "hint": "提示",
        "important": "重要",
        "note": "注",
        "seealso": "另见",
        "tip": "提示",
        "warning": "警告",
        "checks": "检查：本页文字所说的结果，在这里逐条断言（双击可看代码）",
        "question": "问题",
        "answer": "答案",
        "also": "其他选项",
    }
}
#: Directive options that only style the box on the site, dropped here.
STYLE_OPTIONS = {"class", "name"}

_IN_PARAGRAPH = r"(?:[^\n]|\n(?![ \t]*\n))"  # any character, but no blank line: spans end with their paragraph
_INLINE = re.compile(
    r"(?P<dmath>\$\$(?P<math>.+?)\$\$)(?:[ \t]*\((?P<label>[^()\s]+)\))?"  # display math, maybe labelled
    r"|(?P<env>\\begin\{(?P<envname>(?:align|equation|gather|multline)\*?)\}.*?\\end\{(?P=envname)\})"  # bare amsmath
    rf"|(?P<imath>\$(?:\\.|(?![$\\]){_IN_PARAGRAPH})+?\$)"  # inline math: never holds roles
    rf"|\{{(?P<role>[^\s{{}}`]+)\}}(?P<ticks>`+)(?P<content>{_IN_PARAGRAPH}+?)(?P=ticks)"  # a role: {{name}}`content`
    rf"|(?P<code>(?P<cticks>`+){_IN_PARAGRAPH}+?(?P=cticks))"  # a code span: never holds roles
    r"|(?P<subst>\{\{.*?\}\})",  # a MyST substitution
    re.DOTALL,
)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[^{}\s]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):(?P<value>.*)$")
_MYST_LINE = re.compile(r"^\s*(?:\([^()\s]+\)=\s*|%.*)$")  # a target (label)= or a % comment
_EQUATION = re.compile(r'id="equation-(?P<label>[^"]+)">\s*<span class="eqno">\((?P<number>[^)<]+)\)')


class EditionError(Exception):
    """The edition cannot be written: the message says which notebook and why."""


@dataclasses.dataclass(frozen=True)
class Book:
    """What the conversion needs from the built book, besides the glue values.

    Attributes:
        equations: equation label -> its number as the site shows it, e.g. ``"3.1"``.
        citations: bibliography key -> the site's label for it, e.g. ``"Elman, 1990"``.
        order: bibliography keys in the order of the site's references page.
        references_url: the published site's references page.
    """

    equations: dict[str, str]
    citations: dict[str, str]
    order: list[str]
    references_url: str


def notebook_paths(root: Path = ROOT) -> list[Path]:
    """The notebooks of the edition (chapters, then assignments), relative to ``root``."""
    return [p.relative_to(root) for pattern in NOTEBOOK_PATTERNS for p in sorted(root.glob(pattern))]


def read_book(root: Path = ROOT) -> Book:
    """Read equation numbers from the built site, citations from the bibliography.

    Raises:
        EditionError: if the site has not been built.
    """
    site = root / "_build" / "html"
    if not (site / "index.html").is_file():
        raise EditionError(f"no built site in {site}: run `jupyter-book build .` first")
    equations = {
        m["label"]: m["number"]
        for page in sorted(site.rglob("*.html"))
        for m in _EQUATION.finditer(page.read_text(encoding="utf-8"))
    }
    config = _config(root)
    citations, order = _read_bibliography([root / bib for bib in config["bibtex_bibfiles"]])
    return Book(equations, citations, order, _references_url(config["repository"]["url"]))


def check_values(executed: nbformat.NotebookNode) -> dict[int, dict[str, dict[str, str]]]:
    """What each check of an executed notebook recorded (``rnnlib.book.CHECK_MIME``): by cell index, claim -> values."""
    from rnnlib.book import CHECK_MIME

    found: dict[int, dict[str, dict[str, str]]] = {}
    for index, cell in enumerate(executed.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if record := output.get("data", {}).get(CHECK_MIME):
                found.setdefault(index, {})[record["claim"]] = record["values"]
    return found


def glue_values(executed: nbformat.NotebookNode) -> dict[str, dict]:
    """The glued outputs of an executed notebook, by key (as myst-nb reads them)."""
    from myst_nb.ext.glue import extract_glue_data_cell

    return {
        key: output
        for cell in executed.cells
        if cell.cell_type == "code"
        for key, output in extract_glue_data_cell(copy.deepcopy(cell))
    }


def convert_notebook(
    source: nbformat.NotebookNode,
    book: Book,
    name: str,
    glue: dict[str, dict] | None = None,
    language: str | None = None,
    checks: dict[int, dict[str, dict[str, str]]] | None = None,
) -> nbformat.NotebookNode:
    """The Colab edition of one notebook.

    Args:
        source: the notebook as committed.
        book: equation numbers and citations (:func:`read_book`).
        name: the notebook's path, for error messages.
        glue: the glued outputs of its executed copy (:func:`glue_values`);
            ``None`` for a notebook the build does not execute.
        language: a translated edition's language (its titles), ``None`` for English.
        checks: what the checks of its executed copy recorded (:func:`check_values`).

    Returns:
        A copy: markdown cells with their MyST markup converted, code cells
        without outputs, and checks cells (tag ``checks``) folded into a
        titled form.

    Raises:
        EditionError: for a missing glue key, an unknown label or citation, or
            MyST markup the converter does not know.
    """
    edition = copy.deepcopy(source)
    titles = TITLES.get(language, {})
    quizzes = [0]  # the notebook's self-check questions so far, numbered as on the site
    for index, cell in enumerate(edition.cells):
        if cell.cell_type == "markdown":
            where = _Cell(book, glue, f"{name}, cell {index}", titles, quizzes)
            cell.source = _markdown(cell.source, where)
            _refuse_leftovers(cell.source, where)
        elif cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if "checks" in cell.metadata.get("tags", []):
                _publish((checks or {}).get(index, {}), cell, language)
                _collapse(cell, titles.get("checks", CHECKS_TITLE))
    return edition


def read_catalog(path: Path) -> dict[str, str]:
    """A page's message catalog (``.po``): its translated messages, English -> translation.

    Untranslated and fuzzy messages are left out: their English stays
    (``tests/test_translations.py`` fails on them).
    """
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file, abort_invalid=True)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def translate_markdown(text: str, messages: dict[str, str]) -> str:
    """Markdown with each message of the catalog replaced by its translation.

    A message is a paragraph, heading, list item, table cell or raw HTML block
    as Sphinx extracted it: its source with line breaks (and the indentation
    after them) turned into single spaces, so it is found with any run of
    white space between its words. Longer messages are replaced first, and a
    shorter one is never looked for inside text already replaced.
    """
    found: list[tuple[int, int, str]] = []
    for message in sorted(messages, key=len, reverse=True):
        pattern = r"\s+".join(re.escape(word) for word in message.split())
        for match in re.finditer(rf"(?<![\w]){pattern}(?![\w])", text):
            if all(match.end() <= start or match.start() >= end for start, end, _ in found):
                found.append((match.start(), match.end(), messages[message]))
    out, at = [], 0
    for start, end, translation in sorted(found):
        out += [text[at:start], translation]
        at = end
    return "".join(out) + text[at:]


def translate_notebook(source: nbformat.NotebookNode, messages: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the notebook with the prose of its markdown cells translated (:func:`translate_markdown`)."""
    translated = copy.deepcopy(source)
    for cell in translated.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(cell.source, messages)
    return translated


#: The title a checks cell shows on Colab, where its code is folded away.
CHECKS_TITLE = "Checks: the sentences of this page, asserted (double-click to see the code)"


def _collapse(cell: nbformat.NotebookNode, title: str = CHECKS_TITLE) -> None:
    """Fold a checks cell on Colab: a form cell shows its title and hides its code, and still runs.

    On the site these cells are removed (tag ``remove-cell``); on Colab they
    must run, so that a reader who changes a seed or a size learns which
    sentence of the page no longer holds.
    """
    cell.metadata["cellView"] = "form"
    cell.source = f"#@title {title}\n{cell.source}"


def _publish(values: dict[str, dict[str, str]], cell: nbformat.NotebookNode, language: str | None) -> None:
    """Start a checks cell by handing ``rnnlib.book.check`` the book's values of its claims and the notes' language."""
    if not values:
        return
    claims = "".join(f"    {_literal(claim)}: {_literal(shown)},\n" for claim, shown in values.items())
    call = f"published({{\n{claims}}}, language={json.dumps(language or 'en')})"
    cell.source = f"{PUBLISHED_IMPORT}\n{call}\n{cell.source}"


def _literal(value: str | dict[str, str]) -> str:
    """A string, or a dict of strings, as a Python literal (JSON's form of one is Python's)."""
    return json.dumps(value, ensure_ascii=False)


#: The first line of a checks cell on Colab, before the book's values of its claims.
PUBLISHED_IMPORT = "from rnnlib.book import published  # what the book's own run got, for the notes of the checks below"


def write_edition(root: Path = ROOT) -> list[Path]:
    """Convert every chapter and assignment and write them under ``_build/colab``.

    Everything is converted before anything is written, so an error leaves
    no half-made edition. Returns the paths written.

    Raises:
        EditionError: if the book is not built, or its build is older than a
            notebook, or a notebook cannot be converted.
    """
    from jupyter_cache import get_cache

    book = read_book(root)
    cache_dir = root / "_build" / ".jupyter_cache"
    if not cache_dir.is_dir():
        raise EditionError(f"no execution cache in {cache_dir}: run `jupyter-book build .` first")
    cache = get_cache(str(cache_dir))
    config = _config(root)
    excluded = config["execute"]["exclude_patterns"]  # the notebooks the build does not execute
    editions = {}
    for path in notebook_paths(root):
        page = root / "_build" / "html" / path.with_suffix(".html")
        if not page.is_file() or page.stat().st_mtime < (root / path).stat().st_mtime:
            raise EditionError(f"{path} changed after the book was built: run `jupyter-book build .` again")
        source = nbformat.read(root / path, as_version=4)
        glue, checks = None, None
        if not any(path.match(pattern) for pattern in excluded):
            try:
                _, executed = cache.merge_match_into_notebook(source)
            except KeyError:
                raise EditionError(
                    f"{path}: its code is not in the execution cache {cache_dir} (changed, or its execution "
                    "failed, since the last build): run `jupyter-book build .` again"
                ) from None
            glue, checks = glue_values(executed), check_values(executed)
        editions[path] = convert_notebook(source, book, str(path), glue, checks=checks)
        for folder, language in TRANSLATIONS.items():
            catalog = root / "locale" / language / "LC_MESSAGES" / path.with_suffix(".po")
            if not catalog.is_file():
                raise EditionError(f"{path}: no {language} catalog {catalog}: run `python tools/zh_edition.py update`")
            translated = translate_notebook(source, read_catalog(catalog))
            editions[folder / path] = convert_notebook(translated, book, f"{folder}/{path}", glue, language, checks)
    out, new = root / "_build" / "colab", root / "_build" / "colab.new"
    shutil.rmtree(new, ignore_errors=True)
    for path, notebook in editions.items():  # written beside the old edition, then swapped in
        (new / path).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, new / path)
    (new / "README.md").write_text(README.format(url=config["repository"]["url"]), encoding="utf-8")
    # Binder builds its environment from binder/ (the launch buttons open this branch there too), and an
    # assignment's public checks sit in tests/ beside it, where Binder and JupyterHub find them.
    shutil.copytree(root / "binder", new / "binder")
    for tests in sorted((root / "assignments" / "student").glob("*/tests")):
        for folder in ["", *TRANSLATIONS]:
            shutil.copytree(tests, new / folder / tests.relative_to(root), ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(out, ignore_errors=True)
    new.rename(out)
    return [out / path for path in editions]


def main() -> int:
    """Write the edition; on an error print it and return 1."""
    try:
        written = write_edition()
    except EditionError as error:
        print(f"colab_edition: {error}", file=sys.stderr)
        return 1
    editions = ", ".join(["English", *TRANSLATIONS])
    print(f"colab_edition: wrote {len(written)} notebooks ({editions}) to {ROOT / '_build' / 'colab'}")
    return 0


def _config(root: Path) -> dict:
    """The book's ``_config.yml``."""
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def _references_url(repository_url: str) -> str:
    """The references page of the site that GitHub Pages publishes for the repository."""
    owner, repo = urlsplit(repository_url).path.strip("/").removesuffix(".git").split("/")[:2]
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/references.html" if repo.lower() == host else f"https://{host}/{repo}/references.html"


def _read_bibliography(paths: list[Path]) -> tuple[dict[str, str], list[str]]:
    """Each entry's author-year label as sphinxcontrib-bibtex writes it, and the site's order.

    The label is ``Last, year`` for one author, ``Last and Last, year`` for
    two and ``Last *et al.*, year`` for more; the order is that of the
    references page (pybtex's ``alpha`` style, sphinxcontrib-bibtex's default).
    """
    from pybtex.database import BibliographyData, parse_file
    from pybtex.plugin import find_plugin

    data = BibliographyData()
    for path in paths:
        data.add_entries(parse_file(str(path)).entries.items())
    name_style = find_plugin("pybtex.style.names", "last")()
    citations = {}
    for key, entry in data.entries.items():
        names = [name_style.format(p, True).format().render_as("text") for p in entry.persons.get("author", [])]
        if not names or "year" not in entry.fields:
            raise EditionError(f"references: {key} needs an author and a year for an author-year citation")
        authors = " and ".join(names) if len(names) <= 2 else f"{names[0]} *et al.*"
        citations[key] = f"{authors}, {entry.fields['year']}"
    order = [entry.key for entry in find_plugin("pybtex.style.formatting", "alpha")().sort(data.entries.values())]
    return citations, order


@dataclasses.dataclass(frozen=True)
class _Cell:
    """What converting one markdown cell needs: the book, the glue, and where it is."""

    book: Book
    glue: dict[str, dict] | None
    where: str
    titles: dict[str, str] = dataclasses.field(default_factory=dict)  # a translated edition's admonition titles
    quizzes: list[int] = dataclasses.field(default_factory=lambda: [0])  # the notebook's questions so far

    def error(self, message: str) -> EditionError:
        return EditionError(f"{self.where}: {message}")


def _markdown(text: str, cell: _Cell) -> str:
    """Convert a markdown cell's MyST markup; code blocks stay as they are."""
    lines = text.split("\n")
    out: list[str] = []
    plain: list[str] = []  # lines outside any fence, converted together
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if fence is None:
            plain.append(lines[i])
            i += 1
            continue
        if plain:
            out.extend(_inline("\n".join(plain), cell).split("\n"))
            plain = []
        end = _closing_fence(lines, i + 1, fence["fence"])
        directive = _DIRECTIVE.match(fence["info"].strip())
        if directive:
            indent = fence["indent"]  # the body is indented as the fence is (in a list item, say)
            body = [line.removeprefix(indent) for line in lines[i + 1 : end]]
            if directive["name"] == "quiz":
                quote = _quiz(directive["argument"], body, cell)
            else:
                quote = _admonition(directive["name"], directive["argument"], body, cell)
            if out and out[-1].strip():
                out.append("")
            out.extend(fence["indent"] + line for line in quote)
            if end + 1 < len(lines) and lines[end + 1].strip():
                out.append("")
        elif fence["fence"].startswith(":"):
            raise cell.error(f"a colon fence without a directive: {lines[i].strip()!r}")
        else:  # a code block, copied as it is
            out.extend(lines[i : end + 1])
        i = end + 1
    if plain:
        out.extend(_inline("\n".join(plain), cell).split("\n"))
    return "\n".join(out)


_LEFTOVER = re.compile(r"\{[^\s{}`]+\}`|^[ \t>]*(?::{3,}|`{3,}\{)", re.MULTILINE)  # a role; a directive's fence
# Code blocks and code spans, where markup is shown as it is; a span right after "}" is a role's content.
_CODE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$|(?<![}`])(`+).+?\2", re.MULTILINE | re.DOTALL)


def _refuse_leftovers(text: str, cell: _Cell) -> None:
    """A last check on a converted cell: no role or directive left outside code, whatever hid it (a stray ``$``)."""
    if found := _LEFTOVER.search(_CODE.sub("", text)):
        raise cell.error(f"MyST markup left after conversion: {found[0]!r} (a stray $ around it?)")


def _closing_fence(lines: list[str], start: int, fence: str) -> int:
    """The index of the line that closes ``fence``; an unclosed fence runs to the end."""
    for j in range(start, len(lines)):
        stripped = lines[j].strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            return j
    return len(lines)


def _admonition(name: str, argument: str, body: list[str], cell: _Cell) -> list[str]:
    """An admonition directive (options and body lines) as a blockquote with a bold title."""
    if name not in ADMONITIONS:
        raise cell.error(f"unknown MyST directive {{{name}}}: tools/colab_edition.py cannot convert it")
    if name == "admonition":
        title = argument.strip()
        if not title:
            raise cell.error("an {admonition} needs a title")
    else:  # these take no argument: text after the name starts the body
        title = cell.titles.get(name, ADMONITIONS[name])
        body = [argument.strip(), *body] if argument.strip() else body
    while body and _OPTION.match(body[0]):
        key = _OPTION.match(body[0])["key"]
        if key not in STYLE_OPTIONS:
            raise cell.error(f"the option :{key}: of {{{name}}} is not supported")
        body = body[1:]
    content = _markdown("\n".join(body).strip("\n"), cell).split("\n")
    return [f"> **{_inline(title, cell)}**", ">", *(f"> {line}" if line.strip() else ">" for line in content)]


_CHOICE = re.compile(r"^(?P<number>\d+)\.[ \t]+(?P<text>.*)$")


def _quiz(argument: str, body: list[str], cell: _Cell) -> list[str]:
    """A ``{quiz}`` question (``_ext/quiz.py``) as plain Markdown, its answer folded in ``<details>``."""
    if argument.strip():
        raise cell.error("a {quiz} takes no argument: its question is its first paragraph")
    answer = None
    while body and _OPTION.match(body[0]):
        option = _OPTION.match(body[0])
        if option["key"] != "answer" or not option["value"].strip().isdigit():
            raise cell.error(f"a {{quiz}} takes only :answer: N, not {body[0].strip()!r}")
        answer = int(option["value"])
        body = body[1:]
    starts = [i for i, line in enumerate(body) if _CHOICE.match(line)]
    if answer is None or not starts or not 1 <= answer <= len(starts):
        raise cell.error("a {quiz} needs :answer: N and a numbered list of at least N choices")
    question = "\n".join(body[: starts[0]]).strip("\n")
    choices = []  # (text, explanation) of each choice, in Markdown
    for begin, end in zip(starts, [*starts[1:], len(body)], strict=True):
        lines = [_CHOICE.match(body[begin])["text"], *(line.removeprefix("   ") for line in body[begin + 1 : end])]
        text, _, explanation = "\n".join(lines).strip("\n").partition("\n\n")
        if not explanation.strip():
            raise cell.error(f"choice {len(choices) + 1} of a {{quiz}} needs a paragraph explaining it")
        choices.append((" ".join(_markdown(text, cell).split()), _markdown(explanation.strip("\n"), cell)))
    cell.quizzes[0] += 1
    title = f"{cell.titles.get('question', 'Question')} {cell.quizzes[0]}."
    letters = "abcdefgh"
    out = [f"**{title}** {_markdown(question, cell)}", ""]
    out += [f"- **{letters[i]}.** {text}" for i, (text, _) in enumerate(choices)]
    out += ["", f"<details><summary>{cell.titles.get('answer', 'Answer')}</summary>", ""]
    out += [f"**{letters[answer - 1]}.** {choices[answer - 1][1]}", ""]
    others = [f"**{letters[i]}.** {why}" for i, (_, why) in enumerate(choices) if i != answer - 1]
    out += [f"*{cell.titles.get('also', 'The other choices')}:*", ""]
    out += [line for other in others for line in (other, "")] + ["</details>"]
    return out


def _inline(text: str, cell: _Cell) -> str:
    """Convert roles and labelled equations in Markdown that holds no fenced block."""
    for line in text.split("\n"):
        if _MYST_LINE.match(line):
            raise cell.error(f"MyST markup the converter does not know: {line.strip()!r}")

    def replace(match: re.Match) -> str:
        if match["role"]:
            return _role(match["role"], match["content"], cell)
        if match["subst"]:
            raise cell.error(f"a MyST substitution the converter does not know: {match['subst']!r}")
        if match["label"]:  # $$ ... $$ (label): the site's number, as a tag
            number = _equation(match["label"], cell)
            math = match["math"].rstrip()
            return f"$${math} \\tag{{{number}}}{match['math'][len(math) :]}$$"
        if match["env"]:  # a bare amsmath environment: inside $$, which every renderer takes as display math
            return f"$${match['env']}$$"
        return match[0]  # math or code, as it is

    return _INLINE.sub(replace, text)


def _equation(label: str, cell: _Cell) -> str:
    """An equation's number, as the site shows it."""
    if label not in cell.book.equations:
        raise cell.error(f"no equation labelled {label!r} on the built site")
    return cell.book.equations[label]


def _role(role: str, text: str, cell: _Cell) -> str:
    """The Markdown for one MyST role, or an EditionError for a role it does not know."""
    if role.startswith("glue"):
        return _glue(role, text, cell)
    if role == "eq":
        return f"({_equation(text, cell)})"
    if role in ("cite", "cite:p"):  # what the site shows: [Elman, 1990]
        keys = [key.strip() for key in text.split(",")]
        if unknown := [key for key in keys if key not in cell.book.citations]:
            raise cell.error(f"{{{role}}}`{text}`: {', '.join(unknown)} not in the bibliography")
        keys.sort(key=cell.book.order.index)
        return "\\[" + ", ".join(f"[{cell.book.citations[k]}]({cell.book.references_url})" for k in keys) + "\\]"
    raise cell.error(f"unknown MyST role {{{role}}}`{text}`: tools/colab_edition.py cannot convert it")


def _glue(role: str, text: str, cell: _Cell) -> str:
    """A glued value, pasted as myst-nb's glue roles paste it on the site."""
    from myst_nb.core.variables import format_plain_text

    if role not in ("glue", "glue:", "glue:any", "glue:text", "glue:md"):
        raise cell.error(f"unknown MyST role {{{role}}}`{text}`: tools/colab_edition.py cannot convert it")
    key, fmt = text, None
    if role == "glue:text":  # key:format, split as myst-nb's PasteTextRole splits it
        key, fmt = text.rsplit(":", 1) if ":" in text else (text, "s")
    elif role == "glue:md":
        key = text.rsplit(":", 1)[0]
    if "::" in key:
        raise cell.error(f"{{{role}}}`{text}`: glue from another notebook is not supported")
    if cell.glue is None:
        raise cell.error(f"{{{role}}}`{text}`: this notebook is not executed by the build, so has no glue")
    if key not in cell.glue:
        raise cell.error(f"glue key {key!r} not found in the executed notebook")
    data = cell.glue[key]["data"]
    mime = "text/markdown" if role == "glue:md" else "text/plain"
    if mime not in data or (role in ("glue", "glue:", "glue:any") and set(data) != {mime}):
        raise cell.error(f"{{{role}}}`{text}`: the glued value has no {mime} form to paste alone")
    return data[mime] if fmt is None else format_plain_text(data[mime], fmt)


if __name__ == "__main__":
    sys.exit(main())

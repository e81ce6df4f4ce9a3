"""The book as one PDF (``tools/book_pdf.py``), read back with pypdf.

Needs the PDF that README command 1 ends by printing (``_build/pdf/book.pdf``);
the figure test also needs the built site and a Chromium, as
``tests/test_site.py`` does. Without them these tests are skipped, except
under CI, where they fail.

Where each page of the book (a chapter, an assignment, a back-matter page)
begins in the PDF comes from the PDF itself: Chromium keeps every in-page
link target as a named destination, and the single-page build marks the
start of each page of the book with the anchor ``document-<file>``. A
page's part of the PDF runs from its start to the next page's start.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import test_site
from test_site import PAGES, SITE, TOC, plain

from conftest import ROOT, require_built
from tools.book_pdf import CITE_ANCHOR, MARGIN, PAGE, PDF, SINGLE

if TYPE_CHECKING:
    from pypdf import PdfReader

# test_site's fixtures, shared: one Chromium for this module, the built site served from 127.0.0.1.
browser = test_site.browser
site_url = test_site.site_url

#: The top of the text area, in points down from the top of a PDF page: the printed margin (mm to pt).
TEXT_TOP_PT = float(MARGIN["top"].removesuffix("mm")) / 25.4 * 72
#: What unrendered math would leave in the text (as test_site checks on the site), and a common command.
RAW_TEX = ("$$", "\\(", "\\[", "\\begin{", "\\frac")
#: Sphinx's markup for every formula, inline or displayed; MathJax typesets these.
SPHINX_MATH = 'class="math notranslate nohighlight"'


def _source(name: str) -> tuple[str, str]:
    """A page's Markdown (every Markdown cell of a notebook) and its code (code cells, or fenced blocks)."""
    notebook = ROOT / f"{name}.ipynb"
    if notebook.is_file():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        text = {
            kind: "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == kind)
            for kind in ("markdown", "code")
        }
        return text["markdown"], text["code"]
    markdown = (ROOT / f"{name}.md").read_text(encoding="utf-8")
    return markdown, "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.M | re.S))


def title(name: str) -> str:
    """A page's title: the first ``# `` heading of its source, markup removed."""
    heading = re.search(r"^# (.+)$", _source(name)[0], flags=re.M)
    assert heading, f"{name} has no title heading"
    return plain(re.sub(r"[`*]", "", heading.group(1)))


@dataclass
class Book:
    reader: PdfReader
    extracted: list[str]  # each PDF page's text as pypdf extracts it
    texts: list[str]  # the same, plain
    starts: dict[str, int]  # each page of the book: the index of its first PDF page

    def pages_of(self, name: str) -> range:
        """The PDF pages of one page of the book (the root page: from the title page on)."""
        order = sorted(self.starts.values()) + [len(self.texts)]
        start = self.starts[name]
        return range(start, order[order.index(start) + 1])


@pytest.fixture(scope="module")
def book() -> Book:
    return read_book()


@functools.cache
def read_book() -> Book:
    """The PDF, read once for the whole run (``tests/test_site.py`` counts each page's figures in it too)."""
    require_built(PDF, "PDF of the book (command 1 ends with tools/book_pdf.py)")
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    destinations = reader.named_destinations
    starts = {TOC["root"]: 0}
    for name in PAGES[1:]:
        assert f"/document-{name}" in destinations, f"{name} is not in the PDF"
        starts[name] = reader.get_destination_page_number(destinations[f"/document-{name}"])
    extracted = [page.extract_text() for page in reader.pages]  # once: about 18 s for the whole book
    return Book(reader, extracted, [plain(text) for text in extracted], starts)


def test_pages_of_the_book_come_in_the_order_of_the_toc(book):
    order = [book.starts[name] for name in PAGES]
    assert order == sorted(set(order)), "each page of the book starts on a later PDF page than the one before"


@pytest.mark.parametrize("name", PAGES[1:])
def test_each_page_of_the_book_starts_a_new_pdf_page_with_its_title(book, name):
    start = book.reader.named_destinations[f"/document-{name}"]
    height = float(book.reader.pages[book.starts[name]].mediabox.height)
    # Its anchor is the first thing on the page: no lower than the top of the text area (1 pt for rounding).
    assert start.top >= height - TEXT_TOP_PT - 1, f"{name} starts {height - start.top:.0f} pt down its first page"
    assert title(name) in book.texts[book.starts[name]], f"{name}: its title is not on its first page"


def _links(page) -> list[dict]:
    return [a.get_object() for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]


def test_the_table_of_contents_opens_the_book_and_links_every_page(book):
    assert book.texts[0].startswith(title(TOC["root"])) and "Contents" in book.texts[0]
    # The contents open the book: on the title page, running on to the next one at most.
    opening = book.pages_of(TOC["root"])[:2]
    contents = " ".join(book.texts[i] for i in opening)
    linked = [
        str(link["/Dest"]).removeprefix("/document-")
        for i in opening
        for link in _links(book.reader.pages[i])
        if str(link.get("/Dest", "")).startswith("/document-")
    ]
    # (The introduction's own text, after the contents, may link to a page of the book too.)
    assert linked[: len(PAGES) - 1] == PAGES[1:], "one internal link per page of the book, in the order of _toc.yml"
    assert [name for name in PAGES[1:] if title(name) not in contents] == [], "titles missing from the contents"


def test_every_link_in_the_pdf_jumps_within_it_or_leaves_for_the_web(book):
    destinations = book.reader.named_destinations
    bad = []
    for number, page in enumerate(book.reader.pages, start=1):
        for link in _links(page):
            if "/Dest" in link:
                if str(link["/Dest"]) not in destinations:
                    bad.append(f"page {number}: {link['/Dest']} (no such destination)")
                continue
            uri = str(link.get("/A", {}).get("/URI", ""))
            host = urlsplit(uri).hostname or ""
            if urlsplit(uri).scheme not in ("http", "https", "mailto") or host in ("127.0.0.1", "localhost"):
                bad.append(f"page {number}: {uri!r}")  # e.g. the server it was printed from
    assert bad == []


def test_every_citation_links_to_its_entry_in_the_references(book):
    single = (SINGLE / PAGE).read_text(encoding="utf-8")
    # The works cited: each citation's target id, as the single page links them.
    cited = {
        target
        for citation in re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', single, flags=re.S)
        for target in re.findall(r'href="[^"#]*#([^"]+)"', citation)
    }
    # (A citation that wraps onto a second line is two links in the PDF.)
    landing = {
        str(link["/Dest"]).removeprefix(f"/{CITE_ANCHOR}"): book.reader.get_destination_page_number(
            book.reader.named_destinations[str(link["/Dest"])]
        )
        for page in book.reader.pages
        for link in _links(page)
        if str(link.get("/Dest", "")).startswith(f"/{CITE_ANCHOR}")
    }
    assert cited and set(landing) == cited, "every work cited is linked to its own entry"
    references = book.pages_of("references")
    assert all(number in references for number in landing.values()), "a citation jumps outside the references"


def test_no_raw_tex_is_left_outside_the_code(book):
    # Code may hold TeX in strings (matplotlib labels such as r"$\|\Delta o_t\|$"); prose may not.
    code = plain("\n".join(_source(name)[1] for name in PAGES))
    raw = [
        f"page {number}: {line!r}"
        for number, text in enumerate(book.extracted, start=1)
        for line in text.splitlines()
        if any(d in line for d in RAW_TEX) and plain(line) not in code
    ]
    assert raw == [], "math left as TeX: not typeset by MathJax"


def _fonts(page) -> set[str]:
    fonts = (page.get("/Resources") or {}).get("/Font") or {}
    names = set()
    for font in fonts.values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        names.add(str(font.get("/BaseFont") or (descriptor.get_object().get("/FontName") if descriptor else "")))
    return names


def test_pages_with_math_are_typeset_in_mathjax_fonts(book):
    """Every page whose site page holds math uses MathJax's fonts in its PDF pages (and most pages hold some)."""
    with_math = []
    for name in PAGES:
        site_page = SITE / f"{name}.html"
        require_built(site_page, "page of the built site")
        if SPHINX_MATH in site_page.read_text(encoding="utf-8"):
            with_math.append(name)
    assert len(with_math) > len(PAGES) // 2, f"math found on {len(with_math)} of {len(PAGES)} pages only"
    untypeset = []
    for name in with_math:
        fonts = set().union(*(_fonts(book.reader.pages[i]) for i in book.pages_of(name)))
        if not any("MathJax_" in font for font in fonts):
            untypeset.append(f"{name}: {sorted(fonts)}")
    assert untypeset == [], untypeset


def test_the_questions_are_in_their_chapters_and_the_answers_at_the_back(book):
    """Print keeps each chapter's self-check questions (lettered, no answer shown) and ends with the answers."""
    chapters = [name for name in PAGES if name.startswith("chapters/")]
    heading = "Answers to the self-check questions"
    (back,) = [i for i, text in enumerate(book.texts) if text.startswith(heading) or f" {heading} " in text[:200]]
    assert back >= book.starts[PAGES[-1]], "the answers come after the last page of the book starts"
    answers = " ".join(book.texts[back:])
    at = [answers.index(title(name)) for name in chapters]
    assert at == sorted(at), "the answers come chapter by chapter, in order"
    for name, start, end in zip(chapters, at, [*at[1:], len(answers)], strict=True):
        count = test_site.quiz_count(name)
        part = answers[start:end]
        assert [int(n) for n in re.findall(r"Question (\d+): [a-h]\.", part)] == list(range(1, count + 1)), name
        text = " ".join(book.texts[i] for i in book.pages_of(name))
        assert all(f"Question {n}" in text for n in range(1, count + 1)), f"{name}: its questions are printed"
        assert "Right." not in text and "Not quite." not in text, f"{name}: no verdict printed in the chapter"

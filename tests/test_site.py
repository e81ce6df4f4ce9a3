"""The built site, checked the way a reader meets it: in a real browser.

Needs the book built by README command 1 (``_build/html``) and a Chromium
(Debian's ``/usr/bin/chromium``; ``.ci/run`` installs it when absent, or set
``CHROMIUM`` to another binary). Without them these tests are skipped, except
under CI, where they fail. The site is served from 127.0.0.1 and every
request it makes is recorded: a page that reaches for any other host (a CDN)
fails, because the book must work with no network.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from conftest import ROOT, require, require_built
from tools.book_pdf import CHROMIUM_ARGS  # one set of flags: the tests' Chromium is the PDF's

SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
PAGES = [TOC["root"]] + [e["file"] for part in TOC["parts"] for e in part["chapters"]]
NOTEBOOK_PAGES = [p for p in PAGES if (ROOT / f"{p}.ipynb").is_file()]  # chapters and student assignments
COLAB_BRANCH = "colab"  # where publish.yml pushes the Colab edition that the Colab buttons open


@pytest.fixture(scope="module")
def site_url(serve_dir):
    require_built(SITE / "index.html", "built site")
    return serve_dir(SITE)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (pip install -r requirements.txt)")
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    require(executable is not None, "no Chromium: apt-get install chromium, or set CHROMIUM=/path/to/chrome")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900}
        )
        yield context
        context.close()


class Visit:
    """One page load, with everything the browser said and asked for."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.goto(url, wait_until="load")
        # Sphinx loads MathJax only on pages that have math; wait for it to typeset.
        self.has_math = self.page.locator("script[src*='mathjax']").count() > 0
        if self.has_math:
            self.page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            self.page.evaluate("() => MathJax.startup.promise")


#: Text that would show if math were left unrendered (code blocks excluded).
RAW_TEX_JS = """() => {
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('pre, code, .highlight, mjx-container, script').forEach(e => e.remove());
  const text = article.innerText;
  return ['$$', '\\\\(', '\\\\[', '\\\\begin{'].filter(d => text.includes(d));
}"""


def quiz_count(name: str) -> int:
    """How many self-check questions (``{quiz}`` directives, ``_ext/quiz.py``) a page's source holds."""
    path = ROOT / f"{name}.ipynb"
    return path.read_text(encoding="utf-8").count(":::{quiz}") if path.is_file() else 0


def plain(text: str) -> str:
    """Text as the tests compare it: ligatures (ﬁ) and compatibility forms unfolded, white space collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def answer_two_questions(page, count: int, right: str, wrong: str) -> None:
    """Answer the page's first question right with the keyboard alone, and its second wrong with the mouse.

    Each choice must show, in the question's live region, the verdict (``right`` or ``wrong``) and the
    explanation written for that choice.
    """
    quizzes = page.locator(".quiz")
    assert quizzes.count() == count, "every question of the source is on the page"
    first, second = quizzes.nth(0), quizzes.nth(1)
    answer = int(first.locator("input[data-correct='true']").get_attribute("value"))
    first.locator("input").first.focus()
    page.keyboard.press("Space")  # choose a, then walk down to the right choice with the arrow keys
    for _ in range(answer - 1):
        page.keyboard.press("ArrowDown")
    assert first.locator("input:checked").get_attribute("value") == str(answer)
    feedback = first.locator(".quiz-feedback[role='status']")
    explanation = first.locator(".quiz-choice").nth(answer - 1).locator(".quiz-explanation")
    # The live region holds a copy of the choice's explanation (its typeset math too): compare their text.
    assert plain(feedback.inner_text()).startswith(right), feedback.inner_text()
    assert plain(explanation.text_content()) in plain(feedback.text_content()), feedback.text_content()
    choice = second.locator(".quiz-choice").filter(has=page.locator("input[data-correct='false']")).first
    choice.locator("label").click()
    told = second.locator(".quiz-feedback")
    assert plain(told.inner_text()).startswith(wrong), told.inner_text()
    assert plain(choice.locator(".quiz-explanation").text_content()) in plain(told.text_content())
    assert plain(feedback.inner_text()).startswith(right), "one question's answer leaves the other's alone"


def check_launch_and_download_buttons(page, site_url: str, name: str, folder: str = "") -> None:
    """Colab and Binder open the page's notebook in the Colab edition; the download is the page's own notebook."""
    repo_url = CONFIG["repository"]["url"]
    repo = urlsplit(repo_url).path.strip("/")
    colab = [a.get_attribute("href") for a in page.locator("a[href*='colab.research.google.com']").all()]
    # Colab opens the Colab edition (tools/colab_edition.py, pushed to the colab branch by publish.yml) ...
    assert colab == [f"https://colab.research.google.com/github/{repo}/blob/{COLAB_BRANCH}/{folder}{name}.ipynb"]
    binder = [a.get_attribute("href") for a in page.locator("a[href*='mybinder.org']").all()]
    assert binder == [f"https://mybinder.org/v2/gh/{repo}/{COLAB_BRANCH}?urlpath=tree/{folder}{name}.ipynb"], binder
    # ... while the header's links into the repository (repository, issues) stay on its own branch.
    github = [a.get_attribute("href") for a in page.locator(".article-header-buttons a[href*='github.com']").all()]
    edit = f"{repo_url}/edit/{CONFIG['repository']['branch']}/"
    assert repo_url in github and any(h.startswith(f"{repo_url}/issues/new?") for h in github), github
    assert all(h == repo_url or h.startswith((f"{repo_url}/issues/new?", edit)) for h in github), github
    downloads = [a.get_attribute("href") for a in page.locator("a[href$='.ipynb']:not([href^='http'])").all()]
    assert [urljoin(page.url, d) for d in downloads] == [urljoin(site_url, f"{folder}_sources/{name}.ipynb")]
    response = page.request.get(urljoin(page.url, downloads[0]))
    assert response.ok
    served = json.loads(response.body())
    source = json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert served["cells"] == source["cells"], "the download is the page's own notebook"


#: The figures a reader of the site page sees, on screen or in print: distinct raster images shown.
#: (An explorer's slider shows one of its frames on screen and a static figure in print.)
FIGURES_JS = """() => new Set(Array.from(document.querySelectorAll('article img'))
  .filter(i => i.checkVisibility() && i.naturalWidth > 0 && !/\\.svg$|^data:image\\/svg/.test(i.src))
  .map(i => i.src)).size"""


def check_figures_are_printed_in_the_pdf(page, name: str) -> None:
    """Every figure a reader sees on the page is in print too, and in the page's part of the book's PDF."""
    from test_pdf import read_book  # (imported here: test_pdf imports this module)

    on_screen = page.evaluate(FIGURES_JS)
    page.emulate_media(media="print")
    printed = page.evaluate(FIGURES_JS)
    page.emulate_media(media="screen")
    assert printed >= on_screen, f"{name}: {on_screen} figures on screen, {printed} in print"
    book = read_book()
    # Distinct images, as the figures are counted: Chromium writes each distinct image once in the PDF.
    images = {image.indirect_reference.idnum for i in book.pages_of(name) for image in book.reader.pages[i].images}
    assert len(images) >= printed, f"{name}: {printed} figures on the site, {len(images)} images in its PDF pages"


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_offline_and_its_buttons_and_questions_work(browser, site_url, name):
    """One visit a page: offline, math and images (in the PDF too); a notebook's buttons; a chapter's questions."""
    visit = Visit(browser, urljoin(site_url, f"{name}.html"))
    page = visit.page
    assert visit.errors == [], "console errors"
    assert visit.failed == [], "failed requests"
    outside = [u for u in visit.requests if not u.startswith(site_url) and not u.startswith("data:")]
    assert outside == [], "the page reached beyond the site (a CDN?)"
    assert page.evaluate(RAW_TEX_JS) == [], "raw TeX left in the text: math not rendered"
    images = page.evaluate("() => Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
    assert all(ok for _, ok in images), images
    if visit.has_math:
        assert page.locator("mjx-container").count() > 0, "this page has math; none was rendered"
    check_figures_are_printed_in_the_pdf(page, name)
    if name in NOTEBOOK_PAGES:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).name}.png"), full_page=True)
        check_launch_and_download_buttons(page, site_url, name)
    if name == "chapters/01_why_rnns":  # the first chapter's figure, and its formulas as displayed math
        figures = page.evaluate(
            "() => Array.from(document.querySelectorAll('.cell_output img'))"
            ".map(i => [i.naturalWidth, i.naturalHeight])"
        )
        assert figures and all(w > 400 and h > 200 for w, h in figures), figures
        assert page.locator("mjx-container[display='true']").count() >= 1, "the formulas s_t and o_t are displayed"
    if name.startswith("chapters/"):
        answer_two_questions(page, quiz_count(name), right="Right.", wrong="Not quite.")
    else:
        assert page.locator(".quiz").count() == 0
    page.close()


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") == "preload"):
                self.links.append(attrs[key])


def test_every_internal_link_and_anchor_resolves():
    require_built(SITE / "index.html", "built site")
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            parsed[path] = _Links()
            parsed[path].feed(path.read_text(encoding="utf-8"))
        return parsed[path]

    broken = []
    pages = [SITE / f"{p}.html" for p in PAGES]
    for page in pages:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(SITE)}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
                broken.append(f"{page.relative_to(SITE)}: {link} (no anchor)")
    assert broken == []

"""The Chinese edition of the site (``_build/html/zh``, built by README command 1
with ``tools/zh_edition.py``), in a real browser, as ``tests/test_site.py``
checks the English one: every page loads offline with no console error, its
math typeset and its images shown, it reads in Chinese, and its language
switch leads to the same page in English and back; search finds 红烧排骨.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
import test_site
from test_site import NOTEBOOK_PAGES, PAGES, RAW_TEX_JS, SITE, Visit

from conftest import require_built
from tools.zh_edition import CJK

browser = test_site.browser
ZH = SITE / "zh"
#: The text of the article that a translator writes: not code, outputs, math or the bibliography.
PROSE_JS = """() => {
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('pre, code, .cell_output, .output, mjx-container, script, .citation, .footnote')
    .forEach(e => e.remove());
  return article.innerText;
}"""
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def site_url(serve_dir):
    require_built(ZH / "index.html", "Chinese edition")
    return serve_dir(SITE)


@pytest.mark.parametrize("name", PAGES)
def test_chinese_page_renders_reads_in_chinese_and_switches_to_the_same_english_page(browser, site_url, name):
    url = urljoin(site_url, f"zh/{name}.html")
    visit = Visit(browser, url)
    page = visit.page
    assert visit.errors == [], "console errors"
    assert visit.failed == [], "failed requests"
    assert [u for u in visit.requests if not u.startswith((site_url, "data:"))] == [], "reached beyond the site"
    assert page.evaluate(RAW_TEX_JS) == [], "raw TeX left in the text: math not rendered"
    if visit.has_math:
        assert page.locator("mjx-container").count() > 0, "this page has math; none was rendered"
    images = page.evaluate("() => Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
    assert all(ok for _, ok in images), images
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert CJK.search(page.locator("article h1").first.inner_text()), "the title is in Chinese"
    # Sphinx marks what it could not translate (translation_progress_classes in locale/zh_CN/_config.yml).
    untranslated = page.locator(".untranslated").all_inner_texts()
    assert untranslated == [], "texts left in English"
    # The explorers' sliders (rnnlib.widgets) say what each frame shows in Chinese too.
    slider_texts = page.evaluate(
        "() => Array.from(document.querySelectorAll('.rnnlib-slider img, .rnnlib-slider label, .rnnlib-slider p'))"
        ".map(e => e.alt || e.textContent)"
    )
    assert [t for t in slider_texts if not CJK.search(t)] == [], "slider texts left in English"
    prose = page.evaluate(PROSE_JS)
    chinese, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
    assert chinese > latin, f"{chinese} Chinese characters against {latin} Latin letters: English left?"
    if name in NOTEBOOK_PAGES:  # Colab and Binder open the Chinese Colab edition (tools/colab_edition.py)
        test_site.check_launch_and_download_buttons(page, site_url, name, folder="zh/")
    if name.startswith("chapters/"):  # the self-check questions, answered in Chinese (_ext/quiz.py)
        test_site.answer_two_questions(page, test_site.quiz_count(name), right="答对了。", wrong="不太对。")
    switch = page.locator("a.btn-language-switch")
    assert switch.count() == 1 and switch.inner_text().strip() == "English"
    switch.click()
    page.wait_for_load_state("load")
    assert page.url == urljoin(site_url, f"{name}.html"), "the switch leads to the same page in English"
    back = page.locator("a.btn-language-switch")
    assert back.inner_text().strip() == "中文" and back.get_attribute("hreflang") == "zh-CN"
    assert urljoin(page.url, back.get_attribute("href")) == url, "and the English page's switch leads back"
    page.close()


def test_search_finds_the_braised_pork_ribs_in_chapter_five(browser, site_url):
    """Sphinx indexes the Chinese text with jieba (``html_search_language: zh``)."""
    chapter = "chapters/05_vanishing_gradients"
    page = Visit(browser, urljoin(site_url, "zh/search.html?q=红烧排骨")).page
    results = page.locator("#search-results ul.search li a")
    page.wait_for_function("() => document.querySelectorAll('#search-results ul.search li a').length > 0")
    first = [results.nth(i).get_attribute("href") for i in range(min(3, results.count()))]
    assert any(urlsplit(h).path.endswith(f"{chapter}.html") for h in first), first
    results.nth(next(i for i, h in enumerate(first) if urlsplit(h).path.endswith(f"{chapter}.html"))).click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.endswith(f"/zh/{chapter}.html"), page.url
    assert "红烧排骨" in page.locator("article").inner_text()
    page.close()

"""The built site as every reader meets it: with assistive technology, on the
dark theme, on a phone, through its search; and the figures' colours as
colour-blind readers see them.

Like ``tests/test_site.py`` (whose fixtures these tests share), the browser
tests need the built site (``_build/html``) and a Chromium, and are skipped
without them except under CI. The accessibility checks run axe-core, which
npm installs from ``package.json`` (``npm ci`` at the repository's root;
``.ci/run`` does it). Screenshots go to ``_build/screenshots/`` beside
test_site's: ``dark/`` (each figure on the dark theme) and ``phone/``.
"""

from __future__ import annotations

import html.parser
import io
import itertools
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import matplotlib
import numpy as np
import pytest
import test_site
from test_site import PAGES, SCREENSHOTS, SITE

from conftest import ROOT, require, require_built

# test_site's fixtures, shared: one Chromium for this module, the built site served from 127.0.0.1.
browser = test_site.browser
site_url = test_site.site_url

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core's two worst impact levels: a page with one of these fails.
BLOCKING = ("serious", "critical")
PHONE = {"width": 390, "height": 844}  # an iPhone 12-15's viewport, in CSS pixels
#: Where a reader expects to scroll sideways on a phone: code, cell outputs,
#: wide tables in their scrolling wrapper, and displayed math.
SCROLLERS = (
    "pre, .highlight, .output, .cell_output, .pst-scrollable-table-container, .table-wrapper,"
    " mjx-container, .MathJax, .math-wrapper"
)


DESKTOP = {"width": 1280, "height": 900}  # test_site's window


def _open(browser, site_url: str, name: str, query: str = ""):
    """A new tab showing page ``name`` (``?query``) in the theme's light mode, its math typeset."""
    page = browser.new_page()
    # The theme reads the reader's choice from localStorage before it paints (and the profile keeps it).
    page.add_init_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');")
    page.goto(urljoin(site_url, f"{name}.html" + (f"?{query}" if query else "")), wait_until="load")
    if page.locator("script[src*='mathjax']").count():
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
    return page


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance (WCAG 2) of 8-bit sRGB colours (``rgb``'s last axis: red, green, blue)."""
    c = rgb[..., :3] / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def _show(page, mode: str, viewport: dict = DESKTOP) -> None:
    """Switch the page to the theme's ``mode`` (as its switch does: the root's data-theme) and the window's size."""
    page.set_viewport_size(viewport)
    page.evaluate(
        "(mode) => { document.documentElement.dataset.mode = mode; document.documentElement.dataset.theme = mode; }",
        mode,
    )
    # The theme animates the change (colours fade, the sidebar slides away): wait until it is over
    # (for every animation that ends: a spinner's never does).
    page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished))"
    )
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    luminance = _luminance(np.array([int(c) for c in re.findall(r"\d+", background)[:3]], dtype=float))
    assert luminance < 0.1 if mode == "dark" else luminance > 0.8, f"the page is not {mode}: {background}"


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script, installed from npm at the version package-lock.json pins when it is not there yet."""
    npm = shutil.which("npm")
    if not AXE.is_file() and npm:
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, check=False)
    require(
        AXE.is_file(), f"axe-core is not installed ({AXE}) and npm could not install it: install npm, or run `npm ci`"
    )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=PAGES)
def reader_page(request, browser, site_url):
    """``(name, page)``: one tab per page of the book, loaded once and shared by the checks below.

    pytest runs all the checks of one page before it loads the next; each check sets the theme's mode
    and the window's size it needs.
    """
    page = _open(browser, site_url, request.param)
    yield request.param, page
    page.close()


def _axe(page, axe_source: str) -> list[str]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:5]}" for v in violations if v["impact"] in BLOCKING]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_nothing_serious(reader_page, axe_source, mode):
    name, page = reader_page
    _show(page, mode)
    blocking = _axe(page, axe_source)
    assert blocking == [], f"{name} ({mode}): " + "\n".join(blocking)


class _Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = dict(attrs)
            self.images.append((attrs.get("src", ""), attrs.get("alt")))


def _meaningless(src: str, alt: str | None) -> bool:
    """An alt text that tells a reader nothing: missing, empty, the file's name, or one or two words."""
    if not alt or not alt.strip():
        return True
    file_name = Path(urlsplit(src).path).name
    return file_name in alt or Path(file_name).stem in alt or len(alt.split()) < 2 or re.fullmatch(r"[\w./-]+", alt)


@pytest.mark.parametrize("name", PAGES)
def test_every_image_says_what_it_shows(name):
    require_built(SITE / f"{name}.html", "page of the built site")
    parser = _Images()
    parser.feed((SITE / f"{name}.html").read_text(encoding="utf-8"))
    bad = [(src, alt) for src, alt in parser.images if _meaningless(src, alt)]
    assert bad == [], f"{name}: images without a meaningful alt text (see CONTRIBUTING.md, Figures)"


def test_figures_stay_readable_on_the_dark_theme(reader_page):
    from PIL import Image

    name, page = reader_page
    _show(page, "dark")
    figures = page.locator(".cell_output img:visible")
    out = SCREENSHOTS / "dark"
    out.mkdir(parents=True, exist_ok=True)
    for i in range(figures.count()):
        figure = figures.nth(i)
        shot = Image.open(io.BytesIO(figure.screenshot(path=str(out / f"{Path(name).name}-{i + 1}.png"))))
        rgb = np.asarray(shot.convert("RGB")).reshape(-1, 3)
        pixels = _luminance(rgb.astype(float))
        # The figure's background, its most common colour, must be light, as on the light theme (the
        # theme dims images on the dark one: white shows as (219, 219, 219), a luminance of 0.71)...
        colours, counts = np.unique(rgb, axis=0, return_counts=True)
        background = float(_luminance(colours[counts.argmax()].astype(float)))
        assert background >= 0.5, f"{name}, figure {i + 1}: its background shows dark ({background:.2f})"
        # ... and text and lines show on it: at least 0.2% of the pixels (a figure's labels alone
        # cover more) with a contrast of at least 4.5:1 (WCAG AA for text) against that background.
        dark = np.mean((background + 0.05) / (pixels + 0.05) >= 4.5)
        assert dark >= 0.002, f"{name}, figure {i + 1}: no dark text or lines show on it"


#: Visible elements that reach past the viewport's right edge, or are cut by its left one, outside the places
#: that scroll.
OVERFLOW_JS = """(scrollers) => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest(scrollers)) continue;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden' || style.display === 'none' || e.getClientRects().length === 0) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 1 || (r.left < -1 && r.right > 0)) {  // (wholly off to the left: a closed drawer)
      const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].map(c => '.' + c).join('');
      out.push(`${name} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""


def test_phones_scroll_sideways_only_inside_code_and_outputs(reader_page):
    name, page = reader_page
    _show(page, "light", PHONE)
    result = page.evaluate(OVERFLOW_JS, SCROLLERS)
    out = SCREENSHOTS / "phone"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{Path(name).name}.png"), full_page=True)
    assert result["scroll"] <= result["width"], f"{name}: the page scrolls sideways at {PHONE['width']} px"
    assert result["out"] == [], f"{name}: elements reach past the screen's edge"


def test_search_finds_the_braised_pork_ribs_in_chapter_five(browser, site_url):
    chapter = "chapters/05_vanishing_gradients"
    page = _open(browser, site_url, "search", query="q=braised+pork+ribs")
    results = page.locator("#search-results ul.search li a")
    page.wait_for_function("() => document.querySelectorAll('#search-results ul.search li a').length > 0")
    first = [results.nth(i).get_attribute("href") for i in range(min(3, results.count()))]
    assert any(urlsplit(h).path.endswith(f"{chapter}.html") for h in first), first
    link = next(i for i, h in enumerate(first) if urlsplit(h).path.endswith(f"{chapter}.html"))
    results.nth(link).click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.endswith(f"/{chapter}.html"), page.url
    assert "braised pork ribs" in page.locator("article").inner_text().lower()
    page.close()


# Colour-vision deficiencies simulated with Machado, Oliveira and Fernandes (2009), severity 1,
# on linear RGB: what a protanope, a deuteranope and a tritanope sees.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
}


def _lab(rgb: list[float]) -> list[float]:
    """CIE L*a*b* (D65) of a linear RGB colour."""
    rows = [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    xyz = [
        sum(m * c for m, c in zip(row, rgb, strict=True)) / w
        for row, w in zip(rows, (0.95047, 1, 1.08883), strict=True)
    ]
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return [116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])]


def _seen(colour: str, deficiency: str) -> list[float]:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in matplotlib.colors.to_rgb(colour)]
    seen = [min(max(sum(m * c for m, c in zip(row, linear, strict=True)), 0.0), 1.0) for row in CVD[deficiency]]
    return _lab(seen)


def test_the_figures_colours_stay_apart_for_colour_blind_readers():
    import rnnlib.book
    from rnnlib.diagrams import COLOURS

    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()
    assert cycle["color"][:3] == [rnnlib.book.PALETTE[c] for c in ("blue", "orange", "green")], "the book's style is on"
    assert len(set(cycle["linestyle"])) == len(cycle["linestyle"]), "every colour of the cycle has its own line style"
    assert matplotlib.rcParams["figure.facecolor"] == "white" and not matplotlib.rcParams["savefig.transparent"]
    # Any two boxes of a diagram (input, hidden state, output), or any two of the first four lines
    # of a plot, differ by a CIE76 colour difference of at least 15 for each deficiency: over 6 times
    # the just-noticeable difference (2.3), and a clear step at a glance. The old red and green boxes
    # (#f4a3a3, #9fd89f) scored 5.8 for a deuteranope; the Okabe-Ito pairs score 16 to 18 at worst.
    for colours in (list(COLOURS.values()), cycle["color"][:4]):
        for deficiency, (a, b) in itertools.product(CVD, itertools.combinations(colours, 2)):
            lab_a, lab_b = _seen(a, deficiency), _seen(b, deficiency)
            distance = sum((x - y) ** 2 for x, y in zip(lab_a, lab_b, strict=True)) ** 0.5
            assert distance >= 15, f"{a} and {b} look alike with {deficiency} (difference {distance:.1f})"

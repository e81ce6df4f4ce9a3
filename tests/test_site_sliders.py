"""The chapters' explorers on the built site, moved in a real browser.

With no kernel, each explorer is a slider over precomputed figures
(``rnnlib/widgets.py``, ``_vendor/slider.js``). Like ``test_site.py`` (whose
fixtures this reuses) it needs the built book (``_build/html``) and a
Chromium, and is skipped without them, except under CI.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest
import test_site
from test_site import NOTEBOOK_PAGES, Visit

from conftest import ROOT

# test_site's fixtures, shared: one Chromium for this module, the built site served from 127.0.0.1.
browser = test_site.browser
site_url = test_site.site_url


def explorer_calls(page: str) -> int:
    notebook = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))
    return sum("".join(c["source"]).count("explorer(") for c in notebook["cells"] if c["cell_type"] == "code")


PAGES_WITH_EXPLORERS = [p for p in NOTEBOOK_PAGES if explorer_calls(p)]

#: What a reader of one explorer sees: each slider's value read-out, and the figure shown (src and alt).
SEEN_JS = """box => {
  const shown = Array.from(box.querySelectorAll('img.rnnlib-slider-frame')).filter(i => !i.hidden);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  canvas.getContext('2d').drawImage(shown[0], 0, 0);
  return {
    readouts: Array.from(box.querySelectorAll('output')).map(o => o.textContent),
    valuetexts: Array.from(box.querySelectorAll('input')).map(i => i.getAttribute('aria-valuetext')),
    shown: shown.map(i => [i.src, i.alt, i.complete && i.naturalWidth > 0, i.getBoundingClientRect().width > 0]),
    corner: Array.from(canvas.getContext('2d').getImageData(0, 0, 1, 1).data),
  };
}"""


def test_every_chapter_with_an_explorer_is_checked():
    assert len(PAGES_WITH_EXPLORERS) >= 4, PAGES_WITH_EXPLORERS  # chapters 2 to 5 at least


@pytest.mark.parametrize("name", PAGES_WITH_EXPLORERS)
def test_each_slider_moves_the_figure_and_its_read_out(browser, site_url, name):
    visit = Visit(browser, urljoin(site_url, f"{name}.html"))
    page = visit.page
    boxes = page.locator(".rnnlib-slider")
    assert boxes.count() == explorer_calls(name), "one slider version per explorer in the notebook"
    for b in range(boxes.count()):
        box = boxes.nth(b)
        sliders = box.locator("input[type=range]")
        assert sliders.count() >= 1
        for s in range(sliders.count()):
            slider = sliders.nth(s)
            assert slider.is_enabled(), "slider.js enables the slider"
            label = box.locator(f"label[for='{slider.get_attribute('id')}']")
            assert label.count() == 1 and label.inner_text().strip(), "each slider has a label"
            before = box.evaluate(SEEN_JS)
            assert len(before["shown"]) == 1 and all(before["shown"][0][2:]), before["shown"]
            # By keyboard: one step towards the middle of the range.
            at_max = slider.input_value() == slider.get_attribute("max")
            slider.focus()
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            after = box.evaluate(SEEN_JS)
            assert after["readouts"][s] != before["readouts"][s], "the value read-out follows the slider"
            assert after["valuetexts"][s] == after["readouts"][s], "screen readers hear the same value"
            assert after["shown"][0][0] != before["shown"][0][0], "another figure is shown"
            assert after["shown"][0][1] != before["shown"][0][1], "its alt text describes the new figure"
            # By setting the value, as a script or an assistive tool would: the far end of the range.
            slider.evaluate("i => { i.value = i.min; i.dispatchEvent(new Event('input', {bubbles: true})); }")
            end = box.evaluate(SEEN_JS)
            assert end["readouts"][s] == slider.get_attribute("min")
            assert len(end["shown"]) == 1 and all(end["shown"][0][2:])
            assert end["shown"][0][0] not in (before["shown"][0][0], after["shown"][0][0])
    assert visit.errors == [], "console errors"
    page.close()


@pytest.mark.parametrize("name", PAGES_WITH_EXPLORERS)
def test_screen_shows_the_slider_and_print_the_static_figure(browser, site_url, name):
    page = Visit(browser, urljoin(site_url, f"{name}.html")).page
    fallbacks = page.locator(".cell.tag_widget-fallback .cell_output")
    assert fallbacks.count() == explorer_calls(name), "each explorer has its static figure just before it"
    # On screen: the slider's figure, drawn on opaque white (readable in dark mode); the static figure is hidden.
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    assert all(not fallbacks.nth(k).is_visible() for k in range(fallbacks.count()))
    for b in range(page.locator(".rnnlib-slider").count()):
        seen = page.locator(".rnnlib-slider").nth(b).evaluate(SEEN_JS)
        assert seen["corner"] == [255, 255, 255, 255], "the figure's own background is opaque white"
    # In print (and the PDF made from it): the static figure, no slider.
    page.emulate_media(media="print")
    assert all(fallbacks.nth(k).locator("img").first.is_visible() for k in range(fallbacks.count()))
    assert not any(box.is_visible() for box in page.locator(".rnnlib-slider").all())
    page.close()

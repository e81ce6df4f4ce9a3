import base64
import html.parser
import io
import json
import sys
import types

import ipywidgets as widgets
import matplotlib.pyplot as plt
import PIL.Image
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from rnnlib.diagrams import unrolled_figure
from rnnlib.widgets import explorer

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def hidden_boxes(fig):
    return sum(1 for p in fig.axes[0].patches if p.get_gid() == "hidden")


def test_explorer_draws_at_once_and_redraws_when_a_control_moves():
    slider = widgets.IntSlider(value=3, min=1, max=8)
    box = explorer({"steps": slider}, unrolled_figure)
    assert box.children[0] is slider and isinstance(box.children[-1], widgets.Output)
    assert hidden_boxes(box.figure) == 3
    slider.value = 7
    assert hidden_boxes(box.figure) == 7


def test_explorer_passes_every_control_by_name():
    seen = []

    def draw(sentence, scale):
        seen.append((sentence, scale))
        return plt.figure()

    text, slider = widgets.Text(value="a b"), widgets.FloatSlider(value=0.5)
    explorer({"sentence": text, "scale": slider}, draw, grid={"scale": [0.5, 1.0]})
    text.value = "c d e"
    assert seen == [("a b", 0.5), ("c d e", 0.5)]


class _Tags(html.parser.HTMLParser):
    """Every start tag of an HTML fragment, as (tag, attributes)."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag):
        return [a for t, a in self.tags if t == tag]


def static_page(box):
    """The web page's version of an explorer: the text/html of the bundle it displays."""
    return _Tags(box._repr_mimebundle_()["text/html"])


def test_the_web_page_version_has_one_frame_per_slider_value_and_a_matching_slider():
    box = explorer({"steps": widgets.IntSlider(value=3, min=1, max=8)}, unrolled_figure, alt="unrolled over {steps}")
    page = static_page(box)
    (slider,) = page.all("input")
    assert (slider["type"], slider["min"], slider["max"], slider["step"], slider["value"]) == (
        "range",
        "1",
        "8",
        "1",
        "3",
    )
    assert "disabled" in slider, "the slider waits for slider.js rather than pretend to work without it"
    assert [label["for"] for label in page.all("label")] == [slider["id"]]
    (readout,) = page.all("output")
    assert readout["for"] == slider["id"] and readout["aria-live"] == "polite"
    frames = page.all("img")
    assert [f["alt"] for f in frames] == [f"unrolled over {k}" for k in range(1, 9)]
    assert len({f["src"] for f in frames}) == 8, "every frame is a different figure"
    assert ["hidden" in f for f in frames] == [k != 3 for k in range(1, 9)], "the slider's value is the one shown"


def test_the_web_page_version_loads_nothing_and_runs_no_script_of_its_own():
    box = explorer({"t": widgets.IntSlider(value=2, min=1, max=3)}, lambda t: unrolled_figure(steps=3, highlight=t))
    page = static_page(box)
    assert [t for t, _ in page.tags if t in ("script", "link", "iframe", "style")] == []
    sources = [v for _, attrs in page.tags for k, v in attrs.items() if k in ("src", "href")]
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)


def test_a_grid_of_floats_keeps_the_other_controls_fixed_and_says_so():
    seen = []

    def draw(sentence, scale):
        seen.append((sentence, scale))
        return plt.figure()

    controls = {"sentence": widgets.Text(value="a b"), "scale": widgets.FloatSlider(value=0.7, min=0.1, max=1.5)}
    box = explorer(controls, draw, grid={"scale": [k / 10 for k in range(5, 10)]})
    seen.clear()
    page = static_page(box)
    (slider,) = page.all("input")
    assert (slider["min"], slider["max"], slider["step"], slider["value"]) == ("0.5", "0.9", "0.1", "0.7")
    assert json.loads(slider["data-labels"]) == ["0.5", "0.6", "0.7", "0.8", "0.9"]
    assert seen == [("a b", k / 10) for k in range(5, 10)], "the grid's values exactly (0.6, not 0.6000000000000001)"
    assert "Fixed on this page: sentence = &quot;a b&quot;." in box._repr_mimebundle_()["text/html"]


def test_two_gridded_sliders_give_their_product_in_row_major_order():
    box = explorer(
        {"a": widgets.IntSlider(value=1, min=0, max=2), "b": widgets.IntSlider(value=0, min=0, max=1)},
        lambda a, b: plt.figure(),
        alt="a={a} b={b}",
    )
    page = static_page(box)
    assert [s["data-stride"] for s in page.all("input")] == ["2", "1"]
    assert [f["alt"] for f in page.all("img")] == [f"a={a} b={b}" for a in range(3) for b in range(2)]
    assert ["hidden" in f for f in page.all("img")].index(False) == 2, "a=1, b=0 shown first"


def test_both_ipywidgets_display_paths_offer_the_widget_and_the_web_page_version():
    box = explorer({"steps": widgets.IntSlider(value=2, min=1, max=3)}, unrolled_figure)
    shell = InteractiveShell.instance()
    # ipywidgets 8 asks _repr_mimebundle_; ipywidgets 7 (Colab) has the widget display itself, through
    # _ipython_display_, which IPython calls first when it exists: both must give the same bundle.
    with capture_output() as captured:
        shell.display_formatter.format(box)
    (shown,) = captured.outputs
    assert set(shown.data) == {"text/plain", "text/html", WIDGET_VIEW}
    assert shown.data[WIDGET_VIEW]["model_id"] == box.model_id
    assert shown.data == box._repr_mimebundle_()


def test_on_colab_the_bundle_is_the_widget_alone(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    box = explorer({"steps": widgets.IntSlider(value=2, min=1, max=3)}, unrolled_figure)
    assert set(box._repr_mimebundle_()) == {"text/plain", WIDGET_VIEW}


@pytest.mark.parametrize(
    "grid, expected",
    [
        ({"speed": [1, 2]}, "expected names of controls"),
        ({"steps": [1, 2, 4]}, "evenly spaced"),
        ({"steps": [3]}, "at least 2"),
        ({"steps": list(range(1, 27))}, "at most 25 figures"),
    ],
)
def test_a_bad_grid_is_a_value_error_naming_what_was_expected(grid, expected):
    with pytest.raises(ValueError, match=expected):
        explorer({"steps": widgets.IntSlider(value=3, min=1, max=40)}, unrolled_figure, grid=grid)


def test_a_slider_with_too_many_values_needs_a_grid():
    with pytest.raises(ValueError, match="at most 25 figures"):
        explorer({"steps": widgets.IntSlider(value=3, min=1, max=40)}, unrolled_figure)


def test_an_explorer_without_a_slider_shows_its_one_figure_and_its_fixed_values():
    box = explorer({"sentence": widgets.Text(value="a b")}, lambda sentence: plt.figure(), alt="bars for {sentence}")
    page = static_page(box)
    assert page.all("input") == [] and [f["alt"] for f in page.all("img")] == ["bars for a b"]


def test_the_frames_are_opaque_so_they_read_on_the_dark_theme():
    box = explorer({"steps": widgets.IntSlider(value=1, min=1, max=2)}, unrolled_figure)
    (src, _) = (f["src"] for f in static_page(box).all("img"))
    frame = PIL.Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    assert "transparency" not in frame.info and frame.convert("RGBA").getpixel((0, 0)) == (255, 255, 255, 255)


def test_the_web_page_version_keeps_its_english_texts_for_a_translated_edition():
    """What _ext/edition.py relies on to write an explorer's texts in Chinese: each text beside its values."""
    controls = {
        "steps": widgets.IntSlider(value=2, min=1, max=3, description="steps"),
        "word": widgets.Text(value="ribs"),
    }
    page = static_page(explorer(controls, lambda steps, word: plt.figure(), alt="{word} over {steps} steps"))
    (box,) = [a for t, a in page.tags if t == "div" and a.get("class") == "rnnlib-slider"]
    frames = page.all("img")
    assert [f["alt"] for f in frames] == ["ribs over 1 steps", "ribs over 2 steps", "ribs over 3 steps"]
    assert all(box["data-alt"].format(**json.loads(f["data-values"])) == f["alt"] for f in frames)
    assert [label["data-text"] for label in page.all("label")] == ["steps"]
    (note,) = page.all("p")
    assert note["data-kept"] == 'word = "ribs"'
    default = static_page(explorer({"steps": controls["steps"]}, lambda steps: plt.figure()))
    assert [f["alt"] for f in default.all("img")] == [
        "Figure for steps = 1",
        "Figure for steps = 2",
        "Figure for steps = 3",
    ]

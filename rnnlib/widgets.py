"""Small interactive explorers for the chapters, built on ipywidgets.

They use only the part of the ipywidgets API that versions 7 (Colab) and 8
(Jupyter) share: sliders, a text box, ``Output``, ``VBox`` and
``observe(..., names="value")``. Each explorer redraws a figure made by a
plain function. The last figure drawn is kept as ``explorer.figure``, which
is what the tests look at.

Three places show an explorer, each its own way:

- **Jupyter and Colab** run the live widget: every move redraws the figure.
- **The web page** has no kernel. When an explorer is displayed it also
  offers an HTML version (``text/html`` beside the widget's own mime type):
  the figures for a small grid of slider values, precomputed as PNGs inside
  the page, behind an ``<input type="range">`` per gridded slider that swaps
  them. ``_vendor/slider.js`` (served by the site itself; nothing from a CDN)
  moves it. ``_config.yml`` tells MyST-NB never to render a widget view
  (``nb_mime_priority_overrides``), so the site shows the HTML, while
  Jupyter's front ends show the widget view. Controls left out of the grid
  (a text box, a second slider) keep their value and the page says so. The
  grid costs a few seconds each time an explorer is displayed; on Colab the
  HTML is left out, so that Colab shows exactly ipywidgets' own bundle.
- **Print and the PDF** show the static figure that the chapter draws in the
  cell just before the widget cell, tagged ``widget-fallback``:
  ``_vendor/slider.css`` hides that figure's output on screen (the slider
  shows its figures there) and, in print, hides the slider instead.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
import sys
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import PIL.Image  # matplotlib writes its PNGs with Pillow, so it is always there
from IPython.display import display
from matplotlib.figure import Figure

#: The web page's note under the sliders when some control cannot move there.
NOTE = "Fixed on this page: {kept}. Run the notebook to change it."
#: The most figures one explorer precomputes for the web page (page weight).
_MAX_FRAMES = 25
#: Resolution of the precomputed figures: sharp enough on screen, light enough to ship 25 of.
_DPI = 80
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def explorer(
    controls: dict[str, widgets.ValueWidget],
    draw: Callable[..., Figure],
    grid: dict[str, Sequence[float]] | None = None,
    alt: str | None = None,
) -> widgets.VBox:
    """Return a box of ``controls`` above a figure that ``draw(**values)`` redraws on every change.

    ``grid`` gives, per slider, the evenly spaced values the web page's
    version precomputes (at most 25 figures in all, the product of the
    grids); by default every slider's whole range. Controls left out of it
    keep their value there.
    ``alt`` describes one figure for screen readers, with ``{name}`` filled
    in by each control's value (by default "Figure for name = value, ...").
    """
    grid = _default_grid(controls) if grid is None else {name: [_tidy(v) for v in vs] for name, vs in grid.items()}
    for name, values in grid.items():
        if name not in controls:
            raise ValueError(f"grid: expected names of controls {sorted(controls)}, got {name!r}")
        _check_even(name, values)
    if math.prod(len(v) for v in grid.values()) > _MAX_FRAMES:
        sizes = {name: len(v) for name, v in grid.items()}
        raise ValueError(
            f"grid: expected at most {_MAX_FRAMES} figures in all for the web page (choose fewer values "
            f"with grid=), got the grid sizes {sizes}"
        )
    output = widgets.Output()
    box = _Explorer([*controls.values(), output])
    box._static = (controls, draw, grid, alt)

    def update(_change: object = None) -> None:
        figure = draw(**{name: control.value for name, control in controls.items()})
        box.figure = figure
        with output:
            output.clear_output(wait=True)
            display(figure)
        plt.close(figure)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box


class _Explorer(widgets.VBox):
    """The box ``explorer`` returns: the widget, plus its web page version in the display's mime bundle."""

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = {"text/plain": "Interactive figure: run this notebook to move its controls."}
        bundle[_WIDGET_VIEW] = {"version_major": 2, "version_minor": 0, "model_id": self.model_id}
        if "google.colab" not in sys.modules:
            bundle["text/html"] = _static_html(f"rnnlib-slider-{self.model_id[:8]}", *self._static)
        return bundle

    def _ipython_display_(self, **kwargs: object) -> None:
        # IPython calls this first when it exists, and ipywidgets 7 (Colab's) defines its own: so under 7
        # and 8 alike a displayed explorer publishes the bundle above.
        display(self._repr_mimebundle_(), raw=True)


def _default_grid(controls: dict[str, widgets.ValueWidget]) -> dict[str, list[float]]:
    grid = {}
    for name, control in controls.items():
        if isinstance(control, widgets.IntSlider | widgets.FloatSlider):
            count = round((control.max - control.min) / control.step) + 1
            grid[name] = [_tidy(control.min + i * control.step) for i in range(count)]
    return grid


def _check_even(name: str, values: list[float]) -> None:
    steps = [b - a for a, b in itertools.pairwise(values)]
    if not steps or any(not math.isclose(s, steps[0], rel_tol=1e-6) or s <= 0 for s in steps):
        raise ValueError(f"grid[{name!r}]: expected at least 2 evenly spaced, increasing values, got {values}")


def _tidy(value: float) -> float:
    """``value`` without the float noise of ``min + i * step`` (0.7, not 0.7000000000000001)."""
    return round(value, 10) if isinstance(value, float) else value


def _label(value: object) -> str:
    return f"{round(value, 10):g}" if isinstance(value, float) else str(value)


def _png(figure: Figure) -> str:
    """``figure`` as a PNG data URL, on white, in a palette of 64 colours (a third of the bytes, looks the same)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, facecolor="white", bbox_inches="tight")  # as Jupyter shows it
    buffer.seek(0)
    small = io.BytesIO()
    PIL.Image.open(buffer).convert("RGB").quantize(colors=64).save(small, format="png", optimize=True)
    return "data:image/png;base64," + base64.b64encode(small.getvalue()).decode("ascii")


def _static_html(
    uid: str,
    controls: dict[str, widgets.ValueWidget],
    draw: Callable[..., Figure],
    grid: dict[str, list[float]],
    alt: str | None,
) -> str:
    """The explorer for a page with no kernel: one ``<img>`` per grid point, a range input per gridded slider."""
    fixed = {name: c.value for name, c in controls.items() if name not in grid}
    # The starting frame: each slider's grid value nearest to its current value.
    start = [min(range(len(v)), key=lambda i, v=v, n=n: abs(v[i] - controls[n].value)) for n, v in grid.items()]
    strides = [math.prod(len(v) for v in list(grid.values())[k + 1 :]) for k in range(len(grid))]
    alt = alt or "Figure for " + ", ".join(f"{name} = {{{name}}}" for name in [*grid, *fixed])
    inputs, frames = [], []
    for (name, values), first, stride in zip(grid.items(), start, strides, strict=True):
        label = html.escape(getattr(controls[name], "description", "") or name)
        labels = [_label(v) for v in values]
        inputs.append(
            f'<label for="{uid}-{name}" data-text="{label}">{label}</label> '
            f'<input type="range" id="{uid}-{name}" min="{labels[0]}" max="{labels[-1]}" '
            f'step="{_label(_tidy(values[1] - values[0]))}" value="{labels[first]}" '
            f'data-stride="{stride}" data-labels="{html.escape(json.dumps(labels))}" '
            f'aria-valuetext="{labels[first]}" disabled> '
            f'<output for="{uid}-{name}" aria-live="polite">{labels[first]}</output>'
        )
    current = sum(i * s for i, s in zip(start, strides, strict=True))
    for index, point in enumerate(itertools.product(*grid.values())):
        values = dict(zip(grid, point, strict=True)) | fixed
        figure = draw(**values)
        shown = {n: _label(v) for n, v in values.items()}
        text = alt.format(**shown)
        frames.append(
            f'<img class="rnnlib-slider-frame" src="{_png(figure)}" alt="{html.escape(text)}"'
            f' data-values="{html.escape(json.dumps(shown))}"' + ("" if index == current else " hidden") + ">"
        )
        plt.close(figure)
    note = ""
    if fixed:
        kept = ", ".join(f"{n} = {json.dumps(v) if isinstance(v, str) else _label(v)}" for n, v in fixed.items())
        note = (
            f'<p class="rnnlib-slider-note" data-kept="{html.escape(kept)}">{html.escape(NOTE.format(kept=kept))}</p>'
        )
    # The English texts are kept beside what they make (data-alt: the template of every frame's alt,
    # data-values: its values; data-text: a label; data-kept: the note's values), so that a translated
    # edition of the book can write them in its language (the book's _ext/edition.py).
    return (
        f'<div class="rnnlib-slider" data-alt="{html.escape(alt)}">'
        + "".join(f'<div class="rnnlib-slider-control">{i}</div>' for i in inputs)
        + note
        + "".join(frames)
        + "</div>"
    )

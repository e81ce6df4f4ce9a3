"""Put computed numbers into the book's prose, on the site and on Colab alike.

A chapter never types a number it computed. It *glues* the value, and the
text refers to it by name (in MyST: ``{glue:text}`name:.3f```). Jupyter
Book then writes the value from the executed notebook into the page.

Importing this module (every chapter does, for :func:`glue`) also sets the
book's figure style, the one place the figures' look is decided: an opaque
white background, so a figure stays readable on the site's dark theme, and
the colour-blind-safe Okabe–Ito colours (:data:`PALETTE`) as the colour
cycle, each colour with its own line style, so lines compared in one plot
differ by more than their hue.
"""

from __future__ import annotations

from typing import Any

import matplotlib
from matplotlib import cycler

#: The Okabe–Ito colours (Okabe and Ito, *Color Universal Design*, 2008),
#: told apart by readers with any common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

_CYCLE = ["blue", "orange", "green", "vermillion", "purple", "sky", "black"]  # yellow is too pale for a line
_LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3))]

#: The matplotlib settings every figure of the book is drawn with.
_FIGURE_STYLE = {
    "axes.prop_cycle": cycler(color=[PALETTE[c] for c in _CYCLE]) + cycler(linestyle=_LINESTYLES),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "image.cmap": "viridis",
}

matplotlib.rcParams.update(_FIGURE_STYLE)


def glue(name: str, value: Any, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose.

    Uses :func:`myst_nb.glue` when myst-nb is installed (the book build).
    On Colab or a plain Jupyter, where it is not, nothing is recorded and
    the notebook carries on: the reader sees the values in the cells' output.
    Returns nothing, so a ``glue(...)`` at the end of a cell prints nothing.

    Raises:
        TypeError: if ``name`` is not a str.
        ValueError: if ``name`` is not a valid identifier-like key.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not name.replace("_", "a").replace("-", "a").isalnum():
        raise ValueError(f"name must use letters, digits, '_' or '-', got {name!r}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=display)

"""Draw recurrent networks as boxes and arrows with matplotlib.

Every figure of the course is drawn by code from a small spec, never pasted
in as an image. Colours follow the usual convention, inputs red, hidden
states green, outputs blue, in shades that colour-blind readers tell apart
too (a coral red, and tints of the Okabe–Ito bluish green and blue of
:data:`rnnlib.book.PALETTE`: they differ in lightness as well as hue), and
each kind of box also keeps its own row.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from rnnlib._checks import check_int
from rnnlib.book import PALETTE
from rnnlib.structures import IOStructure


def _tint(colour: str, white: float) -> str:
    """``colour`` (``"#rrggbb"``) mixed with a share ``white`` of white."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * white):02x}" for c in channels)


#: Face colours of the three kinds of box, picked so that they stay apart for protanopes, deuteranopes and
#: tritanopes (tests/test_site_a11y.py checks it).
COLOURS = {
    "input": "#e8705f",  # a coral red: Okabe-Ito's vermillion is orange once tinted
    "hidden": _tint(PALETTE["green"], 0.7),
    "output": _tint(PALETTE["blue"], 0.3),
}

_BOX = 0.6  # side of a box, in data units; steps are 1 unit apart
_ROW = {"input": 0.0, "hidden": 1.0, "output": 2.0}
_FADED = 0.2  # opacity of the parts a highlight leaves out


def _finish(ax: Axes, left: float, right: float, title: str) -> None:
    ax.set_xlim(left, right)
    ax.set_ylim(-0.6, 2.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title, fontsize=11)


def _box(ax: Axes, x: float, row: str, label: str = "", faded: bool = False) -> None:
    y = _ROW[row]
    alpha = _FADED if faded else 1.0
    ax.add_patch(
        FancyBboxPatch(
            (x - _BOX / 2, y - _BOX / 2),
            _BOX,
            _BOX,
            boxstyle="round,pad=0.02",
            facecolor=COLOURS[row],
            edgecolor="black",
            linewidth=1.0,
            gid=row,
            alpha=alpha,
        )
    )
    if label:
        ax.text(x, y, label, ha="center", va="center", fontsize=11, alpha=alpha)


def _arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    kind: str,
    label: str = "",
    faded: bool = False,
    **style: object,
) -> None:
    alpha = _FADED if faded else 1.0
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=10,
            linewidth=1.0,
            color="black",
            gid=kind,
            alpha=alpha,
            **style,
        )
    )
    if label:
        mid_x, mid_y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        dx, dy = (0.0, 0.14) if start[1] == end[1] else (0.14, 0.0)
        ax.text(mid_x + dx, mid_y + dy, label, ha="center", va="center", fontsize=10, color="#444", alpha=alpha)


def draw_io_structure(ax: Axes, structure: IOStructure) -> None:
    """Draw ``structure`` on ``ax``: one column per time step, bottom to top input, hidden, output.

    Boxes and arrows carry a ``gid`` (``"input"``, ``"hidden"``, ``"output"``,
    ``"read"``, ``"write"``, ``"recur"``) so that tests can count them.
    """
    half = _BOX / 2
    for t in range(structure.steps):
        _box(ax, t, "hidden")
        if structure.inputs[t]:
            _box(ax, t, "input")
            _arrow(ax, (t, half), (t, 1 - half), "read")
        if structure.outputs[t]:
            _box(ax, t, "output")
            _arrow(ax, (t, 1 + half), (t, 2 - half), "write")
        if t > 0:
            _arrow(ax, (t - 1 + half, 1), (t - half, 1), "recur")
    pad = max(6 - structure.steps, 0) / 2  # centre short structures in a 6-step-wide panel
    _finish(ax, -0.6 - pad, structure.steps - 0.4 + pad, f"{structure.name}\n{structure.example}")


def _draw_legend(ax: Axes) -> None:
    """Draw the colour key (input, hidden state, output, recurrence) on ``ax``."""
    labels = {"input": "input $x_t$", "hidden": "hidden state $s_t$", "output": "output $o_t$"}
    for row, label in labels.items():
        _box(ax, 0, row)
        ax.text(0.55, _ROW[row], label, va="center", fontsize=11)
    _finish(ax, -0.6, 3.6, "key\n(one column = one time step)")


def draw_io_structures(structures: Sequence[IOStructure], ncols: int = 3) -> Figure:
    """Draw structures in a grid, ``ncols`` panels a row, with a colour key in a spare panel.

    Returns:
        The figure: one axes per structure, then one for the key if the grid
        has a spare place.

    Raises:
        ValueError: if ``structures`` is empty or ``ncols`` < 1.
        TypeError: if an element is not an :class:`~rnnlib.structures.IOStructure`.
    """
    if len(structures) == 0:
        raise ValueError("structures must hold at least one IOStructure")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    for s in structures:
        if not isinstance(s, IOStructure):
            raise TypeError(f"expected IOStructure elements, got {type(s).__name__}")
    ncols = min(ncols, len(structures))
    nrows = -(-len(structures) // ncols)  # ceiling division
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 3.4 * nrows), squeeze=False)
    flat = list(axes.flat)
    # There may be more axes than structures: the spare ones hold the legend.
    for ax, structure in zip(flat, structures, strict=False):
        draw_io_structure(ax, structure)
    spare = flat[len(structures) :]
    for ax in spare:
        ax.set_axis_off()
    if spare:
        _draw_legend(spare[0])
    fig.tight_layout()
    return fig


def draw_folded(ax: Axes) -> None:
    """Draw the folded network: input, hidden layer with its loop ``W``, output.

    Boxes carry the gids of :func:`draw_io_structure`; the arrows are
    ``"read"`` (``U``), ``"write"`` (``V``) and ``"recur"`` (``W``, the loop).
    """
    half = _BOX / 2
    _box(ax, 0, "input", "$x$")
    _box(ax, 0, "hidden", "$s$")
    _box(ax, 0, "output", "$o$")
    _arrow(ax, (0, half), (0, 1 - half), "read", "$U$")
    _arrow(ax, (0, 1 + half), (0, 2 - half), "write", "$V$")
    _arrow(ax, (half, 1.1), (half, 0.9), "recur", connectionstyle="arc3,rad=-2.5")
    ax.text(half + 0.4, 1.0, "$W$", ha="left", va="center", fontsize=10, color="#444")
    _finish(ax, -1.2, 1.6, "folded")


def draw_unrolled(ax: Axes, steps: int, highlight: int | None = None) -> None:
    """Draw the network unrolled over ``steps`` time steps, from the initial state ``s_0``.

    Column ``t`` (1 to ``steps``) holds ``x_t``, ``s_t`` and ``o_t``; every
    column uses the same ``U``, ``W`` and ``V``. With ``highlight=t``, what
    feeds ``o_t`` stays in full colour (``x_1 ... x_t``, ``s_0 ... s_t``)
    and everything else fades.

    Raises:
        TypeError: if ``steps`` or ``highlight`` is not an int.
        ValueError: if ``steps`` < 1 or ``highlight`` is not in ``1 ... steps``.
    """
    check_int("steps", steps, minimum=1)
    if highlight is not None:
        check_int("highlight", highlight, minimum=1, maximum=steps)
    half = _BOX / 2
    ax.add_patch(
        FancyBboxPatch(
            (-half, 1 - half),
            _BOX,
            _BOX,
            boxstyle="round,pad=0.02",
            facecolor="white",
            edgecolor="black",
            linestyle="--",
            gid="initial",
        )
    )
    ax.text(0, 1, "$s_0$", ha="center", va="center", fontsize=11)
    for t in range(1, steps + 1):
        feeds = highlight is None or t <= highlight
        _box(ax, t, "input", f"$x_{{{t}}}$", faded=not feeds)
        _box(ax, t, "hidden", f"$s_{{{t}}}$", faded=not feeds)
        _box(ax, t, "output", f"$o_{{{t}}}$", faded=highlight is not None and t != highlight)
        _arrow(ax, (t, half), (t, 1 - half), "read", "$U$", faded=not feeds)
        _arrow(ax, (t, 1 + half), (t, 2 - half), "write", "$V$", faded=highlight is not None and t != highlight)
        _arrow(ax, (t - 1 + half, 1), (t - half, 1), "recur", "$W$", faded=not feeds)
    title = f"unrolled over {steps} step{'s' if steps > 1 else ''}"
    if highlight is not None:
        title += f": what feeds $o_{{{highlight}}}$"
    _finish(ax, -0.6, steps + 0.6, title)


def draw_folded_and_unrolled(steps: int = 4) -> Figure:
    """Draw the folded network beside the same network unrolled over ``steps`` steps.

    Returns:
        The figure, with two axes: folded, then unrolled.
    """
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(3.0 + 1.1 * (steps + 1), 3.4), gridspec_kw={"width_ratios": [3.6, steps + 1.2]}
    )
    draw_folded(left)
    draw_unrolled(right, steps)
    left.set_xlim(-1.2, 2.4)
    left.text(2.0, 1.0, "=", fontsize=22, ha="center", va="center")
    fig.tight_layout()
    return fig


def unrolled_figure(steps: int, highlight: int | None = None) -> Figure:
    """A figure of its own holding :func:`draw_unrolled` (what the chapters' sliders redraw)."""
    fig, ax = plt.subplots(figsize=(1.2 * steps + 1.6, 3.4))
    draw_unrolled(ax, steps, highlight)
    return fig

"""Draw recurrent networks as boxes and arrows with matplotlib.

Every figure of the course is drawn by code from a small spec, never pasted
in as an image. Colours follow the usual convention: inputs red, hidden
states green, outputs blue.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from rnnlib.structures import IOStructure

#: Face colours of the three kinds of box.
COLOURS = {"input": "#f4a3a3", "hidden": "#9fd89f", "output": "#a3c4f4"}

_BOX = 0.6  # side of a box, in data units; steps are 1 unit apart
_ROW = {"input": 0.0, "hidden": 1.0, "output": 2.0}


def _box(ax: Axes, x: float, row: str) -> None:
    y = _ROW[row]
    ax.add_patch(
        FancyBboxPatch(
            (x - _BOX / 2, y - _BOX / 2), _BOX, _BOX,
            boxstyle="round,pad=0.02", facecolor=COLOURS[row], edgecolor="black", linewidth=1.0,
            gid=row,
        )
    )


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], kind: str) -> None:
    ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, linewidth=1.0, color="black", gid=kind)
    )


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
    ax.set_xlim(-0.6 - pad, structure.steps - 0.4 + pad)
    ax.set_ylim(-0.6, 2.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"{structure.name}\n{structure.example}", fontsize=11)


def draw_legend(ax: Axes) -> None:
    """Draw the colour key (input, hidden state, output, recurrence) on ``ax``."""
    labels = {"input": "input $x_t$", "hidden": "hidden state $s_t$", "output": "output $o_t$"}
    for row, label in labels.items():
        _box(ax, 0, row)
        ax.text(0.55, _ROW[row], label, va="center", fontsize=11)
    ax.set_xlim(-0.6, 3.6)
    ax.set_ylim(-0.6, 2.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("key\n(one column = one time step)", fontsize=11)


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
    for ax, structure in zip(flat, structures):
        draw_io_structure(ax, structure)
    spare = flat[len(structures) :]
    for ax in spare:
        ax.set_axis_off()
    if spare:
        draw_legend(spare[0])
    fig.tight_layout()
    return fig

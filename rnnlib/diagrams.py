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
    ax.set_xlim(-0.6, max(structure.steps, 4) - 0.4)
    ax.set_ylim(-0.6, 2.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"{structure.name}\n{structure.example}", fontsize=9)


def draw_io_structures(structures: Sequence[IOStructure]) -> Figure:
    """Draw several structures side by side and return the figure (one panel each).

    Raises:
        ValueError: if ``structures`` is empty.
        TypeError: if an element is not an :class:`~rnnlib.structures.IOStructure`.
    """
    if len(structures) == 0:
        raise ValueError("structures must hold at least one IOStructure")
    for s in structures:
        if not isinstance(s, IOStructure):
            raise TypeError(f"expected IOStructure elements, got {type(s).__name__}")
    widths = [max(s.steps, 4) for s in structures]
    fig, axes = plt.subplots(
        1, len(structures), figsize=(1.0 * sum(widths), 3.2), gridspec_kw={"width_ratios": widths}, squeeze=False
    )
    for ax, structure in zip(axes[0], structures):
        draw_io_structure(ax, structure)
    fig.tight_layout()
    return fig

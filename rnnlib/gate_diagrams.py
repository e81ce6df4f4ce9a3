"""Draw an LSTM cell and a GRU cell the way Olah's "Understanding LSTM Networks" does.

One time step of the cell, left to right: the state enters on the left and
leaves on the right. Yellow boxes are *layers* (a weight matrix, a bias and
an activation: ``sigma`` or ``tanh``); pink circles are *pointwise*
operations (``x``, ``+``, ``1-``, and the ``tanh`` of the cell). Colours of
the wires' ends follow :mod:`rnnlib.diagrams`: input red, state green.

The symbols are the chapter's: the LSTM's gates are ``f_t`` (forget),
``i_t`` (input), ``o_t`` (output) with the candidate ``g_t``, as in
PyTorch's documentation and :func:`rnnlib.gates.lstm_step`; the GRU's are
``r_t`` (reset) and ``z_t`` (update) with the candidate ``n_t``, in
PyTorch's convention ``h_t = (1 - z_t) * n_t + z_t * h_{t-1}`` (see
:func:`rnnlib.gates.gru_step`).

Every patch carries a ``gid``: ``"layer"`` for the boxes, ``"pointwise"`` for
the circles, ``"wire"`` for the arrows, ``"cell"`` for the cell's frame, so
tests can count what is drawn.
"""

from __future__ import annotations

import itertools

from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from rnnlib.diagrams import COLOURS

# Face colours of the layers (sigma, tanh boxes), pointwise operations and the cell's frame.
_GATE_COLOURS = {"layer": "#ffe08a", "pointwise": "#f7c6d9", "cell": "#eef8ee"}

_W, _H = 1.0, 0.55  # a layer box, in data units
_R = 0.32  # radius of a pointwise circle
# Heights of the state line, the layer boxes and the input bus.
_TOP, _BOX, _BUS = 5.6, 2.6, 1.3
_RIGHT = 11.0  # where the outputs leave


def _check_axes(ax: object) -> None:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")


def _frame(ax: Axes) -> None:
    style = {"facecolor": _GATE_COLOURS["cell"], "edgecolor": "#5a9a5a", "linewidth": 1.2, "gid": "cell", "zorder": 0}
    ax.add_patch(FancyBboxPatch((0.9, 0.7), 9.6, 5.7, boxstyle="round,pad=0.1", **style))


def _layer(ax: Axes, x: float, y: float, activation: str) -> None:
    """A yellow box: weights, bias and ``activation`` (``"sigma"`` or ``"tanh"``)."""
    style = {"facecolor": _GATE_COLOURS["layer"], "edgecolor": "black", "linewidth": 1.0, "gid": "layer", "zorder": 3}
    ax.add_patch(FancyBboxPatch((x - _W / 2, y - _H / 2), _W, _H, boxstyle="round,pad=0.02", **style))
    ax.text(x, y, rf"$\{activation}$", ha="center", va="center", fontsize=11, zorder=4)


def _pointwise(ax: Axes, x: float, y: float, label: str) -> None:
    """A pink circle: an elementwise operation (``label`` in math text)."""
    style = {"facecolor": _GATE_COLOURS["pointwise"], "edgecolor": "black", "linewidth": 1.0, "gid": "pointwise"}
    ax.add_patch(Circle((x, y), _R, zorder=3, **style))
    size = {r"\times": 14, "+": 14, "1-": 9}.get(label, 8)
    ax.text(x, y, f"${label}$", ha="center", va="center", fontsize=size, zorder=4)


def _wire(ax: Axes, *points: tuple[float, float], arrow: bool = True) -> None:
    """A wire through ``points``; with ``arrow``, its last segment ends in an arrow head."""
    for start, end in itertools.pairwise(points[:-1]):
        ax.plot([start[0], end[0]], [start[1], end[1]], color="black", linewidth=1.3, zorder=2, solid_capstyle="round")
    ax.add_patch(
        FancyArrowPatch(
            points[-2],
            points[-1],
            arrowstyle="-|>" if arrow else "-",
            mutation_scale=11,
            linewidth=1.3,
            color="black",
            gid="wire",
            zorder=2,
            shrinkA=0,
            shrinkB=0,
        )
    )


def _end(ax: Axes, x: float, y: float, label: str, kind: str) -> None:
    """The name of a wire's end (an input or an output), in a box coloured by ``kind``."""
    ax.text(
        x,
        y,
        f"${label}$",
        ha="center",
        va="center",
        fontsize=12,
        zorder=5,
        bbox={"boxstyle": "round,pad=0.25", "facecolor": COLOURS[kind], "edgecolor": "black", "linewidth": 0.8},
    )


def _name(ax: Axes, x: float, y: float, label: str) -> None:
    """The name of the value a wire carries (a gate, a candidate)."""
    ax.text(x, y, f"${label}$", ha="left", va="center", fontsize=11, color="#333", zorder=5)


def _finish(ax: Axes, title: str) -> None:
    ax.set_xlim(-0.7, _RIGHT + 0.7)
    ax.set_ylim(-0.6, 7.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title, fontsize=12)


def draw_lstm_cell(ax: Axes) -> None:
    """Draw one LSTM step on ``ax``, as in ``rnnlib.gates.lstm_step``.

    The cell line ``c_{t-1} -> c_t`` runs across the top: the forget gate
    ``f_t`` multiplies it, then ``i_t * g_t`` is added. Below, ``h_{t-1}``
    and ``x_t`` feed four layers (``sigma`` for ``f_t``, ``i_t``, ``o_t``;
    ``tanh`` for ``g_t``), and ``h_t = o_t * tanh(c_t)`` leaves to the right
    and upwards. Shapes are not drawn; every wire carries an ``(B, H)``
    tensor (``x_t``: ``(B, I)``).

    Raises:
        TypeError: if ``ax`` is not a matplotlib ``Axes``.
    """
    _check_axes(ax)
    _frame(ax)
    f_x, i_x, g_x, o_x, out_x = 2.4, 3.7, 5.0, 6.6, 8.0
    forget, add, write, show = (f_x, _TOP), (g_x, _TOP), (g_x, 4.1), (out_x, _BOX)
    squash = (out_x, 4.1)
    # The cell line: c_{t-1} -> x (forget) -> + (write) -> c_t.
    _end(ax, -0.1, _TOP, "c_{t-1}", "hidden")
    _wire(ax, (0.45, _TOP), (forget[0] - _R, _TOP))
    _wire(ax, (forget[0] + _R, _TOP), (add[0] - _R, _TOP))
    _wire(ax, (add[0] + _R, _TOP), (_RIGHT - 0.5, _TOP))
    _end(ax, _RIGHT, _TOP, "c_t", "hidden")
    _pointwise(ax, *forget, r"\times")
    _pointwise(ax, *add, "+")
    # The input bus: h_{t-1} from the left, x_t from below, into every layer.
    _end(ax, -0.1, _BUS, "h_{t-1}", "hidden")
    _end(ax, 1.5, -0.1, "x_t", "input")
    _wire(ax, (0.45, _BUS), (o_x, _BUS), (o_x, _BOX - _H / 2))
    _wire(ax, (1.5, 0.2), (1.5, _BUS), arrow=False)
    for x in (f_x, i_x, g_x):
        _wire(ax, (x, _BUS), (x, _BOX - _H / 2))
    for x in (f_x, i_x, o_x):
        _layer(ax, x, _BOX, "sigma")
    _layer(ax, g_x, _BOX, "tanh")
    # The gates.
    _wire(ax, (f_x, _BOX + _H / 2), (f_x, _TOP - _R))
    _name(ax, f_x + 0.12, 4.0, "f_t")
    _wire(ax, (i_x, _BOX + _H / 2), (i_x, write[1]), (write[0] - _R, write[1]))
    _name(ax, i_x + 0.12, 3.55, "i_t")
    _wire(ax, (g_x, _BOX + _H / 2), (g_x, write[1] - _R))
    _name(ax, g_x + 0.12, 3.35, "g_t")
    _pointwise(ax, *write, r"\times")
    _wire(ax, (g_x, write[1] + _R), (g_x, _TOP - _R))
    # The output: h_t = o_t * tanh(c_t).
    _wire(ax, (out_x, _TOP), (out_x, squash[1] + _R))
    _pointwise(ax, *squash, r"\tanh")
    _wire(ax, (out_x, squash[1] - _R), (out_x, show[1] + _R))
    _wire(ax, (o_x + _W / 2, _BOX), (out_x - _R, _BOX))
    _name(ax, o_x + 0.6, _BOX + 0.35, "o_t")
    _pointwise(ax, *show, r"\times")
    _wire(ax, (out_x, show[1] - _R), (out_x, _BUS), (_RIGHT - 0.5, _BUS))
    _wire(ax, (9.6, _BUS), (9.6, 6.95))
    _end(ax, _RIGHT, _BUS, "h_t", "hidden")
    _end(ax, 9.6, 7.25, "h_t", "hidden")
    _finish(ax, "LSTM")


def draw_gru_cell(ax: Axes) -> None:
    """Draw one GRU step on ``ax``, as in ``rnnlib.gates.gru_step`` (PyTorch's convention).

    The state line ``h_{t-1} -> h_t`` runs across the top: the update gate
    keeps ``z_t * h_{t-1}`` and adds ``(1 - z_t) * n_t``. Below, ``h_{t-1}``
    and ``x_t`` feed two ``sigma`` layers (``z_t``, ``r_t``) and the
    candidate's ``tanh`` layer, whose view of the old state,
    ``W_hn h_{t-1} + b_hn``, is first scaled by the reset gate ``r_t``.
    Every wire carries a ``(B, H)`` tensor (``x_t``: ``(B, I)``).

    Raises:
        TypeError: if ``ax`` is not a matplotlib ``Axes``.
    """
    _check_axes(ax)
    _frame(ax)
    z_x, r_x, reset_x, n_x, keep_x, add_x = 2.4, 3.8, 5.0, 6.3, 7.0, 8.9
    gate_y = 4.8  # height of the update gate's wire
    # The state line: h_{t-1} -> x (keep z_t of it) -> + ((1 - z_t) n_t) -> h_t.
    _end(ax, -0.1, _TOP, "h_{t-1}", "hidden")
    _wire(ax, (0.45, _TOP), (keep_x - _R, _TOP))
    _wire(ax, (keep_x + _R, _TOP), (add_x - _R, _TOP))
    _wire(ax, (add_x + _R, _TOP), (_RIGHT - 0.5, _TOP))
    _wire(ax, (9.9, _TOP), (9.9, 6.95))
    _end(ax, _RIGHT, _TOP, "h_t", "hidden")
    _end(ax, 9.9, 7.25, "h_t", "hidden")
    _pointwise(ax, keep_x, _TOP, r"\times")
    _pointwise(ax, add_x, _TOP, "+")
    # The input bus: h_{t-1} comes down on the left, x_t from below.
    _end(ax, 1.9, -0.1, "x_t", "input")
    _wire(ax, (1.3, _TOP), (1.3, _BUS), (n_x, _BUS), (n_x, _BOX - _H / 2))
    _wire(ax, (1.9, 0.2), (1.9, _BUS), arrow=False)
    for x in (z_x, r_x):
        _wire(ax, (x, _BUS), (x, _BOX - _H / 2))
        _layer(ax, x, _BOX, "sigma")
    _layer(ax, n_x, _BOX, "tanh")
    # The reset gate scales the old state's term inside the candidate.
    _wire(ax, (r_x + _W / 2, _BOX), (reset_x - _R, _BOX))
    _name(ax, r_x + 0.52, _BOX + 0.35, "r_t")
    _wire(ax, (reset_x, _BUS), (reset_x, _BOX - _R))
    ax.text(reset_x + 0.08, 1.7, "$W_{hn}h_{t-1}$", ha="left", va="center", fontsize=7, color="#333", zorder=5)
    _pointwise(ax, reset_x, _BOX, r"\times")
    _wire(ax, (reset_x + _R, _BOX), (n_x - _W / 2, _BOX))
    # The update gate: z_t keeps the old state, 1 - z_t lets the candidate in.
    _wire(ax, (z_x, _BOX + _H / 2), (z_x, gate_y), (keep_x, gate_y), (keep_x, _TOP - _R))
    _name(ax, z_x + 0.12, 3.7, "z_t")
    _wire(ax, (keep_x, gate_y), (7.95 - _R, gate_y))
    _pointwise(ax, 7.95, gate_y, "1-")
    _wire(ax, (7.95 + _R, gate_y), (add_x - _R, gate_y))
    _pointwise(ax, add_x, gate_y, r"\times")
    _wire(ax, (add_x, gate_y + _R), (add_x, _TOP - _R))
    _wire(ax, (n_x, _BOX + _H / 2), (n_x, 3.8), (add_x, 3.8), (add_x, gate_y - _R))
    _name(ax, n_x + 0.12, 3.4, "n_t")
    _finish(ax, "GRU (PyTorch's convention)")

import io
from collections import Counter

import matplotlib.pyplot as plt
import pytest

from rnnlib.diagrams import (
    draw_folded,
    draw_folded_and_unrolled,
    draw_io_structure,
    draw_io_structures,
    draw_unrolled,
    unrolled_figure,
)
from rnnlib.structures import STRUCTURES


def kinds(ax):
    return Counter(p.get_gid() for p in ax.patches)


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.name)
def test_each_box_and_arrow_is_drawn_once(structure):
    fig, ax = plt.subplots()
    draw_io_structure(ax, structure)
    drawn = kinds(ax)
    assert drawn["input"] == drawn["read"] == structure.n_inputs
    assert drawn["output"] == drawn["write"] == structure.n_outputs
    assert drawn["hidden"] == structure.steps
    assert drawn["recur"] == structure.steps - 1
    assert structure.name in ax.get_title()
    plt.close(fig)


def test_the_five_panels_and_a_key_fill_a_two_by_three_grid():
    fig = draw_io_structures(STRUCTURES)
    assert len(fig.axes) == 6
    assert [ax.get_title().split("\n")[0] for ax in fig.axes[:5]] == [s.name for s in STRUCTURES]
    assert kinds(fig.axes[5]) == Counter({"input": 1, "hidden": 1, "output": 1})
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")
    plt.close(fig)


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="at least one"):
        draw_io_structures([])
    with pytest.raises(TypeError, match="IOStructure"):
        draw_io_structures(["one-to-one"])
    with pytest.raises(ValueError, match="ncols"):
        draw_io_structures(STRUCTURES, ncols=0)


@pytest.mark.parametrize("steps", [1, 4, 7])
def test_unrolled_network_has_one_column_per_step(steps):
    fig, ax = plt.subplots()
    draw_unrolled(ax, steps)
    drawn = kinds(ax)
    assert drawn["input"] == drawn["hidden"] == drawn["output"] == steps
    assert drawn["read"] == drawn["write"] == drawn["recur"] == steps
    assert drawn["initial"] == 1
    plt.close(fig)


def test_highlight_keeps_only_what_feeds_the_output():
    fig, ax = plt.subplots()
    draw_unrolled(ax, 5, highlight=2)
    solid = Counter(p.get_gid() for p in ax.patches if p.get_alpha() in (None, 1.0))
    assert solid["input"] == solid["hidden"] == 2  # x_1, x_2 and s_1, s_2
    assert solid["output"] == 1  # o_2 alone
    plt.close(fig)


def test_folded_network_has_one_of_each():
    fig, ax = plt.subplots()
    draw_folded(ax)
    assert kinds(ax) == Counter({"input": 1, "hidden": 1, "output": 1, "read": 1, "write": 1, "recur": 1})
    plt.close(fig)
    fig = draw_folded_and_unrolled(3)
    assert len(fig.axes) == 2
    plt.close(fig)


def test_unrolled_rejects_bad_steps():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="steps must be >= 1, got 0"):
        draw_unrolled(ax, 0)
    with pytest.raises(TypeError, match="steps must be an int"):
        draw_unrolled(ax, 2.5)
    with pytest.raises(ValueError, match="highlight must be from 1 to 3"):
        draw_unrolled(ax, 3, highlight=4)
    plt.close(fig)


def test_unrolled_figure_is_one_panel_with_the_highlight():
    fig = unrolled_figure(4, highlight=2)
    assert len(fig.axes) == 1 and "what feeds $o_{2}$" in fig.axes[0].get_title()
    plt.close(fig)

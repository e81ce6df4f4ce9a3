import io
from collections import Counter

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnnlib.diagrams import draw_io_structure, draw_io_structures  # noqa: E402
from rnnlib.structures import STRUCTURES  # noqa: E402


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

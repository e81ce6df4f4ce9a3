import io
from collections import Counter

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from rnnlib.gate_diagrams import draw_gru_cell, draw_lstm_cell


def texts(ax):
    return Counter(t.get_text() for t in ax.texts)


def kinds(ax):
    return Counter(p.get_gid() for p in ax.patches)


def test_lstm_cell_has_its_labelled_nodes():
    fig, ax = plt.subplots()
    draw_lstm_cell(ax)
    drawn = texts(ax)
    # Three sigmoid gates (f, i, o) and one tanh layer (g).
    assert drawn[r"$\sigma$"] == 3
    assert drawn[r"$\tanh$"] == 2  # the tanh layer of g_t and the pointwise tanh(c_t)
    assert drawn[r"$\times$"] == 3  # forget, write, show
    assert drawn["$+$"] == 1
    for name in ["$f_t$", "$i_t$", "$g_t$", "$o_t$", "$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$c_t$"]:
        assert drawn[name] == 1, name
    assert drawn["$h_t$"] == 2  # it leaves to the right and upwards
    assert kinds(ax)["layer"] == 4
    assert kinds(ax)["pointwise"] == 5
    assert ax.get_title() == "LSTM"
    where = {t.get_text(): t.get_position() for t in ax.texts}
    # The cell line runs across the top, left to right; x_t enters at the bottom left.
    assert where["$c_{t-1}$"][1] == where["$c_t$"][1] > where["$h_{t-1}$"][1] > where["$x_t$"][1]
    assert where["$c_{t-1}$"][0] < where["$c_t$"][0]
    assert where["$x_t$"][0] < where["$f_t$"][0]
    plt.close(fig)


def test_gru_cell_has_its_labelled_nodes():
    fig, ax = plt.subplots()
    draw_gru_cell(ax)
    drawn = texts(ax)
    assert drawn[r"$\sigma$"] == 2  # r and z
    assert drawn[r"$\tanh$"] == 1  # the candidate n
    assert drawn[r"$\times$"] == 3  # reset, keep, let in
    assert drawn["$+$"] == drawn["$1-$"] == 1
    for name in ["$r_t$", "$z_t$", "$n_t$", "$x_t$", "$h_{t-1}$"]:
        assert drawn[name] == 1, name
    assert drawn["$h_t$"] == 2
    assert kinds(ax)["layer"] == 3
    assert kinds(ax)["pointwise"] == 5
    plt.close(fig)


def _drawn(draw):
    fig, ax = plt.subplots(figsize=(6.5, 4.4))
    draw(ax)
    fig.canvas.draw()
    texts = [(t.get_text(), t.get_position()) for t in ax.texts]
    pixels = bytes(fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return texts, pixels, buffer.getvalue()


@pytest.mark.parametrize("draw", [draw_lstm_cell, draw_gru_cell])
def test_drawing_is_deterministic_and_renders(draw):
    first, second = _drawn(draw), _drawn(draw)
    assert first[0] == second[0]
    # Same code, same backend, same process: the pixels are identical (no tolerance needed).
    assert first[1] == second[1]
    assert first[2].startswith(b"\x89PNG")


@pytest.mark.parametrize("draw", [draw_lstm_cell, draw_gru_cell])
def test_a_non_axes_is_rejected(draw):
    with pytest.raises(TypeError, match="Axes"):
        draw("not an axes")

import ipywidgets as widgets
import matplotlib.pyplot as plt

from rnnlib.diagrams import unrolled_figure
from rnnlib.widgets import explorer


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
    explorer({"sentence": text, "scale": slider}, draw)
    text.value = "c d e"
    assert seen == [("a b", 0.5), ("c d e", 0.5)]

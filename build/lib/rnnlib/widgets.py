"""Small interactive explorers for the chapters, built on ipywidgets.

They use only the part of the ipywidgets API that versions 7 (Colab) and 8
(Jupyter) share: sliders, a text box, ``Output``, ``VBox`` and
``observe(..., names="value")``. Each explorer redraws a figure made by a
plain function, so the book can show that function's figure as the static
fallback where no kernel runs. The last figure drawn is kept as
``explorer.figure``, which is what the tests look at.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.figure import Figure


def explorer(controls: dict[str, widgets.ValueWidget], draw: Callable[..., Figure]) -> widgets.VBox:
    """Return a box of ``controls`` above a figure that ``draw(**values)`` redraws on every change."""
    output = widgets.Output()
    box = widgets.VBox([*controls.values(), output])

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

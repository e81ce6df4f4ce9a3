"""Put computed numbers into the book's prose, on the site and on Colab alike.

A chapter never types a number it computed. It *glues* the value, and the
text refers to it by name (in MyST: ``{glue:text}`name:.3f```). Jupyter
Book then writes the value from the executed notebook into the page.
"""

from __future__ import annotations

from typing import Any


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

"""Put computed numbers into the book's prose, and check its sentences against the run.

A chapter never types a number it computed. It *glues* the value, and the
text refers to it by name (in MyST: ``{glue:text}`name:.3f```). Jupyter
Book then writes the value from the executed notebook into the page.

A sentence that describes a result ("falls steadily", "in every seed") is
backed by a :func:`check` in the chapter's checks cell. Under the book's
build, the test suite and CI (``RNNLIB_STRICT=1``) a check that fails stops
the run, so no false sentence is published. On a reader's machine, where
training can end differently (another CPU, GPU or seed), it shows a note
saying which sentence this run does not support, and the notebook goes on.

Importing this module (every chapter does, for :func:`glue`) also sets the
book's figure style, the one place the figures' look is decided: an opaque
white background, so a figure stays readable on the site's dark theme, and
the colour-blind-safe Okabe–Ito colours (:data:`PALETTE`) as the colour
cycle, each colour with its own line style, so lines compared in one plot
differ by more than their hue.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any

import matplotlib
from matplotlib import cycler

from rnnlib.runtime import SEED_ENV_VAR, book_seed, strict_checks

#: The Okabe–Ito colours (Okabe and Ito, *Color Universal Design*, 2008),
#: told apart by readers with any common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

_CYCLE = ["blue", "orange", "green", "vermillion", "purple", "sky", "black"]  # yellow is too pale for a line
_LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3))]

#: The matplotlib settings every figure of the book is drawn with.
_FIGURE_STYLE = {
    "axes.prop_cycle": cycler(color=[PALETTE[c] for c in _CYCLE]) + cycler(linestyle=_LINESTYLES),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "image.cmap": "viridis",
}

matplotlib.rcParams.update(_FIGURE_STYLE)


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


#: The MIME type under which a strict check records its claim and values in
#: the executed notebook; ``tools/colab_edition.py`` reads them back as the
#: book's values for the Colab edition.
CHECK_MIME = "application/vnd.rnnlib.check+json"


class ClaimWarning(UserWarning):
    """A sentence of the chapter that this run's results do not bear out."""


#: The book's values for each claim, ``{claim: {name: shown value}}``, as the
#: book's own run got them, and the language of the notes (see :func:`published`).
_published: dict[str, dict[str, str]] = {}
_language = ["en"]

_NOTES = {
    "en": {
        "title": "This run does not bear out a sentence of this chapter.",
        "claim": "The chapter says: “{claim}”.",
        "this_run": "This run got: ",
        "and": ", ",
        "book": "The book's run got: ",
        "no_book": "The book's values are those printed on this chapter's page of the book.",
        "why": (
            "Training results differ across machines, thread counts, PyTorch versions, GPUs and seeds "
            "(this run's seed is {seed}, from ${env}; the book's is 0), and a long run can turn a tiny "
            "difference in rounding into another outcome. Nothing is wrong with your notebook: it goes on."
        ),
    },
    "zh_CN": {
        "title": "本次运行的结果不支持本章的一句话。",
        "claim": "本章写道：“{claim}”。",
        "this_run": "本次运行得到：",
        "and": "，",
        "book": "本书的运行得到：",
        "no_book": "本书的数值见本书网站上本章的页面。",
        "why": (
            "训练结果会随机器、线程数、PyTorch 版本、GPU 和随机种子而不同（本次运行的种子是 {seed}，"
            "来自 ${env}；本书用的是 0），一次较长的训练会把舍入上的微小差别放大成另一个结果。"
            "你的笔记本没有出错，它会继续运行。"
        ),
    },
}


def published(values: Mapping[str, Mapping[str, str]], language: str = "en") -> None:
    """Tell :func:`check` what the book's own run got, so that a note can show both.

    The Colab edition (``tools/colab_edition.py``) calls this at the top of
    each checks cell with the values the book's build recorded.

    Args:
        values: ``{claim: {name: value as shown}}`` for the claims of a chapter.
        language: the language of the notes, ``"en"`` or ``"zh_CN"``.

    Raises:
        ValueError: for a language with no notes.
    """
    if language not in _NOTES:
        raise ValueError(f"language must be one of {sorted(_NOTES)}, got {language!r}")
    _published.update({claim: dict(shown) for claim, shown in values.items()})
    _language[0] = language


def check(condition: object, claim: str, **values: Any) -> None:
    """Check a sentence of the chapter against this run's results.

    Args:
        condition: what the sentence says, computed from this run (truthy when it holds).
        claim: the sentence, or the words of it that the condition backs.
        **values: the numbers the condition looks at, by name, shown when it fails.

    Returns nothing, so that a check at the end of a cell prints nothing.

    When the condition fails: with ``RNNLIB_STRICT=1`` (the book's build, the
    tests, CI) this raises ``AssertionError`` naming the claim and the values.
    Otherwise it shows a note (in a notebook) and warns with
    :class:`ClaimWarning`: the sentence, this run's values and the book's,
    and why runs differ. The notebook goes on.

    Raises:
        TypeError: if ``claim`` is not a non-empty str.
        AssertionError: if the condition fails and checks are strict.
    """
    if not isinstance(claim, str) or not claim.strip():
        raise TypeError(f"claim must be a non-empty str quoting the chapter, got {claim!r}")
    shown = {name: _show(value) for name, value in values.items()}
    holds = bool(condition)
    strict = strict_checks()
    if strict:
        _record(claim, shown)
    if holds:
        return
    this_run = ", ".join(f"{name} = {value}" for name, value in shown.items())
    if strict:
        raise AssertionError(claim + (f" (this run: {this_run})" if this_run else ""))
    note = _note(claim, shown, _published.get(claim, {}))
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(note))
    warnings.warn(ClaimWarning(note.replace("**", "").replace("`", "")), stacklevel=2)


def _note(claim: str, shown: dict[str, str], book: dict[str, str]) -> str:
    """The note a failed check shows, in Markdown."""
    words = _NOTES[_language[0]]
    lines = [f"**⚠ {words['title']}**", "", words["claim"].format(claim=claim)]
    if shown:
        lines += ["", words["this_run"] + words["and"].join(f"`{n}` = {v}" for n, v in shown.items())]
    if book:
        lines += ["", words["book"] + words["and"].join(f"`{n}` = {v}" for n, v in book.items())]
    else:
        lines += ["", words["no_book"]]
    lines += ["", words["why"].format(seed=book_seed(), env=SEED_ENV_VAR)]
    return "\n".join(lines)


def _record(claim: str, shown: dict[str, str]) -> None:
    """In a notebook, leave the claim and its values in the cell's outputs for the Colab edition to read."""
    if _in_notebook():
        from IPython.display import display

        display({CHECK_MIME: {"claim": claim, "values": shown}, "text/plain": ""}, raw=True)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (Jupyter, Colab, the book's build, nbval)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _show(value: Any, depth: int = 0) -> str:
    """A short text for a value: 4 significant digits, at most 8 items of a sequence."""
    try:
        import torch

        if isinstance(value, torch.Tensor):
            if value.numel() > 8:
                return f"a tensor of shape {tuple(value.shape)}"
            value = value.tolist()
    except ImportError:  # pragma: no cover - rnnlib depends on torch
        pass
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:  # a NumPy scalar
        value = value.item()
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    if isinstance(value, Mapping) and depth < 2:
        items = [f"{_show(k, depth + 1)}: {_show(v, depth + 1)}" for k, v in list(value.items())[:8]]
        return "{" + ", ".join(items) + (", ..." if len(value) > 8 else "") + "}"
    if isinstance(value, list | tuple | range) and depth < 2:
        items = [_show(v, depth + 1) for v in list(value)[:8]]
        return "[" + ", ".join(items) + (", ..." if len(value) > 8 else "") + "]"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."

"""Plots of measured quantities (the network drawings live in :mod:`rnnlib.diagrams`)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes


def plot_memory_shares(share: torch.Tensor, words: Sequence[str], ax: Axes | None = None, title: str = "") -> Axes:
    """Stacked bars: at each step, the share of the hidden state each word read so far accounts for.

    Args:
        share: shape ``(T, T)``, rows summing to 1 (see :func:`rnnlib.memory.shares`).
        words: the ``T`` words, in reading order.
        ax: where to draw; a new figure when ``None``.

    Raises:
        ValueError: if ``share`` is not ``(T, T)`` with ``T = len(words)``.
    """
    T = len(words)
    if share.shape != (T, T):
        raise ValueError(f"share must have shape ({T}, {T}) for {T} words, got {tuple(share.shape)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.1 * T + 3.0, 3.6))
    colours = plt.get_cmap("viridis")(torch.linspace(0.1, 0.9, T).tolist())
    bottom = torch.zeros(T)
    values = share.detach().cpu().float()
    for k in range(T):
        ax.bar(range(T), values[:, k], bottom=bottom, color=colours[k], edgecolor="white", label=f"{k + 1}. {words[k]}")
        bottom += values[:, k]
    ax.set_xticks(range(T), [f"after\n{w!r}" for w in words], fontsize=9)
    ax.set_ylabel("share of the hidden state")
    ax.set_ylim(0, 1)
    ax.legend(title="word read", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=9)
    if title:
        ax.set_title(title)
    return ax

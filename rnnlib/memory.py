"""How much of the hidden state each earlier input accounts for.

For a *linear* RNN, ``s_t = W s_{t-1} + U x_t`` with ``s_0 = 0``, the state
is exactly a sum with one term per input::

    s_t = sum over k <= t of  W^(t-k) U x_k

so the share of input ``k`` in ``s_t`` can be read off term by term
(:func:`linear_contributions`). A ``tanh`` RNN has no such sum. There,
:func:`occlusion` asks the question directly: how far does ``s_t`` move
when input ``k`` is removed (set to zero)? For a linear RNN the two agree
exactly, which is what makes occlusion a fair stand-in.
:func:`plot_memory_shares` draws the shares, step by step (chapter 4).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from rnnlib._checks import check_int, check_tensor


def embed_words(words: Sequence[str], size: int, seed: int = 0) -> torch.Tensor:
    """Give each word a fixed random vector of norm 1, the same wherever it appears.

    Returns:
        A float64 tensor of shape ``(len(words), size)``.

    Raises:
        TypeError: if ``words`` is a single str.
        ValueError: if ``words`` is empty or ``size`` < 1.
    """
    if isinstance(words, str):
        raise TypeError("words must be a list of str, e.g. sentence.split(), not a single str")
    if len(words) == 0:
        raise ValueError("words must hold at least one word")
    check_int("size", size, minimum=1)
    rows = []
    for word in words:
        digest = hashlib.sha256(f"{seed}\0{word}".encode()).digest()
        generator = torch.Generator().manual_seed(int.from_bytes(digest[:8], "little"))
        v = torch.randn(size, generator=generator, dtype=torch.float64)
        rows.append(v / v.norm())
    return torch.stack(rows)


def linear_contributions(x: torch.Tensor, U: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """Split each state of a linear RNN into one term per input.

    Args:
        x: inputs, shape ``(T, I)``.
        U: shape ``(H, I)``.
        W: shape ``(H, H)``.

    Returns:
        ``c`` of shape ``(T, T, H)`` with ``c[t, k] = W^(t-k) U x_k``
        for ``k <= t`` and zeros for ``k > t`` (0-based steps). ``c[t].sum(0)``
        is the state ``s_t`` of ``s_t = W s_{t-1} + U x_t``, ``s_{-1} = 0``.

    Raises:
        ValueError: if the shapes do not fit together, naming the mismatch.
    """
    check_tensor("x", x, 2, "(T, I)")
    H = U.shape[0]
    if U.dim() != 2 or U.shape[1] != x.shape[1]:
        raise ValueError(f"U must have shape (H, {x.shape[1]}) for x of shape {tuple(x.shape)}, got {tuple(U.shape)}")
    if W.shape != (H, H):
        raise ValueError(f"W must have shape ({H}, {H}) to match U, got {tuple(W.shape)}")
    T = x.shape[0]
    c = torch.zeros(T, T, U.shape[0], dtype=x.dtype)
    for k in range(T):
        term = U @ x[k]
        for t in range(k, T):
            c[t, k] = term
            term = W @ term
    return c


def occlusion(run: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """How far each state moves when one input is removed.

    Args:
        run: maps inputs ``(T, I)`` to states ``(T, H)``.
        x: inputs, shape ``(T, I)``.

    Returns:
        ``a`` of shape ``(T, T)``: ``a[t, k] = ||s_t(x) - s_t(x with x_k = 0)||``.
        It is zero for ``k > t`` (the future cannot matter), and zero for an
        input that is already zero.

    Raises:
        ValueError: if ``x`` is not ``(T, I)``, or ``run`` does not return ``T`` states.
    """
    check_tensor("x", x, 2, "(T, I)")
    states = run(x)
    if states.dim() != 2 or states.shape[0] != x.shape[0]:
        raise ValueError(f"run must map x of shape {tuple(x.shape)} to states (T, H), got {tuple(states.shape)}")
    a = torch.zeros(x.shape[0], x.shape[0], dtype=states.dtype)
    for k in range(x.shape[0]):
        occluded = x.clone()
        occluded[k] = 0
        a[:, k] = (states - run(occluded)).norm(dim=1)
    return a


def shares(attribution: torch.Tensor) -> torch.Tensor:
    """Normalise each row of a ``(T, T)`` attribution to sum to 1 (rows of zeros stay zero).

    Row ``t`` then says what share of step ``t``'s state each input accounts for.

    Raises:
        ValueError: if ``attribution`` is not a matrix.
    """
    check_tensor("attribution", attribution, 2, "(T, T)")
    totals = attribution.sum(dim=1, keepdim=True)
    return torch.where(totals > 0, attribution / totals.clamp_min(torch.finfo(attribution.dtype).tiny), 0.0)


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

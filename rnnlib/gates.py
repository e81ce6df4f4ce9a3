"""Gates: the LSTM and GRU written out line by line, with PyTorch's weight layout (chapter 6).

Each cell reads the weights of a one-layer ``torch.nn.LSTM`` or
``torch.nn.GRU`` (``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``,
``bias_hh_l0``), so the chapter can show that the few lines below compute
exactly what PyTorch computes. Shapes: B batch, I input size, H hidden size,
T time steps; one step's input ``x`` is ``(B, I)``, states ``h`` and ``c``
are ``(B, H)``.
"""

from __future__ import annotations

import torch
from torch import nn

from rnnlib._checks import check_tensor


def _gates(layer: nn.LSTM | nn.GRU, x: torch.Tensor, h: torch.Tensor, n: int) -> tuple[list, list]:
    """The input and hidden parts of every gate's pre-activation, split into ``n`` blocks."""
    from_input = x @ layer.weight_ih_l0.T + layer.bias_ih_l0
    from_hidden = h @ layer.weight_hh_l0.T + layer.bias_hh_l0
    return list(from_input.chunk(n, dim=1)), list(from_hidden.chunk(n, dim=1))


def lstm_step(layer: nn.LSTM, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM step (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).

    ``x``: ``(B, I)``; ``h``, ``c``: ``(B, H)``. Returns the new ``(h, c)``. The cell state ``c`` is updated by
    *addition*, ``c = f * c + i * g``: the gradient that flows back along it
    is multiplied by the forget gate ``f``, not by a weight matrix.
    """
    (xi, xf, xg, xo), (hi, hf, hg, ho) = _gates(layer, x, h, 4)
    i = torch.sigmoid(xi + hi)  # input gate: how much new information to write
    f = torch.sigmoid(xf + hf)  # forget gate: how much of the old cell to keep
    g = torch.tanh(xg + hg)  # candidate content
    o = torch.sigmoid(xo + ho)  # output gate: how much of the cell to show
    c = f * c + i * g
    h = o * torch.tanh(c)
    return h, c


def gru_step(layer: nn.GRU, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """One GRU step (Cho et al. 2014), in PyTorch's convention: ``x`` ``(B, I)``, ``h`` ``(B, H)``; returns ``(B, H)``.

    ``h = (1 - z) * n + z * h``: with the update gate ``z`` near 1 the old
    state passes through almost unchanged, and so does its gradient.
    """
    (xr, xz, xn), (hr, hz, hn) = _gates(layer, x, h, 3)
    r = torch.sigmoid(xr + hr)  # reset gate: how much of the old state the candidate sees
    z = torch.sigmoid(xz + hz)  # update gate: how much of the old state to keep
    n = torch.tanh(xn + r * hn)  # candidate state
    return (1 - z) * n + z * h


def unroll_lstm(layer: nn.LSTM, x: torch.Tensor) -> torch.Tensor:
    """Run :func:`lstm_step` over ``x`` of shape ``(T, B, I)`` from zero states; returns every ``h``, ``(T, B, H)``."""
    check_tensor("x", x, 3, "(T, B, I)")
    h = c = x.new_zeros(x.shape[1], layer.hidden_size)
    outputs = []
    for x_t in x:
        h, c = lstm_step(layer, x_t, h, c)
        outputs.append(h)
    return torch.stack(outputs)


def unroll_gru(layer: nn.GRU, x: torch.Tensor) -> torch.Tensor:
    """Run :func:`gru_step` over ``x`` of shape ``(T, B, I)`` from a zero state; returns every ``h``, ``(T, B, H)``."""
    check_tensor("x", x, 3, "(T, B, I)")
    h = x.new_zeros(x.shape[1], layer.hidden_size)
    outputs = []
    for x_t in x:
        h = gru_step(layer, x_t, h)
        outputs.append(h)
    return torch.stack(outputs)

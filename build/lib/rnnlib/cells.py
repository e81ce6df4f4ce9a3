"""LSTM and GRU cells written out line by line, with PyTorch's weight layout.

Each cell reads the weights of a one-layer ``torch.nn.LSTM`` or
``torch.nn.GRU`` (``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``,
``bias_hh_l0``), so the chapter can show that the few lines below compute
exactly what PyTorch computes. Shapes: ``x`` is ``(B, input_size)``, states
are ``(B, hidden_size)``.
"""

from __future__ import annotations

import torch
from torch import nn


def _gates(layer: nn.LSTM | nn.GRU, x: torch.Tensor, h: torch.Tensor, n: int) -> tuple[list, list]:
    """The input and hidden parts of every gate's pre-activation, split into ``n`` blocks."""
    from_input = x @ layer.weight_ih_l0.T + layer.bias_ih_l0
    from_hidden = h @ layer.weight_hh_l0.T + layer.bias_hh_l0
    return list(from_input.chunk(n, dim=1)), list(from_hidden.chunk(n, dim=1))


def lstm_step(
    layer: nn.LSTM, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM step (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).

    Returns the new ``(h, c)``. The cell state ``c`` is updated by
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
    """One GRU step (Cho et al. 2014), in PyTorch's convention.

    ``h = (1 - z) * n + z * h``: with the update gate ``z`` near 1 the old
    state passes through almost unchanged, and so does its gradient.
    """
    (xr, xz, xn), (hr, hz, hn) = _gates(layer, x, h, 3)
    r = torch.sigmoid(xr + hr)  # reset gate: how much of the old state the candidate sees
    z = torch.sigmoid(xz + hz)  # update gate: how much of the old state to keep
    n = torch.tanh(xn + r * hn)  # candidate state
    return (1 - z) * n + z * h


def run_lstm(layer: nn.LSTM, xs: torch.Tensor) -> torch.Tensor:
    """Run :func:`lstm_step` over ``xs`` of shape ``(T, B, input_size)`` from zero states; returns all ``h``, ``(T, B, hidden_size)``."""
    h = c = xs.new_zeros(xs.shape[1], layer.hidden_size)
    outputs = []
    for x in xs:
        h, c = lstm_step(layer, x, h, c)
        outputs.append(h)
    return torch.stack(outputs)


def run_gru(layer: nn.GRU, xs: torch.Tensor) -> torch.Tensor:
    """Run :func:`gru_step` over ``xs`` of shape ``(T, B, input_size)`` from a zero state; returns all ``h``."""
    h = xs.new_zeros(xs.shape[1], layer.hidden_size)
    outputs = []
    for x in xs:
        h = gru_step(layer, x, h)
        outputs.append(h)
    return torch.stack(outputs)

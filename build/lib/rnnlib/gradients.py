"""Measuring how the error signal shrinks or grows as it flows back through time.

Backpropagation through time multiplies the gradient by the transposed
Jacobian of one step, ``diag(f'(a_k)) W``, once per step. So, for a loss
``L`` computed from the last state ``s_T``::

    ||dL/ds_t|| <= (gamma * sigma_max(W)) ** (T - t) * ||dL/ds_T||

with ``gamma`` the largest slope of ``f`` (1 for tanh, 1/4 for the logistic
sigmoid) and ``sigma_max(W)`` the largest singular value of ``W`` (Pascanu,
Mikolov & Bengio 2013, section 2.1). This module measures the left side
with autograd.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch


def state_gradient_norms(
    xs: torch.Tensor,
    U: torch.Tensor,
    W: torch.Tensor,
    readout: torch.Tensor,
    f: Callable[[torch.Tensor], torch.Tensor] = torch.tanh,
) -> torch.Tensor:
    """Run ``s_t = f(U x_t + W s_{t-1})`` and return ``||dL/ds_t||`` for every step.

    The loss is ``L = readout . s_T``, so only the last state feeds it and
    every earlier state's gradient arrives through the chain of steps.

    Args:
        xs: inputs, shape ``(T, input_size)``.
        U: shape ``(hidden_size, input_size)``.
        W: shape ``(hidden_size, hidden_size)``.
        readout: shape ``(hidden_size,)``.
        f: the nonlinearity; pass ``lambda z: z`` for a linear RNN.

    Returns:
        Shape ``(T,)``: entry ``t`` (0-based) is the norm of the gradient of
        ``L`` with respect to the state after step ``t``.
    """
    if readout.shape != (W.shape[0],):
        raise ValueError(f"readout must have shape ({W.shape[0]},), got {tuple(readout.shape)}")
    # The initial state requires grad, so autograd tracks every state after it,
    # whether or not the weights require grad.
    s = torch.zeros(W.shape[0], dtype=xs.dtype, requires_grad=True)
    states = []
    for x_t in xs:
        s = f(U @ x_t + W @ s)
        s.retain_grad()  # keep dL/ds_t for this intermediate state
        states.append(s)
    (readout @ states[-1]).backward()
    return torch.stack([state.grad.norm() for state in states]).detach()


def log_slope(norms: torch.Tensor) -> float:
    """Least-squares slope of ``ln(norm)`` against the distance back from the last step.

    For norms that shrink by a factor ``a`` per step back, the slope is ``ln a``.
    """
    distance = torch.arange(len(norms) - 1, -1, -1, dtype=torch.float64)
    logs = norms.double().log()
    d, y = distance - distance.mean(), logs - logs.mean()
    return float((d * y).sum() / (d * d).sum())


def bptt_bound(W: torch.Tensor, steps: int, gamma: float = 1.0) -> torch.Tensor:
    """The bound ``(gamma * sigma_max(W)) ** d`` for distances ``d = 0 ... steps - 1``.

    Returns:
        Shape ``(steps,)``, ordered like :func:`state_gradient_norms` (the
        last entry is distance 0).
    """
    sigma = torch.linalg.matrix_norm(W, ord=2).item()
    distance = torch.arange(steps - 1, -1, -1, dtype=torch.float64)
    return (gamma * sigma) ** distance


def scalar_powers(weight: float, steps: int) -> list[float]:
    """``weight ** n`` for ``n = 0 ... steps``: the one-number version of the story."""
    return [math.pow(weight, n) for n in range(steps + 1)]

"""Measuring how the error signal shrinks or grows as it flows back through time.

Backpropagation through time multiplies the gradient by the transposed
Jacobian of one step, ``diag(f'(a_k)) W``, once per step. So, for a loss
``L`` computed from the last state ``s_T``::

    ||dL/ds_t|| <= (gamma * sigma_max(W)) ** (T - t) * ||dL/ds_T||

with ``gamma`` the largest slope of ``f`` (1 for tanh, 1/4 for the logistic
sigmoid) and ``sigma_max(W)`` the largest singular value of ``W`` (Pascanu,
Mikolov & Bengio 2013, section 2.1). This module measures the left side
with autograd, and writes out ``dL/dW`` for a loss on every step as the sum
over time steps of backpropagation through time, whole or truncated
(:func:`weight_gradient_by_sum`).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from rnnlib._checks import check_int, check_tensor


def state_gradient_norms(
    x: torch.Tensor,
    U: torch.Tensor,
    W: torch.Tensor,
    readout: torch.Tensor,
    f: Callable[[torch.Tensor], torch.Tensor] = torch.tanh,
) -> torch.Tensor:
    """Run ``s_t = f(U x_t + W s_{t-1})`` and return ``||dL/ds_t||`` for every step.

    The loss is ``L = readout . s_T``, so only the last state feeds it and
    every earlier state's gradient arrives through the chain of steps.

    Args:
        x: inputs, shape ``(T, I)``.
        U: shape ``(H, I)``.
        W: shape ``(H, H)``.
        readout: shape ``(H,)``.
        f: the nonlinearity; pass ``lambda z: z`` for a linear RNN.

    Returns:
        Shape ``(T,)``: entry ``t`` (0-based) is the norm of the gradient of
        ``L`` with respect to the state after step ``t``.
    """
    if readout.shape != (W.shape[0],):
        raise ValueError(f"readout must have shape ({W.shape[0]},), got {tuple(readout.shape)}")
    # The initial state requires grad, so autograd tracks every state after it,
    # whether or not the weights require grad.
    s = torch.zeros(W.shape[0], dtype=x.dtype, requires_grad=True)
    states = []
    for x_t in x:
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


def weight_gradient_by_sum(
    x: torch.Tensor, U: torch.Tensor, W: torch.Tensor, V: torch.Tensor, y: torch.Tensor, chunk: int | None = None
) -> torch.Tensor:
    """``dL/dW`` written out as the sum over time steps of backpropagation through time.

    The network is ``s_t = tanh(U x_t + W s_{t-1})`` from ``s_0 = 0``, with
    outputs ``o_t = V s_t`` and a loss on every step,
    ``L = sum_t L_t``, ``L_t = ||o_t - y_t||**2 / 2``. The gradient is the
    double sum (chapter 5)::

        dL/dW = sum_t sum_{k<=t} dL_t/ds_t (prod_{j=k+1..t} ds_j/ds_{j-1}) ds_k+/dW

    with ``ds_j/ds_{j-1} = diag(f'(a_j)) W`` and ``ds_k+/dW`` the derivative of
    step ``k`` alone (``s_{k-1}`` held fixed). With ``chunk`` given, only the
    terms whose ``k`` and ``t`` lie in the same chunk of ``chunk`` steps
    (steps ``1..chunk``, ``chunk+1..2*chunk``, ...) are kept: the gradient that
    truncated backpropagation through time computes when it detaches the
    state between chunks.

    Args:
        x: inputs, shape ``(T, I)``.
        U: shape ``(H, I)``.
        W: shape ``(H, H)``.
        V: shape ``(C, H)``, ``C`` outputs per step.
        y: targets, shape ``(T, C)``.
        chunk: the truncation length, a positive int; ``None`` keeps every term.

    Returns:
        ``dL/dW``, shape ``(H, H)``.

    Raises:
        TypeError: if an argument is not a tensor, or ``chunk`` is not an int.
        ValueError: if the shapes do not fit together, or ``chunk`` < 1.
    """
    _check_sum_arguments(x, U, W, V, y, chunk)
    states = [torch.zeros(W.shape[0], dtype=x.dtype)]  # s_0
    for x_t in x:
        states.append(torch.tanh(U @ x_t + W @ states[-1]))
    slope = [1 - s**2 for s in states]  # f'(a_t) for tanh, from s_t = tanh(a_t)
    grad = torch.zeros_like(W)
    for t in range(1, len(x) + 1):
        back = V.T @ (V @ states[t] - y[t - 1])  # dL_t/ds_t
        for k in range(t, 0, -1):
            if chunk is not None and (k - 1) // chunk != (t - 1) // chunk:
                break  # step k lies in an earlier chunk: truncated
            # term (t, k): dL_t/ds_k times ds_k+/dW
            grad += torch.outer(slope[k] * back, states[k - 1])
            # one more factor ds_k/ds_{k-1}: back becomes dL_t/ds_{k-1}
            back = W.T @ (slope[k] * back)
    return grad


def _check_sum_arguments(
    x: torch.Tensor, U: torch.Tensor, W: torch.Tensor, V: torch.Tensor, y: torch.Tensor, chunk: int | None
) -> None:
    for name, value, shape in (
        ("x", x, "(T, I)"),
        ("U", U, "(H, I)"),
        ("W", W, "(H, H)"),
        ("V", V, "(C, H)"),
        ("y", y, "(T, C)"),
    ):
        check_tensor(name, value, 2, shape)
    T, I = x.shape
    H = W.shape[0]
    C = V.shape[0]
    for name, value, expected in (("U", U, (H, I)), ("W", W, (H, H)), ("V", V, (C, H)), ("y", y, (T, C))):
        if tuple(value.shape) != expected:
            raise ValueError(f"{name} must have shape {expected}, got {tuple(value.shape)}")
    if chunk is not None:
        check_int("chunk", chunk, minimum=1)

"""The sum over time steps of chapter 5 (``weight_gradient_by_sum``), against autograd."""

from __future__ import annotations

import pytest
import torch

from rnnlib.gradients import weight_gradient_by_sum

F64 = torch.float64
T, I, H, C = 7, 3, 4, 2


@pytest.fixture(scope="module")
def rnn():
    g = torch.Generator().manual_seed(0)
    return (
        torch.randn(T, I, generator=g, dtype=F64),  # xs
        torch.randn(H, I, generator=g, dtype=F64),  # U
        torch.randn(H, H, generator=g, dtype=F64) / 2,  # W
        torch.randn(C, H, generator=g, dtype=F64),  # V
        torch.randn(T, C, generator=g, dtype=F64),  # ys
    )


def _autograd(xs, U, W, V, ys, chunk=None):
    """The same loss through autograd, detaching the state every ``chunk`` steps (TBPTT)."""
    W = W.clone().requires_grad_()
    s, loss = torch.zeros(H, dtype=F64), 0.0
    for t, (x_t, y_t) in enumerate(zip(xs, ys, strict=True)):
        if chunk is not None and t % chunk == 0:
            s = s.detach()
        s = torch.tanh(U @ x_t + W @ s)
        loss = loss + 0.5 * ((V @ s - y_t) ** 2).sum()
    return torch.autograd.grad(loss, W)[0]


# The two sides add the same float64 products in different orders; with a few
# hundred operations on numbers of order 1, rounding stays near 1e-15, so 1e-12
# is safe, while a missing or extra term changes the result by order 0.1.
@pytest.mark.parametrize("chunk", [None, 1, 2, 3, T, T + 5])
def test_sum_over_time_steps_matches_autograd(rnn, chunk):
    torch.testing.assert_close(
        weight_gradient_by_sum(*rnn, chunk=chunk), _autograd(*rnn, chunk), rtol=1e-12, atol=1e-12
    )


def test_truncation_changes_the_gradient(rnn):
    full, truncated = weight_gradient_by_sum(*rnn), weight_gradient_by_sum(*rnn, chunk=2)
    assert (full - truncated).norm() > 1e-3 * full.norm()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"x": [[0.0]]}, TypeError),
        ({"x": torch.zeros(T, I, 1, dtype=F64)}, ValueError),
        ({"U": torch.zeros(H, I + 1, dtype=F64)}, ValueError),
        ({"W": torch.zeros(H, H + 1, dtype=F64)}, ValueError),
        ({"V": torch.zeros(C, H + 1, dtype=F64)}, ValueError),
        ({"y": torch.zeros(T + 1, C, dtype=F64)}, ValueError),
        ({"chunk": 0}, ValueError),
        ({"chunk": 2.0}, TypeError),
        ({"chunk": True}, TypeError),
    ],
)
def test_bad_arguments(rnn, change, error):
    arguments = dict(zip(("x", "U", "W", "V", "y"), rnn, strict=True)) | change
    with pytest.raises(error):
        weight_gradient_by_sum(**arguments)

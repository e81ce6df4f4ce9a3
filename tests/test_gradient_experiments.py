"""The outcomes chapters 5 and 6 report (E1, E2, E3), asserted with fixed seeds.

Training runs here are the chapters' own (``rnnlib.recipe.recipe_experiment``):
the tests check the same claims the prose makes, on a fixed list of seeds.
"""

from __future__ import annotations

import math

import pytest
import torch

from rnnlib.cliff import descend, landscape, loss_and_gradient
from rnnlib.gradients import bptt_bound, log_slope, state_gradient_norms
from rnnlib.recipe import dish_gradient_ratio
from rnnlib.weights import scaled_orthogonal

F64 = torch.float64


@pytest.fixture(scope="module")
def chain():
    torch.manual_seed(0)
    T, size = 50, 16
    return torch.randn(T, size, dtype=F64), torch.randn(size, size, dtype=F64) / 4, torch.randn(size, dtype=F64)


@pytest.mark.parametrize("a", [0.9, 1.0, 1.1])
def test_e1_linear_slope_is_ln_a(chain, a):
    # Exact in theory; float64 rounding over 50 steps stays far below 1e-6.
    xs, U, readout = chain
    norms = state_gradient_norms(xs, U, scaled_orthogonal(16, a, seed=3), readout, f=lambda z: z)
    assert abs(log_slope(norms) - math.log(a)) < 1e-6


@pytest.mark.parametrize("a", [0.9, 1.0, 1.1])
def test_e1_tanh_never_exceeds_the_bound(chain, a):
    xs, U, readout = chain
    W = scaled_orthogonal(16, a, seed=3)
    norms = state_gradient_norms(xs, U, W, readout)
    assert (norms <= bptt_bound(W, len(xs)) * norms[-1] * (1 + 1e-12)).all()
    assert norms[0] < norms[-1]  # tanh saturation makes it vanish even for a = 1.1


def test_e2_gradient_at_the_dish_vanishes_at_initialisation():
    assert dish_gradient_ratio(50) < 1e-6


@pytest.fixture(scope="module")
def cliff():
    ws, bs = torch.linspace(0, 10, 501), torch.linspace(-6, 1, 351)
    _, grad = landscape(ws, bs)
    steepest = grad.argmax()
    return grad, ws[steepest // len(bs)].item(), bs[steepest % len(bs)].item()


def test_e3_the_landscape_has_a_cliff(cliff):
    grad, _, _ = cliff
    assert grad.max() / torch.quantile(grad.flatten(), 0.99) > 100


def test_e3_one_plain_step_throws_the_parameters_onto_a_plateau(cliff):
    _, w0, b0 = cliff
    plain = descend(w0, b0, lr=0.5, steps=4)
    assert (plain.points[1] - plain.points[0]).norm() > 50
    loss, gradient = loss_and_gradient(*plain.points[1].tolist())
    assert gradient.norm() < 1e-6 and loss == pytest.approx(0.09, abs=1e-6)  # sigmoid saturated at 1
    assert plain.losses[1:] == [plain.losses[1]] * 4  # stuck


def test_e3_clipped_steps_stay_short_and_the_loss_drops(cliff):
    _, w0, b0 = cliff
    clipped = descend(w0, b0, lr=0.5, steps=4, clip=1.0)
    assert ((clipped.points[1:] - clipped.points[:-1]).norm(dim=1) <= 0.5 + 1e-12).all()
    assert clipped.losses[-1] < 0.09 < clipped.losses[0]

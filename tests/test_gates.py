import pytest
import torch
from torch import nn

from rnnlib.gates import unroll_gru, unroll_lstm

F64 = torch.float64


@pytest.mark.parametrize(("layer", "run"), [(nn.LSTM, unroll_lstm), (nn.GRU, unroll_gru)], ids=["lstm", "gru"])
def test_from_scratch_cell_equals_torch_outputs_and_gradients(layer, run):
    # float64 on both sides: only rounding (1e-16 scale) may differ.
    torch.manual_seed(0)
    module = layer(4, 6).double()
    with torch.no_grad():  # non-zero biases, so a mix-up of bias blocks would show
        for p in module.parameters():
            p.add_(0.3 * torch.randn_like(p))
    xs = torch.randn(15, 3, 4, dtype=F64, requires_grad=True)
    ours = run(module, xs)
    theirs, _ = module(xs)
    torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-12)
    inputs = [xs, *module.parameters()]
    ours_grads = torch.autograd.grad(ours.sin().sum(), inputs)
    theirs_grads = torch.autograd.grad(theirs.sin().sum(), inputs)
    for a, b in zip(ours_grads, theirs_grads, strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-12)

import itertools

import pytest
import sympy
import torch
from torch import nn

from rnnlib.unrolling import count_graph_nodes, evaluate_unrolled, unroll_rnn, unrolled_expression

F64 = torch.float64


@pytest.mark.parametrize("seed", range(5))
def test_the_loop_equals_the_written_out_expression(seed):
    # SymPy evaluates the nest to 30 digits; the loop runs in float64, whose
    # rounding (about 1e-16 per operation) stays far below the 1e-12 allowed.
    torch.manual_seed(seed)
    T = 6
    xs = torch.randn(T, 1, dtype=F64)
    U, W, V, s0 = (torch.randn(1, dtype=F64) for _ in range(4))
    outputs, _ = unroll_rnn(xs, U.view(1, 1), W.view(1, 1), V.view(1, 1), s0=s0)
    values = {"U": U.item(), "W": W.item(), "V": V.item(), "s_0": s0.item()}
    values |= {f"x_{k + 1}": xs[k, 0].item() for k in range(T)}
    for t in range(1, T + 1):
        assert evaluate_unrolled(unrolled_expression(t), values) == pytest.approx(outputs[t - 1, 0].item(), abs=1e-12)


def test_the_expression_is_evaluated_to_30_digits_not_in_float64():
    # With f, g the identity and U = W = V = s_0 = 1: o_2 = x_2 + (x_1 + 1).
    # For x_1 = 1e-17, x_2 = -1, float64 rounds 1e-17 + 1 to 1 and gives 0;
    # 30 digits keep the 1e-17 to about 1e-30 absolute, 1e-13 relative, so
    # rel=1e-9 is loose for the 30-digit answer and far from float64's 0.
    one = torch.ones(1, 1, dtype=F64)
    loop, _ = unroll_rnn(torch.tensor([[1e-17], [-1.0]], dtype=F64), one, one, one, s0=one[0], f=lambda z: z)
    assert loop[-1, 0].item() == 0.0  # the float64 loop loses the 1e-17
    values = {"U": 1.0, "W": 1.0, "V": 1.0, "s_0": 1.0, "x_1": 1e-17, "x_2": -1.0}
    written = evaluate_unrolled(unrolled_expression(2), values, f=sympy.Id)
    assert written == pytest.approx(1e-17, rel=1e-9)


def test_output_function_g_is_applied_in_both():
    xs = torch.tensor([[0.3], [-0.2]], dtype=F64)
    one = torch.ones(1, 1, dtype=F64)
    outputs, _ = unroll_rnn(xs, one, 0.5 * one, 2 * one, g=torch.sigmoid)
    values = {"U": 1.0, "W": 0.5, "V": 2.0, "s_0": 0.0, "x_1": 0.3, "x_2": -0.2}
    written = evaluate_unrolled(unrolled_expression(2), values, g=lambda z: 1 / (1 + sympy.exp(-z)))
    assert written == pytest.approx(outputs[-1, 0].item(), abs=1e-12)


def test_the_expression_nests_f_once_per_step_and_uses_every_input():
    e = unrolled_expression(4)
    assert str(e).count("f(") == 4 and str(e).count("g(") == 1
    assert {str(s) for s in e.free_symbols} == {"U", "W", "V", "s_0", "x_1", "x_2", "x_3", "x_4"}


def test_the_loop_equals_torch_rnn_in_float64():
    torch.manual_seed(0)
    rnn = nn.RNN(3, 5, bias=False).double()
    xs = torch.randn(7, 3, dtype=F64)
    _, states = unroll_rnn(xs, rnn.weight_ih_l0, rnn.weight_hh_l0, torch.eye(5, dtype=F64))
    expected, _ = rnn(xs.unsqueeze(1))
    torch.testing.assert_close(states, expected[:, 0], rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        (((4,), (5, 3), (5, 5), (2, 5)), r"x must have shape \(T, input_size\)"),
        (((4, 2), (5, 3), (5, 5), (2, 5)), "U expects 3"),
        (((4, 3), (5, 3), (4, 4), (2, 5)), r"W must have shape \(5, 5\)"),
        (((4, 3), (5, 3), (5, 5), (2, 4)), r"V must have shape \(output_size, 5\)"),
    ],
)
def test_unroll_rnn_names_mismatched_shapes(shapes, message):
    tensors = [torch.zeros(s) for s in shapes]
    with pytest.raises(ValueError, match=message):
        unroll_rnn(*tensors)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="s0 must have shape"):
        unroll_rnn(torch.zeros(2, 3), torch.zeros(5, 3), torch.zeros(5, 5), torch.zeros(1, 5), s0=torch.zeros(4))
    with pytest.raises(ValueError, match=">= 1"):
        unrolled_expression(0)
    with pytest.raises(TypeError, match="int"):
        unrolled_expression(2.0)
    with pytest.raises(ValueError, match="no value given for x_2"):
        evaluate_unrolled(unrolled_expression(2), {"U": 1, "W": 1, "V": 1, "s_0": 0, "x_1": 1})


def test_graph_grows_with_steps_while_parameters_do_not():
    W = torch.randn(4, 4, requires_grad=True)
    counts = []
    for T in (1, 2, 3, 10):
        s = torch.ones(4)
        for _ in range(T):
            s = torch.tanh(W @ s)
        counts.append(count_graph_nodes(s.sum()))
    steps = [c2 - c1 for c1, c2 in itertools.pairwise(counts)]
    assert steps[0] == steps[1] > 0  # the same operations each step
    assert counts[3] - counts[2] == 7 * steps[0]
    with pytest.raises(ValueError, match="no autograd history"):
        count_graph_nodes(torch.ones(2))

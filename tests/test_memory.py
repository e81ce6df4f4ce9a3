import matplotlib.pyplot as plt
import pytest
import torch

from rnnlib.memory import embed_words, linear_contributions, occlusion, plot_memory_shares, shares
from rnnlib.unrolling import unroll_rnn
from rnnlib.weights import scaled_orthogonal

F64 = torch.float64


@pytest.fixture()
def network():
    torch.manual_seed(0)
    U = torch.randn(6, 4, dtype=F64)
    W = 0.4 * torch.randn(6, 6, dtype=F64)
    xs = torch.randn(5, 4, dtype=F64)
    return xs, U, W


def linear_states(xs, U, W):
    return unroll_rnn(xs, U, W, torch.eye(U.shape[0], dtype=F64), f=lambda z: z)[1]


def test_linear_decomposition_sums_to_every_state(network):
    # float64: the sums differ from the loop only by rounding (1e-16 scale).
    xs, U, W = network
    terms = linear_contributions(xs, U, W)
    torch.testing.assert_close(terms.sum(dim=1), linear_states(xs, U, W), rtol=0, atol=1e-12)
    assert (terms[torch.triu_indices(5, 5, offset=1).unbind()] == 0).all()  # nothing from the future


def test_occlusion_equals_the_exact_terms_for_a_linear_rnn(network):
    xs, U, W = network
    exact = linear_contributions(xs, U, W).norm(dim=2)
    torch.testing.assert_close(occlusion(lambda x: linear_states(x, U, W), xs), exact, rtol=0, atol=1e-12)


def test_a_zeroed_word_gets_zero_attribution_in_a_tanh_rnn(network):
    xs, U, W = network
    xs[2] = 0
    attribution = occlusion(lambda x: unroll_rnn(x, U, W, torch.eye(6, dtype=F64))[1], xs)
    assert (attribution[:, 2] == 0).all()
    assert (attribution[:, [0, 1, 3, 4]].sum(dim=0) > 0).all()
    assert (attribution.triu(diagonal=1) == 0).all()  # the future never matters


def test_shares_are_rows_summing_to_one():
    a = torch.tensor([[2.0, 0.0], [1.0, 3.0], [0.0, 0.0]], dtype=F64)
    s = shares(a)
    torch.testing.assert_close(s[:2].sum(dim=1), torch.ones(2, dtype=F64))
    assert s[2].tolist() == [0.0, 0.0]
    assert s[1].tolist() == [0.25, 0.75]


def test_orthogonal_scale_gives_geometric_shares():
    # With ||U x|| = 1 and W = a Q, word k's term after t steps has length a**(t-k).
    words = "a b c".split()
    xs = embed_words(words, 4)
    share = shares(linear_contributions(xs, scaled_orthogonal(4, 1.0, seed=1), scaled_orthogonal(4, 0.5)).norm(dim=2))
    torch.testing.assert_close(share[-1], torch.tensor([0.25, 0.5, 1.0], dtype=F64) / 1.75)


def test_embed_words_is_stable_and_unit_length():
    a = embed_words(["time", "is", "time"], 8)
    assert a.shape == (3, 8)
    assert torch.equal(a[0], a[2]) and not torch.equal(a[0], a[1])
    torch.testing.assert_close(a.norm(dim=1), torch.ones(3, dtype=F64))
    assert torch.equal(embed_words(["time"], 8)[0], a[0])
    with pytest.raises(TypeError, match="not a single str"):
        embed_words("What time", 8)
    with pytest.raises(ValueError, match="at least one word"):
        embed_words([], 8)
    with pytest.raises(ValueError, match="size"):
        embed_words(["a"], 0)


def test_scaled_orthogonal_stretches_by_exactly_its_scale():
    W = scaled_orthogonal(7, 1.3, seed=4)
    torch.testing.assert_close(W.T @ W, 1.3**2 * torch.eye(7, dtype=F64), rtol=0, atol=1e-12)
    v = torch.randn(7, dtype=F64)
    assert (W @ v).norm().item() == pytest.approx(1.3 * v.norm().item(), rel=1e-12)
    assert torch.equal(W, scaled_orthogonal(7, 1.3, seed=4))
    with pytest.raises(ValueError, match="scale"):
        scaled_orthogonal(3, -1.0)
    with pytest.raises(TypeError, match="size"):
        scaled_orthogonal(3.0, 1.0)


def test_one_bar_segment_per_word_and_step():
    share = torch.tensor([[1.0, 0, 0], [0.4, 0.6, 0], [0.2, 0.3, 0.5]])
    ax = plot_memory_shares(share, ["a", "b", "c"], title="t")
    heights = [round(p.get_height(), 6) for p in ax.patches]
    assert len(heights) == 9
    assert sorted(heights) == sorted(round(v, 6) for v in share.T.flatten().tolist())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1. a", "2. b", "3. c"]
    plt.close(ax.figure)


def test_shape_must_match_the_words():
    with pytest.raises(ValueError, match=r"shape \(2, 2\) for 2 words"):
        plot_memory_shares(torch.ones(3, 3), ["a", "b"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: linear_contributions(torch.zeros(3), torch.zeros(2, 1), torch.zeros(2, 2)),
            r"x must have shape \(T, I\)",
        ),
        (
            lambda: linear_contributions(torch.zeros(3, 4), torch.zeros(2, 3), torch.zeros(2, 2)),
            r"U must have shape \(H, 4\)",
        ),
        (
            lambda: linear_contributions(torch.zeros(3, 4), torch.zeros(2, 4), torch.zeros(3, 3)),
            r"W must have shape \(2, 2\)",
        ),
        (lambda: occlusion(lambda x: x.sum(), torch.zeros(3, 4)), r"run must map x of shape \(3, 4\) to states"),
        (lambda: shares(torch.zeros(2, 3, 1)), r"attribution must have shape \(T, T\)"),
    ],
    ids=["x", "U", "W", "run", "shares"],
)
def test_mismatched_shapes_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()

"""rnnlib.attention: additive attention's weights, context and checks; self-attention against torch's."""

from __future__ import annotations

import pytest
import torch

from rnnlib.attention import AdditiveAttention, self_attention


def _inputs(B=3, S=5, H=4):
    torch.manual_seed(0)
    mask = torch.ones(B, S, dtype=torch.bool)
    mask[1, 3:] = False  # sentence 1 has 3 real positions
    mask[2, 1:] = False  # sentence 2 has 1
    return torch.randn(B, H), torch.randn(B, S, H), mask


def test_weights_sum_to_one_and_ignore_the_padding():
    attention = AdditiveAttention(4)
    query, keys, mask = _inputs()
    context, weights = attention(query, keys, mask)
    assert context.shape == (3, 4) and weights.shape == (3, 5)
    assert torch.allclose(weights.sum(dim=1), torch.ones(3), atol=1e-6)  # float32 rounding over 5 terms
    assert (weights[~mask] == 0).all(), "no weight on the padding"
    assert torch.equal(weights[2], torch.tensor([1.0, 0, 0, 0, 0])), "one real position takes all the weight"
    # What sits at the padding changes nothing.
    keys_changed = keys.clone()
    keys_changed[~mask] = 100.0
    assert torch.allclose(attention(query, keys_changed, mask)[0], context, atol=1e-6)


def test_the_score_is_v_tanh_of_wq_query_plus_wk_key():
    attention = AdditiveAttention(4, attention_size=6)
    query, keys, mask = _inputs()
    W_q, W_k, v = attention.query_layer.weight, attention.key_layer.weight, attention.score_layer.weight[0]
    context, weights = attention(query, keys, mask)
    for b in range(3):
        scores = torch.stack([v @ torch.tanh(W_q @ query[b] + W_k @ keys[b, j]) for j in range(5)])
        expected = scores.masked_fill(~mask[b], float("-inf")).softmax(dim=0)
        assert torch.allclose(weights[b], expected, atol=1e-6)  # float32, same operations in another order
        assert torch.allclose(context[b], expected @ keys[b], atol=1e-6)


def test_additive_attention_checks_its_inputs():
    attention = AdditiveAttention(4)
    query, keys, mask = _inputs()
    with pytest.raises(ValueError, match=r"keys must have shape \(B, S, H\)"):
        attention(query, keys[0], mask)
    with pytest.raises(ValueError, match="H = 4"):
        attention(query[:, :3], keys[:, :, :3], mask)
    with pytest.raises(ValueError, match=r"mask \(3, 4\)"):
        attention(query, keys, mask[:, :4])
    with pytest.raises(TypeError, match="mask must be a bool tensor"):
        attention(query, keys, mask.float())
    with pytest.raises(TypeError, match="query must be a torch.Tensor"):
        attention([0.0], keys, mask)
    empty = mask.clone()
    empty[0] = False
    with pytest.raises(ValueError, match="at least one True"):
        attention(query, keys, empty)
    with pytest.raises(ValueError, match="hidden_size must be >= 1"):
        AdditiveAttention(0)


def test_self_attention_is_torchs_scaled_dot_product_attention():
    torch.manual_seed(0)
    states = torch.randn(6, 8)
    outputs, weights = self_attention(states)
    expected = torch.nn.functional.scaled_dot_product_attention(states[None], states[None], states[None])[0]
    assert torch.allclose(outputs, expected, atol=1e-6)  # float32, the same formula
    assert weights.shape == (6, 6) and torch.allclose(weights.sum(dim=1), torch.ones(6), atol=1e-6)
    with pytest.raises(ValueError, match=r"states must have shape \(S, H\)"):
        self_attention(states[None])


def test_projected_keys_computed_once_give_the_same_context():
    attention = AdditiveAttention(4, attention_size=6)
    query, keys, mask = _inputs()
    projected = attention.project_keys(keys)
    assert projected.shape == (3, 5, 6)
    for got, expected in zip(attention(query, keys, mask, projected), attention(query, keys, mask), strict=True):
        assert torch.equal(got, expected)  # the same operations on the same numbers
    with pytest.raises(ValueError, match=r"projected_keys must have shape \(B, S, A\) = \(3, 5, 6\)"):
        attention(query, keys, mask, projected[:, :4])

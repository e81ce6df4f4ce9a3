from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 5

@test_case(points=1, hidden=False)
def test_q2_shapes(additive_attention, torch):
    mask = torch.tensor([[True, True, True, True, True], [True, True, True, False, False]])
    result = additive_attention(torch.ones(2, 4), torch.ones(2, 5, 4), mask, torch.ones(3, 4), torch.ones(3, 4), torch.ones(3))
    assert isinstance(result, tuple) and len(result) == 2, 'additive_attention must return a pair (context, weights)'
    context, weights = result
    assert isinstance(context, torch.Tensor) and tuple(context.shape) == (2, 4), f"context: expected a tensor of shape (batch, hidden_size) = (2, 4), got {getattr(context, 'shape', context)!r}"
    assert isinstance(weights, torch.Tensor) and tuple(weights.shape) == (2, 5), f"weights: expected a tensor of shape (batch, src_len) = (2, 5), got {getattr(weights, 'shape', weights)!r}"

@test_case(points=1, hidden=False)
def test_q2_weights_sum_to_one_and_padding_gets_none(additive_attention, torch):
    gen = torch.Generator().manual_seed(3)
    query, keys = (torch.randn(2, 4, generator=gen), torch.randn(2, 5, 4, generator=gen))
    W_q, W_k, v = (torch.randn(3, 4, generator=gen), torch.randn(3, 4, generator=gen), torch.randn(3, generator=gen))
    mask = torch.tensor([[True, True, True, True, True], [True, True, True, False, False]])
    result = additive_attention(query, keys, mask, W_q, W_k, v)
    assert isinstance(result, tuple) and len(result) == 2, 'additive_attention must return a pair (context, weights): see the first check'
    context, weights = result
    assert weights.shape == (2, 5), 'wrong shape for weights: see the first check'
    assert bool((weights[~mask] == 0).all()), f"the padding must get weight exactly 0, got {weights[~mask].tolist()}: set its scores to float('-inf') before the softmax"
    assert bool((weights >= 0).all()), f'weights must not be negative, got {weights.tolist()}'
    sums = weights.sum(dim=1)
    assert (sums - 1).abs().max().item() < 1e-06, f'each row of weights must sum to 1, got sums {sums.tolist()}: mask the scores before the softmax, not the weights after it'
    padded = keys.clone()
    padded[1, 3:] = 100.0
    again_context, again_weights = additive_attention(query, padded, mask, W_q, W_k, v)
    assert (again_weights - weights).abs().max().item() < 1e-06 and (again_context - context).abs().max().item() < 1e-06, 'changing the keys at padded positions changed the result: the padding must take no part'

@test_case(points=1, hidden=False)
def test_q2_matches_the_formula(additive_attention, torch):
    gen = torch.Generator().manual_seed(4)
    cases = [torch.tensor([[True, True, True, True], [True, True, False, False], [True, True, True, False]]), torch.tensor([[True, True, True]])]
    for mask in cases:
        (batch, src_len), hidden, att = (mask.shape, 4, 3)
        query, keys = (torch.randn(batch, hidden, generator=gen), torch.randn(batch, src_len, hidden, generator=gen))
        W_q, W_k = (torch.randn(att, hidden, generator=gen) / hidden ** 0.5, torch.randn(att, hidden, generator=gen) / hidden ** 0.5)
        v = torch.randn(att, generator=gen)
        expected_weights = torch.zeros(batch, src_len, dtype=torch.float64)
        expected_context = torch.zeros(batch, hidden, dtype=torch.float64)
        for b in range(batch):
            real = keys[b, mask[b]].double()
            e = torch.tanh(real @ W_k.double().T + W_q.double() @ query[b].double()) @ v.double()
            alpha = torch.exp(e - e.max()) / torch.exp(e - e.max()).sum()
            expected_weights[b, mask[b]] = alpha
            expected_context[b] = alpha @ real
        result = additive_attention(query, keys, mask, W_q, W_k, v)
        assert isinstance(result, tuple) and len(result) == 2, 'additive_attention must return a pair (context, weights): see the first check'
        context, weights = result
        assert context.shape == expected_context.shape and weights.shape == expected_weights.shape, f'batch={batch}, src_len={src_len}: wrong shapes, see the first check'
        err_w = (weights.double() - expected_weights).abs().max().item()
        assert err_w < 1e-05, f'batch={batch}, src_len={src_len}: the weights differ from the softmax of the masked scores by up to {err_w:.2e} (allowed 1e-5): if question 1 passes, are the scores of the padding set to -inf before a softmax over dim=1?'
        err_c = (context.double() - expected_context).abs().max().item()
        assert err_c < 1e-05, f"batch={batch}, src_len={src_len}: the context differs from sum_j weights_j * keys_j by up to {err_c:.2e} (allowed 1e-5): weigh each example's own keys, and sum over the positions"


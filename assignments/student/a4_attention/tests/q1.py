from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=1, hidden=False)
def test_q1_shape(attention_scores, torch):
    scores = attention_scores(torch.ones(2, 4), torch.ones(2, 5, 4), torch.ones(3, 4), torch.ones(3, 4), torch.ones(3))
    assert isinstance(scores, torch.Tensor), f'attention_scores must return a tensor, it returned {type(scores).__name__}'
    assert tuple(scores.shape) == (2, 5), f'expected shape (batch, src_len) = (2, 5), got {tuple(scores.shape)}'

@test_case(points=1, hidden=False)
def test_q1_matches_the_formula(attention_scores, torch):
    gen = torch.Generator().manual_seed(1)
    for batch, src_len, hidden, att in [(2, 3, 4, 5), (1, 4, 3, 2)]:
        query, keys = (torch.randn(batch, hidden, generator=gen), torch.randn(batch, src_len, hidden, generator=gen))
        W_q, W_k = (torch.randn(att, hidden, generator=gen) / hidden ** 0.5, torch.randn(att, hidden, generator=gen) / hidden ** 0.5)
        v = torch.randn(att, generator=gen) / att ** 0.5
        expected = torch.tensor([[float(v.double() @ torch.tanh(W_q.double() @ query[b].double() + W_k.double() @ keys[b, j].double())) for j in range(src_len)] for b in range(batch)], dtype=torch.float64)
        scores = attention_scores(query, keys, W_q, W_k, v)
        assert isinstance(scores, torch.Tensor) and scores.shape == expected.shape, f'wrong type or shape for batch={batch}, src_len={src_len}, hidden_size={hidden}, attention_size={att}: expected {tuple(expected.shape)}'
        err = (scores.double() - expected).abs().max().item()
        assert err < 1e-05, f"batch={batch}, src_len={src_len}, hidden_size={hidden}, attention_size={att}: the scores differ from v . tanh(W_q q + W_k k_j) by up to {err:.2e} (allowed 1e-5): check the transposes, that the query's part is added to every position, and the tanh"


from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=1, hidden=False)
def test_q2_shapes(rnn_forward, torch):
    result = rnn_forward(torch.ones(6, 2, 3), torch.zeros(2, 4), torch.ones(4, 3), torch.ones(4, 4), torch.zeros(4), torch.zeros(4))
    assert isinstance(result, tuple) and len(result) == 2, 'rnn_forward must return a pair (output, h_n)'
    output, h_n = result
    assert tuple(output.shape) == (6, 2, 4), f'output: expected (seq_len, batch, hidden_size) = (6, 2, 4), got {tuple(output.shape)}'
    assert tuple(h_n.shape) == (1, 2, 4), f'h_n: expected (1, batch, hidden_size) = (1, 2, 4), got {tuple(h_n.shape)}'

@test_case(points=1, hidden=False)
def test_q2_matches_nn_rnn(rnn_forward, torch):
    gen = torch.Generator().manual_seed(3)
    for seq_len, batch in [(7, 2), (1, 1)]:
        ref = torch.nn.RNN(3, 5)
        xs, s0 = (torch.randn(seq_len, batch, 3, generator=gen), torch.randn(batch, 5, generator=gen))
        with torch.no_grad():
            result = rnn_forward(xs, s0, ref.weight_ih_l0, ref.weight_hh_l0, ref.bias_ih_l0, ref.bias_hh_l0)
            expected, expected_h_n = ref(xs, s0.unsqueeze(0))
        assert isinstance(result, tuple) and len(result) == 2, 'rnn_forward must return a pair (output, h_n): see the first check'
        output, h_n = result
        assert output.shape == expected.shape and h_n.shape == expected_h_n.shape, f'seq_len={seq_len}, batch={batch}: expected shapes {tuple(expected.shape)} and {tuple(expected_h_n.shape)}, got {tuple(output.shape)} and {tuple(h_n.shape)}'
        err = (output - expected).abs().max().item()
        assert err < 1e-05, f"seq_len={seq_len}, batch={batch}: output differs from torch.nn.RNN by up to {err:.2e} (allowed 1e-5): if question 1 passes, is each step fed the previous step's state?"
        assert torch.equal(h_n[0], output[-1]), 'h_n must be the last state s_T, the same as output[-1]'


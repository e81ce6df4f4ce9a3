from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=1, hidden=False)
def test_q1_shape(rnn_cell, torch):
    out = rnn_cell(torch.ones(2, 3), torch.zeros(2, 4), torch.ones(4, 3), torch.ones(4, 4), torch.zeros(4), torch.zeros(4))
    assert isinstance(out, torch.Tensor), f'rnn_cell must return a tensor, it returned {type(out).__name__}'
    assert tuple(out.shape) == (2, 4), f'expected shape (batch, hidden_size) = (2, 4), got {tuple(out.shape)}'

@test_case(points=1, hidden=False)
def test_q1_matches_rnn_cell(rnn_cell, torch):
    gen = torch.Generator().manual_seed(1)
    for batch, n_in, n_hid in [(4, 3, 5), (1, 2, 3)]:
        ref = torch.nn.RNNCell(n_in, n_hid)
        x, s = (torch.randn(batch, n_in, generator=gen), torch.randn(batch, n_hid, generator=gen))
        with torch.no_grad():
            out = rnn_cell(x, s, ref.weight_ih, ref.weight_hh, ref.bias_ih, ref.bias_hh)
            expected = ref(x, s)
        assert isinstance(out, torch.Tensor) and out.shape == expected.shape, f'wrong type or shape for batch={batch}, input_size={n_in}, hidden_size={n_hid}: expected {tuple(expected.shape)}'
        err = (out - expected).abs().max().item()
        assert err < 1e-06, f'batch={batch}, input_size={n_in}, hidden_size={n_hid}: differs from torch.nn.RNNCell by up to {err:.2e} (allowed 1e-6): check the transposes, both biases and the tanh'


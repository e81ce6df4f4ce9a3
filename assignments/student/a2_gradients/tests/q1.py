from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 5

@test_case(points=1, hidden=False)
def test_q1_shape(gradient_norms, linear_step, torch):
    norms = gradient_norms(linear_step(0.5), torch.zeros(2, 3), torch.ones(5, 2, 3))
    assert isinstance(norms, torch.Tensor), f'gradient_norms must return a tensor, it returned {type(norms).__name__}'
    assert tuple(norms.shape) == (5,), f'expected shape (seq_len,) = (5,), got {tuple(norms.shape)}'

@test_case(points=1, hidden=False)
def test_q1_linear_theory(gradient_norms, linear_step, torch, math):
    a, batch, hidden, T = (0.9, 2, 4, 30)
    norms = gradient_norms(linear_step(a), torch.zeros(batch, hidden), torch.randn(T, batch, hidden))
    assert isinstance(norms, torch.Tensor) and norms.shape == (T,), 'wrong type or shape: see the first check'
    theory = torch.tensor([a ** d * math.sqrt(batch * hidden) for d in range(T)])
    rel = ((norms.double() - theory.double()).abs() / theory.double()).max().item()
    assert rel < 1e-05, f'for a={a}, entry d should be a**d * sqrt(batch*hidden); worst relative error {rel:.2e} (allowed 1e-5). Is entry 0 the LAST state, and the norm taken over the whole batch?'

@test_case(points=1, hidden=False)
def test_q1_small_tanh_against_backprop_by_hand(gradient_norms, tanh_step, torch):
    gen = torch.Generator().manual_seed(8)
    batch, n_in, hidden, T = (2, 2, 3, 4)
    W = torch.randn(hidden, hidden, generator=gen, dtype=torch.float64)
    U = torch.randn(hidden, n_in, generator=gen, dtype=torch.float64)
    s0 = torch.randn(batch, hidden, generator=gen, dtype=torch.float64)
    xs = torch.randn(T, batch, n_in, generator=gen, dtype=torch.float64)
    states, s = ([], s0)
    for x in xs:
        s = torch.tanh(s @ W.T + x @ U.T)
        states.append(s)
    g, expected = (torch.ones_like(s), [])
    for s in reversed(states):
        expected.append(g.norm())
        g = g * (1 - s ** 2) @ W
    expected = torch.stack(expected)
    norms = gradient_norms(tanh_step(W, U), s0, xs)
    assert isinstance(norms, torch.Tensor) and norms.shape == (T,), 'wrong type or shape for a tanh RNN: see the first check'
    rel = ((norms.double() - expected).abs() / expected).max().item()
    assert rel < 1e-06, f'tanh RNN: norms differ from backpropagation by hand by up to {rel:.2e} relative (allowed 1e-6); expected {[round(v, 4) for v in expected.tolist()]}'


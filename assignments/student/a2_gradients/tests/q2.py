from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=1, hidden=False)
def test_q2_exact_geometric(decay_rate, torch, math):
    norms = 3.0 * 0.8 ** torch.arange(10, dtype=torch.float64)
    r = decay_rate(norms)
    assert isinstance(r, float), f'decay_rate must return a float, it returned {type(r).__name__}'
    assert abs(r - math.log(0.8)) < 1e-06, f'for norms 3 * 0.8**d the slope is ln 0.8 = {math.log(0.8):.6f}, got {r}'
    r = decay_rate(2.0 * 1.2 ** torch.arange(5, dtype=torch.float64))
    assert isinstance(r, float) and abs(r - math.log(1.2)) < 1e-06, f'for norms growing as 1.2**d the slope is ln 1.2 = {math.log(1.2):.6f}, got {r!r}'
    r = decay_rate(torch.exp(torch.tensor([0.0, 1.0, 0.0, 2.0], dtype=torch.float64)))
    assert isinstance(r, float) and abs(r - 0.5) < 1e-06, f'for log-norms 0, 1, 0, 2 the least-squares slope is 0.5, got {r!r}'

@test_case(points=1, hidden=False)
def test_q2_linear_rnn_slope_is_log_a(decay_rate, gradient_norms, linear_step, torch, math):
    a = 0.9
    norms = gradient_norms(linear_step(a), torch.zeros(2, 3), torch.randn(40, 2, 3))
    r = decay_rate(norms)
    assert isinstance(r, float), f'decay_rate must return a float, it returned {type(r).__name__}'
    assert abs(r - math.log(a)) < 0.0001, f'linear RNN with a={a}: slope should be ln a = {math.log(a):.5f}, got {r:.5f}'


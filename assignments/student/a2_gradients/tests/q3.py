from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 3

@test_case(points=1, hidden=False)
def test_q3_clips_like_torch(clip_grad_norm, torch):
    gen = torch.Generator().manual_seed(7)
    mine = [torch.nn.Parameter(torch.zeros(3, 4)), torch.nn.Parameter(torch.zeros(5))]
    ref = [torch.nn.Parameter(torch.zeros(3, 4)), torch.nn.Parameter(torch.zeros(5))]
    for p, q in zip(mine, ref):
        p.grad = torch.randn(p.shape, generator=gen) * 10
        q.grad = p.grad.clone()
    total = clip_grad_norm(mine, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(ref, 1.0)
    assert total is not None, 'clip_grad_norm must return the total norm before clipping'
    assert abs(float(total) - float(expected)) < 0.0001 * float(expected), f'total norm: expected {float(expected):.4f}, got {float(total):.4f}'
    for i, (p, q) in enumerate(zip(mine, ref)):
        err = (p.grad - q.grad).abs().max().item()
        assert err < 1e-06, f'parameter {i}: gradient after clipping differs from clip_grad_norm_ by {err:.2e}; was it changed in place?'


from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 3

@test_case(points=1, hidden=False)
def test_q3_clips_like_torch(clip_grad_norm, torch):
    gen = torch.Generator().manual_seed(7)
    mine = [torch.nn.Parameter(torch.zeros(3, 4)), torch.nn.Parameter(torch.zeros(5)), torch.nn.Parameter(torch.zeros(2))]
    ref = [torch.nn.Parameter(torch.zeros(3, 4)), torch.nn.Parameter(torch.zeros(5)), torch.nn.Parameter(torch.zeros(2))]
    for p, q in zip(mine[:2], ref[:2]):
        p.grad = torch.randn(p.shape, generator=gen) * 10
        q.grad = p.grad.clone()
    total = clip_grad_norm((p for p in mine), 1.0)
    expected = torch.nn.utils.clip_grad_norm_(ref, 1.0)
    assert total is not None, 'clip_grad_norm must return the total norm before clipping'
    assert abs(float(total) - float(expected)) < 0.0001 * float(expected), f'total norm: expected {float(expected):.4f}, got {float(total):.4f}; parameters came as a generator, which can be read only once'
    for i, (p, q) in enumerate(zip(mine[:2], ref[:2])):
        err = (p.grad - q.grad).abs().max().item()
        assert err < 1e-06, f'parameter {i}: gradient after clipping differs from clip_grad_norm_ by {err:.2e}; was it changed in place?'
    assert mine[2].grad is None, 'a parameter without a gradient must keep .grad = None'
    short = torch.nn.Parameter(torch.zeros(2))
    short.grad = torch.tensor([0.3, 0.4])
    total = clip_grad_norm([short], 1.0)
    assert total is not None and abs(float(total) - 0.5) < 1e-06, f'total norm of (0.3, 0.4) is 0.5, got {total!r}'
    assert torch.equal(short.grad, torch.tensor([0.3, 0.4])), 'a gradient already shorter than max_norm must not change'


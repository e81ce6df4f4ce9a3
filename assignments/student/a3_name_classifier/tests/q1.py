from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=1, hidden=False)
def test_q1_output_shape(NameRNN, names_to_batch, torch):
    model = NameRNN(18, 16)
    assert isinstance(model, torch.nn.Module), 'NameRNN(18, 16) must build an nn.Module'
    scores = model(names_to_batch(['Nakamura', 'Smith', 'Li'], packed=True))
    assert isinstance(scores, torch.Tensor), f'forward must return a tensor, it returned {type(scores).__name__}'
    assert tuple(scores.shape) == (3, 18), f'expected scores of shape (B, n_languages) = (3, 18), got {tuple(scores.shape)}'


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

@test_case(points=1, hidden=False)
def test_q1_scores_do_not_depend_on_the_batch(NameRNN, names_to_batch, torch):
    torch.manual_seed(0)
    model = NameRNN(4, 8).eval()
    names = ['Ng', 'Abercrombie', 'Smith']
    with torch.no_grad():
        together = model(names_to_batch(names, packed=True))
        alone = torch.cat([model(names_to_batch([n], packed=True)) for n in names])
    assert together.shape == (3, 4), f'expected shape (3, 4), got {tuple(together.shape)}'
    err = (together - alone).abs().max().item()
    assert err < 1e-05, f"a name's scores depend on the other names in its batch (difference {err:.2e}): read the last state of each name, in the names' order (nn.GRU's h_n does this for a PackedSequence)"


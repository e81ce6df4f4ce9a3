from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 4

@test_case(points=1, hidden=False)
def test_q2_model_is_trained_name_rnn(model, NameRNN, torch):
    assert model is not None, 'model is None: train_classifier must return the trained model'
    assert isinstance(model, NameRNN), f'model must be a NameRNN, got {type(model).__name__}'
    assert type(model).__module__ != 'rnnlib.classifier', "write your own model: rnnlib.classifier is the course's"

@test_case(points=3, hidden=False)
def test_q2_held_out_accuracy(model, NameRNN, torch):
    from rnnlib.data import load_names, names_to_batch, split_names
    data = load_names()
    test = split_names(data).test
    assert isinstance(model, NameRNN), 'no trained NameRNN to measure: see the check above'
    model.eval()
    with torch.no_grad():
        scores = model(names_to_batch([name for name, _ in test], packed=True))
    labels = torch.tensor([data.languages.index(language) for _, language in test])
    accuracy = (scores.argmax(dim=1) == labels).double().mean().item()
    print(f'held-out accuracy: {accuracy:.1%} on {len(test)} names')
    assert accuracy >= 0.75, f'held-out accuracy is {accuracy:.1%}, the target is 75 %: train longer, or check the labels'


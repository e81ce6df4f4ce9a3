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
def test_q2_held_out_balanced_accuracy(model, NameRNN, torch):
    from rnnlib.data import load_names, names_to_batch, split_names
    data = load_names()
    test = split_names(data).test
    assert isinstance(model, NameRNN), 'no trained NameRNN to measure: see the check above'
    model.eval()
    device = next(model.parameters(), torch.empty(0)).device
    with torch.no_grad():
        guesses = model(names_to_batch([name for name, _ in test], packed=True).to(device)).argmax(dim=1).cpu()
    labels = torch.tensor([data.languages.index(language) for _, language in test])
    recall = {language: (guesses[labels == i] == i).double().mean().item() for i, language in enumerate(data.languages) if (labels == i).any()}
    balanced = sum(recall.values()) / len(recall)
    accuracy = (guesses == labels).double().mean().item()
    weakest = ', '.join((f'{language} {r:.2f}' for language, r in sorted(recall.items(), key=lambda item: item[1])[:3]))
    print(f'held-out balanced accuracy {balanced:.3f} (accuracy {accuracy:.1%}) on {len(test)} names')
    assert balanced >= 0.4, f'held-out balanced accuracy is {balanced:.3f}, the target is 0.40 (accuracy {accuracy:.1%}); weakest languages: {weakest}. Train longer, weigh the rare languages more, or check the labels'


import pytest
import torch

from rnnlib.classifier import class_weights, evaluate, fit_name_classifier, predict
from rnnlib.data import load_names, random_line_split, split_names


@pytest.fixture(scope="module")
def data(names_root):
    return load_names(names_root)


@pytest.fixture(scope="module")
def trained(data):
    split = split_names(data, test_fraction=0.2, seed=0)
    model, history = fit_name_classifier(split.train, data.languages, epochs=10, seed=0, progress=False)
    return split, model, history


def test_chapter_8_targets_on_the_leak_free_split(data, trained):
    # The targets: >= 80 % accuracy and >= 0.50 balanced accuracy, seed 0.
    split, model, _ = trained
    result = evaluate(model, split.test, data.languages)
    assert result.accuracy >= 0.80
    assert result.balanced_accuracy >= 0.50
    assert result.confusion.sum() == len(split.test)
    assert result.confusion.trace() / len(split.test) == pytest.approx(result.accuracy)


def test_predict_gives_k_languages_by_falling_probability(data, trained):
    _, model, _ = trained
    top = predict(model, "Dostoevsky", data.languages, k=3)
    assert [lang for lang, _ in top][0] == "Russian"
    probabilities = [p for _, p in top]
    assert probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1 + 1e-6
    with pytest.raises(ValueError, match="unicode_to_ascii"):
        predict(model, "Dostoévsky", data.languages)


def test_class_weights_make_the_average_example_weigh_one():
    labels = torch.tensor([0, 0, 0, 1])
    w = class_weights(labels, 2, power=-1.0)
    assert w[labels].mean().item() == pytest.approx(1.0)
    assert w[1] / w[0] == pytest.approx(3.0)  # fully balanced: the rare class weighs 3x
    assert torch.allclose(class_weights(labels, 2, power=0.0), torch.ones(2))


def test_random_line_split_keeps_every_line_and_leaks(data):
    leaky = random_line_split(data, test_fraction=0.2, seed=0)
    assert sorted(leaky.train + leaky.test) == sorted(data.pairs)
    seen = {n for n, _ in leaky.train}
    assert any(n in seen for n, _ in leaky.test)
    with pytest.raises(ValueError, match="strictly between"):
        random_line_split(data, test_fraction=1.0)


def test_fit_rejects_bad_data(data):
    with pytest.raises(ValueError, match="at least one"):
        fit_name_classifier([], data.languages)
    with pytest.raises(ValueError, match="unknown language 'Klingon'"):
        fit_name_classifier([("Worf", "Klingon")], data.languages)

import pytest
import torch

from rnnlib.classifier import ceiling, class_weights, evaluate, evaluate_predictions, fit_name_classifier, predict
from rnnlib.data import random_line_split, split_names
from rnnlib.ngrams import NGramClassifier, ngram_vocabulary


@pytest.fixture(scope="module")
def small_run(data):
    """Two epochs on 300 names of three languages: enough to exercise the loop, in about a second.

    The chapter's own run (every name, ten epochs) and its accuracy targets are
    asserted in chapter 8's notebook, not retrained here.
    """
    languages = ("Greek", "Japanese", "Russian")
    pairs = [p for p in split_names(data, seed=0).train if p[1] in languages][:300]
    model, history = fit_name_classifier(
        pairs, languages, epochs=2, batch_size=32, hidden_size=16, seed=0, eval_pairs=pairs, progress=False
    )
    return pairs, languages, model, history


def test_fit_records_every_step_and_epoch_and_lowers_the_loss(small_run):
    pairs, _, _, history = small_run
    assert len(history.losses) == 2 * -(-len(pairs) // 32)  # ceil(300 / 32) steps per epoch
    assert len(history.epoch_accuracy) == len(history.epoch_seconds) == 2
    assert history.epoch_seconds == sorted(history.epoch_seconds)
    assert sum(history.losses[-5:]) < sum(history.losses[:5])


def test_evaluate_counts_every_name_once(small_run):
    pairs, languages, model, history = small_run
    result = evaluate(model, pairs, languages)
    assert result.confusion.shape == (3, 3) and result.confusion.sum() == len(pairs)
    assert result.confusion.trace() / len(pairs) == pytest.approx(result.accuracy)
    assert result.accuracy == pytest.approx(history.epoch_accuracy[-1])  # the same model, eval mode both times
    recalls = [result.confusion[i, i] / result.confusion[i].sum() for i in range(3)]
    assert result.balanced_accuracy == pytest.approx(sum(recalls).item() / 3)


def test_predict_gives_k_languages_by_falling_probability(small_run):
    _, languages, model, _ = small_run
    top = predict(model, "Dostoevsky", languages, k=2)
    assert len(top) == 2 and {lang for lang, _ in top} <= set(languages)
    probabilities = [p for _, p in top]
    assert probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1 + 1e-6
    with pytest.raises(ValueError, match="unicode_to_ascii"):
        predict(model, "Dostoévsky", languages)


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


def test_the_ceiling_of_a_hand_made_set_is_what_the_best_answer_per_name_gets():
    """Six pairs, three languages: "Ross" is listed as English twice and as Scottish once, "Kim" as Korean only.

    Best accuracy: answer English for Ross (2 of its 3 pairs), Korean for Kim and Lee: 5 of 6.
    Best balanced accuracy: English has 3 pairs (Ross, Ross, Smith), Scottish 1 (Ross), Korean 2.
    Answering Ross = Scottish gives Scottish recall 1/1 but English 1/3 (Smith): mean (1/3 + 1 + 1) / 3 = 7/9;
    answering English gives English 3/3, Scottish 0/1, Korean 1: mean 2/3. So 7/9, from a different answer.
    """
    languages = ("English", "Korean", "Scottish")
    pairs = [
        ("Ross", "English"),
        ("Ross", "English"),
        ("Smith", "English"),
        ("Ross", "Scottish"),
        ("Kim", "Korean"),
        ("Lee", "Korean"),
    ]
    best = ceiling(pairs, languages)
    assert best.accuracy == pytest.approx(5 / 6, abs=1e-12)
    assert best.balanced_accuracy == pytest.approx(7 / 9, abs=1e-12)
    assert best.ambiguous_names == 1


def test_names_with_one_language_each_have_a_ceiling_of_one():
    pairs = [("Ng", "Chinese"), ("Ito", "Japanese"), ("Abe", "Japanese")]
    best = ceiling(pairs, ("Chinese", "Japanese", "Korean"))  # Korean has no pair: it does not count
    assert (best.accuracy, best.balanced_accuracy, best.ambiguous_names) == (1.0, 1.0, 0)


def test_the_ceiling_is_never_below_what_a_trained_model_gets(small_run):
    pairs, languages, model, _ = small_run
    result, best = evaluate(model, pairs, languages), ceiling(pairs, languages)
    assert result.accuracy <= best.accuracy and result.balanced_accuracy <= best.balanced_accuracy


def test_the_ceiling_refuses_no_pairs_and_unknown_languages():
    with pytest.raises(ValueError, match="at least one"):
        ceiling([], ("English",))
    with pytest.raises(ValueError, match="unknown language 'Klingon'"):
        ceiling([("Worf", "Klingon")], ("English",))


def test_evaluate_predictions_scores_a_hand_made_case():
    languages = ("A", "B", "C")
    pairs = [("x", "A"), ("y", "A"), ("z", "A"), ("w", "B"), ("v", "C")]
    result = evaluate_predictions(pairs, torch.tensor([0, 0, 1, 1, 0]), languages)
    assert result.accuracy == pytest.approx(3 / 5)
    assert result.per_language == pytest.approx({"A": 2 / 3, "B": 1.0, "C": 0.0})
    assert result.balanced_accuracy == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert result.confusion.tolist() == [[2, 1, 0], [0, 1, 0], [1, 0, 0]]
    with pytest.raises(ValueError, match=r"shape \(5,\)"):
        evaluate_predictions(pairs, torch.tensor([0, 1]), languages)
    with pytest.raises(ValueError, match="from 0 to 2, got 0 to 3"):
        evaluate_predictions(pairs, torch.tensor([0, 0, 1, 1, 3]), languages)  # would count as row C's class 0
    with pytest.raises(TypeError, match="torch.Tensor"):
        evaluate_predictions(pairs, [0, 0, 1, 1, 0], languages)


def test_fit_trains_a_given_model_through_its_encode(small_run):
    pairs, languages, _, _ = small_run
    torch.manual_seed(0)
    bag = NGramClassifier(ngram_vocabulary([name for name, _ in pairs], n_max=3), len(languages), 16, n_max=3)
    before = bag.readout.weight.detach().clone()
    model, history = fit_name_classifier(pairs, languages, model=bag, epochs=2, batch_size=32, progress=False)
    assert model is bag and not torch.equal(before, bag.readout.weight)
    assert sum(history.losses[-5:]) < sum(history.losses[:5])

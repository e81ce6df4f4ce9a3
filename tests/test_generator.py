import math

import pytest
import torch

from rnnlib.data import N_LETTERS, letter_to_index
from rnnlib.generator import (
    END,
    PAD,
    START,
    NameGenerator,
    bigram_log_probs,
    bigram_loss,
    fit_name_generator,
    sample,
    sequence_loss,
    teacher_forcing_batch,
)


def test_teacher_forcing_shifts_the_name_by_one_step():
    inputs, targets = teacher_forcing_batch(["Kim", "Ng"], [2, 0], n_languages=3)
    assert inputs.shape == (4, 2, 3 + N_LETTERS)
    assert targets[:, 0].tolist() == [letter_to_index("K"), letter_to_index("i"), letter_to_index("m"), END]
    assert targets[:, 1].tolist() == [letter_to_index("N"), letter_to_index("g"), END, PAD]
    assert inputs[0, 0, 3:].sum() == 0  # nothing written yet at the start
    assert inputs[1, 0, 3 + letter_to_index("K")] == 1  # the true previous letter
    assert (inputs[:4, 0, 2] == 1).all() and (inputs[:3, 1, 0] == 1).all()  # the language at every step
    assert inputs[3, 1].sum() == 0  # a padding step is all zeros


def test_the_loss_is_the_mean_over_real_symbols_whatever_the_padding():
    torch.manual_seed(0)
    model = NameGenerator(3, hidden_size=16)
    with torch.no_grad():
        kim = sequence_loss(model, ["Kim"], [2]).item()  # 4 symbols, no padding
        ng = sequence_loss(model, ["Ng"], [0]).item()  # 3 symbols, no padding
        both = sequence_loss(model, ["Kim", "Ng"], [2, 0]).item()  # "Ng" padded by one step
    # The batch's mean weighs each name by its number of symbols; the padding step adds nothing.
    # 1e-6: float32 sums of about ten terms of size ~4.
    assert both == pytest.approx((4 * kim + 3 * ng) / 7, abs=1e-6)
    assert kim == pytest.approx(
        -sum(  # the definition: mean of -ln p(true symbol), computed step by step
            model(teacher_forcing_batch(["Kim"], [2], 3)[0])[0][t, 0].log_softmax(0)[y].item()
            for t, y in enumerate([letter_to_index("K"), letter_to_index("i"), letter_to_index("m"), END])
        )
        / 4,
        abs=1e-6,
    )


def test_training_lowers_the_loss_on_its_names():
    pairs = [
        ("Kim", "Korean"),
        ("Park", "Korean"),
        ("Lee", "Korean"),
        ("Ivanov", "Russian"),
        ("Petrov", "Russian"),
    ] * 20
    languages = ["Korean", "Russian"]
    names, labels = [n for n, _ in pairs], [languages.index(language) for _, language in pairs]
    untrained = NameGenerator(2)
    torch.manual_seed(0)
    before = sequence_loss(untrained, names, labels).item()
    model, losses = fit_name_generator(pairs, languages, epochs=15, batch_size=20, seed=0)
    with torch.no_grad():
        after = sequence_loss(model, names, labels).item()
    assert after < before / 3
    assert losses[-1] < losses[0]


def test_sampling_is_seeded_and_greedy_at_temperature_zero():
    torch.manual_seed(0)
    model = NameGenerator(3, hidden_size=16)
    a = sample(model, 1, 1.0, torch.Generator().manual_seed(5))
    b = sample(model, 1, 1.0, torch.Generator().manual_seed(5))
    assert a == b
    assert len({sample(model, 1, 0.0) for _ in range(3)}) == 1
    assert len(sample(model, 1, 2.0, torch.Generator().manual_seed(0), max_length=7)) <= 7


# A corpus small enough to count by hand: language X has "ab" and "aa", language Y has "b".
CORPUS = [("ab", "X"), ("aa", "X"), ("b", "Y")]
V = N_LETTERS + 1  # 58 symbols: 57 letters and the end


def test_bigram_probabilities_counted_by_hand():
    log_p = bigram_log_probs(CORPUS, ["X", "Y"], k=1.0)
    a, b = letter_to_index("a"), letter_to_index("b")
    # X: START is followed by "a" twice, so P(a | START) = (2 + 1) / (2 + 58) = 1/20, P(b | START) = 1/60.
    # "a" is followed by "b", "a" and the end once each: P(end | a) = (1 + 1) / (3 + 58) = 2/61.
    # Y: START -> "b" once, "b" -> end once: both 2/59; X never saw Y's names.
    expected = {
        (0, START, a): 1 / 20,
        (0, START, b): 1 / 60,
        (0, a, END): 2 / 61,
        (0, a, a): 2 / 61,
        (0, b, END): 2 / 59,
        (0, b, b): 1 / 59,
        (1, START, b): 2 / 59,
        (1, START, a): 1 / 59,
        (1, a, END): 1 / 58,
    }  # Y never saw "a" followed by anything: uniform
    for (c, prev, nxt), p in expected.items():
        # 1e-12: float64 division and log, relative error ~1e-16.
        assert log_p[c, prev, nxt].exp().item() == pytest.approx(p, rel=1e-12), (c, prev, nxt)
    # Every row is a distribution over the next symbol. 1e-12: a sum of 58 float64 terms.
    assert torch.allclose(log_p.exp().sum(dim=2), torch.ones(2, V, dtype=torch.float64), atol=1e-12)


def test_bigram_loss_by_hand():
    log_p = bigram_log_probs(CORPUS, ["X", "Y"], k=1.0)
    # "a" in X: -ln(1/20) - ln(2/61); "b" in Y: 2 * -ln(2/59). Four symbols in all.
    expected = (math.log(20) + math.log(61 / 2) + 2 * math.log(59 / 2)) / 4
    assert bigram_loss(log_p, [("a", "X"), ("b", "Y")], ["X", "Y"]) == pytest.approx(expected, rel=1e-12)
    # The same name in the other language: "b" in X is -ln(1/60) - ln(2/59).
    assert bigram_loss(log_p, [("b", "X")], ["X", "Y"]) == pytest.approx(
        (math.log(60) + math.log(59 / 2)) / 2, rel=1e-12
    )
    # Add-k with k = 0.5: P(a | START, X) = (2 + 0.5) / (2 + 29) = 2.5/31, P(end | a, X) = 1.5 / 32.
    half = bigram_log_probs(CORPUS, ["X", "Y"], k=0.5)
    assert bigram_loss(half, [("a", "X")], ["X", "Y"]) == pytest.approx(
        (math.log(31 / 2.5) + math.log(32 / 1.5)) / 2, rel=1e-12
    )
    # Huge k drowns the counts: every symbol gets 1/58, ln 58 nats. 1e-6: the counts still add ~3/1e9.
    flat = bigram_log_probs(CORPUS, ["X", "Y"], k=1e9)
    assert bigram_loss(flat, CORPUS, ["X", "Y"]) == pytest.approx(math.log(V), abs=1e-6)


def test_bad_arguments_are_named():
    model = NameGenerator(3, hidden_size=8)
    with pytest.raises(ValueError, match="temperature"):
        sample(model, 0, -1.0)
    with pytest.raises(ValueError, match="language must be an index from 0 to 2"):
        sample(model, 3)
    with pytest.raises(ValueError, match="at least one"):
        fit_name_generator([], ["Korean"])
    with pytest.raises(ValueError, match="k must be positive"):
        bigram_log_probs(CORPUS, ["X", "Y"], k=0)
    with pytest.raises(TypeError, match="k must be a number"):
        bigram_log_probs(CORPUS, ["X", "Y"], k="1")
    with pytest.raises(ValueError, match=r"\['Y'\] are not in"):
        bigram_log_probs(CORPUS, ["X"])
    log_p = bigram_log_probs(CORPUS, ["X", "Y"])
    with pytest.raises(ValueError, match="shape"):
        bigram_loss(log_p, CORPUS, ["X"])
    with pytest.raises(ValueError, match="at least one"):
        bigram_loss(log_p, [], ["X", "Y"])


@pytest.mark.parametrize(
    ("names", "languages", "message"),
    [([], [], "at least one name"), (["Kim"], [0, 1], "one language per name"), (["Kim"], [3], "from 0 to 2")],
)
def test_bad_batches_are_named(names, languages, message):
    with pytest.raises(ValueError, match=message):
        teacher_forcing_batch(names, languages, n_languages=3)

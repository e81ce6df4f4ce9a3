import pytest
import torch

from rnnlib.data import N_LETTERS, letter_to_index
from rnnlib.generator import END, NameGenerator, _inputs_and_targets, fit_name_generator, sample, sequence_loss


def test_teacher_forcing_shifts_the_name_by_one_step():
    inputs, targets, lengths = _inputs_and_targets(["Kim", "Ng"], [2, 0], n_languages=3)
    assert inputs.shape == (4, 2, 3 + N_LETTERS) and lengths.tolist() == [4, 3]
    assert targets[:, 0].tolist() == [letter_to_index("K"), letter_to_index("i"), letter_to_index("m"), END]
    assert targets[:, 1].tolist() == [letter_to_index("N"), letter_to_index("g"), END, -100]
    assert inputs[0, 0, 3:].sum() == 0  # nothing written yet at the start
    assert inputs[1, 0, 3 + letter_to_index("K")] == 1  # the true previous letter
    assert (inputs[:4, 0, 2] == 1).all() and (inputs[:3, 1, 0] == 1).all()  # the language at every step


def test_training_lowers_the_loss_on_its_names():
    pairs = [("Kim", "Korean"), ("Park", "Korean"), ("Lee", "Korean"), ("Ivanov", "Russian"), ("Petrov", "Russian")] * 20
    languages = ["Korean", "Russian"]
    untrained = NameGenerator(2)
    torch.manual_seed(0)
    before = sequence_loss(untrained, [n for n, _ in pairs], [languages.index(l) for _, l in pairs]).item()
    model, losses = fit_name_generator(pairs, languages, epochs=15, batch_size=20, seed=0)
    with torch.no_grad():
        after = sequence_loss(model, [n for n, _ in pairs], [languages.index(l) for _, l in pairs]).item()
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


def test_bad_arguments_are_named():
    model = NameGenerator(3, hidden_size=8)
    with pytest.raises(ValueError, match="temperature"):
        sample(model, 0, -1.0)
    with pytest.raises(ValueError, match="language must be an index from 0 to 2"):
        sample(model, 3)
    with pytest.raises(ValueError, match="at least one"):
        fit_name_generator([], ["Korean"])

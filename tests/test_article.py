import pytest
import torch
from torch.nn.functional import cross_entropy

from rnnlib.article import ArticleRNN, CorrectedRNN, LastStepClassifier, fit_last_step, unroll_cell, unroll_layer
from rnnlib.data import N_LETTERS, name_to_tensor, names_to_batch

F64 = torch.float64


def test_corrected_cell_equals_torch_rnn_and_linear_outputs_and_gradients():
    # float64 on both sides: only rounding (1e-16 scale) may differ.
    torch.manual_seed(0)
    cell = CorrectedRNN(5, 7, 3).double()
    rnn, readout = cell.to_torch()
    xs = torch.randn(11, 4, 5, dtype=F64)
    outputs, hiddens = unroll_cell(cell, xs)
    states, _ = rnn(xs)
    torch.testing.assert_close(hiddens, states, rtol=0, atol=1e-12)
    torch.testing.assert_close(outputs, readout(states), rtol=0, atol=1e-12)
    ours = torch.autograd.grad(outputs.sin().sum(), [cell.i2h.weight, cell.i2h.bias, cell.h2o.weight, cell.h2o.bias])
    theirs = torch.autograd.grad(
        readout(states).sin().sum(), [rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, readout.weight, readout.bias]
    )
    torch.testing.assert_close(ours[0], torch.cat([theirs[0], theirs[1]], dim=1), rtol=0, atol=1e-12)
    for a, b in zip(ours[1:], theirs[2:], strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-12)


def test_article_class_is_a_linear_recurrence():
    torch.manual_seed(0)
    rnn = ArticleRNN(5, 7, 3).double()
    xs = torch.randn(200, 2, 5, dtype=F64)
    _, hiddens = unroll_cell(rnn, xs)
    U, W, b = rnn.i2h.weight[:, :5], rnn.i2h.weight[:, 5:], rnn.i2h.bias
    s = torch.zeros(2, 7, dtype=F64)
    for x in xs:
        s = x @ U.T + s @ W.T + b
    torch.testing.assert_close(s, hiddens[-1], rtol=1e-10, atol=1e-10)


def test_article_output_ignores_the_new_state():
    torch.manual_seed(0)
    rnn = ArticleRNN(5, 7, 3)
    x = torch.randn(1, 5)
    output, _ = rnn(x, rnn.init_hidden())
    (gradient,) = torch.autograd.grad(output.sum(), rnn.i2h.weight, allow_unused=True)
    assert gradient is None  # the first output does not use i2h at all
    assert rnn.init_hidden().shape == (1, 7)


def test_corrected_init_hidden_takes_a_batch_size():
    assert CorrectedRNN(5, 7, 3).init_hidden(4).shape == (4, 7)


def test_last_step_classifier_scores_each_name_at_its_own_last_letter():
    torch.manual_seed(0)
    cell = CorrectedRNN(N_LETTERS, 8, 3)
    names = ["Ng", "Nakamura", "Kim"]
    batched = LastStepClassifier(cell)(names_to_batch(names, packed=True))
    for b, name in enumerate(names):
        alone, _ = unroll_cell(cell, name_to_tensor(name))
        torch.testing.assert_close(batched[b], alone[-1, 0])


def test_run_layer_equals_run_cell():
    torch.manual_seed(0)
    cell = CorrectedRNN(5, 7, 3).double()
    xs = torch.randn(9, 4, 5, dtype=F64)
    for a, b in zip(unroll_layer(cell, xs), unroll_cell(cell, xs), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-12)


LANGUAGES = ["Japanese", "Korean", "Vietnamese"]
PAIRS = [("Nakamura", "Japanese"), ("Sato", "Japanese"), ("Kim", "Korean"), ("Park", "Korean"), ("Ng", "Vietnamese")]


@pytest.mark.parametrize("cls", [ArticleRNN, CorrectedRNN])
def test_fit_last_step_trains_in_place_and_is_seeded(cls):
    losses = {}
    for run in (0, 1):
        torch.manual_seed(0)
        cell = cls(N_LETTERS, 8, 3)
        before = [p.detach().clone() for p in cell.parameters()]
        losses[run] = fit_last_step(cell, PAIRS, LANGUAGES, epochs=20, batch_size=2, lr=1e-2, seed=3)
        assert any(not torch.equal(a, b) for a, b in zip(before, cell.parameters(), strict=True))
    assert len(losses[0]) == 20 * 3  # 20 epochs of ceil(5 / 2) = 3 batches
    assert losses[0] == losses[1]  # same seed, same weights: the same run, float for float
    # 60 Adam steps on 5 names: the loss must have fallen well below chance, ln 3 = 1.10.
    assert sum(losses[0][-3:]) / 3 < 0.5


def test_fit_last_step_restores_the_number_of_threads():
    threads = torch.get_num_threads()
    fit_last_step(ArticleRNN(N_LETTERS, 4, 3), PAIRS, LANGUAGES, epochs=1, batch_size=5)
    assert torch.get_num_threads() == threads


def test_fit_last_step_loss_is_cross_entropy_at_each_names_last_letter():
    # One batch holding every name, lr tiny: the first loss is the untrained cell's loss,
    # which we recompute name by name (float32, same operations: 1e-6).
    torch.manual_seed(0)
    cell = CorrectedRNN(N_LETTERS, 8, 3)
    expected = torch.stack(
        [
            cross_entropy(unroll_cell(cell, name_to_tensor(name))[0][-1], torch.tensor([LANGUAGES.index(lang)]))
            for name, lang in PAIRS
        ]
    ).mean()
    (first,) = fit_last_step(cell, PAIRS, LANGUAGES, epochs=1, batch_size=len(PAIRS), lr=1e-9)
    assert abs(first - expected.item()) < 1e-6


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((torch.nn.RNN(N_LETTERS, 8), PAIRS, LANGUAGES), {}, TypeError, "ArticleRNN or a CorrectedRNN"),
        ((CorrectedRNN(N_LETTERS, 8, 3), [], LANGUAGES), {}, ValueError, "at least one"),
        ((CorrectedRNN(N_LETTERS, 8, 4), PAIRS, LANGUAGES), {}, ValueError, "output_size=3"),
        ((CorrectedRNN(5, 8, 3), PAIRS, LANGUAGES), {}, ValueError, "input_size=57"),
        ((CorrectedRNN(N_LETTERS, 8, 3), [("Kim", "Klingon")], LANGUAGES), {}, ValueError, "Klingon"),
        ((CorrectedRNN(N_LETTERS, 8, 3), PAIRS, LANGUAGES), {"epochs": 0}, ValueError, "epochs"),
        ((CorrectedRNN(N_LETTERS, 8, 3), PAIRS, LANGUAGES), {"batch_size": 0}, ValueError, "batch_size"),
    ],
)
def test_fit_last_step_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_last_step(*args, **kwargs)

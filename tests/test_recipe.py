import pytest
import torch

from rnnlib.recipe import DISHES, QUERY, SOLVED_CHECKS, RecipeTask, SequenceClassifier, accuracy, fit, recipe_experiment


def test_recipe_sequences_start_with_the_dish_and_end_with_the_query():
    task = RecipeTask(length=7)
    tokens, dishes = task.sample(32, torch.Generator().manual_seed(0))
    assert tokens.shape == (9, 32) and dishes.shape == (32,)
    assert torch.equal(tokens[0], dishes)
    assert (tokens[-1] == task.query).all()
    fillers = tokens[1:-1]
    assert ((fillers >= task.n_dishes) & (fillers < task.query)).all()
    sentence = task.words(tokens[:, 0])
    assert sentence.startswith(DISHES[int(dishes[0])]) and sentence.endswith(QUERY)


def test_recipe_rejects_bad_sizes():
    with pytest.raises(ValueError, match="length"):
        RecipeTask(length=-1)
    with pytest.raises(ValueError, match="n_dishes"):
        RecipeTask(length=3, n_dishes=99)
    with pytest.raises(ValueError, match="batch_size"):
        RecipeTask(length=3).sample(0, torch.Generator())


@pytest.mark.parametrize(("cell", "gate"), [("lstm", slice(8, 16)), ("gru", slice(8, 16))])
def test_gate_bias_opens_the_right_gate(cell, gate):
    model = SequenceClassifier(10, 3, cell=cell, hidden_size=8, gate_bias=3.0)
    assert (model.rnn.bias_ih_l0[gate] == 3.0).all()
    assert (model.rnn.bias_hh_l0[gate] == 0.0).all()
    others = torch.cat([model.rnn.bias_ih_l0[:8], model.rnn.bias_ih_l0[16:]])
    assert (others.abs() < 1).all()  # PyTorch's small initial biases elsewhere


def test_model_rejects_bad_configurations_and_shapes():
    with pytest.raises(ValueError, match="no gates"):
        SequenceClassifier(10, 3, cell="rnn", gate_bias=3.0)
    with pytest.raises(ValueError, match="cell must be one of"):
        SequenceClassifier(10, 3, cell="transformer")
    with pytest.raises(ValueError, match=r"shape \(T, B\)"):
        SequenceClassifier(10, 3)(torch.zeros(5, dtype=torch.long))


@pytest.fixture()
def short_recipe():
    """A fresh model on a 2-filler recipe task, and batches of a given size drawn from a seeded generator."""
    torch.manual_seed(0)
    task = RecipeTask(length=2)
    model = SequenceClassifier(task.vocab_size, task.n_dishes)
    generator = torch.Generator().manual_seed(1)
    return task, model, lambda size: lambda: task.sample(size, generator)


def test_fit_stops_once_solved_and_reports_it(short_recipe):
    task, model, batches = short_recipe
    run = fit(model, batches(64), steps=600, stop_when_solved=True)
    assert run.solved_at is not None
    assert len(run.losses) == run.solved_at + 10 * (SOLVED_CHECKS - 1) + 1
    assert run.losses[-1] < run.losses[0]
    tokens, dishes = task.sample(500, torch.Generator().manual_seed(2))
    assert accuracy(model, tokens, dishes) > 0.95
    assert model.training  # accuracy() restores the mode it found


def test_fit_without_clipping_runs_every_step(short_recipe):
    _, model, batches = short_recipe
    run = fit(model, batches(8), steps=5, clip=None)
    assert len(run.losses) == 5 and run.seconds > 0


def test_e2_recipe_experiment_is_reproducible_and_tests_on_fixed_sequences():
    # A 2-filler task, 30 steps: small enough for a unit test, long enough to train a little.
    first, again = (
        recipe_experiment(length=2, seed=1, steps=30, stop_when_solved=False, test_size=100) for _ in range(2)
    )
    assert first.run.losses == again.run.losses and first.test_accuracy == again.test_accuracy
    assert (first.cell, first.length, first.seed, len(first.run.losses)) == ("rnn", 2, 1, 30)
    with pytest.raises(ValueError, match="no gates"):
        recipe_experiment(length=2, gate_bias=3.0)

"""The braised-pork-ribs experiment (E2) in one call, as chapters 5 and 6 and the tests run it."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from rnnlib.models import SequenceClassifier
from rnnlib.recipe import RecipeTask
from rnnlib.training import TrainingRun, accuracy, train


@dataclass(frozen=True)
class RecipeResult:
    """One training run on the recipe task, and its test accuracy."""

    cell: str
    length: int
    seed: int
    test_accuracy: float
    run: TrainingRun


def run_recipe(
    length: int,
    cell: str = "rnn",
    seed: int = 0,
    gate_bias: float | None = None,
    steps: int = 600,
    stop_when_solved: bool = True,
    test_size: int = 2000,
    device: torch.device | str = "cpu",
) -> RecipeResult:
    """Train a fresh model on the recipe task with ``length`` fillers; test it on new sequences.

    Sizes are the ones that train in seconds on two CPU cores: 4 dishes, 20
    fillers, embedding 16, hidden 32, batch 64, Adam at 3e-3, clipping at 1.
    ``seed`` fixes the initial weights and the training batches; the
    ``test_size`` test sequences come from a separate, fixed generator.
    """
    task = RecipeTask(length)
    torch.manual_seed(seed)
    model = SequenceClassifier(task.vocab_size, task.n_dishes, cell=cell, gate_bias=gate_bias).to(device)
    batches = torch.Generator().manual_seed(10_000 + seed)

    def next_batch() -> tuple[torch.Tensor, torch.Tensor]:
        tokens, dishes = task.sample(64, batches)
        return tokens.to(device), dishes.to(device)

    run = train(model, next_batch, steps=steps, stop_when_solved=stop_when_solved)
    tokens, dishes = task.sample(test_size, torch.Generator().manual_seed(999))
    return RecipeResult(cell, length, seed, accuracy(model, tokens.to(device), dishes.to(device)), run)


def dish_gradient_ratio(length: int = 50, cell: str = "rnn", gate_bias: float | None = None, seed: int = 0) -> float:
    """At initialisation, how much weaker the gradient reaching the dish is than the one reaching the last filler.

    Returns ``||dL/de_dish|| / ||dL/de_last filler||``, where ``e`` are the
    embedded inputs, for a fresh model (PyTorch's default initialisation,
    except ``gate_bias``) and a batch of 64 recipes, in float64.
    """
    task = RecipeTask(length)
    torch.manual_seed(seed)
    model = SequenceClassifier(task.vocab_size, task.n_dishes, cell=cell, gate_bias=gate_bias).double()
    tokens, dishes = task.sample(64, torch.Generator().manual_seed(seed))
    embedded = model.embed(tokens).detach().requires_grad_()
    torch.nn.functional.cross_entropy(model.classify_embedded(embedded), dishes).backward()
    per_step = embedded.grad.norm(dim=(1, 2))  # (T,): one norm per position
    return (per_step[0] / per_step[length]).item()

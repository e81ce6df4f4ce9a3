"""Plain, honest training loops: Adam, gradient-norm clipping, a fixed budget.

:func:`train` is written out in full on purpose; chapter 6 explains each
line. It draws a fresh batch at every step, so there is no fixed training set
to overfit, and it can stop early once a batch is classified perfectly.
:func:`fit_epochs` is the loop for a fixed data set (chapters 8 and 9): epochs
of shuffled batches, with a one-cycle learning-rate schedule.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from tqdm.auto import tqdm

Batch = tuple[torch.Tensor, torch.Tensor]

#: A task counts as solved once this many checks in a row classify their batch perfectly.
SOLVED_CHECKS = 3


@dataclass
class TrainingRun:
    """What happened during :func:`train`."""

    losses: list[float] = field(default_factory=list)
    """The loss of every step's batch."""
    solved_at: int | None = None
    """The step that began the first run of ``SOLVED_CHECKS`` perfect checks, if any."""
    seconds: float = 0.0
    """Wall-clock time spent training."""


def accuracy(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """The share of ``labels`` (shape ``(B,)``) that ``model(inputs)`` scores highest, in eval mode."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        correct = (model(inputs).argmax(dim=1) == labels).float().mean().item()
    model.train(was_training)
    return correct


def train(
    model: nn.Module,
    next_batch: Callable[[], Batch],
    steps: int = 600,
    lr: float = 3e-3,
    clip: float | None = 1.0,
    stop_when_solved: bool = False,
    check_every: int = 10,
) -> TrainingRun:
    """Train ``model`` with Adam and cross-entropy on ``steps`` fresh batches.

    Args:
        next_batch: returns ``(inputs, labels)`` each call.
        clip: the largest gradient norm allowed (``clip_grad_norm_``); ``None``
            trains without clipping.
        stop_when_solved: stop once the task is solved: ``SOLVED_CHECKS``
            checks in a row whose batch is classified perfectly.
        check_every: how often (in steps) to check.
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    run = TrainingRun()
    start = time.perf_counter()
    model.train()
    streak = 0  # perfect checks in a row
    for step in range(steps):
        inputs, labels = next_batch()
        scores = model(inputs)
        loss = nn.functional.cross_entropy(scores, labels)
        optimizer.zero_grad()
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        run.losses.append(loss.item())
        if step % check_every == 0 and run.solved_at is None:
            perfect = bool((scores.argmax(dim=1) == labels).all())
            streak = streak + 1 if perfect else 0
            if streak == SOLVED_CHECKS:
                run.solved_at = step - check_every * (SOLVED_CHECKS - 1)  # where the streak began
                if stop_when_solved:
                    break
    run.seconds = time.perf_counter() - start
    return run


def fit_epochs(
    model: nn.Module,
    n_examples: int,
    batch_loss: Callable[[torch.Tensor], torch.Tensor],
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    after_epoch: Callable[[], None] | None = None,
    progress: bool = False,
) -> list[float]:
    """Train for ``epochs`` passes over ``n_examples`` examples; return the loss of every step.

    Each epoch shuffles the example indices (with a generator seeded by
    ``seed``) and cuts them into batches of ``batch_size``; ``batch_loss(indices)``
    returns the loss of one batch. Adam follows a one-cycle schedule peaking at
    ``lr``, and the gradient's norm is clipped at 1. ``after_epoch`` is called
    at the end of every epoch (to evaluate, or to time). ``progress`` shows a
    tqdm bar over the epochs.
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps_per_epoch = math.ceil(n_examples / batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, lr, total_steps=epochs * steps_per_epoch)
    shuffle = torch.Generator().manual_seed(seed)
    losses = []
    for _ in tqdm(range(epochs), desc="epochs", disable=not progress):
        for batch in torch.randperm(n_examples, generator=shuffle).split(batch_size):
            loss = batch_loss(batch)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        if after_epoch is not None:
            after_epoch()
    return losses

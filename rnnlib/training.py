"""Training on a fixed data set: epochs of shuffled batches (chapters 8 and 9).

The braised-pork-ribs experiment has its own loop, which draws a fresh batch
at every step: :func:`rnnlib.recipe.fit`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn
from tqdm.auto import tqdm


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
    takes one batch's example indices, ``(B,)`` int64, and returns its loss,
    a scalar tensor. Adam follows a one-cycle schedule peaking at
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

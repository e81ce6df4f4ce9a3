"""The braised-pork-ribs task, its model, its training loop and its experiment (chapters 5 and 6).

"Today I want to make braised pork ribs, first I need to prepare the ribs,
then ..., finally the delicious dish is ready. Which dish?" Each sequence
starts with one of a few dishes, continues with ``length`` filler words
chosen at random, and ends with a query token. The answer is the dish: the
only useful information is the very first token, so the task measures
nothing but how far back a network can carry information.

* :class:`RecipeTask` draws the sequences;
* :class:`SequenceClassifier` reads them (embedding, one recurrent layer, a
  readout of the last state);
* :func:`fit` is the training loop, written out in full on purpose (chapter 6
  explains each line): a fresh batch at every step, Adam, clipping;
* :func:`recipe_experiment` trains a fresh model and tests it, and
  :func:`dish_gradient_ratio` measures, at initialisation, how much of the
  gradient reaches the dish.

Shapes: T time steps (``length + 2``), B batch, E embedding size, H hidden
size, C number of dishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from rnnlib._checks import check_int

#: The dishes a recipe can name; the first is the one the story is about.
DISHES = ("braised pork ribs", "spicy chicken", "steamed fish", "mapo tofu", "fried rice", "dumplings")

#: Filler words that say nothing about the dish.
FILLERS = (
    "first",
    "I",
    "need",
    "to",
    "prepare",
    "wash",
    "then",
    "chop",
    "the",
    "ginger",
    "add",
    "a",
    "little",
    "sugar",
    "stir",
    "slowly",
    "wait",
    "taste",
    "and",
    "finally",
)

QUERY = "which dish?"


@dataclass(frozen=True)
class RecipeTask:
    """Sequences of ``1 + length + 1`` tokens: a dish, ``length`` fillers, the query.

    Token ids: dishes ``0 ... n_dishes - 1``, fillers after them, the query last.

    Raises:
        ValueError: if ``length`` < 0, or ``n_dishes`` / ``n_fillers`` exceed
            the words available.
    """

    length: int
    n_dishes: int = 4
    n_fillers: int = 20

    def __post_init__(self) -> None:
        check_int("length", self.length, minimum=0)
        if not 2 <= self.n_dishes <= len(DISHES):
            raise ValueError(f"n_dishes must be from 2 to {len(DISHES)}, got {self.n_dishes}")
        if not 1 <= self.n_fillers <= len(FILLERS):
            raise ValueError(f"n_fillers must be from 1 to {len(FILLERS)}, got {self.n_fillers}")

    @property
    def vocab_size(self) -> int:
        """Dishes, fillers and the query token."""
        return self.n_dishes + self.n_fillers + 1

    @property
    def query(self) -> int:
        """The id of the query token."""
        return self.vocab_size - 1

    def sample(self, batch_size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw ``batch_size`` sequences.

        Returns:
            ``(tokens, dishes)``: token ids of shape ``(T, B)`` with
            ``T = length + 2`` (time first, int64), and the answers, ``(B,)``.
        """
        check_int("batch_size", batch_size, minimum=1)
        dishes = torch.randint(0, self.n_dishes, (batch_size,), generator=generator)
        fillers = torch.randint(
            self.n_dishes, self.n_dishes + self.n_fillers, (self.length, batch_size), generator=generator
        )
        query = torch.full((1, batch_size), self.query)
        return torch.cat([dishes.unsqueeze(0), fillers, query]), dishes

    def words(self, tokens: torch.Tensor) -> str:
        """Spell out one sequence of shape ``(length + 2,)`` as a sentence."""
        vocabulary = [*DISHES[: self.n_dishes], *FILLERS[: self.n_fillers], QUERY]
        return " ".join(vocabulary[int(t)] for t in tokens)


_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceClassifier(nn.Module):
    """Reads a sequence of token ids and scores ``n_classes`` answers from its last state.

    Args:
        vocab_size: number of token ids.
        n_classes: number of answers (C).
        cell: ``"rnn"`` (tanh), ``"lstm"`` or ``"gru"``.
        embedding_size, hidden_size: layer sizes (E and H).
        gate_bias: for ``"lstm"``, the forget-gate bias; for ``"gru"``, the
            update-gate bias. A large value (about 3) makes the cell keep its
            state by default: the forget gate starts open, ``sigmoid(3) = 0.95``
            (Gers, Schmidhuber & Cummins 2000). ``None`` keeps PyTorch's
            initialisation.

    Raises:
        ValueError: for an unknown ``cell``, or a ``gate_bias`` with ``"rnn"``.
    """

    def __init__(
        self,
        vocab_size: int,
        n_classes: int,
        cell: str = "rnn",
        embedding_size: int = 16,
        hidden_size: int = 32,
        gate_bias: float | None = None,
    ) -> None:
        super().__init__()
        if cell not in _LAYERS:
            raise ValueError(f"cell must be one of {sorted(_LAYERS)}, got {cell!r}")
        if gate_bias is not None and cell == "rnn":
            raise ValueError("gate_bias needs a gated cell ('lstm' or 'gru'); a plain RNN has no gates")
        self.cell = cell
        self.embed = nn.Embedding(vocab_size, embedding_size)
        self.rnn = _LAYERS[cell](embedding_size, hidden_size)
        self.readout = nn.Linear(hidden_size, n_classes)
        if gate_bias is not None:
            # PyTorch orders the gates (input, forget, cell, output) for the LSTM
            # and (reset, update, new) for the GRU: the second block is ours.
            with torch.no_grad():
                gate = slice(hidden_size, 2 * hidden_size)
                self.rnn.bias_ih_l0[gate] = gate_bias
                self.rnn.bias_hh_l0[gate] = 0.0

    def classify_embedded(self, embedded: torch.Tensor) -> torch.Tensor:
        """Scores from already embedded inputs, ``(T, B, E)``; returns ``(B, C)``."""
        states, _ = self.rnn(embedded)  # (T, B, H): the state after every step
        return self.readout(states[-1])

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Scores for token ids of shape ``(T, B)``; returns ``(B, C)``."""
        if tokens.dim() != 2:
            raise ValueError(f"tokens must have shape (T, B), got {tuple(tokens.shape)}")
        return self.classify_embedded(self.embed(tokens))


Batch = tuple[torch.Tensor, torch.Tensor]

#: A task counts as solved once this many checks in a row classify their batch perfectly.
SOLVED_CHECKS = 3


@dataclass
class TrainingRun:
    """What happened during :func:`fit`."""

    losses: list[float] = field(default_factory=list)
    """The loss of every step's batch."""
    solved_at: int | None = None
    """The step that began the first run of ``SOLVED_CHECKS`` perfect checks, if any."""
    seconds: float = 0.0
    """Wall-clock time spent training."""


def accuracy(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    """The share of ``labels`` (``(B,)``) that ``model(inputs)`` (``(B, C)`` scores) gets right, in eval mode."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        correct = (model(inputs).argmax(dim=1) == labels).float().mean().item()
    model.train(was_training)
    return correct


def fit(
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
        next_batch: returns ``(inputs, labels)`` each call: ``(T, B)`` token
            ids and ``(B,)`` answers for the recipe task.
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


@dataclass(frozen=True)
class RecipeResult:
    """One training run on the recipe task, and its test accuracy."""

    cell: str
    length: int
    seed: int
    test_accuracy: float
    run: TrainingRun


def recipe_experiment(
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

    run = fit(model, next_batch, steps=steps, stop_when_solved=stop_when_solved)
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

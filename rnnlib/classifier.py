"""Classify surnames by language: the model, its training loop, honest evaluation, prediction.

The model reads a batch of names as a packed sequence of one-hot letters
(:func:`rnnlib.data.names_to_batch`), runs a bidirectional GRU over them and
scores the languages from the final states of both directions. Training
weighs each language's loss by ``count ** weight_power`` (a mild correction
for the imbalance: Russian alone is about half the names) and clips the
gradient's norm at 1, as in chapter 6.

Shapes (legend in CONTRIBUTING.md): B names, T letters in the longest,
V = ``N_LETTERS`` one-hot features, H hidden size, C languages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence

from rnnlib._checks import check_tensor
from rnnlib.data import N_LETTERS, names_to_batch
from rnnlib.training import fit_epochs

Pair = tuple[str, str]


class NameClassifier(nn.Module):
    """Bidirectional GRU over one-hot letters, dropout, and a linear readout.

    Input: a :class:`~torch.nn.utils.rnn.PackedSequence` of ``B`` names,
    one-hot letters of ``V = N_LETTERS`` features. Output: scores ``(B, C)``
    for ``C = n_languages``.
    """

    def __init__(self, n_languages: int, hidden_size: int = 128, dropout: float = 0.3) -> None:
        super().__init__()
        self.rnn = nn.GRU(N_LETTERS, hidden_size, bidirectional=True)
        self.dropout = nn.Dropout(dropout)
        self.readout = nn.Linear(2 * hidden_size, n_languages)

    @staticmethod
    def encode(names: Sequence[str]) -> PackedSequence:
        """The input for ``B = len(names)`` names: packed one-hot letters (:func:`rnnlib.data.names_to_batch`)."""
        return names_to_batch(list(names), packed=True)

    def forward(self, names: PackedSequence) -> torch.Tensor:
        """Scores ``(B, C)`` for a packed batch of ``B`` names."""
        _, last = self.rnn(names)  # (2, B, H): the last state of each direction
        both = torch.cat([last[0], last[1]], dim=1)
        return self.readout(self.dropout(both))


def _labels(pairs: Sequence[Pair], languages: Sequence[str]) -> torch.Tensor:
    index = {language: i for i, language in enumerate(languages)}
    try:
        return torch.tensor([index[language] for _, language in pairs])
    except KeyError as error:
        raise ValueError(f"unknown language {error.args[0]!r}; expected one of {list(languages)}") from None


def class_weights(labels: torch.Tensor, n_classes: int, power: float) -> torch.Tensor:
    """Per-class loss weights ``count ** power``, scaled so the average example weighs 1.

    ``labels``: ``(N,)`` class indices; returns ``(C,)`` weights, ``C = n_classes``.

    ``power = 0`` is no weighting; ``-1`` fully balances the classes; the
    course uses a mild ``-0.35``.
    """
    counts = torch.bincount(labels, minlength=n_classes).double().clamp_min(1)
    weights = counts**power
    return (weights * len(labels) / (weights * counts).sum()).float()


@dataclass
class Evaluation:
    """Scores of a classifier on labelled names."""

    accuracy: float
    balanced_accuracy: float
    """The mean over languages of each language's accuracy (recall)."""
    per_language: dict[str, float]
    confusion: torch.Tensor
    """``confusion[i, j]``: names of language ``i`` classified as ``j``; shape ``(C, C)``."""


def _encoder(model: nn.Module) -> Callable[[Sequence[str]], torch.Tensor | PackedSequence]:
    """What turns names into ``model``'s input: its ``encode`` method, else packed one-hot letters."""
    return getattr(model, "encode", NameClassifier.encode)


def scores(
    model: nn.Module, names: Sequence[str], device: torch.device | str = "cpu", batch_size: int = 1024
) -> torch.Tensor:
    """The model's scores for ``names``, shape ``(N, C)`` for ``N = len(names)``, in eval mode.

    The names are turned into the model's input by its ``encode`` method
    (:class:`NameClassifier` and :class:`rnnlib.ngrams.NGramClassifier` have
    one); a model without one reads packed one-hot letters, as
    :class:`NameClassifier` does.
    """
    encode = _encoder(model)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        chunks = [
            model(encode(list(names[i : i + batch_size])).to(device)).cpu() for i in range(0, len(names), batch_size)
        ]
    model.train(was_training)
    return torch.cat(chunks)


def evaluate(
    model: nn.Module, pairs: Sequence[Pair], languages: Sequence[str], device: torch.device | str = "cpu"
) -> Evaluation:
    """Accuracy, balanced accuracy, per-language accuracy and confusion matrix on ``pairs``."""
    return evaluate_predictions(pairs, scores(model, [name for name, _ in pairs], device).argmax(dim=1), languages)


def evaluate_predictions(pairs: Sequence[Pair], predicted: torch.Tensor, languages: Sequence[str]) -> Evaluation:
    """As :func:`evaluate`, for predicted class indices ``(N,)``, one per pair, from any classifier.

    Raises:
        TypeError: if ``predicted`` is not a tensor.
        ValueError: if ``predicted`` is not ``(N,)`` for ``N = len(pairs)``, holds an index outside
            ``0 .. C - 1`` for ``C = len(languages)``, or a language is unknown.
    """
    check_tensor("predicted", predicted, 1, f"({len(pairs)},)")
    if len(predicted) != len(pairs):
        raise ValueError(f"predicted must have shape ({len(pairs)},), one class per pair, got {tuple(predicted.shape)}")
    n = len(languages)
    predicted = predicted.long().cpu()
    if len(predicted) and not 0 <= predicted.min() <= predicted.max() < n:
        raise ValueError(
            f"predicted must hold class indices from 0 to {n - 1}, got {predicted.min()} to {predicted.max()}"
        )
    labels = _labels(pairs, languages)
    confusion = torch.bincount(labels * n + predicted, minlength=n * n).reshape(n, n)
    totals = confusion.sum(dim=1)
    per_language = {
        language: (confusion[i, i] / totals[i]).item() for i, language in enumerate(languages) if totals[i] > 0
    }
    return Evaluation(
        accuracy=(predicted == labels).double().mean().item(),
        balanced_accuracy=sum(per_language.values()) / len(per_language),
        per_language=per_language,
        confusion=confusion,
    )


@dataclass(frozen=True)
class Ceiling:
    """The best scores that any function of the name alone can reach on some labelled names."""

    accuracy: float
    balanced_accuracy: float
    ambiguous_names: int
    """Distinct names listed under more than one language."""


def ceiling(pairs: Sequence[Pair], languages: Sequence[str]) -> Ceiling:
    """The highest accuracy and balanced accuracy a classifier that sees only the name can reach on ``pairs``.

    Some names are listed under several languages (almost every Scottish name
    is listed as English too). A classifier gives each spelling one answer, so
    of a spelling's pairs it can get right at most those of one language. The
    best answer for each spelling is chosen independently:

    - accuracy: the language the spelling is listed under most often;
    - balanced accuracy (the mean over languages of each one's recall): the
      language ``L`` that maximises ``count(name, L) / count(L)``, since each
      right answer adds ``1 / count(L)`` to ``L``'s recall.

    Languages with no pair in ``pairs`` do not count, as in :func:`evaluate`.

    Raises:
        ValueError: if ``pairs`` is empty or names a language not in ``languages``.
    """
    if not pairs:
        raise ValueError("pairs must hold at least one (name, language) pair, got none")
    labels = _labels(pairs, languages)
    per_language = torch.bincount(labels, minlength=len(languages)).tolist()
    by_name: dict[str, dict[int, int]] = {}
    for (name, _), label in zip(pairs, labels.tolist(), strict=True):
        counts = by_name.setdefault(name, {})
        counts[label] = counts.get(label, 0) + 1
    present = sum(1 for count in per_language if count > 0)
    return Ceiling(
        accuracy=sum(max(counts.values()) for counts in by_name.values()) / len(pairs),
        balanced_accuracy=sum(max(n / per_language[c] for c, n in counts.items()) for counts in by_name.values())
        / present,
        ambiguous_names=sum(1 for counts in by_name.values() if len(counts) > 1),
    )


@dataclass
class History:
    """Losses of every step; after every epoch, the held-out accuracy (if asked for) and the time so far."""

    losses: list[float] = field(default_factory=list)
    epoch_accuracy: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    """Wall-clock seconds from the start of training to the end of each epoch."""


def fit_name_classifier(
    train_pairs: Sequence[Pair],
    languages: Sequence[str],
    *,
    epochs: int = 10,
    batch_size: int = 128,
    lr: float = 5e-3,
    weight_power: float = -0.35,
    hidden_size: int = 128,
    seed: int = 0,
    device: torch.device | str = "cpu",
    eval_pairs: Sequence[Pair] | None = None,
    progress: bool = True,
    model: nn.Module | None = None,
) -> tuple[nn.Module, History]:
    """Train a :class:`NameClassifier` (or the given ``model``) on ``(name, language)`` pairs.

    ``model``, if given, is trained in place instead of a new
    ``NameClassifier(len(languages), hidden_size)``; it reads its batches
    through its ``encode`` method (see :func:`scores`). Its initial weights
    are the caller's (seed before making it); ``seed`` still seeds the
    shuffling and the dropout.

    Adam with a one-cycle learning-rate schedule peaking at ``lr``, batches of
    ``batch_size`` shuffled names, class-weighted cross-entropy, gradient
    clipping at 1. With ``eval_pairs``, the accuracy on them is recorded after
    every epoch (they never influence training).

    Raises:
        ValueError: if ``train_pairs`` is empty or names an unknown language.
    """
    if len(train_pairs) == 0:
        raise ValueError("train_pairs must hold at least one (name, language) pair")
    labels = _labels(train_pairs, languages)
    names = [name for name, _ in train_pairs]
    torch.manual_seed(seed)
    model = (NameClassifier(len(languages), hidden_size) if model is None else model).to(device)
    encode = _encoder(model)
    loss_fn = nn.CrossEntropyLoss(weight=class_weights(labels, len(languages), weight_power).to(device))
    history = History()
    start = time.perf_counter()

    def batch_loss(batch: torch.Tensor) -> torch.Tensor:
        x = encode([names[i] for i in batch]).to(device)
        return loss_fn(model(x), labels[batch].to(device))

    def after_epoch() -> None:
        if eval_pairs is not None:
            history.epoch_accuracy.append(evaluate(model, eval_pairs, languages, device).accuracy)
        history.epoch_seconds.append(time.perf_counter() - start)

    history.losses = fit_epochs(
        model,
        len(names),
        batch_loss,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        seed=seed,
        after_epoch=after_epoch,
        progress=progress,
    )
    model.eval()
    return model, history


def predict(
    model: nn.Module, name: str, languages: Sequence[str], k: int = 3, device: torch.device | str = "cpu"
) -> list[tuple[str, float]]:
    """The ``k`` most likely languages of ``name``, with their probabilities, most likely first.

    Raises:
        TypeError, ValueError: for a bad name, as the model's ``encode`` (for :class:`NameClassifier`,
            :func:`rnnlib.data.names_to_batch`; :class:`rnnlib.ngrams.NGramClassifier` takes any
            non-empty string).
    """
    probabilities = scores(model, [name], device)[0].softmax(dim=0)
    top = probabilities.topk(min(k, len(languages)))
    return [(languages[i], p) for p, i in zip(top.values.tolist(), top.indices.tolist(), strict=True)]

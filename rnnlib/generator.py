"""Generate names letter by letter: the one-to-many structure of chapter 1.

The model reads the language and the previous letter, and scores the next
letter or the end of the name. Trained with *teacher forcing* (at every step
it is shown the true previous letter), it generates by feeding each sampled
letter back in as the next input until it samples the end.

Shapes (legend of CONTRIBUTING.md): C languages, V = ``N_LETTERS + 1``
symbols (the 57 letters and the end). The input at each step is
``C + N_LETTERS`` numbers (one-hot language, one-hot previous letter, all
zeros at the start); the output scores the V symbols, the last being the end
of the name.

Chapter 9 measures the model against a per-language *bigram* model,
:func:`bigram_log_probs`, which predicts the next symbol from the previous
one only, by counting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from rnnlib._checks import check_number
from rnnlib.data import ALL_LETTERS, N_LETTERS, letter_to_index
from rnnlib.training import fit_epochs

END = N_LETTERS  # index of the end-of-name symbol among the V = N_LETTERS + 1 outputs
START = N_LETTERS  # row of the bigram table for "no letter yet" (a previous symbol is never the end)
PAD = -100  # the target at the padding steps after a name's end


class NameGenerator(nn.Module):
    """A GRU that scores the next letter of a name in a given language."""

    def __init__(self, n_languages: int, hidden_size: int = 128) -> None:
        super().__init__()
        self.n_languages = n_languages
        self.rnn = nn.GRU(n_languages + N_LETTERS, hidden_size)  # reads (language, previous letter)
        self.readout = nn.Linear(hidden_size, N_LETTERS + 1)  # scores the 57 letters and the end

    def forward(self, inputs: torch.Tensor, hidden: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Scores ``(T, B, V)`` for inputs ``(T, B, C + N_LETTERS)``, and the last state ``(1, B, H)``."""
        states, hidden = self.rnn(inputs, hidden)  # states: (T, B, H), one per step
        return self.readout(states), hidden  # (T, B, V): unnormalised scores of the next symbol


def teacher_forcing_batch(
    names: Sequence[str], languages: Sequence[int], n_languages: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """The inputs and targets of ``B`` names for training with teacher forcing.

    ``languages`` holds the names' language indices (0 to ``n_languages - 1``).
    A name of ``L`` letters takes ``L + 1`` steps: at step ``t`` the input is
    the language and the true letter ``t - 1`` (no letter at step 0), and the
    target is letter ``t``, or :data:`END` at step ``L``. Shorter names are
    padded up to the longest: all-zero inputs, target :data:`PAD`.

    Returns:
        ``(inputs, targets)``: inputs ``(T, B, C + N_LETTERS)`` (float32, ``C = n_languages``)
        and targets ``(T, B)`` (int64), with ``T`` = the longest name's length + 1.

    Raises:
        ValueError: if ``names`` is empty, ``languages`` has another length, or a
            language index is out of range, or a letter is not in the alphabet.
    """
    if len(names) == 0:
        raise ValueError("names must hold at least one name")
    if len(languages) != len(names):
        raise ValueError(f"languages must give one language per name: {len(names)} names, {len(languages)} languages")
    if any(not 0 <= language < n_languages for language in languages):
        raise ValueError(f"language indices must be from 0 to {n_languages - 1}, got {sorted(set(languages))}")
    T, B = max(len(n) for n in names) + 1, len(names)  # letters + the end symbol
    steps, rows, symbols = [], [], []  # every real step: its time, its name, its target symbol
    for b, name in enumerate(names):
        steps += range(len(name) + 1)
        rows += [b] * (len(name) + 1)
        symbols += [letter_to_index(c) for c in name] + [END]
    t, b, y = torch.tensor(steps), torch.tensor(rows), torch.tensor(symbols)
    targets = torch.full((T, B), PAD)
    targets[t, b] = y
    inputs = torch.zeros(T, B, n_languages + N_LETTERS)
    inputs[t, b, torch.tensor(languages)[b]] = 1.0  # the language at every real step
    letter = y != END
    inputs[t[letter] + 1, b[letter], n_languages + y[letter]] = 1.0  # the previous letter, one step later
    return inputs, targets


def sequence_loss(model: NameGenerator, names: Sequence[str], languages: Sequence[int]) -> torch.Tensor:
    """Mean of -ln p(true next symbol) over the real symbols (letters and ends) of ``B`` names, in nats.

    ``languages`` holds the ``B`` language indices. The padding steps after
    each name's end are masked out of the mean.
    """
    inputs, targets = teacher_forcing_batch(names, languages, model.n_languages)
    device = model.readout.weight.device
    scores, _ = model(inputs.to(device))  # (T, B, V)
    targets = targets.to(device)  # (T, B), PAD after each name's end
    mask = targets != PAD  # (T, B): True at the real symbols
    log_p = scores.log_softmax(dim=2)  # (T, B, V): ln p of every symbol at every step
    log_p_true = log_p.gather(2, targets.clamp(min=0).unsqueeze(2)).squeeze(2)  # (T, B); PAD reads symbol 0
    return -log_p_true[mask].mean()  # the padding steps drop out here


# Its keywords (epochs, batch_size, lr, seed) are those of every fit_* of the course, on purpose.
def fit_name_generator(
    pairs: Sequence[tuple[str, str]],
    languages: Sequence[str],
    *,
    epochs: int = 6,
    batch_size: int = 128,
    lr: float = 5e-3,
    hidden_size: int = 128,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> tuple[NameGenerator, list[float]]:
    """Train a :class:`NameGenerator` on ``(name, language)`` pairs; returns it and the losses of every step."""
    if len(pairs) == 0:
        raise ValueError("pairs must hold at least one (name, language) pair")
    names = [name for name, _ in pairs]
    labels = _language_indices(pairs, languages)  # a ValueError names a language that is not in languages
    torch.manual_seed(seed)
    model = NameGenerator(len(languages), hidden_size).to(device)

    def batch_loss(batch: torch.Tensor) -> torch.Tensor:
        return sequence_loss(model, [names[i] for i in batch], [labels[i] for i in batch])

    losses = fit_epochs(model, len(names), batch_loss, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
    model.eval()
    return model, losses


def sample(
    model: NameGenerator,
    language: int,
    temperature: float = 0.7,
    generator: torch.Generator | None = None,
    max_length: int = 20,
) -> str:
    """Write one name in ``language`` (an index), feeding each sampled letter back in.

    ``temperature`` divides the scores before the softmax: low values pick the
    likeliest letters (at 0, always the likeliest), high values take risks.
    The name ends when the end symbol is sampled, or after ``max_length``
    letters.

    Raises:
        ValueError: if ``temperature`` < 0 or ``language`` is out of range.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if not 0 <= language < model.n_languages:
        raise ValueError(f"language must be an index from 0 to {model.n_languages - 1}, got {language}")
    device = model.readout.weight.device

    def step_input(letter: int | None) -> torch.Tensor:
        """The ``(1, 1, C + N_LETTERS)`` input: the language, and the previous letter if any."""
        x = torch.zeros(1, 1, model.n_languages + N_LETTERS, device=device)
        x[0, 0, language] = 1.0
        if letter is not None:
            x[0, 0, model.n_languages + letter] = 1.0
        return x

    x, hidden, letters = step_input(None), None, []
    with torch.no_grad():
        for _ in range(max_length):
            scores, hidden = model(x, hidden)  # one step: scores (1, 1, V)
            scores = scores[0, 0].cpu()
            if temperature == 0:
                choice = int(scores.argmax())
            else:
                choice = int(torch.multinomial((scores / temperature).softmax(dim=0), 1, generator=generator))
            if choice == END:
                break
            letters.append(ALL_LETTERS[choice])
            x = step_input(choice)  # the output becomes the next input
    return "".join(letters)


def _bigrams(name: str) -> tuple[list[int], list[int]]:
    """The previous symbols (START, then the letters) and the next ones (the letters, then END) of ``name``."""
    letters = [letter_to_index(c) for c in name]
    return [START, *letters], [*letters, END]


def _language_indices(pairs: Sequence[tuple[str, str]], languages: Sequence[str]) -> list[int]:
    """The index in ``languages`` of each pair's language; a ValueError names one that is missing."""
    index = {language: i for i, language in enumerate(languages)}
    missing = sorted({language for _, language in pairs} - index.keys())
    if missing:
        raise ValueError(f"languages {missing} are not in languages={list(languages)}")
    return [index[language] for _, language in pairs]


def bigram_log_probs(pairs: Sequence[tuple[str, str]], languages: Sequence[str], k: float = 1.0) -> torch.Tensor:
    """A bigram model for each language, counted on ``(name, language)`` pairs, with add-``k`` smoothing.

    Returns ``(C, V, V)`` log-probabilities (float64): entry ``[c, prev, next]``
    is ``ln P(next | prev, language c) = ln (n(prev, next) + k) / (n(prev) + k V)``,
    where ``n`` counts the names of language ``c``. The rows ``prev`` are the
    letters and :data:`START` (before the first letter); the columns ``next``
    are the letters and :data:`END`. Each row sums to 1, and a language
    without names gets the uniform ``1 / V`` everywhere.

    Raises:
        TypeError: if ``k`` is not a number.
        ValueError: if ``k`` is not positive and finite, or a pair's language
            is not in ``languages``, or a name has a letter outside the alphabet.
    """
    check_number("k", k)
    if not (k > 0 and math.isfinite(k)):
        raise ValueError(f"k must be positive and finite (add-k smoothing), got {k}")
    V = N_LETTERS + 1
    counts = torch.zeros(len(languages), V, V, dtype=torch.float64)
    where: tuple[list[int], list[int], list[int]] = ([], [], [])
    for (name, _), c in zip(pairs, _language_indices(pairs, languages), strict=True):
        previous, following = _bigrams(name)
        where[0].extend([c] * len(previous))
        where[1].extend(previous)
        where[2].extend(following)
    index = tuple(torch.tensor(w, dtype=torch.int64) for w in where)
    counts.index_put_(index, torch.ones(len(where[0]), dtype=torch.float64), accumulate=True)
    return ((counts + k) / (counts.sum(dim=2, keepdim=True) + k * V)).log()


def bigram_loss(log_probs: torch.Tensor, pairs: Sequence[tuple[str, str]], languages: Sequence[str]) -> float:
    """Mean of ``-ln P(next | prev, language)`` over every symbol (letters and ends) of ``pairs``, in nats.

    ``log_probs`` is the ``(C, V, V)`` table of :func:`bigram_log_probs` for
    the same ``languages``. The mean is over symbols, like :func:`sequence_loss`.

    Raises:
        ValueError: if ``pairs`` is empty, ``log_probs`` does not have shape
            ``(len(languages), V, V)``, or a pair's language is not in ``languages``.
    """
    V = N_LETTERS + 1
    if tuple(log_probs.shape) != (len(languages), V, V):
        expected = (len(languages), V, V)
        raise ValueError(f"log_probs must have shape (C, V, V) = {expected}, got {tuple(log_probs.shape)}")
    if len(pairs) == 0:
        raise ValueError("pairs must hold at least one (name, language) pair")
    total, symbols = 0.0, 0
    for (name, _), c in zip(pairs, _language_indices(pairs, languages), strict=True):
        previous, following = _bigrams(name)
        total -= float(log_probs[c, previous, following].sum())
        symbols += len(following)
    return total / symbols

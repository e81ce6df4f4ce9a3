"""A classifier with no memory: a name as a bag of letter n-grams (chapter 8's baseline).

A name is cut into every run of 1 to ``n_max`` letters, its *n-grams*, with
``<`` and ``>`` marking where it starts and ends: "Ivanov" gives "<i", "ov>",
"iva" and so on. Each n-gram seen often enough in training has a learned
vector; a name's features are the mean of its n-grams' vectors, and a linear
readout scores the languages. That is fastText's classifier
(Joulin et al., 2017) on letters. It has no state and sees no order beyond
``n_max`` letters, which makes it a yardstick for what the GRU's memory buys.

Shapes: B names and C languages (as in CONTRIBUTING.md's legend); L n-grams
in the longest name's list (shorter lists padded with 0); E embedding size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import torch
from torch import nn

from rnnlib._checks import check_tensor

START, END = "<", ">"
PADDING = 0
"""The index of padding, and of every n-gram not in the vocabulary: it adds nothing to a name's mean."""


def letter_ngrams(name: str, n_max: int = 5) -> list[str]:
    """Every run of 1 to ``n_max`` letters of ``name``, lower-cased, with ``<`` and ``>`` around it.

    Shorter n-grams first: ``letter_ngrams("Ng", 2) == ["<", "n", "g", ">", "<n", "ng", "g>"]``.

    Raises:
        TypeError: if ``name`` is not a string.
        ValueError: if ``name`` is empty or ``n_max < 1``.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not name:
        raise ValueError("name must hold at least one letter, got an empty string")
    if n_max < 1:
        raise ValueError(f"n_max must be at least 1, got {n_max}")
    text = START + name.lower() + END
    return [text[i : i + n] for n in range(1, n_max + 1) for i in range(len(text) - n + 1)]


def ngram_vocabulary(names: Iterable[str], n_max: int = 5, min_count: int = 2) -> dict[str, int]:
    """Indices ``1, 2, ...`` for the n-grams of ``names`` seen at least ``min_count`` times, in sorted order.

    Index 0 (:data:`PADDING`) is left for padding and for n-grams outside the
    vocabulary. A rare n-gram would get a vector trained on one or two names,
    which fits them rather than the language, so it is left out.

    Raises:
        ValueError: if ``min_count < 1``; TypeError, ValueError: as :func:`letter_ngrams`.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    counts = Counter(gram for name in names for gram in letter_ngrams(name, n_max))
    kept = sorted(gram for gram, count in counts.items() if count >= min_count)
    return {gram: index for index, gram in enumerate(kept, start=PADDING + 1)}


class NGramClassifier(nn.Module):
    """The mean of a name's n-gram vectors, and a linear readout.

    Input: n-gram indices ``(B, L)`` from :meth:`encode`, 0 for padding and
    unknown n-grams. Output: scores ``(B, C)`` for ``C = n_languages``.
    """

    def __init__(self, vocabulary: dict[str, int], n_languages: int, embedding_size: int = 64, n_max: int = 5) -> None:
        super().__init__()
        if sorted(vocabulary.values()) != list(range(PADDING + 1, len(vocabulary) + 1)):
            raise ValueError(
                f"the vocabulary's indices must be 1 to {len(vocabulary)}, each once ({PADDING} is padding), "
                "as ngram_vocabulary makes them"
            )
        self.vocabulary, self.n_max = vocabulary, n_max
        self.embed = nn.EmbeddingBag(len(vocabulary) + 1, embedding_size, mode="mean", padding_idx=PADDING)
        self.readout = nn.Linear(embedding_size, n_languages)

    def encode(self, names: Sequence[str]) -> torch.Tensor:
        """The n-gram indices of ``B = len(names)`` names, ``(B, L)`` int64, padded with 0."""
        rows = [[self.vocabulary.get(gram, PADDING) for gram in letter_ngrams(name, self.n_max)] for name in names]
        batch = torch.full((len(rows), max(map(len, rows), default=0)), PADDING, dtype=torch.long)
        for b, row in enumerate(rows):
            batch[b, : len(row)] = torch.tensor(row)
        return batch

    def forward(self, ngrams: torch.Tensor) -> torch.Tensor:
        """Scores ``(B, C)`` for n-gram indices ``(B, L)``."""
        check_tensor("ngrams", ngrams, 2, "(B, L)")  # e.g. a packed batch of letters is not n-gram indices
        if ngrams.dtype != torch.long:
            raise ValueError(
                f"expected n-gram indices of shape (B, L) and dtype int64, got {tuple(ngrams.shape)} {ngrams.dtype}"
            )
        return self.readout(self.embed(ngrams))  # the mean over each row skips the 0s: (B, E), then (B, C)

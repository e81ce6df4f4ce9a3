"""A train/test split of the names data in which no name is on both sides.

The files repeat names: ``Arabic.txt`` has 2,000 lines but only 108
distinct names, and some surnames are listed under several languages. A
plain random split of the lines therefore puts copies of training names in
the test set, and a model that memorised them looks better than it is.

:func:`split_names` splits *distinct names* instead. Every pair with a given
name goes to the same side, repeats are removed, and each language keeps
close to ``test_fraction`` of its distinct names for testing (the split is
stratified). It depends only on the names and ``seed``, not on the order of
the files or on any random number generator, so it is the same on every
machine and every run.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import torch

from rnnlib.data.names import NamesData


@dataclass(frozen=True)
class Split:
    """Distinct ``(name, language)`` pairs, in sorted order, on each side."""

    train: tuple[tuple[str, str], ...]
    test: tuple[tuple[str, str], ...]


def _rank(name: str, seed: int) -> str:
    """A stable pseudo-random sort key for ``name``: the SHA-256 of seed and name."""
    return hashlib.sha256(f"{seed}\0{name}".encode()).hexdigest()


def split_names(data: NamesData, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """Split ``data`` so that no name appears in both ``train`` and ``test``.

    Languages are visited from the one with fewest distinct names to the
    one with most. Each takes names for its test side in a seeded
    pseudo-random order until ``ceil(test_fraction * n)`` of its ``n``
    names are test names. A name listed under several languages is decided
    once, by the first language that meets it, and the others count it
    where it already is.

    Args:
        data: the loaded names data.
        test_fraction: the share of each language's distinct names to hold
            out, strictly between 0 and 1.
        seed: changes which names are held out.

    Raises:
        TypeError: if ``data`` is not :class:`~rnnlib.data.names.NamesData`
            or ``seed`` is not an int.
        ValueError: if ``test_fraction`` is not strictly between 0 and 1.
    """
    if not isinstance(data, NamesData):
        raise TypeError(f"data must be NamesData (from rnnlib.data.load_names), got {type(data).__name__}")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)):
        raise TypeError(f"test_fraction must be a float, got {type(test_fraction).__name__}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1, got {test_fraction}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")

    pairs = sorted(set(data.pairs))
    names_by_language: dict[str, list[str]] = {}
    for name, language in pairs:
        names_by_language.setdefault(language, []).append(name)

    side: dict[str, str] = {}
    for language in sorted(names_by_language, key=lambda lang: (len(names_by_language[lang]), lang)):
        names = sorted(names_by_language[language], key=lambda n: _rank(n, seed))
        quota = math.ceil(test_fraction * len(names))
        in_test = sum(1 for n in names if side.get(n) == "test")
        for name in names:
            if name in side:
                continue
            if in_test < quota:
                side[name] = "test"
                in_test += 1
            else:
                side[name] = "train"

    train = tuple(p for p in pairs if side[p[0]] == "train")
    test = tuple(p for p in pairs if side[p[0]] == "test")
    return Split(train, test)


def random_line_split(data: NamesData, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """The *leaky* split, for comparison only: shuffle the lines and cut.

    Repeated lines stay repeated, so many test names also appear in
    training and a model that memorises them scores higher than it should.
    Chapter 8 uses this to show how much a plain random split inflates
    accuracy; train and evaluate with :func:`split_names` instead.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1, got {test_fraction}")
    lines = list(data.pairs)
    order = torch.randperm(len(lines), generator=torch.Generator().manual_seed(seed)).tolist()
    cut = len(lines) - int(round(test_fraction * len(lines)))
    return Split(tuple(lines[i] for i in order[:cut]), tuple(lines[i] for i in order[cut:]))

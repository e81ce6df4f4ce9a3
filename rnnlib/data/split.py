"""A train/test (and validation) split of the names data in which no name is on two sides.

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

With ``validation_fraction > 0`` a third side, ``validation``, is carved out
of the training names in the same way, for choosing hyperparameters; the
test side is then exactly the one of the two-way split, so the test set is
the same whether or not a validation set is asked for.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import torch

from rnnlib._checks import check_int, check_number
from rnnlib.data.names import NamesData


@dataclass(frozen=True)
class Split:
    """Distinct ``(name, language)`` pairs, in sorted order, on each side.

    ``validation`` is empty unless :func:`split_names` was asked for one.
    """

    train: tuple[tuple[str, str], ...]
    test: tuple[tuple[str, str], ...]
    validation: tuple[tuple[str, str], ...] = ()


def _rank(name: str, seed: int, salt: str = "") -> str:
    """A stable pseudo-random sort key for ``name``: the SHA-256 of seed, salt and name."""
    return hashlib.sha256(f"{seed}{salt}\0{name}".encode()).hexdigest()


def _hold_out(
    names_by_language: dict[str, list[str]], excluded: set[str], fraction: float, seed: int, salt: str
) -> set[str]:
    """The names to hold out: ``ceil(fraction * n)`` of each language's ``n`` names, none of ``excluded``.

    Languages go from fewest names to most; each decides its undecided names
    in a seeded order (held out until its quota is met, kept after that), and
    a name shared with a language decided earlier counts where it already is.
    """
    decided: dict[str, bool] = {}  # name -> held out?
    for language in sorted(names_by_language, key=lambda lang: (len(names_by_language[lang]), lang)):
        names = sorted(
            (n for n in names_by_language[language] if n not in excluded), key=lambda n: _rank(n, seed, salt)
        )
        quota = math.ceil(fraction * len(names_by_language[language]))
        held = sum(1 for n in names if decided.get(n))
        for name in names:
            if name in decided:
                continue
            decided[name] = held < quota
            held += decided[name]
    return {name for name, out in decided.items() if out}


def _check_data_and_test_fraction(data: object, test_fraction: object) -> None:
    if not isinstance(data, NamesData):
        raise TypeError(f"data must be NamesData (from rnnlib.data.load_names), got {type(data).__name__}")
    check_number("test_fraction", test_fraction)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1, got {test_fraction}")


def split_names(data: NamesData, test_fraction: float = 0.2, seed: int = 0, validation_fraction: float = 0.0) -> Split:
    """Split ``data`` so that no name appears on two of the sides ``train``, ``validation``, ``test``.

    Languages are visited from the one with fewest distinct names to the
    one with most. Each takes names for its test side in a seeded
    pseudo-random order until ``ceil(test_fraction * n)`` of its ``n``
    names are test names. A name listed under several languages is decided
    once, by the first language that meets it, and the others count it
    where it already is. The validation side, if asked for, is then taken
    the same way from the names not yet on the test side (in a different
    seeded order), until ``ceil(validation_fraction * n)`` of each
    language's ``n`` names are validation names. The rest is ``train``.

    Args:
        data: the loaded names data.
        test_fraction: the share of each language's distinct names to hold
            out, strictly between 0 and 1.
        seed: changes which names are held out.
        validation_fraction: the share of each language's distinct names
            to hold out for validation, at least 0, with
            ``test_fraction + validation_fraction < 1``. 0 (the default) gives
            an empty ``validation`` and the two-way split.

    Raises:
        TypeError: if ``data`` is not :class:`~rnnlib.data.names.NamesData`,
            a fraction is not a number or ``seed`` is not an int.
        ValueError: if ``test_fraction`` is not strictly between 0 and 1,
            ``validation_fraction`` is negative, or the two add up to 1 or more.
    """
    _check_data_and_test_fraction(data, test_fraction)
    check_number("validation_fraction", validation_fraction)
    if validation_fraction < 0.0:
        raise ValueError(f"validation_fraction must be >= 0, got {validation_fraction}")
    if test_fraction + validation_fraction >= 1.0:
        raise ValueError(
            f"test_fraction + validation_fraction must be below 1 to leave training names, "
            f"got {test_fraction} + {validation_fraction}"
        )
    check_int("seed", seed)

    pairs = sorted(set(data.pairs))
    names_by_language: dict[str, list[str]] = {}
    for name, language in pairs:
        names_by_language.setdefault(language, []).append(name)

    test = _hold_out(names_by_language, set(), test_fraction, seed, salt="")
    validation = set()
    if validation_fraction > 0:
        validation = _hold_out(names_by_language, test, validation_fraction, seed, salt="validation")
    return Split(
        train=tuple(p for p in pairs if p[0] not in test and p[0] not in validation),
        test=tuple(p for p in pairs if p[0] in test),
        validation=tuple(p for p in pairs if p[0] in validation),
    )


def random_line_split(data: NamesData, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """The *leaky* split, for comparison only: shuffle the lines and cut.

    Repeated lines stay repeated, so many test names also appear in
    training and a model that memorises them scores higher than it should.
    Chapter 8 uses this to show how much a plain random split inflates
    accuracy; train and evaluate with :func:`split_names` instead.

    Raises:
        TypeError, ValueError: as :func:`split_names`, for a bad ``data``,
            ``test_fraction`` or ``seed``.
    """
    _check_data_and_test_fraction(data, test_fraction)
    check_int("seed", seed)
    lines = list(data.pairs)
    order = torch.randperm(len(lines), generator=torch.Generator().manual_seed(seed)).tolist()
    cut = len(lines) - int(round(test_fraction * len(lines)))
    return Split(tuple(lines[i] for i in order[:cut]), tuple(lines[i] for i in order[cut:]))

"""Read the surname-by-language files into memory, converting them to ASCII.

Each ``<Language>.txt`` file holds one surname per line. Reading them the
way the PyTorch tutorial does, every name is converted with
:func:`~rnnlib.data.alphabet.unicode_to_ascii`. Unlike the tutorial, the
loader says what the conversion did: how many names it changed, and how many
lines it skipped because they were empty, had no letter left, or are not
names at all. Real data has junk: the published ``Russian.txt`` carries 24
lines "To The First Page" (one with a non-breaking space), scraped with the
web page the names came from, which the tutorial trains on as a Russian
surname.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rnnlib.data.alphabet import unicode_to_ascii
from rnnlib.data.fetch import DataNotFoundError, find_names_dir

#: Lines known not to be names (compared with every run of white space, non-breaking
#: spaces included, turned into one space).
NOT_NAMES = frozenset({"To The First Page"})


@dataclass(frozen=True)
class CleaningReport:
    """What the conversion to ASCII did to the raw lines."""

    lines: int = 0
    """Lines read, empty ones included."""
    changed: int = 0
    """Names that the conversion altered (accents removed, symbols dropped)."""
    skipped_empty: int = 0
    """Lines with nothing on them."""
    skipped_no_letters: int = 0
    """Lines that had text but no letter left after conversion."""
    skipped_not_names: int = 0
    """Lines that are known not to be names (see :data:`NOT_NAMES`)."""
    not_names: tuple[tuple[str, str], ...] = field(default=())
    """Each distinct ``(raw line, file)`` skipped as not a name, in file order."""
    examples: tuple[tuple[str, str], ...] = field(default=())
    """Up to five ``(raw, converted)`` pairs that the conversion changed."""


@dataclass(frozen=True)
class NamesData:
    """The names data set, as ``(name, language)`` pairs in file order.

    ``pairs`` keeps every line, repeats included (the files repeat many
    names); :func:`rnnlib.data.split_names` removes the repeats when it splits.
    """

    languages: tuple[str, ...]
    """The language names, sorted; a language's index is its class label."""
    pairs: tuple[tuple[str, str], ...]
    """Every kept ``(ascii_name, language)`` pair."""
    report: CleaningReport
    """What the conversion to ASCII changed and skipped."""
    source: Path
    """The folder the files were read from."""

    def names_of(self, language: str) -> list[str]:
        """Return every name of ``language``, repeats included, in file order.

        Raises:
            KeyError: if ``language`` is not one of :attr:`languages`.
        """
        if language not in self.languages:
            raise KeyError(f"unknown language {language!r}; known: {', '.join(self.languages)}")
        return [name for name, lang in self.pairs if lang == language]


def read_names_dir(folder: str | os.PathLike[str]) -> NamesData:
    """Read every ``<Language>.txt`` file in ``folder`` (no search, no download).

    Raises:
        DataNotFoundError: if ``folder`` holds no ``.txt`` file.
        ValueError: if a file is not UTF-8 text.
    """
    folder = Path(folder)
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise DataNotFoundError(f"no <Language>.txt files in {folder}")
    pairs: list[tuple[str, str]] = []
    lines = changed = empty = no_letters = not_name = 0
    examples: list[tuple[str, str]] = []
    junk: dict[tuple[str, str], None] = {}  # an ordered set
    for file in files:
        language = file.stem
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{file} is not UTF-8 text ({error.reason} at byte {error.start}); "
                "the names files must be saved as UTF-8"
            ) from error
        for raw in text.splitlines():
            lines += 1
            raw = raw.strip()
            if not raw:
                empty += 1
                continue
            if " ".join(raw.split()) in NOT_NAMES:  # split() also splits at non-breaking spaces
                not_name += 1
                junk[(raw, file.name)] = None
                continue
            name = unicode_to_ascii(raw)
            if not any(char.isalpha() for char in name):
                no_letters += 1
                continue
            if name != raw:
                changed += 1
                if len(examples) < 5:
                    examples.append((raw, name))
            pairs.append((name, language))
    report = CleaningReport(
        lines=lines,
        changed=changed,
        skipped_empty=empty,
        skipped_no_letters=no_letters,
        skipped_not_names=not_name,
        not_names=tuple(junk),
        examples=tuple(examples),
    )
    return NamesData(tuple(f.stem for f in files), tuple(pairs), report, folder)


def load_names(path: str | os.PathLike[str] | None = None, *, download: bool = True) -> NamesData:
    """Find the names data (see :func:`~rnnlib.data.fetch.find_names_dir`) and read it.

    Args:
        path: a folder holding the files; by default the loader searches
            ``$RNNLIB_DATA``, the user cache, and finally downloads.
        download: whether a download may be tried.

    Example:
        >>> data = load_names()                     # doctest: +SKIP
        >>> len(data.languages), data.pairs[0]      # doctest: +SKIP
        (18, ('Khoury', 'Arabic'))
    """
    return read_names_dir(find_names_dir(path, download=download))

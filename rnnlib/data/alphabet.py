"""The 57-symbol alphabet of the names data, and Unicode-to-ASCII conversion.

The PyTorch name-classification tutorial reads every surname as a string of
ASCII letters plus five punctuation marks. Names written with accents
("Núñez") are first reduced to their ASCII letters ("Nunez"); any character
that still is not in the alphabet is dropped. This module does both, and
says how many names it changed.
"""

from __future__ import annotations

import string
import unicodedata

#: The symbols a name may contain after conversion: 52 letters and `` .,;'``.
ALL_LETTERS: str = string.ascii_letters + " .,;'"

#: The size of the alphabet, and so of each one-hot vector (57).
N_LETTERS: int = len(ALL_LETTERS)

_INDEX = {letter: i for i, letter in enumerate(ALL_LETTERS)}


def letter_to_index(letter: str) -> int:
    """Return the position of ``letter`` in :data:`ALL_LETTERS` (0 to 56).

    Raises:
        TypeError: if ``letter`` is not a string.
        ValueError: if ``letter`` is not exactly one symbol of the alphabet.
    """
    if not isinstance(letter, str):
        raise TypeError(f"letter must be a one-character str, got {type(letter).__name__}")
    if letter not in _INDEX:
        raise ValueError(
            f"{letter!r} is not in the {N_LETTERS}-symbol alphabet "
            f"(ASCII letters and {ALL_LETTERS[52:]!r}); "
            "convert the name first with rnnlib.data.unicode_to_ascii()"
        )
    return _INDEX[letter]


def unicode_to_ascii(text: str) -> str:
    """Reduce ``text`` to symbols of :data:`ALL_LETTERS`, as the tutorial does.

    The text is decomposed (Unicode NFD, so "ñ" becomes "n" followed by a
    combining tilde), combining marks are removed, and any symbol outside the
    alphabet is dropped. ``unicode_to_ascii("Ślusàrski") == "Slusarski"``.

    Raises:
        TypeError: if ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) != "Mn" and char in _INDEX
    )

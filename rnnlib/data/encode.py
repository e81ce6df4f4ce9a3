"""Turn names into the one-hot tensors an RNN reads.

Shapes follow ``torch.nn.RNN`` with ``batch_first=False``: time first, then
batch, then features. ``T`` is the number of letters, ``B`` the number of
names and ``N_LETTERS = 57`` the size of the alphabet.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

from rnnlib.data.alphabet import N_LETTERS, letter_to_index


def _indices(name: str) -> list[int]:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not name:
        raise ValueError("name must have at least one letter, got an empty string")
    try:
        return [letter_to_index(letter) for letter in name]
    except ValueError as error:
        raise ValueError(f"cannot encode {name!r}: {error}") from None


def name_to_tensor(name: str) -> torch.Tensor:
    """One-hot encode ``name`` as the tutorial does.

    Returns:
        A float tensor of shape ``(T, 1, N_LETTERS)``: one row per letter,
        a batch of one, and a single 1 in each row at the letter's index.

    Raises:
        TypeError: if ``name`` is not a str.
        ValueError: if ``name`` is empty or holds a symbol outside the alphabet.
    """
    index = torch.tensor(_indices(name))
    return torch.nn.functional.one_hot(index, N_LETTERS).float().unsqueeze(1)


def names_to_batch(names: Sequence[str], *, packed: bool = False) -> tuple[torch.Tensor, torch.Tensor] | PackedSequence:
    """One-hot encode several names of different lengths as one batch.

    Args:
        names: ``B`` names, each at least one letter long.
        packed: return a :class:`~torch.nn.utils.rnn.PackedSequence`
            instead of a padded tensor.

    Returns:
        When ``packed`` is false, ``(padded, lengths)``: ``padded`` has shape
        ``(T_max, B, N_LETTERS)`` with all-zero rows after each name's end,
        and ``lengths`` has shape ``(B,)`` (int64, on the CPU as
        ``pack_padded_sequence`` wants). When ``packed`` is true, the packed
        batch, which keeps the original order of ``names`` when unpacked.

    Raises:
        TypeError: if ``names`` is a single str or holds a non-str.
        ValueError: if ``names`` is empty, or a name is empty or not encodable.
    """
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(
            f"names must be a list of str, got {type(names).__name__}; for a single name use name_to_tensor(name)"
        )
    if len(names) == 0:
        raise ValueError("names must hold at least one name, got an empty list")
    encoded = [_indices(name) for name in names]
    lengths = torch.tensor([len(e) for e in encoded], dtype=torch.int64)
    padded = torch.zeros(int(lengths.max()), len(names), N_LETTERS)
    for b, index in enumerate(encoded):
        padded[torch.arange(len(index)), b, torch.tensor(index)] = 1.0
    if packed:
        return pack_padded_sequence(padded, lengths, enforce_sorted=False)
    return padded, lengths

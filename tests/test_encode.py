import pytest
import torch
from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

from rnnlib.data import N_LETTERS, letter_to_index, name_to_tensor, names_to_batch


def test_name_to_tensor_is_one_hot_time_major():
    x = name_to_tensor("Kim")
    assert x.shape == (3, 1, N_LETTERS)
    assert x.dtype == torch.float32
    assert torch.equal(x.sum(dim=2), torch.ones(3, 1))
    assert x.argmax(dim=2).flatten().tolist() == [letter_to_index(c) for c in "Kim"]


def test_padded_batch_has_zero_rows_after_each_end():
    padded, lengths = names_to_batch(["Kim", "Nakamura", "Ng"])
    assert padded.shape == (8, 3, N_LETTERS)
    assert lengths.tolist() == [3, 8, 2]
    for b, name in enumerate(["Kim", "Nakamura", "Ng"]):
        assert torch.equal(padded[: len(name), b : b + 1], name_to_tensor(name))
        assert padded[len(name) :, b].abs().sum() == 0


def test_packed_batch_unpacks_to_the_padded_batch_in_original_order():
    names = ["Ng", "Nakamura", "Kim"]
    packed = names_to_batch(names, packed=True)
    assert isinstance(packed, PackedSequence)
    unpacked, lengths = pad_packed_sequence(packed)
    padded, expected_lengths = names_to_batch(names)
    assert torch.equal(unpacked, padded)
    assert torch.equal(lengths, expected_lengths)


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (42, TypeError, "name must be a str"),
        ("", ValueError, "at least one letter"),
        ("Zoë", ValueError, "unicode_to_ascii"),
    ],
)
def test_name_to_tensor_rejects_bad_names(bad, error, message):
    with pytest.raises(error, match=message):
        name_to_tensor(bad)


def test_names_to_batch_rejects_bad_lists():
    with pytest.raises(TypeError, match="list of str"):
        names_to_batch("Kim")
    with pytest.raises(ValueError, match="at least one name"):
        names_to_batch([])
    with pytest.raises(TypeError, match="name must be a str"):
        names_to_batch(["Kim", None])

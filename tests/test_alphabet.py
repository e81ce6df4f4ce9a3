import pytest

from rnnlib.data import ALL_LETTERS, N_LETTERS, letter_to_index, unicode_to_ascii


def test_alphabet_is_the_tutorials_57_symbols():
    assert N_LETTERS == 57
    assert len(set(ALL_LETTERS)) == 57
    assert ALL_LETTERS.endswith(" .,;'")


@pytest.mark.parametrize(
    ("raw", "ascii_"),
    [("Ślusàrski", "Slusarski"), ("Núñez", "Nunez"), ("O'Néàl", "O'Neal"), ("Müller", "Muller"), ("Lu:", "Lu")],
)
def test_unicode_to_ascii_strips_accents_and_foreign_symbols(raw, ascii_):
    assert unicode_to_ascii(raw) == ascii_


def test_unicode_to_ascii_drops_letters_with_no_ascii_form():
    # Polish ł is a letter of its own, not l with a combining mark: it is dropped.
    assert unicode_to_ascii("Michał") == "Micha"


def test_letter_to_index_round_trips():
    assert [ALL_LETTERS[letter_to_index(c)] for c in ALL_LETTERS] == list(ALL_LETTERS)


def test_letter_to_index_rejects_bad_input():
    with pytest.raises(TypeError, match="one-character str"):
        letter_to_index(3)
    with pytest.raises(ValueError, match="unicode_to_ascii"):
        letter_to_index("é")
    with pytest.raises(ValueError, match="alphabet"):
        letter_to_index("ab")
    with pytest.raises(TypeError, match="str"):
        unicode_to_ascii(b"Nunez")

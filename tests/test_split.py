import random
from collections import Counter

import pytest

from rnnlib.data import load_names, split_names


@pytest.fixture(scope="module")
def data(names_root):
    return load_names(names_root)


def test_no_name_is_on_both_sides(data):
    split = split_names(data)
    assert {n for n, _ in split.train}.isdisjoint({n for n, _ in split.test})


def test_split_covers_every_distinct_pair_once(data):
    split = split_names(data)
    assert len(split.train) + len(split.test) == len(set(data.pairs))
    assert set(split.train) | set(split.test) == set(data.pairs)


def test_split_is_stratified_by_language(data):
    # Each language holds out ceil(0.2 n) of its n distinct names; a name shared
    # with a language decided earlier can push it a little over. 0.05 covers
    # that drift on the real data, and every language gets test names.
    split = split_names(data, test_fraction=0.2)
    train, test = Counter(l for _, l in split.train), Counter(l for _, l in split.test)
    for language in data.languages:
        share = test[language] / (test[language] + train[language])
        assert test[language] >= 1
        assert 0.2 - 0.05 <= share <= 0.2 + 0.05, (language, share)


def test_split_is_deterministic_and_seeded(data):
    assert split_names(data, seed=0) == split_names(data, seed=0)
    assert split_names(data, seed=0).test != split_names(data, seed=1).test


def test_a_plain_random_split_of_lines_would_leak(data):
    # The reason split_names exists: shuffle the lines, cut at 80 %, and many
    # test names were also seen in training.
    lines = list(data.pairs)
    random.Random(0).shuffle(lines)
    cut = int(0.8 * len(lines))
    seen = {n for n, _ in lines[:cut]}
    leaked = sum(1 for n, _ in lines[cut:] if n in seen) / (len(lines) - cut)
    assert leaked > 0.1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"test_fraction": 0.0}, ValueError, "strictly between 0 and 1"),
        ({"test_fraction": 1.5}, ValueError, "strictly between 0 and 1"),
        ({"test_fraction": "0.2"}, TypeError, "test_fraction must be a float"),
        ({"seed": 1.5}, TypeError, "seed must be an int"),
    ],
)
def test_split_rejects_bad_arguments(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        split_names(data, **kwargs)


def test_split_rejects_raw_lists():
    with pytest.raises(TypeError, match="NamesData"):
        split_names([("Kim", "Korean")])

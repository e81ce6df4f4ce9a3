"""rnnlib.translation: normalising, filtering, the leak-free split, vocabularies, batches and BLEU."""

from __future__ import annotations

import pytest
import torch

from rnnlib.translation import (
    EOS,
    PAD,
    UNK,
    Vocabulary,
    bleu,
    detokenize,
    keep_pair,
    load_pairs,
    normalize_sentence,
    pairs_to_batch,
    references_by_source,
    split_pairs,
)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("I'm cold.", "i m cold ."),
        ("Ça va ?", "ca va ?"),
        ("  Où es-tu\u202f?!", "ou es tu ? !"),
        ("He's 19.", "he s ."),  # digits are not letters: dropped, as in the tutorial
        ("Qu'est-ce que c'est ?", "qu est ce que c est ?"),
        ("", ""),
    ],
)
def test_normalize_sentence_matches_the_tutorials_rules(raw, normal):
    assert normalize_sentence(raw) == normal


def test_normalize_sentence_wants_a_str():
    with pytest.raises(TypeError, match="text must be a str"):
        normalize_sentence(3)


@pytest.mark.parametrize(
    ("french", "english", "kept"),
    [
        ("je suis gros .", "i m fat .", True),
        ("il est grand .", "he is tall .", True),
        ("va !", "go !", False),  # not one of the prefixes
        ("je suis " + "tres " * 8 + ".", "i am very tired .", False),  # French side: 11 words
        ("je suis las .", "i am " + "very " * 6 + "tired .", False),  # English side: exactly 10 words
        ("je suis las .", "i am " + "very " * 5 + "tired .", True),  # 9 words
    ],
)
def test_keep_pair_keeps_short_pairs_with_the_prefixes(french, english, kept):
    assert keep_pair(french, english) is kept


def test_keep_pair_checks_max_length():
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        keep_pair("a", "i am", max_length=0)


def test_load_pairs_reads_and_filters_a_small_file(tmp_path):
    path = tmp_path / "eng-fra.txt"
    path.write_text("Go.\tVa !\nI'm fat.\tJe suis gras.\nI'm fat.\tJe suis gros.\nYou're 19.\tTu as 19 ans.\n")
    assert load_pairs(path) == [
        ("je suis gras .", "i m fat ."),
        ("je suis gros .", "i m fat ."),
        ("tu as ans .", "you re ."),
    ]
    path.write_text("one side only\n")
    with pytest.raises(ValueError, match="line 1: expected 'English<TAB>French'"):
        load_pairs(path)


# Several English translations of one French sentence, and one English sentence with two French sources.
PAIRS = [(f"phrase {i} .", f"i am {i} .") for i in range(40)] + [
    ("je vais bien .", "i m ok ."),
    ("je vais bien .", "i m fine ."),
    ("je vais bien .", "i am fine ."),
    ("ca va .", "i m ok ."),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_split_pairs_puts_every_source_sentence_on_one_side(seed):
    split = split_pairs(PAIRS, test_fraction=0.25, seed=seed)
    assert not {s for s, _ in split.train} & {s for s, _ in split.test}, "no source sentence on both sides"
    assert sorted(split.train + split.test) == sorted(PAIRS), "every pair on exactly one side"
    assert len({s for s, _ in split.test}) == 11, "ceil(0.25 * 42) distinct sources held out"
    assert split_pairs(list(reversed(PAIRS)), 0.25, seed).test == tuple(reversed(split.test)), "order-independent"


def test_split_pairs_checks_its_arguments():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        split_pairs(PAIRS, test_fraction=1.0)
    with pytest.raises(TypeError, match="seed must be an int"):
        split_pairs(PAIRS, seed=0.5)
    with pytest.raises(ValueError, match="at least two distinct source"):
        split_pairs([("a .", "i am .")] * 3)


def test_references_by_source_groups_distinct_translations():
    refs = references_by_source(PAIRS[-4:] + [("ca va .", "i m ok .")])
    assert refs == {"je vais bien .": ["i m ok .", "i m fine .", "i am fine ."], "ca va .": ["i m ok ."]}


def test_vocabulary_round_trip_and_unknown_words():
    vocabulary = Vocabulary(["i am ok .", "i am fine .", "you are ok ."], min_count=2)
    assert set(vocabulary.words[4:]) == {"i", "am", "ok", "."}, "words seen twice or more"
    assert vocabulary.decode(vocabulary.encode("i am ok .")) == "i am ok ."
    assert vocabulary.encode("you am")[0] == UNK and vocabulary.encode("you am")[-1] == EOS
    assert vocabulary.decode([vocabulary.index["i"], EOS, vocabulary.index["ok"]]) == "i", "stops at the end"
    with pytest.raises(ValueError, match="word indices must be from 0 to 7"):
        vocabulary.decode([8])
    with pytest.raises(ValueError, match="min_count must be >= 1"):
        Vocabulary([], min_count=0)


def test_pairs_to_batch_pads_after_the_end():
    source_vocabulary = Vocabulary(["je suis la .", "va !"])
    target_vocabulary = Vocabulary(["i am here .", "go !"])
    source, target = pairs_to_batch(
        [("je suis la .", "i am here ."), ("va !", "go !")], source_vocabulary, target_vocabulary
    )
    assert source.shape == (5, 2) and target.shape == (5, 2) and source.dtype == torch.int64
    assert source[:, 1].tolist()[2:] == [EOS, PAD, PAD]
    assert [source_vocabulary.decode(source[:, b].tolist()) for b in range(2)] == ["je suis la .", "va !"]
    with pytest.raises(ValueError, match="at least one"):
        pairs_to_batch([], source_vocabulary, target_vocabulary)


def test_bleu_of_identical_corpora_is_100_and_of_disjoint_ones_0():
    sentences = ["i m ok .", "you re very tall .", "she is a good teacher ."]
    assert bleu(sentences, [[s] for s in sentences]) == pytest.approx(100.0)
    assert bleu(["x y z w"] * 3, [[s] for s in sentences]) == pytest.approx(0.0)


def test_bleu_takes_the_best_of_several_references():
    hypotheses = ["i m fine .", "you re very tall ."]
    one = bleu(hypotheses, [["i m ok ."], ["you re very tall ."]])
    two = bleu(hypotheses, [["i m ok .", "i m fine ."], ["you re very tall ."]])
    assert two == pytest.approx(100.0) and one < two


def test_bleu_detokenizes_and_checks_lengths():
    assert detokenize("i m cold . ok ?") == "i m cold. ok?"
    with pytest.raises(ValueError, match="2 hypotheses, 1 lists"):
        bleu(["a", "b"], [["a"]])
    with pytest.raises(ValueError, match="at least one reference"):
        bleu(["a"], [[]])
    with pytest.raises(ValueError, match="at least one sentence"):
        bleu([], [])

"""The translation task of chapter 11: French-English sentence pairs, as words and as padded tensors.

The data is ``eng-fra.txt`` from the PyTorch tutorial "NLP From Scratch:
Translation with a Sequence to Sequence Network and Attention": one line per
pair, ``English<TAB>French``. As in the tutorial, every sentence is
*normalised* (:func:`normalize_sentence`: accents removed, lowercase, ``.!?``
split off as words of their own, every other symbol a space), and only short,
simple pairs are kept (:func:`keep_pair`, :func:`load_pairs`: both sides under
:data:`MAX_LENGTH` words, the English side starting with one of
:data:`ENGLISH_PREFIXES`, such as "i am" or "they re"). The direction is the
tutorial's: French is the *source* the model reads, English the *target* it
writes, so a pair is ``(french, english)``.

:func:`split_pairs` holds out pairs without leaks: a French sentence with
several English translations has all of them on one side. :class:`Vocabulary`
numbers the words, and :func:`pairs_to_batch` turns ``B`` pairs into padded
tensors. :func:`bleu` scores translations against their references with
sacreBLEU.

Shapes (legend of CONTRIBUTING.md): B pairs in a batch, S the longest source
sentence (in words, plus the end), T the longest target sentence (the same),
V a vocabulary's size.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sacrebleu
import torch

from rnnlib._checks import check_int, check_number
from rnnlib.data import find_eng_fra

#: Pairs are kept when both sides have fewer words than this (``.!?`` count as words).
MAX_LENGTH = 10

#: The English beginnings the tutorial keeps ("i m" is "i'm" normalised: the apostrophe became a space).
ENGLISH_PREFIXES = (
    "i am ",
    "i m ",
    "he is",
    "he s ",
    "she is",
    "she s ",
    "you are",
    "you re ",
    "we are",
    "we re ",
    "they are",
    "they re ",
)

PAD, SOS, EOS, UNK = 0, 1, 2, 3  # the indices of the special words of every Vocabulary
SPECIALS = ("<pad>", "<sos>", "<eos>", "<unk>")

_PUNCTUATION = re.compile(r"([.!?])")
_NOT_A_WORD = re.compile(r"[^a-z.!?]+")


def normalize_sentence(text: str) -> str:
    """The tutorial's normal form: ASCII, lowercase, ``.!?`` as words of their own, no other symbol.

    Accents are removed (Unicode NFD, then the combining marks dropped), so
    "Ça va ?" becomes "ca va ?"; every run of symbols other than letters and
    ``.!?`` becomes one space, so "I'm" becomes "i m".

    Raises:
        TypeError: if ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    text = text.lower().strip()
    if not text.isascii():  # (a shortcut: ASCII text has no accents to remove)
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = _PUNCTUATION.sub(r" \1", text)  # "ok." -> "ok ."
    return _NOT_A_WORD.sub(" ", text).strip()


def keep_pair(
    french: str, english: str, max_length: int = MAX_LENGTH, prefixes: Sequence[str] = ENGLISH_PREFIXES
) -> bool:
    """Whether the tutorial keeps a normalised pair: both sides have fewer than ``max_length`` words
    (``.!?`` count as words) and the English side starts with one of ``prefixes``.

    Raises:
        TypeError: if ``max_length`` is not an int.
        ValueError: if ``max_length`` < 1.
    """
    check_int("max_length", max_length, minimum=1)
    return (
        english.startswith(tuple(prefixes))
        and len(english.split(" ")) < max_length
        and len(french.split(" ")) < max_length
    )


def load_pairs(
    path: str | os.PathLike[str] | None = None, max_length: int = MAX_LENGTH, prefixes: Sequence[str] = ENGLISH_PREFIXES
) -> list[tuple[str, str]]:
    """The normalised ``(french, english)`` pairs of ``eng-fra.txt`` that :func:`keep_pair` keeps, in file order.

    Repeated pairs are kept. ``path`` is the file; by default
    :func:`rnnlib.data.find_eng_fra` finds it (or downloads it). The English
    side is normalised and tested first, and the French side only for the
    pairs that pass: the same pairs, in a third of the time.

    Raises:
        TypeError: if ``max_length`` is not an int.
        ValueError: if ``max_length`` < 1, or a line is not two tab-separated sentences.
    """
    check_int("max_length", max_length, minimum=1)
    path = find_eng_fra() if path is None else path
    pairs = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            sides = line.rstrip("\n").split("\t")
            if len(sides) != 2:
                raise ValueError(f"{path}, line {number}: expected 'English<TAB>French', got {line!r}")
            english = normalize_sentence(sides[0])
            if not (english.startswith(tuple(prefixes)) and len(english.split(" ")) < max_length):
                continue
            french = normalize_sentence(sides[1])
            if keep_pair(french, english, max_length, prefixes):
                pairs.append((french, english))
    return pairs


@dataclass(frozen=True)
class TranslationSplit:
    """``(french, english)`` pairs on each side; no French sentence is on both."""

    train: tuple[tuple[str, str], ...]
    test: tuple[tuple[str, str], ...]


def _rank(source: str, seed: int) -> str:
    """A stable pseudo-random sort key for a source sentence: the SHA-256 of seed and sentence."""
    return hashlib.sha256(f"{seed}\0{source}".encode()).hexdigest()


def split_pairs(pairs: Sequence[tuple[str, str]], test_fraction: float = 0.1, seed: int = 0) -> TranslationSplit:
    """Hold out ``ceil(test_fraction * n)`` of the ``n`` distinct source sentences, with all their pairs.

    The sources are grouped first, so a French sentence with several English
    translations has every one of them on the same side: the test side asks
    for translations of sentences the model never read. Which sentences are
    held out depends only on the sentences and ``seed`` (a hash, no random
    number generator), so the split is the same on every machine. Each side
    keeps the pairs in their order in ``pairs``.

    Raises:
        TypeError: if ``test_fraction`` is not a number or ``seed`` is not an int.
        ValueError: if ``test_fraction`` is not strictly between 0 and 1, or
            ``pairs`` has fewer than two distinct sources.
    """
    check_number("test_fraction", test_fraction)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be strictly between 0 and 1, got {test_fraction}")
    check_int("seed", seed)
    sources = sorted({source for source, _ in pairs}, key=lambda s: _rank(s, seed))
    if len(sources) < 2:
        raise ValueError(f"pairs must hold at least two distinct source sentences to split, got {len(sources)}")
    held_out = set(sources[: min(math.ceil(test_fraction * len(sources)), len(sources) - 1)])
    return TranslationSplit(
        train=tuple(p for p in pairs if p[0] not in held_out), test=tuple(p for p in pairs if p[0] in held_out)
    )


def references_by_source(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each distinct source sentence and its distinct translations, in first-seen order."""
    references: dict[str, list[str]] = {}
    for source, target in pairs:
        translations = references.setdefault(source, [])
        if target not in translations:
            translations.append(target)
    return references


class Vocabulary:
    """The words of one language, numbered: first the four :data:`SPECIALS`, then by frequency.

    ``Vocabulary(sentences, min_count)`` keeps the words seen at least
    ``min_count`` times in ``sentences`` (normalised, space-separated); any
    other word is read as ``<unk>``. Its size is ``len(vocabulary)`` = V.
    """

    def __init__(self, sentences: Iterable[str], min_count: int = 1) -> None:
        check_int("min_count", min_count, minimum=1)
        counts = Counter(word for sentence in sentences for word in sentence.split())
        kept = sorted((w for w, n in counts.items() if n >= min_count), key=lambda w: (-counts[w], w))
        self.words: tuple[str, ...] = SPECIALS + tuple(kept)
        self.index = {word: i for i, word in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} words: {' '.join(self.words[4:9])} ...)"

    def encode(self, sentence: str) -> list[int]:
        """The indices of the words of ``sentence``, then :data:`EOS`; an unknown word is :data:`UNK`."""
        return [self.index.get(word, UNK) for word in sentence.split()] + [EOS]

    def decode(self, indices: Iterable[int]) -> str:
        """The words of ``indices`` up to the first :data:`EOS`, without :data:`PAD` and :data:`SOS`.

        Raises:
            ValueError: if an index is not from 0 to V - 1.
        """
        words = []
        for i in indices:
            i = int(i)
            if not 0 <= i < len(self):
                raise ValueError(f"word indices must be from 0 to {len(self) - 1}, got {i}")
            if i == EOS:
                break
            if i not in (PAD, SOS):
                words.append(self.words[i])
        return " ".join(words)


def sentences_to_tensor(sentences: Sequence[str], vocabulary: Vocabulary) -> torch.Tensor:
    """``B`` sentences as a ``(L, B)`` int64 tensor of word indices, each ending with :data:`EOS`,
    padded with :data:`PAD` up to ``L``, the longest sentence's words + 1.

    Raises:
        ValueError: if ``sentences`` is empty.
    """
    if len(sentences) == 0:
        raise ValueError("sentences must hold at least one sentence")
    encoded = [torch.tensor(vocabulary.encode(s)) for s in sentences]
    return torch.nn.utils.rnn.pad_sequence(encoded, padding_value=PAD)  # (L, B)


def pairs_to_batch(
    pairs: Sequence[tuple[str, str]], source_vocabulary: Vocabulary, target_vocabulary: Vocabulary
) -> tuple[torch.Tensor, torch.Tensor]:
    """``B`` ``(source, target)`` pairs as padded tensors: sources ``(S, B)`` and targets ``(T, B)``, int64.

    Each sentence is its word indices then :data:`EOS`, padded with
    :data:`PAD` (see :func:`sentences_to_tensor`).

    Raises:
        ValueError: if ``pairs`` is empty.
    """
    if len(pairs) == 0:
        raise ValueError("pairs must hold at least one (source, target) pair")
    sources = sentences_to_tensor([s for s, _ in pairs], source_vocabulary)
    targets = sentences_to_tensor([t for _, t in pairs], target_vocabulary)
    return sources, targets


def detokenize(sentence: str) -> str:
    """Attach ``.!?`` to the word before them again: "i m cold ." becomes "i m cold."."""
    return re.sub(r" ([.!?])", r"\1", sentence)


def bleu(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> float:
    """Corpus BLEU (0 to 100) of ``hypotheses`` against one or more references each, with sacreBLEU.

    ``references[i]`` holds the references of ``hypotheses[i]`` (normalised
    sentences, as :func:`normalize_sentence` writes them; their number may
    differ from sentence to sentence). Both sides are detokenised
    (:func:`detokenize`) and scored with sacreBLEU's ``corpus_bleu`` and its
    defaults: the ``13a`` tokeniser (which splits ``.!?`` off again),
    case-sensitive, exponential smoothing, n-grams up to 4.

    Raises:
        ValueError: if ``hypotheses`` is empty, the two lengths differ, or a
            hypothesis has no reference.
    """
    if len(hypotheses) == 0:
        raise ValueError("hypotheses must hold at least one sentence")
    if len(references) != len(hypotheses):
        raise ValueError(
            f"references must give the references of each hypothesis: "
            f"{len(hypotheses)} hypotheses, {len(references)} lists of references"
        )
    if any(len(refs) == 0 for refs in references):
        raise ValueError("every hypothesis needs at least one reference")
    streams = max(len(refs) for refs in references)
    # sacreBLEU reads the references as streams (the first reference of every sentence, then the second, ...);
    # None stands for "no more references" for the sentences that have fewer.
    reference_streams = [
        [detokenize(refs[k]) if k < len(refs) else None for refs in references] for k in range(streams)
    ]
    score = sacrebleu.corpus_bleu([detokenize(h) for h in hypotheses], reference_streams)
    return float(score.score)

import pytest
import torch
from torch import nn

from rnnlib.classifier import evaluate, predict
from rnnlib.data import names_to_batch
from rnnlib.ngrams import PADDING, NGramClassifier, letter_ngrams, ngram_vocabulary


def test_letter_ngrams_lists_every_run_shortest_first_with_the_boundaries():
    assert letter_ngrams("Ng", 2) == ["<", "n", "g", ">", "<n", "ng", "g>"]
    assert letter_ngrams("Ng", 5) == ["<", "n", "g", ">", "<n", "ng", "g>", "<ng", "ng>", "<ng>"]  # none of 5
    assert len(letter_ngrams("Ivanov", 3)) == 8 + 7 + 6  # "<ivanov>" has 8 symbols


@pytest.mark.parametrize(
    ("name", "n_max", "error", "message"),
    [(None, 2, TypeError, "must be a str"), ("", 2, ValueError, "empty"), ("Ng", 0, ValueError, "n_max")],
)
def test_letter_ngrams_rejects_bad_input(name, n_max, error, message):
    with pytest.raises(error, match=message):
        letter_ngrams(name, n_max)


def test_vocabulary_keeps_the_ngrams_seen_often_enough_indexed_from_one():
    # "<ab>" twice and "<ac>" once: every n-gram of "ab" is seen twice or more, "c", "ac", "c>" only once
    vocabulary = ngram_vocabulary(["ab", "ab", "ac"], n_max=2, min_count=2)
    assert vocabulary == {"<": 1, "<a": 2, ">": 3, "a": 4, "ab": 5, "b": 6, "b>": 7}
    assert len(ngram_vocabulary(["ab", "ab", "ac"], n_max=2, min_count=1)) == 10
    with pytest.raises(ValueError, match="min_count"):
        ngram_vocabulary(["ab"], min_count=0)


@pytest.fixture
def tiny():
    """A classifier over the vocabulary above, with hand-set vectors: n-gram i's vector is (i, 10 i)."""
    model = NGramClassifier(ngram_vocabulary(["ab", "ab", "ac"], n_max=2), n_languages=3, embedding_size=2, n_max=2)
    with torch.no_grad():
        model.embed.weight.copy_(torch.arange(8.0).unsqueeze(1) * torch.tensor([1.0, 10.0]))
    return model


def test_encode_pads_with_zero_and_sends_unknown_ngrams_to_zero(tiny):
    batch = tiny.encode(["ab", "c"])
    assert batch.shape == (2, 7) and batch.dtype == torch.long  # "<ab>" has 7 n-grams of 1-2 letters, "<c>" 5
    assert batch[0].tolist() == [1, 4, 6, 3, 2, 5, 7]  # "<", "a", "b", ">", "<a", "ab", "b>"
    assert batch[1].tolist() == [1, PADDING, 3, PADDING, PADDING, PADDING, PADDING]  # only "<" and ">" are known


def test_forward_averages_the_known_ngrams_only(tiny):
    batch = tiny.encode(["ab", "ac"])  # "ac": "<" 1, "a" 4, "c" -, ">" 3, "<a" 2, "ac" -, "c>" -
    features = tiny.embed(batch)
    expected = torch.tensor([(1 + 4 + 6 + 3 + 2 + 5 + 7) / 7, (1 + 4 + 3 + 2) / 4])
    torch.testing.assert_close(features, expected.unsqueeze(1) * torch.tensor([1.0, 10.0]))
    torch.testing.assert_close(tiny(batch), tiny.readout(features))
    # a name's scores do not depend on the padding its batch gives it
    torch.testing.assert_close(tiny(tiny.encode(["ac"])), tiny(tiny.encode(["ac", "abab"]))[:1])


def test_forward_and_constructor_reject_bad_input(tiny):
    with pytest.raises(ValueError, match=r"\(B, L\) and dtype int64"):
        tiny(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"\(B, L\)"):
        tiny(torch.ones(3, dtype=torch.long))
    with pytest.raises(TypeError, match=r"torch.Tensor of shape \(B, L\)"):
        tiny(names_to_batch(["ab"], packed=True))  # the GRU's input, not n-gram indices
    with pytest.raises(ValueError, match="padding"):
        NGramClassifier({"a": 0}, n_languages=2)
    with pytest.raises(ValueError, match="1 to 2, each once"):
        NGramClassifier({"a": 1, "b": 5}, n_languages=2)  # a gap: index 5 is outside a table of 3 rows


def test_it_learns_endings_and_evaluate_and_predict_use_its_encoding():
    pairs = [(name, "Russian") for name in ("Ivanov", "Petrov", "Smirnov", "Popov")]
    pairs += [(name, "Spanish") for name in ("Gomez", "Lopez", "Perez", "Alvarez")]
    languages = ("Russian", "Spanish")
    torch.manual_seed(0)
    model = NGramClassifier(ngram_vocabulary([name for name, _ in pairs], n_max=3), len(languages), 8, n_max=3)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    x, y = model.encode([name for name, _ in pairs]), torch.tensor([0] * 4 + [1] * 4)
    for _ in range(50):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert evaluate(model, pairs, languages).accuracy == 1.0
    # "Sokolov" and "Martinez" were never seen; their endings ("ov>", "ez>") were
    assert predict(model, "Sokolov", languages, k=1)[0][0] == "Russian"
    assert predict(model, "Martinez", languages, k=1)[0][0] == "Spanish"

import math

import pytest
import torch
from torch.nn import functional as F

from rnnlib.charlm import (
    CharLM,
    CharVocab,
    _lr_factor,
    char_bigram_log_probs,
    char_bigram_loss,
    detach_state,
    evaluate_loss,
    fit_char_lm,
    sample,
    split_text,
    tbptt_batches,
)


def test_vocabulary_sorts_the_characters_and_round_trips():
    vocab = CharVocab("to be, or not\nto be")
    assert vocab.chars == "\n ,benort"
    assert len(vocab) == 9
    ids = vocab.encode("not to be")
    assert ids.dtype == torch.int64 and ids.shape == (9,)
    assert ids[:3].tolist() == [vocab.chars.index("n"), vocab.chars.index("o"), vocab.chars.index("t")]
    assert vocab.decode(ids) == "not to be"
    assert vocab.decode([1, 0]) == " \n"


def test_the_split_is_nanogpts_first_ninety_percent():
    text = "".join(chr(97 + i % 26) for i in range(1_115_394))  # Tiny Shakespeare's length
    train, validation = split_text(text)
    assert len(train) == 1_003_854 == int(1_115_394 * 0.9)  # nanoGPT's n = int(0.9 * len(data))
    assert train + validation == text  # one cut, in order
    assert [len(part) for part in split_text("abcdefghij", 0.3)] == [7, 3]


def test_bigram_counted_by_hand():
    ids = torch.tensor([0, 1, 0, 1, 1])  # pairs (0, 1), (1, 0), (0, 1), (1, 1); V = 3, k = 1
    log_p = char_bigram_log_probs(ids, 3, k=1.0)
    expected = [
        [1 / 5, 3 / 5, 1 / 5],  # 0 is followed by 1 twice: (2 + 1) / (2 + 3)
        [2 / 5, 2 / 5, 1 / 5],  # 1 by 0 once and 1 once: (1 + 1) / (2 + 3)
        [1 / 3, 1 / 3, 1 / 3],  # 2 never occurs: uniform
    ]
    # 1e-12: float64 division and log, relative error ~1e-16.
    assert torch.allclose(log_p.exp(), torch.tensor(expected, dtype=torch.float64), rtol=1e-12, atol=0)
    loss = char_bigram_loss(log_p, torch.tensor([0, 1, 1, 0]))
    assert loss == pytest.approx(-(math.log(3 / 5) + math.log(2 / 5) + math.log(2 / 5)) / 3, rel=1e-12)
    # A huge k drowns the counts: ln V nats. 1e-6: the counts still add ~2/1e9 to each probability.
    flat = char_bigram_log_probs(ids, 3, k=1e9)
    assert char_bigram_loss(flat, ids) == pytest.approx(math.log(3), abs=1e-6)


def test_streams_are_contiguous_from_batch_to_batch():
    ids = torch.arange(23)  # 22 inputs with a target: 2 streams of 11, none left over
    batches = list(tbptt_batches(ids, batch_size=2, seq_len=4))
    assert [tuple(x.shape) for x, _ in batches] == [(4, 2), (4, 2), (3, 2)]  # (T, B); the last chunk shorter
    for x, y in batches:
        assert torch.equal(y, x + 1)  # each target is the next character
    stream_0 = torch.cat([x[:, 0] for x, _ in batches])
    stream_1 = torch.cat([x[:, 1] for x, _ in batches])
    assert stream_0.tolist() == list(range(0, 11))  # column 0 of every batch continues the one before
    assert stream_1.tolist() == list(range(11, 22))
    # 3 streams of 7 from 23 characters: the last character's target would be missing, so 1 input is left out.
    assert sum(x.numel() for x, _ in tbptt_batches(ids, 3, 5)) == 21


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_the_model_scores_every_step_and_returns_its_state(cell):
    torch.manual_seed(0)
    model = CharLM(vocab_size=7, embedding_dim=5, hidden_size=6, num_layers=2, dropout=0.1, cell=cell)
    logits, h = model(torch.randint(7, (9, 4)))  # T = 9, B = 4
    assert logits.shape == (9, 4, 7)
    states = h if cell == "gru" else h[0]
    assert states.shape == (2, 4, 6)  # (num_layers, B, H)
    assert isinstance(model.rnn, torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)


def test_the_carried_state_is_detached():
    torch.manual_seed(0)
    model = CharLM(5, 4, 6, num_layers=1, dropout=0.0)
    logits, h = model(torch.randint(5, (3, 2)))
    assert h[0].grad_fn is not None  # the state still hangs on the chunk's graph
    carried = detach_state(h)
    assert all(part.grad_fn is None and not part.requires_grad for part in carried)
    assert all(torch.equal(a, b) for a, b in zip(carried, h, strict=True))  # same values
    assert detach_state(None) is None


class RecordingLM(CharLM):
    """A real CharLM that records the state each chunk starts from."""

    def forward(self, x, h=None):
        self.received = [*getattr(self, "received", []), h]
        return super().forward(x, h)


def test_training_carries_the_state_detached_and_lowers_the_loss():
    ids = torch.tensor([0, 1, 2, 3] * 60)  # "abcd" repeated: the next character is certain
    torch.manual_seed(0)
    model = RecordingLM(4, 4, 16, num_layers=1, dropout=0.0)
    before = evaluate_loss(model, ids)
    history = fit_char_lm(model, ids, steps=40, batch_size=4, seq_len=8, lr=1e-2, val_ids=ids, eval_every=20)
    carried = [h for h in model.received[:40] if h is not None]
    assert len(carried) > 30  # within a pass every chunk after the first starts from the last one's state
    assert all(part.grad_fn is None for h in carried for part in h)  # ... cut from its graph
    assert history.steps == 40 and history.val_steps == [20, 40]
    # Untrained it scores about ln 4 = 1.39 nats; the next character is certain, and 40 steps reach about 0.5.
    assert history.val_loss[-1] == evaluate_loss(model, ids) < before / 2
    assert not model.training


def test_training_is_deterministic_and_stops_on_time():
    ids = torch.randint(6, (400,), generator=torch.Generator().manual_seed(0))

    def run(**kwargs):
        torch.manual_seed(0)
        model = CharLM(6, 4, 8, num_layers=2, dropout=0.2)
        return fit_char_lm(model, ids, batch_size=3, seq_len=10, **kwargs)

    assert run(steps=15).train_loss == run(steps=15).train_loss
    timed = run(steps=10**6, max_seconds=0.3)
    # A step of this tiny model takes milliseconds: 10 s allows for a very busy machine.
    assert 0.3 <= timed.seconds < 10 and timed.steps < 10**6


def test_a_uniform_model_scores_ln_v():
    torch.manual_seed(0)
    model = CharLM(11, 4, 8)
    with torch.no_grad():
        model.readout.weight.zero_()
        model.readout.bias.zero_()  # every character scores 0: probability 1/11
    ids = torch.randint(11, (1000,), generator=torch.Generator().manual_seed(0))
    # 1e-5: a sum of 999 float32 values of ln 11 (relative error ~1e-7 each).
    assert evaluate_loss(model, ids, batch_size=7, seq_len=30) == pytest.approx(math.log(11), abs=1e-5)


def test_evaluation_scores_every_next_character_once():
    torch.manual_seed(0)
    model = CharLM(5, 4, 6, dropout=0.5).eval()
    ids = torch.randint(5, (12,), generator=torch.Generator().manual_seed(1))  # 11 targets: 3 streams of 3, 2 more

    def total(inputs, targets):
        with torch.no_grad():
            return F.cross_entropy(model(inputs.unsqueeze(1))[0][:, 0], targets, reduction="sum").item()

    # Streams 0 and 1 start from zero states; the last stream reads on into the 2 characters left over.
    expected = (total(ids[0:3], ids[1:4]) + total(ids[3:6], ids[4:7]) + total(ids[6:11], ids[7:12])) / 11
    one_stream = total(ids[:-1], ids[1:]) / 11  # one stream: one pass over the whole text
    model.train()  # evaluate_loss switches dropout off, and back on after
    # 1e-6: the same float32 products, chunked differently (seq_len 2 or 100); sums of ~11 values of ~1.6.
    assert evaluate_loss(model, ids, batch_size=3, seq_len=2) == pytest.approx(expected, abs=1e-6)
    assert evaluate_loss(model, ids, batch_size=3, seq_len=100) == pytest.approx(expected, abs=1e-6)
    assert model.training
    assert evaluate_loss(model, ids, batch_size=1) == pytest.approx(one_stream, abs=1e-6)


def test_sampling_is_seeded_and_greedy_at_temperature_zero():
    vocab = CharVocab("abcde ")
    torch.manual_seed(0)
    model = CharLM(len(vocab), 4, 8)
    a = sample(model, vocab, "ab", 30, 1.0, torch.Generator().manual_seed(5))
    b = sample(model, vocab, "ab", 30, 1.0, torch.Generator().manual_seed(5))
    assert a == b and a.startswith("ab") and len(a) == 32 and set(a) <= set(vocab.chars)
    assert sample(model, vocab, "ab", 30, 1.0, torch.Generator().manual_seed(6)) != a  # 6^30 texts to draw from
    assert sample(model, vocab, "c", 10, 0.0) == sample(model, vocab, "c", 10, 0.0)
    assert sample(model, vocab, "c", 0) == "c"


def test_bad_arguments_are_named():
    vocab = CharVocab("abc")
    model = CharLM(3, 2, 4)
    ids = torch.tensor([0, 1, 2])
    with pytest.raises(TypeError, match="text must be a str"):
        CharVocab(b"abc")
    with pytest.raises(ValueError, match="at least one character"):
        CharVocab("")
    with pytest.raises(ValueError, match=r"characters \['z'\] are not in the vocabulary"):
        vocab.encode("abz")
    with pytest.raises(ValueError, match="ids must be from 0 to 2"):
        vocab.decode([3])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        split_text("abcdef", 1.0)
    with pytest.raises(ValueError, match="too short"):
        split_text("a", 0.5)
    with pytest.raises(TypeError, match="int64"):
        list(tbptt_batches(ids.float(), 1, 2))
    with pytest.raises(ValueError, match=r"ids must have shape \(N,\)"):
        list(tbptt_batches(ids.view(1, 3), 1, 2))
    with pytest.raises(ValueError, match="at least 5 characters"):
        list(tbptt_batches(ids, 4, 2))  # 4 streams need 4 inputs and a target
    with pytest.raises(ValueError, match="seq_len must be >= 1"):
        list(tbptt_batches(ids, 1, 0))
    with pytest.raises(ValueError, match="k must be positive"):
        char_bigram_log_probs(ids, 3, k=0)
    with pytest.raises(ValueError, match="ids must be from 0 to 1"):
        char_bigram_log_probs(ids, 2)
    with pytest.raises(ValueError, match=r"shape \(V, V\)"):
        char_bigram_loss(torch.zeros(3, 4), ids)
    with pytest.raises(ValueError, match="cell must be one of"):
        CharLM(3, cell="rnn")
    with pytest.raises(ValueError, match="dropout must be in"):
        CharLM(3, dropout=1.0)
    with pytest.raises(ValueError, match="prompt must hold"):
        sample(model, vocab, "", 5)
    with pytest.raises(ValueError, match="temperature must be >= 0"):
        sample(model, vocab, "a", 5, temperature=-0.5)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        fit_char_lm(model, torch.tensor([0, 1, 2] * 20), steps=0)


def test_the_learning_rate_falls_along_a_cosine_to_its_floor():
    """After the warm-up (2 % of the run) the rate is lr at first, lr * floor at the end, halfway between midway."""
    assert _lr_factor(0.0) < 0.1 and _lr_factor(0.02) == pytest.approx(1.0)
    for floor in (0.1, 0.0):
        assert _lr_factor(1.0, floor=floor) == pytest.approx(floor, abs=1e-12)
        assert _lr_factor(0.51, floor=floor) == pytest.approx((1 + floor) / 2, abs=1e-12)
    model = CharLM(3, embedding_dim=4, hidden_size=8, num_layers=1, dropout=0.0)
    with pytest.raises(ValueError, match=r"lr_floor must be in \[0, 1\]"):
        fit_char_lm(model, torch.tensor([0, 1, 2] * 20), steps=1, batch_size=2, seq_len=4, lr_floor=1.5)

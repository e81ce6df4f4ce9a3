"""rnnlib.seq2seq: shapes and checks of the encoder and decoders, the masked loss, greedy decoding, beam search."""

from __future__ import annotations

import pytest
import torch

from rnnlib.seq2seq import (
    AttnDecoder,
    Decoder,
    Encoder,
    Seq2Seq,
    beam_search,
    fit_translator,
    greedy_decode,
    sequence_loss,
)
from rnnlib.translation import EOS, PAD, Vocabulary, pairs_to_batch

PAIRS = [("je suis la .", "i am here ."), ("va !", "go !"), ("il est grand .", "he is tall ."), ("ok .", "i m ok .")]
SOURCE_VOCABULARY = Vocabulary([s for s, _ in PAIRS])
TARGET_VOCABULARY = Vocabulary([t for _, t in PAIRS])


def _batch():
    return pairs_to_batch(PAIRS, SOURCE_VOCABULARY, TARGET_VOCABULARY)  # (5, 4) and (5, 4)


def _model(attention, seed=0):
    torch.manual_seed(seed)
    return Seq2Seq(len(SOURCE_VOCABULARY), len(TARGET_VOCABULARY), hidden_size=8, attention=attention).eval()


def test_encoder_never_reads_the_padding():
    torch.manual_seed(0)
    encoder = Encoder(len(SOURCE_VOCABULARY), 8)
    source, _ = _batch()
    states, h = encoder(source)
    assert states.shape == (5, 4, 8) and h.shape == (1, 4, 8)
    alone_states, alone_h = encoder(source[:3, 1:2])  # "va !" and its EOS, without padding
    assert torch.allclose(h[:, 1:2], alone_h, atol=1e-6)  # float32, the same operations
    assert torch.allclose(states[:3, 1:2], alone_states, atol=1e-6)
    assert (states[3:, 1] == 0).all(), "zeros at the padding"
    with pytest.raises(ValueError, match=r"source must have shape \(S, B\)"):
        encoder(source[:, 0])
    with pytest.raises(ValueError, match="at least one word"):
        encoder(torch.full((2, 1), PAD))
    with pytest.raises(ValueError, match="vocabulary_size must be >= 4"):
        Encoder(3, 8)


@pytest.mark.parametrize("decoder_class", [Decoder, AttnDecoder])
def test_a_decoder_step_and_its_unrolled_form_agree(decoder_class):
    torch.manual_seed(0)
    decoder = decoder_class(len(TARGET_VOCABULARY), 8)
    states, h = torch.randn(5, 4, 8), torch.randn(1, 4, 8)
    mask = torch.ones(4, 5, dtype=torch.bool)
    inputs = torch.tensor([[1, 1, 1, 1], [4, 5, 6, 7]])  # (T, B) = (2, 4)
    scores = decoder(inputs, h, states, mask)
    assert scores.shape == (2, 4, len(TARGET_VOCABULARY))
    first, h1, weights = decoder.forward_step(inputs[0], h, states, mask)
    second, _, _ = decoder.forward_step(inputs[1], h1, states, mask)
    assert torch.allclose(scores, torch.stack([first, second]), atol=1e-5)  # float32, GRU in one call vs steps
    assert (weights is None) == (decoder_class is Decoder)
    if weights is not None:
        assert weights.shape == (4, 5)


@pytest.mark.parametrize("attention", [False, True])
def test_sequence_loss_averages_over_the_real_words_only(attention):
    model = _model(attention)
    source, target = _batch()
    with torch.no_grad():
        both = sequence_loss(model, source, target).item()
        each = [sequence_loss(model, *pairs_to_batch([p], SOURCE_VOCABULARY, TARGET_VOCABULARY)).item() for p in PAIRS]
    words = [(target[:, b] != PAD).sum().item() for b in range(4)]
    # float32 sums of a few dozen terms
    assert both == pytest.approx(sum(w * e for w, e in zip(words, each, strict=True)) / sum(words), rel=1e-5)
    with pytest.raises(ValueError, match="the same B sentences"):
        model(source[:, :2], target)


@pytest.mark.parametrize("attention", [False, True])
def test_greedy_decoding_of_an_untrained_model_stops_within_max_length(attention):
    source, _ = _batch()
    for max_length in (1, 3, 20):
        translations = greedy_decode(_model(attention), source, max_length=max_length)
        assert len(translations) == 4
        for t in translations:
            assert len(t.words) <= max_length and EOS not in t.words
            if attention:
                assert t.weights.shape[1] == 5 and t.weights.shape[0] in (len(t.words), len(t.words) + 1)
            else:
                assert t.weights is None
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        greedy_decode(_model(attention), source, max_length=0)


@pytest.mark.parametrize("attention", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_beam_search_with_beam_1_is_greedy_decoding(attention, seed):
    source, _ = _batch()
    model = _model(attention, seed)
    greedy = greedy_decode(model, source, max_length=6)
    beam = beam_search(model, source, beam_size=1, max_length=6)
    assert [t.words for t in beam] == [t.words for t in greedy]
    assert [t.log_p for t in beam] == pytest.approx([t.log_p for t in greedy], abs=1e-5)  # float32 sums


def test_a_wider_beam_stops_within_max_length_and_checks_its_arguments():
    source, _ = _batch()
    model = _model(True, 3)
    for translation in beam_search(model, source, beam_size=4, max_length=6):
        assert len(translation.words) <= 6 and EOS not in translation.words and translation.log_p < 0
    with pytest.raises(ValueError, match="beam_size must be >= 1"):
        beam_search(model, source, beam_size=0)
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        beam_search(model, source, alpha=-1.0)


def test_fit_translator_learns_a_tiny_corpus():
    model, losses = fit_translator(
        PAIRS, SOURCE_VOCABULARY, TARGET_VOCABULARY, hidden_size=16, epochs=60, batch_size=4, lr=1e-2
    )
    assert losses[-1] < losses[0] / 5
    source, _ = _batch()
    written = [TARGET_VOCABULARY.decode(t.words) for t in greedy_decode(model, source)]
    assert written == [t for _, t in PAIRS], "four pairs are learnt by heart"
    with pytest.raises(ValueError, match="at least one"):
        fit_translator([], SOURCE_VOCABULARY, TARGET_VOCABULARY)

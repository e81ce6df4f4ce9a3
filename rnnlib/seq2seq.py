"""Sequence to sequence: an encoder reads the source sentence, a decoder writes the target (chapter 11).

The :class:`Encoder` is a GRU over the source words. The :class:`Decoder`
starts from the encoder's last state and writes the target one word at a
time, reading the previous word; all it knows of the source is that one
vector. The :class:`AttnDecoder` also looks back at *every* encoder state at
each step, through :class:`rnnlib.attention.AdditiveAttention`, and reads the
resulting context next to the previous word.

:class:`Seq2Seq` holds the two and trains with teacher forcing
(:func:`sequence_loss`, :func:`fit_translator`); :func:`greedy_decode` and
:func:`beam_search` translate.

Shapes (legend of CONTRIBUTING.md): B sentences, S the source length and T
the target length in words (each plus the end), H the hidden size, V the
target vocabulary's size. Word indices are sequence-first, like the course's
``(T, B, I)`` inputs: sources ``(S, B)``, targets ``(T, B)``, as
:func:`rnnlib.translation.pairs_to_batch` makes them; the attention works
batch-first, as ``(B, S, H)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnlib._checks import check_int, check_number, check_tensor
from rnnlib.attention import AdditiveAttention
from rnnlib.training import fit_epochs
from rnnlib.translation import EOS, PAD, SOS, SPECIALS, Vocabulary, pairs_to_batch


class Encoder(nn.Module):
    """Word embeddings of size H, then a GRU: one state per source word, and the last one."""

    def __init__(self, vocabulary_size: int, hidden_size: int) -> None:
        super().__init__()
        check_int("vocabulary_size", vocabulary_size, minimum=len(SPECIALS))
        check_int("hidden_size", hidden_size, minimum=1)
        self.embedding = nn.Embedding(vocabulary_size, hidden_size, padding_idx=PAD)
        self.rnn = nn.GRU(hidden_size, hidden_size)

    def forward(self, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Read ``source`` ``(S, B)`` (word indices, padded with PAD after each sentence's EOS).

        Returns:
            ``(states, h)``: states ``(S, B, H)``, the state after each word
            (zeros at the padding), and ``h`` ``(1, B, H)``, each sentence's
            state after its *own* last word: the GRU never reads the padding.

        Raises:
            TypeError: if ``source`` is not a tensor.
            ValueError: if it is not ``(S, B)``, or a sentence is empty (starts with PAD).
        """
        check_tensor("source", source, 2, "(S, B)")
        lengths = (source != PAD).sum(dim=0)  # (B,): the real words of each sentence, EOS included
        if bool((lengths == 0).any()):
            raise ValueError("every source sentence needs at least one word (its EOS)")
        packed = pack_padded_sequence(self.embedding(source), lengths.cpu(), enforce_sorted=False)
        states, h = self.rnn(packed)
        states, _ = pad_packed_sequence(states, total_length=source.shape[0])  # (S, B, H), zeros at the padding
        return states, h


class Decoder(nn.Module):
    """Writes the target from the encoder's last state alone: embedding, GRU, readout to V scores."""

    def __init__(self, vocabulary_size: int, hidden_size: int) -> None:
        super().__init__()
        check_int("vocabulary_size", vocabulary_size, minimum=len(SPECIALS))
        check_int("hidden_size", hidden_size, minimum=1)
        self.embedding = nn.Embedding(vocabulary_size, hidden_size, padding_idx=PAD)
        self.rnn = nn.GRU(hidden_size, hidden_size)
        self.readout = nn.Linear(hidden_size, vocabulary_size)

    def forward_step(
        self, word: torch.Tensor, h: torch.Tensor, states: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """One step: the previous word ``(B,)`` and state ``h`` ``(1, B, H)`` give the scores of the next word.

        ``states`` ``(S, B, H)`` and ``mask`` ``(B, S)`` (the encoder's) are
        not used: this decoder does not look back at the source.

        Returns:
            ``(scores, h, None)``: scores ``(B, V)``, the new state ``(1, B, H)``, and no attention weights.
        """
        output, h = self.rnn(self.embedding(word).unsqueeze(0), h)  # (1, B, H)
        return self.readout(output[0]), h, None

    def forward(self, inputs: torch.Tensor, h: torch.Tensor, states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Teacher forcing over ``T`` steps: ``inputs`` ``(T, B)`` (SOS, then the true words) give scores ``(T, B, V)``.

        Without attention each step needs only the previous step's state, so
        the GRU runs over the whole sequence in one call.
        """
        outputs, _ = self.rnn(self.embedding(inputs), h)  # (T, B, H)
        return self.readout(outputs)


class AttnDecoder(nn.Module):
    """A decoder that attends: at each step the context (additive attention over the encoder's states,
    queried with the decoder's state) is read next to the previous word's embedding, a ``2H`` input."""

    def __init__(self, vocabulary_size: int, hidden_size: int) -> None:
        super().__init__()
        check_int("vocabulary_size", vocabulary_size, minimum=len(SPECIALS))
        check_int("hidden_size", hidden_size, minimum=1)
        self.embedding = nn.Embedding(vocabulary_size, hidden_size, padding_idx=PAD)
        self.attention = AdditiveAttention(hidden_size)
        self.rnn = nn.GRU(2 * hidden_size, hidden_size)  # reads (previous word, context)
        self.readout = nn.Linear(hidden_size, vocabulary_size)

    def forward_step(
        self,
        word: torch.Tensor,
        h: torch.Tensor,
        states: torch.Tensor,
        mask: torch.Tensor,
        projected_keys: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One step: previous word ``(B,)``, state ``h`` ``(1, B, H)``, encoder ``states`` ``(S, B, H)``
        and ``mask`` ``(B, S)`` (True at the real source words).

        ``projected_keys`` ``(B, S, H)``, optional: the attention's
        ``project_keys`` of the states, computed once for all the steps.

        Returns:
            ``(scores, h, weights)``: scores of the next word ``(B, V)``, the
            new state ``(1, B, H)``, and the attention weights ``(B, S)``.
        """
        keys = states.transpose(0, 1)  # (B, S, H): one key per source word
        context, weights = self.attention(h[0], keys, mask, projected_keys)  # (B, H), (B, S)
        x = torch.cat([self.embedding(word), context], dim=1)  # (B, 2H): the word and what it looked at
        output, h = self.rnn(x.unsqueeze(0), h)  # (1, B, H)
        return self.readout(output[0]), h, weights

    def forward(self, inputs: torch.Tensor, h: torch.Tensor, states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Teacher forcing over ``T`` steps: ``inputs`` ``(T, B)`` give scores ``(T, B, V)``, one step at a time
        (each step's attention needs the state the step before wrote)."""
        projected_keys = self.attention.project_keys(states.transpose(0, 1))  # W_k h_j, once for all T steps
        scores = []
        for word in inputs:  # (B,) at each step
            step_scores, h, _ = self.forward_step(word, h, states, mask, projected_keys)
            scores.append(step_scores)
        return torch.stack(scores)


class Seq2Seq(nn.Module):
    """An :class:`Encoder` and a decoder (:class:`Decoder`, or :class:`AttnDecoder` when ``attention``)."""

    def __init__(
        self, source_vocabulary_size: int, target_vocabulary_size: int, hidden_size: int = 128, attention: bool = True
    ) -> None:
        super().__init__()
        self.attention = attention
        self.encoder = Encoder(source_vocabulary_size, hidden_size)
        decoder = AttnDecoder if attention else Decoder
        self.decoder = decoder(target_vocabulary_size, hidden_size)

    def encode(self, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``source`` ``(S, B)`` -> encoder states ``(S, B, H)``, last states ``(1, B, H)``, mask ``(B, S)``."""
        states, h = self.encoder(source)
        return states, h, (source != PAD).T

    def forward(self, source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: scores ``(T, B, V)`` for the words of ``target`` ``(T, B)``, given ``source`` ``(S, B)``.

        The decoder's input at step ``t`` is the true word ``t - 1`` (SOS at
        step 0); at step ``t`` it scores word ``t``.

        Raises:
            ValueError: if ``source`` and ``target`` hold different numbers of sentences.
        """
        check_tensor("target", target, 2, "(T, B)")
        if source.dim() == 2 and source.shape[1] != target.shape[1]:
            raise ValueError(
                f"source (S, B) and target (T, B) must hold the same B sentences, "
                f"got {tuple(source.shape)} and {tuple(target.shape)}"
            )
        states, h, mask = self.encode(source)
        inputs = torch.cat([torch.full_like(target[:1], SOS), target[:-1]])  # (T, B): SOS, then the true words
        return self.decoder(inputs, h, states, mask)


def sequence_loss(model: Seq2Seq, source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean of -ln p(true word) over the real target words (EOS included, PAD left out), in nats.

    ``source`` ``(S, B)`` and ``target`` ``(T, B)`` as :func:`rnnlib.translation.pairs_to_batch` makes them.
    """
    scores = model(source, target)  # (T, B, V)
    mask = target != PAD  # (T, B): True at the real words
    log_p = scores.log_softmax(dim=2).gather(2, target.unsqueeze(2)).squeeze(2)  # (T, B): ln p(true word)
    return -log_p[mask].mean()


def fit_translator(
    pairs: Sequence[tuple[str, str]],
    source_vocabulary: Vocabulary,
    target_vocabulary: Vocabulary,
    *,
    attention: bool = True,
    hidden_size: int = 128,
    epochs: int = 2,
    batch_size: int = 64,
    lr: float = 1e-2,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> tuple[Seq2Seq, list[float]]:
    """Train a :class:`Seq2Seq` on ``(source, target)`` pairs with teacher forcing; returns it and every step's loss.

    The model's weights are drawn after ``torch.manual_seed(seed)``, and the
    batches come from :func:`rnnlib.training.fit_epochs` (shuffled with
    ``seed``; Adam, one-cycle schedule peaking at ``lr``, gradient norm
    clipped at 1), so two calls that differ only in ``attention`` see the same
    batches in the same order. On the CPU it trains on one thread.

    Raises:
        ValueError: if ``pairs`` is empty.
    """
    if len(pairs) == 0:
        raise ValueError("pairs must hold at least one (source, target) pair")
    torch.manual_seed(seed)
    model = Seq2Seq(len(source_vocabulary), len(target_vocabulary), hidden_size, attention).to(device)

    def batch_loss(batch: torch.Tensor) -> torch.Tensor:
        source, target = pairs_to_batch([pairs[i] for i in batch], source_vocabulary, target_vocabulary)
        return sequence_loss(model, source.to(device), target.to(device))

    threads = torch.get_num_threads()
    if torch.device(device).type == "cpu":
        # The products are small: on a busy 2-core machine a second thread made each step
        # several times slower (its threads wait on each other), and never much faster on an idle one.
        torch.set_num_threads(1)
    try:
        losses = fit_epochs(model, len(pairs), batch_loss, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
    finally:
        torch.set_num_threads(threads)
    model.eval()
    return model, losses


@dataclass(frozen=True)
class Translation:
    """What a decoder wrote for one sentence: the word indices (without the EOS), and where it looked.

    ``weights`` is ``(T, S)``: row ``t`` holds the attention weights over
    the S source positions when the decoder wrote word ``t`` (the last row:
    when it wrote EOS, if it did); None for a decoder without attention.
    ``log_p`` is the sum of ln p of the words written, EOS included.
    """

    words: tuple[int, ...]
    weights: torch.Tensor | None
    log_p: float


def _check_source(source: object, max_length: object) -> None:
    check_tensor("source", source, 2, "(S, B)")
    check_int("max_length", max_length, minimum=1)


@torch.no_grad()
def greedy_decode(model: Seq2Seq, source: torch.Tensor, max_length: int = 20) -> list[Translation]:
    """Translate ``B`` sentences at once, taking the likeliest word at every step.

    ``source`` is ``(S, B)``. Each sentence stops at its EOS, or after
    ``max_length`` words.

    Raises:
        TypeError, ValueError: if ``source`` is not an ``(S, B)`` tensor or
            ``max_length`` is not an int >= 1.
    """
    _check_source(source, max_length)
    source = source.to(next(model.parameters()).device)
    states, h, mask = model.encode(source)
    B = source.shape[1]
    word = torch.full((B,), SOS, device=source.device)
    written, weights, log_p = [], [], torch.zeros(B, device=source.device)
    done = torch.zeros(B, dtype=torch.bool, device=source.device)
    for _ in range(max_length):
        scores, h, step_weights = model.decoder.forward_step(word, h, states, mask)
        step_log_p, word = scores.log_softmax(dim=1).max(dim=1)  # (B,), (B,): the likeliest next word
        log_p += step_log_p.masked_fill(done, 0.0)
        written.append(word)
        weights.append(step_weights)
        done |= word == EOS
        if bool(done.all()):
            break
    written_t = torch.stack(written, dim=1).cpu()  # (B, steps)
    translations = []
    for b in range(B):
        row = written_t[b].tolist()
        n = row.index(EOS) if EOS in row else len(row)  # the words before EOS
        steps = min(n + 1, len(row))  # the steps that wrote them, and the EOS
        attention = None if weights[0] is None else torch.stack([w[b] for w in weights[:steps]]).cpu()
        translations.append(Translation(tuple(row[:n]), attention, float(log_p[b])))
    return translations


@torch.no_grad()
def beam_search(
    model: Seq2Seq, source: torch.Tensor, beam_size: int = 3, max_length: int = 20, alpha: float = 1.0
) -> list[Translation]:
    """Translate ``B`` sentences, keeping the ``beam_size`` likeliest partial translations at each step.

    Each step extends every kept partial translation by every word, and keeps
    the ``beam_size`` likeliest extensions (by their summed ln p). An
    extension that ends with EOS, if it ranks among those ``beam_size``, is a
    *finished* translation and leaves the beam; the next best extensions
    fill the beam again. A sentence is done when it has ``beam_size``
    finished translations, or after ``max_length`` steps (then its unfinished
    ones count too). The answer is the finished translation with the highest
    *length-normalised* score, ``sum ln p / n ** alpha`` over its ``n`` words
    and its EOS: at ``alpha = 1`` the mean ln p per word, so that longer
    translations are not penalised just for having more words; at 0, the
    plain sum. With ``beam_size = 1`` this is :func:`greedy_decode`.

    ``source`` is ``(S, B)``; the translations come without attention weights.

    Raises:
        TypeError, ValueError: for a ``source`` that is not ``(S, B)``, or
            ``beam_size``, ``max_length`` not ints >= 1, or ``alpha`` not a number >= 0.
    """
    _check_source(source, max_length)
    check_int("beam_size", beam_size, minimum=1)
    check_number("alpha", alpha, minimum=0.0)
    device = next(model.parameters()).device
    source = source.to(device)
    K, B = beam_size, source.shape[1]
    states, h, mask = model.encode(source)  # (S, B, H), (1, B, H), (B, S)
    # Every sentence's beam is K rows of a (B K) batch: sentence b owns rows b K to b K + K - 1.
    states, h, mask = states.repeat_interleave(K, 1), h.repeat_interleave(K, 1), mask.repeat_interleave(K, 0)
    beam_log_p = torch.full((B, K), float("-inf"), device=device)
    beam_log_p[:, 0] = 0.0  # one partial translation (the empty one) at the start
    history = torch.zeros(B, K, 0, dtype=torch.long, device=device)  # (B, K, steps so far)
    word = torch.full((B * K,), SOS, device=device)
    finished: list[list[tuple[float, tuple[int, ...], float]]] = [[] for _ in range(B)]
    for _ in range(max_length):
        scores, h, _ = model.decoder.forward_step(word, h, states, mask)
        V = scores.shape[1]
        candidates = beam_log_p.unsqueeze(2) + scores.log_softmax(dim=1).view(B, K, V)  # (B, K, V)
        top_log_p, top = candidates.view(B, K * V).topk(min(2 * K, K * V), dim=1)
        is_eos = top % V == EOS  # (B, 2K)
        top_list, eos_list, log_p_list = top.tolist(), is_eos.tolist(), top_log_p.tolist()
        for b in range(B):
            if len(finished[b]) >= K:
                continue
            for rank in range(K):  # an EOS among the K best finishes a translation
                if eos_list[b][rank] and log_p_list[b][rank] > float("-inf"):
                    words = tuple(history[b, top_list[b][rank] // V].tolist())
                    score = log_p_list[b][rank] / (len(words) + 1) ** alpha
                    finished[b].append((score, words, log_p_list[b][rank]))
        # The K best extensions that are not EOS carry on (a stable sort keeps their order by ln p).
        keep = torch.argsort(is_eos.int(), dim=1, stable=True)[:, :K]  # (B, K) positions in top
        chosen = top.gather(1, keep)  # (B, K) indices into K V
        beam_log_p = top_log_p.gather(1, keep)
        origin, word_bk = chosen // V, chosen % V  # which beam each extension came from, and its word
        history = torch.cat([history.gather(1, origin.unsqueeze(2).expand_as(history)), word_bk.unsqueeze(2)], dim=2)
        rows = (origin + torch.arange(B, device=device).unsqueeze(1) * K).view(-1)  # their rows in (B K)
        h, word = h[:, rows], word_bk.view(-1)
        if all(len(f) >= K for f in finished):
            break
    translations = []
    for b in range(B):
        pool = finished[b]
        if len(pool) < K:  # out of steps: the unfinished translations compete too
            for k in range(K):
                if beam_log_p[b, k] > float("-inf"):
                    words = tuple(history[b, k].tolist())
                    pool = [*pool, (float(beam_log_p[b, k]) / len(words) ** alpha, words, float(beam_log_p[b, k]))]
        _, words, log_p = max(pool, key=lambda entry: entry[0])
        translations.append(Translation(words, None, log_p))
    return translations

"""A character language model on running text, trained with truncated backpropagation through time (chapter 10).

The text is one long sequence of characters. The model reads it one
character at a time and scores the next one: the many-to-many structure of
chapter 1, with the output at each step being the input of the next.

The pieces, in the order chapter 10 meets them:

* :class:`CharVocab`: the characters of the text, and encoding / decoding;
* :func:`split_text`: the first 90 % of the text for training, the rest for validation;
* :func:`char_bigram_log_probs` and :func:`char_bigram_loss`: the counting baseline;
* :func:`tbptt_batches`: the text as ``B`` parallel streams cut into chunks of ``T`` steps;
* :class:`CharLM`: embedding, stacked LSTM (or GRU) with dropout, linear readout;
* :func:`detach_state`: the carried state, cut from the graph of the chunk that made it;
* :func:`fit_char_lm`: the training loop, :func:`evaluate_loss` the score in nats per character;
* :func:`sample`: writing text at a chosen temperature.

Shapes (legend of CONTRIBUTING.md): T steps per chunk, B streams, H hidden
size, V characters in the vocabulary. Character ids are int64 tensors.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from rnnlib._checks import check_int, check_number, check_tensor

#: A recurrent state: ``(num_layers, B, H)`` for a GRU, the pair ``(h, c)`` of those for an LSTM.
State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


class CharVocab:
    """The distinct characters of a text, sorted, each with its id (its position in :attr:`chars`).

    Raises:
        TypeError: if ``text`` is not a str.
        ValueError: if ``text`` is empty.
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text must hold at least one character")
        self.chars = "".join(sorted(set(text)))
        self._ids = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        """``V``, the number of characters."""
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} characters: {self.chars!r})"

    def encode(self, text: str) -> torch.Tensor:
        """The ids of the characters of ``text``: ``(N,)`` int64 for ``N = len(text)``.

        Raises:
            ValueError: naming the characters of ``text`` that are not in the vocabulary.
        """
        missing = sorted(set(text) - self._ids.keys())
        if missing:
            raise ValueError(f"characters {missing} are not in the vocabulary {self.chars!r}")
        return torch.tensor([self._ids[c] for c in text], dtype=torch.int64)

    def decode(self, ids: torch.Tensor | list[int]) -> str:
        """The text of ``(N,)`` character ids.

        Raises:
            ValueError: if an id is not from 0 to ``V - 1``.
        """
        ids = ids.tolist() if isinstance(ids, torch.Tensor) else list(ids)
        bad = sorted({i for i in ids if not 0 <= i < len(self)})
        if bad:
            raise ValueError(f"ids must be from 0 to {len(self) - 1}, got {bad}")
        return "".join(self.chars[i] for i in ids)


def split_text(text: str, validation_fraction: float = 0.1) -> tuple[str, str]:
    """Split a text in two at one point: the first part for training, the last for validation.

    As nanoGPT splits Tiny Shakespeare: the first ``int(len(text) * (1 -
    validation_fraction))`` characters train, the others validate. The split is
    by position, not at random, so no stretch of text is on both sides.

    Raises:
        TypeError: if ``validation_fraction`` is not a number.
        ValueError: if it is not strictly between 0 and 1, or a side would be empty.
    """
    check_number("validation_fraction", validation_fraction)
    if not 0 < validation_fraction < 1:
        raise ValueError(f"validation_fraction must be strictly between 0 and 1, got {validation_fraction}")
    n = int(len(text) * (1 - validation_fraction))
    if n == 0 or n == len(text):
        raise ValueError(f"a text of {len(text)} characters is too short to split with {validation_fraction}")
    return text[:n], text[n:]


def _check_ids(ids: torch.Tensor, minimum: int) -> None:
    check_tensor("ids", ids, 1, "(N,)")
    if ids.dtype != torch.int64:
        raise TypeError(f"ids must be int64 character ids, got {ids.dtype}")
    if len(ids) < minimum:
        raise ValueError(f"ids must hold at least {minimum} characters, got {len(ids)}")


def char_bigram_log_probs(ids: torch.Tensor, vocab_size: int, k: float = 1.0) -> torch.Tensor:
    """A bigram model of a text, counted on its ``(N,)`` character ids with add-``k`` smoothing.

    Returns ``(V, V)`` log-probabilities (float64), ``V = vocab_size``: entry
    ``[prev, next]`` is ``ln P(next | prev) = ln (n(prev, next) + k) / (n(prev) + k V)``,
    where ``n`` counts the ``N - 1`` pairs of neighbouring characters. Each row sums to 1.

    Raises:
        TypeError: if ``ids`` is not an int64 tensor, or ``k`` is not a number.
        ValueError: if ``ids`` has fewer than 2 characters or an id out of range,
            or ``k`` is not positive and finite.
    """
    _check_ids(ids, 2)
    check_int("vocab_size", vocab_size, minimum=1)
    check_number("k", k)
    if not (k > 0 and math.isfinite(k)):
        raise ValueError(f"k must be positive and finite (add-k smoothing), got {k}")
    if int(ids.min()) < 0 or int(ids.max()) >= vocab_size:
        raise ValueError(f"ids must be from 0 to {vocab_size - 1}, got {int(ids.min())} to {int(ids.max())}")
    pairs = ids[:-1] * vocab_size + ids[1:]  # each (prev, next) pair as one number
    counts = torch.bincount(pairs, minlength=vocab_size * vocab_size).view(vocab_size, vocab_size).double()
    return ((counts + k) / (counts.sum(dim=1, keepdim=True) + k * vocab_size)).log()


def char_bigram_loss(log_probs: torch.Tensor, ids: torch.Tensor) -> float:
    """Mean of ``-ln P(next | prev)`` over the ``N - 1`` pairs of a text's ``(N,)`` ids, in nats per character.

    ``log_probs`` is the ``(V, V)`` table of :func:`char_bigram_log_probs`.

    Raises:
        ValueError: if ``log_probs`` is not square, or ``ids`` has fewer than 2 characters.
    """
    check_tensor("log_probs", log_probs, 2, "(V, V)")
    if log_probs.shape[0] != log_probs.shape[1]:
        raise ValueError(f"log_probs must have shape (V, V), got {tuple(log_probs.shape)}")
    _check_ids(ids, 2)
    return -float(log_probs[ids[:-1], ids[1:]].mean())


def tbptt_batches(ids: torch.Tensor, batch_size: int, seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Cut a text's ``(N,)`` ids into ``B = batch_size`` parallel streams, then into chunks of ``T = seq_len`` steps.

    Stream ``b`` is the ``b``-th of ``B`` equal, consecutive stretches of the
    text, ``L = (N - 1) // B`` characters each (the last ``N - 1 - B L`` are
    left out). Batch ``i`` holds steps ``i T`` to ``(i + 1) T - 1`` of every
    stream, so **column b of a batch continues column b of the batch before**:
    a state carried from one batch to the next stays on its own stretch of text.
    The last batch is shorter when ``T`` does not divide ``L``.

    Yields:
        ``(x, y)``: inputs ``(T, B)`` and targets ``(T, B)``, int64, with
        ``y[t, b]`` the character that follows ``x[t, b]`` in the text.

    Raises:
        TypeError: if ``ids`` is not an int64 tensor, or a size is not an int.
        ValueError: if a size is below 1, or the text is too short for ``B`` streams.
    """
    check_int("batch_size", batch_size, minimum=1)
    check_int("seq_len", seq_len, minimum=1)
    _check_ids(ids, batch_size + 1)  # each stream needs an input and its target
    length = (len(ids) - 1) // batch_size
    inputs = ids[: batch_size * length].view(batch_size, length)  # (B, L): stream b is row b
    targets = ids[1 : batch_size * length + 1].view(batch_size, length)  # the same, one character on
    for start in range(0, length, seq_len):
        yield inputs[:, start : start + seq_len].t().contiguous(), targets[:, start : start + seq_len].t().contiguous()


def detach_state(h: State | None) -> State | None:
    """The same state values, cut from the graph that computed them (``None`` stays ``None``).

    Carried into the next chunk, a detached state still brings the text read
    so far, but the next ``backward`` stops at it instead of running back
    through every chunk before.
    """
    if h is None:
        return None
    if isinstance(h, tuple):
        return tuple(part.detach() for part in h)
    return h.detach()


class CharLM(nn.Module):
    """Embedding, a stacked LSTM (or GRU) with dropout, and a linear readout: scores of the next character.

    ``dropout`` is applied between the recurrent layers (by ``nn.LSTM``) and to
    the top layer's states before the readout, during training only.

    Raises:
        TypeError: if a size is not an int or ``dropout`` is not a number.
        ValueError: if a size is below 1, ``dropout`` is not in ``[0, 1)``, or ``cell``
            is not ``"lstm"`` or ``"gru"``.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int = 64,
        hidden_size: int = 256,
        num_layers: int = 2,
        dropout: float = 0.2,
        cell: str = "lstm",
    ) -> None:
        super().__init__()
        sizes = {"vocab_size": vocab_size, "embedding_dim": embedding_dim, "hidden_size": hidden_size}
        for name, value in {**sizes, "num_layers": num_layers}.items():
            check_int(name, value, minimum=1)
        check_number("dropout", dropout)
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        layers = {"lstm": nn.LSTM, "gru": nn.GRU}
        if cell not in layers:
            raise ValueError(f"cell must be one of {sorted(layers)}, got {cell!r}")
        self.embedding = nn.Embedding(vocab_size, embedding_dim)  # a learned vector per character
        self.rnn = layers[cell](embedding_dim, hidden_size, num_layers, dropout=dropout if num_layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout)
        self.readout = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: torch.Tensor, h: State | None = None) -> tuple[torch.Tensor, State]:
        """Scores ``(T, B, V)`` of the next character after each of the ``(T, B)`` ids ``x``, and the last state.

        ``h`` is the state to start from (zeros when ``None``): ``(num_layers,
        B, H)`` for a GRU, a pair of those for an LSTM; the returned state has
        the same form.
        """
        states, h = self.rnn(self.embedding(x), h)  # states: (T, B, H), the top layer at every step
        return self.readout(self.dropout(states)), h


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def _select_stream(h: State, b: int) -> State:
    """Stream ``b`` of a state, kept as a batch of one."""
    if isinstance(h, tuple):
        return tuple(part[:, b : b + 1] for part in h)
    return h[:, b : b + 1]


def evaluate_loss(model: CharLM, ids: torch.Tensor, batch_size: int = 64, seq_len: int = 256) -> float:
    """Mean ``-ln p`` of every next character of a text's ``(N,)`` ids, in nats per character.

    Every one of the ``N - 1`` characters after the first is scored once. The
    text is read as ``B = batch_size`` streams (:func:`tbptt_batches`) with the
    state carried through each; the few characters left after the streams are
    read on, from the last stream's state. Each stream starts with a zero
    state, so its first characters are predicted with little context: the
    fewer the streams, the closer to one pass over the whole text. Runs in
    evaluation mode (no dropout) and puts the model back in the mode it was in.

    Raises:
        TypeError: if ``ids`` is not an int64 tensor.
        ValueError: if ``ids`` has fewer than 2 characters, or a size is below 1.
    """
    _check_ids(ids, 2)
    check_int("batch_size", batch_size, minimum=1)
    check_int("seq_len", seq_len, minimum=1)
    batch_size = min(batch_size, len(ids) - 1)
    device, was_training = _device(model), model.training
    model.eval()
    total, h = 0.0, None
    with torch.no_grad():
        for x, y in tbptt_batches(ids, batch_size, seq_len):
            logits, h = model(x.to(device), h)
            total += float(F.cross_entropy(logits.flatten(0, 1), y.to(device).flatten(), reduction="sum"))
        read = batch_size * ((len(ids) - 1) // batch_size)  # characters read by the streams
        if read < len(ids) - 1:  # the rest, read on from where the last stream stopped
            x, y = ids[read:-1].unsqueeze(1), ids[read + 1 :].unsqueeze(1)  # (T, 1)
            logits, _ = model(x.to(device), _select_stream(h, batch_size - 1))
            total += float(F.cross_entropy(logits.flatten(0, 1), y.to(device).flatten(), reduction="sum"))
    model.train(was_training)
    return total / (len(ids) - 1)


@dataclass
class CharLMHistory:
    """What :func:`fit_char_lm` measured: every step's training loss, and the validation checkpoints."""

    train_loss: list[float] = field(default_factory=list)  # nats per character, one per step
    val_steps: list[int] = field(default_factory=list)  # the steps after which validation was scored
    val_loss: list[float] = field(default_factory=list)  # nats per character at those steps
    val_seconds: list[float] = field(default_factory=list)  # seconds since training started, at those steps
    seconds: float = 0.0  # the whole run, checkpoints included

    @property
    def steps(self) -> int:
        """The number of steps taken."""
        return len(self.train_loss)


def _lr_factor(progress: float, warmup: float = 0.02, floor: float = 0.1) -> float:
    """A linear warm-up over the first ``warmup`` of the run, then a cosine from 1 down to ``floor``."""
    if progress < warmup:
        return (progress + 1e-3) / warmup
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, (progress - warmup) / (1 - warmup))))


def fit_char_lm(
    model: CharLM,
    ids: torch.Tensor,
    *,
    steps: int,
    batch_size: int = 32,
    seq_len: int = 64,
    lr: float = 3e-3,
    weight_decay: float = 0.01,
    lr_floor: float = 0.1,
    max_seconds: float | None = None,
    val_ids: torch.Tensor | None = None,
    eval_every: int = 100,
    seed: int = 0,
) -> CharLMHistory:
    """Train ``model`` on a text's ``(N,)`` ids with truncated backpropagation through time; return its history.

    Each pass over the text starts the ``B = batch_size`` streams of
    :func:`tbptt_batches` afresh, at a random offset (below ``seq_len``) so
    that the chunks' boundaries move from pass to pass; within a pass the
    state is carried from chunk to chunk and detached. AdamW (with
    ``weight_decay``), the gradient's norm clipped at 1, and the learning rate
    warmed up, then lowered along a cosine to ``lr_floor`` times ``lr`` (a
    tenth by default; 0 for a run that must end at its best). Training
    stops after ``steps`` steps or, if ``max_seconds`` is given, once that many
    seconds have passed, whichever comes first (the schedule follows whichever
    is further along). With ``val_ids``, the validation loss is scored every
    ``eval_every`` steps and at the end (inside the time budget). The
    model's device is used; it is left in evaluation mode.

    Raises:
        TypeError: if ``ids`` or ``val_ids`` is not an int64 tensor.
        ValueError: if ``steps`` or a size is below 1, ``lr_floor`` is outside ``[0, 1]``, or ``ids`` is too
            short for ``B`` streams.
    """
    check_number("lr_floor", lr_floor)
    if not 0 <= lr_floor <= 1:
        raise ValueError(f"lr_floor must be in [0, 1], got {lr_floor}")
    for name, value in (("steps", steps), ("batch_size", batch_size), ("seq_len", seq_len), ("eval_every", eval_every)):
        check_int(name, value, minimum=1)
    _check_ids(ids, batch_size + seq_len + 1)  # room for B streams and a random offset
    if val_ids is not None:
        _check_ids(val_ids, 2)
    torch.manual_seed(seed)  # dropout's masks
    offsets = torch.Generator().manual_seed(seed)
    device, history = _device(model), CharLMHistory()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    start = time.perf_counter()

    def progress() -> float:
        elapsed = (time.perf_counter() - start) / max_seconds if max_seconds else 0.0
        return max(history.steps / steps, elapsed)

    def checkpoint() -> None:
        history.val_loss.append(evaluate_loss(model, val_ids))
        history.val_steps.append(history.steps)
        history.val_seconds.append(time.perf_counter() - start)

    model.train()
    while progress() < 1:
        offset = int(torch.randint(seq_len, (1,), generator=offsets))
        h = None  # a new pass: the streams start from zero states
        for x, y in tbptt_batches(ids[offset:], batch_size, seq_len):
            logits, h = model(x.to(device), h)  # (T, B, V), starting from the state the last chunk left
            h = detach_state(h)  # keep what was read, but the gradient stops at this chunk's first step
            loss = F.cross_entropy(logits.flatten(0, 1), y.to(device).flatten())
            optimizer.zero_grad()
            loss.backward()  # through this chunk's T steps only
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            for group in optimizer.param_groups:
                group["lr"] = lr * _lr_factor(progress(), floor=lr_floor)
            optimizer.step()
            history.train_loss.append(loss.item())
            if val_ids is not None and history.steps % eval_every == 0:
                checkpoint()
            if progress() >= 1:
                break
    if val_ids is not None and history.val_steps[-1:] != [history.steps]:
        checkpoint()
    history.seconds = time.perf_counter() - start
    model.eval()
    return history


def sample(
    model: CharLM,
    vocab: CharVocab,
    prompt: str,
    length: int,
    temperature: float = 1.0,
    generator: torch.Generator | None = None,
) -> str:
    """Read ``prompt``, then write ``length`` characters, each drawn from the model and fed back in.

    ``temperature`` divides the scores before the softmax: below 1 the likely
    characters get likelier, above 1 the unlikely ones catch up; at 0 the
    likeliest character is always taken. Draws with ``generator`` (on the
    CPU), so a seeded generator gives the same text every time.

    Returns:
        ``prompt`` followed by the ``length`` written characters.

    Raises:
        TypeError: if ``length`` is not an int or ``temperature`` is not a number.
        ValueError: if ``prompt`` is empty or has characters outside ``vocab``,
            ``length`` is negative, or ``temperature`` is negative.
    """
    if not prompt:
        raise ValueError("prompt must hold at least one character, the first input")
    check_int("length", length, minimum=0)
    check_number("temperature", temperature, minimum=0)
    device, was_training = _device(model), model.training
    model.eval()
    written = []
    with torch.no_grad():
        logits, h = model(vocab.encode(prompt).unsqueeze(1).to(device))  # read the prompt: (T, 1, V)
        for _ in range(length):
            scores = logits[-1, 0].cpu()  # (V,): the next character's scores
            if temperature == 0:
                choice = int(scores.argmax())
            else:
                choice = int(torch.multinomial((scores / temperature).softmax(dim=0), 1, generator=generator))
            written.append(choice)
            logits, h = model(torch.tensor([[choice]], device=device), h)  # the output becomes the next input
    model.train(was_training)
    return prompt + vocab.decode(written)

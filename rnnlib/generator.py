"""Generate names letter by letter: the one-to-many structure of chapter 1.

The model reads the language and the previous letter, and scores the next
letter or the end of the name. Trained with *teacher forcing* (at every step
it is shown the true previous letter), it generates by feeding each sampled
letter back in as the next input until it samples the end.

Shapes: the input at each step is ``n_languages + N_LETTERS`` numbers
(one-hot language, one-hot previous letter, all zeros at the start); the
output scores ``N_LETTERS + 1`` symbols, the last being the end of the name.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnlib.data import ALL_LETTERS, N_LETTERS, letter_to_index
from rnnlib.training import fit_epochs

END = N_LETTERS  # index of the end-of-name symbol


class NameGenerator(nn.Module):
    """A GRU that scores the next letter of a name in a given language."""

    def __init__(self, n_languages: int, hidden_size: int = 128) -> None:
        super().__init__()
        self.n_languages = n_languages
        self.gru = nn.GRU(n_languages + N_LETTERS, hidden_size)
        self.readout = nn.Linear(hidden_size, N_LETTERS + 1)

    def forward(self, inputs: torch.Tensor, hidden: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Scores ``(T, B, N_LETTERS + 1)`` for inputs ``(T, B, n_languages + N_LETTERS)``, and the last state."""
        states, hidden = self.gru(inputs, hidden)
        return self.readout(states), hidden


def _inputs_and_targets(names: Sequence[str], languages: Sequence[int], n_languages: int):
    """Teacher-forcing batch: inputs ``(T, B, n_languages + N_LETTERS)``, targets ``(T, B)`` (-100 = padding)."""
    lengths = torch.tensor([len(n) + 1 for n in names])  # letters + the end symbol
    T, B = int(lengths.max()), len(names)
    inputs = torch.zeros(T, B, n_languages + N_LETTERS)
    targets = torch.full((T, B), -100)
    for b, (name, language) in enumerate(zip(names, languages)):
        letters = [letter_to_index(c) for c in name]
        inputs[: len(name) + 1, b, language] = 1.0
        for t, index in enumerate(letters):
            inputs[t + 1, b, n_languages + index] = 1.0  # the previous letter, one step later
            targets[t, b] = index
        targets[len(name), b] = END
    return inputs, targets, lengths


def sequence_loss(model: NameGenerator, names: Sequence[str], languages: Sequence[int]) -> torch.Tensor:
    """Mean cross-entropy per predicted symbol (letters and the end) over a batch of names."""
    inputs, targets, lengths = _inputs_and_targets(names, languages, model.n_languages)
    device = model.readout.weight.device
    packed = pack_padded_sequence(inputs.to(device), lengths, enforce_sorted=False)
    states, _ = model.gru(packed)
    states, _ = pad_packed_sequence(states, total_length=inputs.shape[0])
    scores = model.readout(states)
    return nn.functional.cross_entropy(scores.flatten(0, 1), targets.to(device).flatten(), ignore_index=-100)


def fit_name_generator(
    pairs: Sequence[tuple[str, str]],
    languages: Sequence[str],
    *,
    epochs: int = 6,
    batch_size: int = 128,
    lr: float = 5e-3,
    hidden_size: int = 128,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> tuple[NameGenerator, list[float]]:
    """Train a :class:`NameGenerator` on ``(name, language)`` pairs; returns it and the losses of every step."""
    if len(pairs) == 0:
        raise ValueError("pairs must hold at least one (name, language) pair")
    index = {language: i for i, language in enumerate(languages)}
    names = [name for name, _ in pairs]
    labels = [index[language] for _, language in pairs]
    torch.manual_seed(seed)
    model = NameGenerator(len(languages), hidden_size).to(device)

    def batch_loss(batch: torch.Tensor) -> torch.Tensor:
        return sequence_loss(model, [names[i] for i in batch], [labels[i] for i in batch])

    losses = fit_epochs(model, len(names), batch_loss, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
    model.eval()
    return model, losses


def sample(
    model: NameGenerator,
    language: int,
    temperature: float = 0.7,
    generator: torch.Generator | None = None,
    max_length: int = 20,
) -> str:
    """Write one name in ``language`` (an index), feeding each sampled letter back in.

    ``temperature`` divides the scores before the softmax: low values pick the
    likeliest letters (at 0, always the likeliest), high values take risks.

    Raises:
        ValueError: if ``temperature`` < 0 or ``language`` is out of range.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if not 0 <= language < model.n_languages:
        raise ValueError(f"language must be an index from 0 to {model.n_languages - 1}, got {language}")
    device = model.readout.weight.device

    def step_input(letter: int | None) -> torch.Tensor:
        """The ``(1, 1, n_languages + N_LETTERS)`` input: the language, and the previous letter if any."""
        x = torch.zeros(1, 1, model.n_languages + N_LETTERS, device=device)
        x[0, 0, language] = 1.0
        if letter is not None:
            x[0, 0, model.n_languages + letter] = 1.0
        return x

    x, hidden, letters = step_input(None), None, []
    with torch.no_grad():
        for _ in range(max_length):
            scores, hidden = model(x, hidden)
            scores = scores[0, 0].cpu()
            if temperature == 0:
                choice = int(scores.argmax())
            else:
                choice = int(torch.multinomial((scores / temperature).softmax(dim=0), 1, generator=generator))
            if choice == END:
                break
            letters.append(ALL_LETTERS[choice])
            x = step_input(choice)  # the output becomes the next input
    return "".join(letters)

"""The RNN class of the explainer article and the original PyTorch tutorial, and its fix.

:class:`ArticleRNN` is the class as readers know it, kept line for line
except that it returns raw scores (the tutorial's final ``LogSoftmax`` is
left out: ``cross_entropy`` applies it, and it never changes which score is
largest), spells ``initHidden`` as ``init_hidden`` and also stores
``input_size`` and ``output_size``. It departs from the formulas twice
(reported by users in pytorch/tutorials issue 193):

1. its hidden update ``hidden = i2h(cat(input, hidden))`` has no
   nonlinearity, so the hidden state follows a *linear* recurrence;
2. its output ``i2o(cat(input, hidden))`` is computed from the *previous*
   hidden state, so it is not ``o_t = g(V s_t)``. While ``i2h`` is linear
   this costs no capacity (``V s_t`` is a linear map of the same
   concatenation); it matters once the update is nonlinear.

:class:`CorrectedRNN` keeps the same interface and implements the formulas
``s_t = tanh(U x_t + W s_{t-1})`` and ``o_t = V s_t``.

Shapes (legend in CONTRIBUTING.md): one step's ``input`` is ``(B, I)``,
``hidden`` is ``(B, H)`` and the output is ``(B, O)``; over a sequence,
:func:`unroll_cell` and :func:`unroll_layer` take ``x`` of shape ``(T, B, I)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from rnnlib._checks import check_int, check_number, check_tensor
from rnnlib.data import N_LETTERS, names_to_batch
from rnnlib.training import fit_epochs


class ArticleRNN(nn.Module):
    """The classic class, less its final ``LogSoftmax`` (it returns raw scores); ``initHidden`` is ``init_hidden``."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int) -> None:
        # Written out in full in both classes, not inherited: chapter 7 shows
        # each class whole, as a reader would type it.
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_size = output_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)

    def forward(self, input: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One step: ``input`` ``(B, I)``, ``hidden`` ``(B, H)``; returns ``output`` ``(B, O)`` and ``hidden``."""
        combined = torch.cat((input, hidden), 1)
        hidden = self.i2h(combined)
        output = self.i2o(combined)
        return output, hidden

    def init_hidden(self) -> torch.Tensor:
        """A zero hidden state for a batch of one: shape ``(1, H)``."""
        return torch.zeros(1, self.hidden_size)


class CorrectedRNN(nn.Module):
    """The same interface, computing ``s_t = tanh(U x_t + W s_{t-1} + b)`` and ``o_t = V s_t + c``.

    ``i2h`` still acts on the concatenation ``[x_t, s_{t-1}]``: its weight
    matrix is ``[U | W]`` side by side, so ``i2h(cat(x, s)) = U x + W s + b``.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_size = output_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)

    def forward(self, input: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One step: ``input`` ``(B, I)`` and ``hidden`` ``(B, H)``; returns ``(output, hidden)``.

        Shapes ``(B, O)`` and ``(B, H)``; the output is read off the *new* state.
        """
        hidden = torch.tanh(self.i2h(torch.cat((input, hidden), 1)))  # the state formula, with f = tanh
        output = self.h2o(hidden)  # the output formula, read off s_t
        return output, hidden

    def init_hidden(self, batch_size: int = 1) -> torch.Tensor:
        """A zero hidden state, shape ``(B, H)`` with ``B = batch_size``."""
        return torch.zeros(batch_size, self.hidden_size, device=self.i2h.weight.device)

    def to_torch(self) -> tuple[nn.RNN, nn.Linear]:
        """The same network as ``torch.nn.RNN`` plus ``nn.Linear``, sharing copies of these weights.

        ``i2h``'s weight is split into ``weight_ih`` (its first ``input_size``
        columns, ``U``) and ``weight_hh`` (the rest, ``W``); its bias becomes
        ``bias_ih`` and ``bias_hh`` is zero.
        """
        rnn = nn.RNN(self.input_size, self.hidden_size).to(self.i2h.weight)
        readout = nn.Linear(self.hidden_size, self.output_size).to(self.i2h.weight)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(self.i2h.weight[:, : self.input_size])
            rnn.weight_hh_l0.copy_(self.i2h.weight[:, self.input_size :])
            rnn.bias_ih_l0.copy_(self.i2h.bias)
            rnn.bias_hh_l0.zero_()
            readout.load_state_dict(self.h2o.state_dict())
        return rnn, readout


def unroll_cell(cell: ArticleRNN | CorrectedRNN, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Feed ``x`` of shape ``(T, B, I)`` to ``cell`` one step at a time, from a zero state.

    Returns:
        ``(outputs, hiddens)`` of shapes ``(T, B, O)`` and ``(T, B, H)``.
    """
    check_tensor("x", x, 3, "(T, B, I)")
    hidden = x.new_zeros(x.shape[1], cell.hidden_size)
    outputs, hiddens = [], []
    for x_t in x:
        output, hidden = cell(x_t, hidden)
        outputs.append(output)
        hiddens.append(hidden)
    return torch.stack(outputs), torch.stack(hiddens)


def unroll_layer(cell: CorrectedRNN, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The corrected cell as a whole layer, organised the way ``nn.RNN`` is.

    Same result as :func:`unroll_cell`, computed faster: the input part
    ``U x_t + b`` of every step is one matrix product before the loop, the
    loop keeps only what must be sequential (``tanh(... + W s_{t-1})``), and the
    readout ``V s_t + c`` is one product after it.

    Args:
        x: shape ``(T, B, I)``.

    Returns:
        ``(outputs, hiddens)`` of shapes ``(T, B, O)`` and ``(T, B, H)``.
    """
    check_tensor("x", x, 3, "(T, B, I)")
    U = cell.i2h.weight[:, : cell.input_size]
    W = cell.i2h.weight[:, cell.input_size :]
    from_inputs = x @ U.T + cell.i2h.bias  # (T, B, H): every step at once
    hidden = x.new_zeros(x.shape[1], cell.hidden_size)
    hiddens = []
    for pre in from_inputs:
        hidden = torch.tanh(pre + hidden @ W.T)
        hiddens.append(hidden)
    hiddens = torch.stack(hiddens)
    return cell.h2o(hiddens), hiddens


class LastStepClassifier(nn.Module):
    """Wrap a one-step cell so that it scores a packed batch of names by each name's last output.

    The cell is stepped over the padded batch; each name's scores are the
    output at its own last letter. Input: a ``PackedSequence`` of ``B`` names;
    output: ``(B, C)``, C classes (the cell's ``output_size``). This lets :func:`rnnlib.classifier.evaluate`
    score a model trained one name at a time.
    """

    def __init__(self, cell: ArticleRNN | CorrectedRNN) -> None:
        super().__init__()
        self.cell = cell

    def forward(self, names: nn.utils.rnn.PackedSequence) -> torch.Tensor:
        """Scores ``(B, C)`` for a packed batch of ``B`` one-hot names."""
        padded, lengths = nn.utils.rnn.pad_packed_sequence(names)
        return _last_step_outputs(self.cell, padded, lengths)


def _last_step_outputs(cell: ArticleRNN | CorrectedRNN, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Step ``cell`` over ``padded`` ``(T, B, I)``; return each name's output at its own last letter, ``(B, C)``."""
    outputs, _ = unroll_cell(cell, padded)
    return outputs[lengths.to(outputs.device) - 1, torch.arange(padded.shape[1], device=outputs.device)]


# Its keywords (epochs, batch_size, lr, seed) are those of every fit_* of the course, on purpose.
def fit_last_step(
    cell: ArticleRNN | CorrectedRNN,
    pairs: Sequence[tuple[str, str]],
    languages: Sequence[str],
    *,
    epochs: int = 4,
    batch_size: int = 256,
    lr: float = 1e-2,
    seed: int = 0,
) -> list[float]:
    """Train ``cell`` in place to classify names by its output at each name's last letter.

    Both classes of this module get exactly the same treatment, so that the
    comparison measures the cells and nothing else: the loop is
    :func:`rnnlib.training.fit_epochs` (shuffled batches seeded by ``seed``,
    Adam with a one-cycle schedule peaking at ``lr``, gradient norm clipped
    at 1) and the loss is the cross-entropy of the scores ``(B, C)`` that the
    cell outputs after the last letter of each of the ``B`` names of a batch
    (``cross_entropy`` applies the log-softmax itself). A batch is padded
    one-hot letters ``(T, B, V)``; steps after a name's end never reach its
    scores, because the cell only looks back. Data goes to the device of the
    cell's weights; on a CPU, training uses one thread (the number is restored
    afterwards): its steps are too small to gain from a second. Evaluate the result with
    ``rnnlib.classifier.evaluate(LastStepClassifier(cell), ...)``.

    Args:
        cell: an :class:`ArticleRNN` or :class:`CorrectedRNN` with
            ``input_size == N_LETTERS`` and ``output_size == len(languages)``.
        pairs: ``(name, language)`` training pairs.
        languages: the class names; a language's index is its label.

    Returns:
        The loss of every step (batch), in order.

    Raises:
        TypeError: if ``cell`` is not one of this module's cells.
        ValueError: if ``pairs`` is empty or names an unknown language, if the
            cell's sizes do not fit, or if ``epochs``, ``batch_size`` or ``lr``
            is not positive.
    """
    if not isinstance(cell, (ArticleRNN, CorrectedRNN)):
        raise TypeError(f"cell must be an ArticleRNN or a CorrectedRNN, got {type(cell).__name__}")
    if len(pairs) == 0:
        raise ValueError("pairs must hold at least one (name, language) pair")
    if cell.input_size != N_LETTERS or cell.output_size != len(languages):
        raise ValueError(
            f"cell must have input_size={N_LETTERS} (letters) and output_size={len(languages)} (languages), "
            f"got {cell.input_size} and {cell.output_size}"
        )
    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    check_number("lr", lr, minimum=0)
    label_of = {language: i for i, language in enumerate(languages)}
    unknown = sorted({language for _, language in pairs} - label_of.keys())
    if unknown:
        raise ValueError(f"unknown language(s) {unknown}; expected one of {list(languages)}")

    device = cell.i2h.weight.device
    names = [name for name, _ in pairs]
    labels = torch.tensor([label_of[language] for _, language in pairs], device=device)
    # One-hot encode every name once, padded to the longest: (T_max, N, V) on the cell's device.
    padded, lengths = names_to_batch(names)
    padded = padded.to(device)

    def batch_loss(batch: torch.Tensor) -> torch.Tensor:
        steps = int(lengths[batch].max())  # the longest name of this batch
        scores = _last_step_outputs(cell, padded[:steps, batch.to(device)], lengths[batch])
        return nn.functional.cross_entropy(scores, labels[batch.to(device)])

    cell.train()
    threads = torch.get_num_threads()
    if device.type == "cpu":
        # Every step is a handful of small products: a second CPU thread only adds
        # hand-over overhead (and, on a busy machine, spinning), never speed.
        torch.set_num_threads(1)
    try:
        return fit_epochs(cell, len(names), batch_loss, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
    finally:
        torch.set_num_threads(threads)

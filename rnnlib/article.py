"""The RNN class of the explainer article and the original PyTorch tutorial, and its fix.

:class:`ArticleRNN` is the class as readers know it, kept line for line. It
has two flaws (reported by users in pytorch/tutorials issue 193):

1. its hidden update ``hidden = i2h(cat(input, hidden))`` has no
   nonlinearity, so the hidden state follows a *linear* recurrence;
2. its output ``i2o(cat(input, hidden))`` is computed from the *previous*
   hidden state, so it is not ``o_t = g(V s_t)``.

:class:`CorrectedRNN` keeps the same interface and implements the formulas
``s_t = tanh(U x_t + W s_{t-1})`` and ``o_t = V s_t``. Shapes, one step:
``input`` is ``(B, input_size)``, ``hidden`` is ``(B, hidden_size)``, the
output is ``(B, output_size)``.
"""

from __future__ import annotations

import torch
from torch import nn


class ArticleRNN(nn.Module):
    """The classic class, unchanged (apart from type hints and docstrings)."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_size = output_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)

    def forward(self, input: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # noqa: A002
        """One step: returns ``(output, hidden)``, shapes ``(B, output_size)`` and ``(B, hidden_size)``."""
        combined = torch.cat((input, hidden), 1)
        hidden = self.i2h(combined)
        output = self.i2o(combined)
        return output, hidden

    def init_hidden(self) -> torch.Tensor:
        """A zero hidden state for a batch of one: shape ``(1, hidden_size)``."""
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

    def forward(self, input: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # noqa: A002
        """One step: returns ``(output, hidden)``; the output is read off the *new* state."""
        hidden = torch.tanh(self.i2h(torch.cat((input, hidden), 1)))  # formula 2, with f = tanh
        output = self.h2o(hidden)  # formula 1, from s_t
        return output, hidden

    def init_hidden(self, batch_size: int = 1) -> torch.Tensor:
        """A zero hidden state, shape ``(batch_size, hidden_size)``."""
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


def run_cell(cell: ArticleRNN | CorrectedRNN, xs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Feed ``xs`` of shape ``(T, B, input_size)`` one step at a time from a zero state.

    Returns:
        ``(outputs, hiddens)`` of shapes ``(T, B, output_size)`` and ``(T, B, hidden_size)``.
    """
    hidden = xs.new_zeros(xs.shape[1], cell.hidden_size)
    outputs, hiddens = [], []
    for x in xs:
        output, hidden = cell(x, hidden)
        outputs.append(output)
        hiddens.append(hidden)
    return torch.stack(outputs), torch.stack(hiddens)


def run_layer(cell: CorrectedRNN, xs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The corrected cell as a whole layer, organised the way ``nn.RNN`` is.

    Same result as :func:`run_cell`, computed faster: the input part
    ``U x_t + b`` of every step is one matrix product before the loop, the
    loop keeps only what must be sequential (``tanh(... + W s_{t-1})``), and the
    readout ``V s_t + c`` is one product after it.

    Args:
        xs: shape ``(T, B, input_size)``.

    Returns:
        ``(outputs, hiddens)`` of shapes ``(T, B, output_size)`` and ``(T, B, hidden_size)``.
    """
    U = cell.i2h.weight[:, : cell.input_size]
    W = cell.i2h.weight[:, cell.input_size :]
    from_inputs = xs @ U.T + cell.i2h.bias  # (T, B, hidden): every step at once
    hidden = xs.new_zeros(xs.shape[1], cell.hidden_size)
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
    output: ``(B, output_size)``. This lets :func:`rnnlib.classifier.evaluate`
    score a model trained one name at a time.
    """

    def __init__(self, cell: ArticleRNN | CorrectedRNN) -> None:
        super().__init__()
        self.cell = cell

    def forward(self, names: nn.utils.rnn.PackedSequence) -> torch.Tensor:
        padded, lengths = nn.utils.rnn.pad_packed_sequence(names)
        outputs, _ = run_cell(self.cell, padded)
        return outputs[lengths - 1, torch.arange(len(lengths))]

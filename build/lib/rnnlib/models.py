"""A small sequence classifier: embedding, one recurrent layer, a readout of the last state."""

from __future__ import annotations

import torch
from torch import nn

_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceClassifier(nn.Module):
    """Reads a sequence of token ids and scores ``n_classes`` answers from its last state.

    Args:
        vocab_size: number of token ids.
        n_classes: number of answers.
        cell: ``"rnn"`` (tanh), ``"lstm"`` or ``"gru"``.
        embedding_size, hidden_size: layer sizes.
        gate_bias: for ``"lstm"``, the forget-gate bias; for ``"gru"``, the
            update-gate bias. A large value (about 3) makes the cell keep its
            state by default: the forget gate starts open, ``sigmoid(3) = 0.95``
            (Gers, Schmidhuber & Cummins 2000). ``None`` keeps PyTorch's
            initialisation.

    Raises:
        ValueError: for an unknown ``cell``, or a ``gate_bias`` with ``"rnn"``.
    """

    def __init__(
        self,
        vocab_size: int,
        n_classes: int,
        cell: str = "rnn",
        embedding_size: int = 16,
        hidden_size: int = 32,
        gate_bias: float | None = None,
    ) -> None:
        super().__init__()
        if cell not in _LAYERS:
            raise ValueError(f"cell must be one of {sorted(_LAYERS)}, got {cell!r}")
        if gate_bias is not None and cell == "rnn":
            raise ValueError("gate_bias needs a gated cell ('lstm' or 'gru'); a plain RNN has no gates")
        self.cell = cell
        self.embed = nn.Embedding(vocab_size, embedding_size)
        self.recurrent = _LAYERS[cell](embedding_size, hidden_size)
        self.readout = nn.Linear(hidden_size, n_classes)
        if gate_bias is not None:
            # PyTorch orders the gates (input, forget, cell, output) for the LSTM
            # and (reset, update, new) for the GRU: the second block is ours.
            with torch.no_grad():
                gate = slice(hidden_size, 2 * hidden_size)
                self.recurrent.bias_ih_l0[gate] = gate_bias
                self.recurrent.bias_hh_l0[gate] = 0.0

    def classify_embedded(self, embedded: torch.Tensor) -> torch.Tensor:
        """Scores from already embedded inputs ``(T, B, embedding_size)``; returns ``(B, n_classes)``."""
        states, _ = self.recurrent(embedded)
        return self.readout(states[-1])

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Scores for token ids of shape ``(T, B)``; returns ``(B, n_classes)``."""
        if tokens.dim() != 2:
            raise ValueError(f"tokens must have shape (T, B), got {tuple(tokens.shape)}")
        return self.classify_embedded(self.embed(tokens))

"""Attention: a weighted average of vectors, with weights computed from the vectors themselves (chapter 11).

:class:`AdditiveAttention` is Bahdanau's: a *query* (the decoder's state)
scores each *key* (an encoder state, one per source word) with a small
network, the scores become weights by a softmax over the source positions,
and the *context* is the weighted sum of the keys::

    score_j = v^T tanh(W_q query + W_k key_j)
    weights = softmax(scores)            (padding positions get weight 0)
    context = sum_j weights_j key_j

:func:`self_attention` is the transformer's form, scaled dot-product
attention, in which every position of one sequence is the query for all the
others.

Shapes (legend of CONTRIBUTING.md): B sentences, S the source sentence length
(positions), H the size of a state; A the attention size (the width of the
scoring network).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from rnnlib._checks import check_int, check_tensor


class AdditiveAttention(nn.Module):
    """Additive (Bahdanau) attention of a query over S keys: ``score_j = v^T tanh(W_q query + W_k key_j)``.

    ``W_q`` and ``W_k`` are ``(A, H)`` matrices and ``v`` an ``A``-vector
    (``nn.Linear`` layers without bias: ``.query_layer``, ``.key_layer``,
    ``.score_layer``); ``attention_size`` A defaults to ``hidden_size`` H.
    """

    def __init__(self, hidden_size: int, attention_size: int | None = None) -> None:
        super().__init__()
        check_int("hidden_size", hidden_size, minimum=1)
        attention_size = hidden_size if attention_size is None else attention_size
        check_int("attention_size", attention_size, minimum=1)
        self.hidden_size = hidden_size
        self.query_layer = nn.Linear(hidden_size, attention_size, bias=False)  # W_q
        self.key_layer = nn.Linear(hidden_size, attention_size, bias=False)  # W_k
        self.score_layer = nn.Linear(attention_size, 1, bias=False)  # v^T

    def project_keys(self, keys: torch.Tensor) -> torch.Tensor:
        """``W_k key_j`` for every key: ``keys`` ``(B, S, H)`` -> ``(B, S, A)``.

        The keys' half of the score does not depend on the query: when the
        same keys serve many queries (a decoder's steps), compute it once and
        pass it to :meth:`forward` as ``projected_keys``.
        """
        check_tensor("keys", keys, 3, "(B, S, H)")
        return self.key_layer(keys)

    def forward(
        self, query: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor, projected_keys: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The context and the attention weights of ``B`` queries, each over its S keys.

        Args:
            query: ``(B, H)``, e.g. the decoder's state.
            keys: ``(B, S, H)``, e.g. the encoder's state at each source position.
            mask: ``(B, S)`` bool, True at the real positions, False at the
                padding; every row needs at least one True.
            projected_keys: optional ``(B, S, A)``, :meth:`project_keys` of
                ``keys`` computed beforehand; None computes it here.

        Returns:
            ``(context, weights)``: context ``(B, H)``, the weighted sum of the
            keys; weights ``(B, S)``, each row summing to 1, 0 where ``mask`` is False.

        Raises:
            TypeError: if an argument is not a tensor, or ``mask`` is not bool.
            ValueError: if the shapes do not match ``(B, H)``, ``(B, S, H)``,
                ``(B, S)``, ``(B, S, A)``, or a row of ``mask`` has no True.
        """
        self._check(query, keys, mask, projected_keys)
        if projected_keys is None:
            projected_keys = self.key_layer(keys)  # (B, S, A): W_k key_j, for every j
        # (B, 1, A) + (B, S, A): the query's projection is added to every key's, then tanh and v^T.
        scores = self.score_layer(torch.tanh(self.query_layer(query).unsqueeze(1) + projected_keys))
        scores = scores.squeeze(2).masked_fill(~mask, float("-inf"))  # (B, S); the padding can never win
        weights = scores.softmax(dim=1)  # (B, S): a softmax over the source positions
        context = torch.bmm(weights.unsqueeze(1), keys).squeeze(1)  # (B, H) = sum_j weights_j keys_j
        return context, weights

    def _check(self, query: object, keys: object, mask: object, projected_keys: object) -> None:
        check_tensor("query", query, 2, "(B, H)")
        check_tensor("keys", keys, 3, "(B, S, H)")
        check_tensor("mask", mask, 2, "(B, S)")
        if mask.dtype != torch.bool:
            raise TypeError(f"mask must be a bool tensor (True at the real positions), got {mask.dtype}")
        B, S, H = keys.shape
        if H != self.hidden_size or tuple(query.shape) != (B, H) or tuple(mask.shape) != (B, S):
            raise ValueError(
                f"expected query (B, H), keys (B, S, H), mask (B, S) with H = {self.hidden_size}, got "
                f"query {tuple(query.shape)}, keys {tuple(keys.shape)}, mask {tuple(mask.shape)}"
            )
        if projected_keys is not None:
            check_tensor("projected_keys", projected_keys, 3, "(B, S, A)")
            A = self.key_layer.out_features
            if tuple(projected_keys.shape) != (B, S, A):
                raise ValueError(
                    f"projected_keys must have shape (B, S, A) = {(B, S, A)} (project_keys(keys)), "
                    f"got {tuple(projected_keys.shape)}"
                )
        if not bool(mask.any(dim=1).all()):
            raise ValueError("every row of mask needs at least one True (a position to attend to)")


def self_attention(states: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product self-attention over one sequence, without learned weights.

    Every position is the query for every position, the keys and the values
    are the states themselves: ``weights = softmax(states states^T / sqrt(H))``,
    row by row, and ``outputs = weights states``.

    Args:
        states: ``(S, H)``, one vector per position.

    Returns:
        ``(outputs, weights)``: outputs ``(S, H)``, weights ``(S, S)``; row
        ``i`` of the weights is position ``i``'s attention over all S positions
        (itself included) and sums to 1.

    Raises:
        TypeError: if ``states`` is not a tensor.
        ValueError: if it is not 2-dimensional.
    """
    check_tensor("states", states, 2, "(S, H)")
    scores = states @ states.T / math.sqrt(states.shape[1])  # (S, S): every query against every key
    weights = scores.softmax(dim=1)
    return weights @ states, weights

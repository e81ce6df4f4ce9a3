"""Recurrent weight matrices with a chosen scale.

A square matrix ``W = a Q`` with ``Q`` orthogonal stretches every vector by
exactly ``a``: ``||W v|| = a ||v||``. Multiplying by it ``n`` times scales a
vector by ``a**n``, which is why such matrices make the clearest experiments
on memory (chapter 4) and on vanishing and exploding gradients (chapter 5).
"""

from __future__ import annotations

import torch

from rnnlib._checks import check_int, check_number


def scaled_orthogonal(size: int, scale: float, *, seed: int = 0, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Return ``scale * Q`` for a random orthogonal ``Q``, of shape ``(size, size)``.

    ``Q`` comes from the QR decomposition of a Gaussian matrix drawn with
    ``seed``, with signs fixed so that the result is uniformly distributed.

    Raises:
        TypeError: if ``size`` is not an int or ``scale`` not a number.
        ValueError: if ``size`` < 1 or ``scale`` < 0.
    """
    check_int("size", size, minimum=1)
    check_number("scale", scale, minimum=0)
    generator = torch.Generator().manual_seed(seed)
    q, r = torch.linalg.qr(torch.randn(size, size, generator=generator, dtype=dtype))
    q = q * torch.sign(torch.diagonal(r))  # make the distribution uniform (Haar)
    return scale * q

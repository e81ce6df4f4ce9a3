"""Argument checks shared by rnnlib's public functions, with torch-style messages.

A wrong type raises ``TypeError`` and a wrong value or shape ``ValueError``;
each message names the argument, what was expected and what came.
"""

from __future__ import annotations

from typing import Any

import torch


def check_int(name: str, value: Any, minimum: int | None = None, maximum: int | None = None) -> None:
    """Check that ``value`` is an int (not a bool) within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    _check_range(name, value, minimum, maximum)


def check_number(name: str, value: Any, minimum: float | None = None, maximum: float | None = None) -> None:
    """Check that ``value`` is a real number (an int or a float, not a bool) within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    _check_range(name, value, minimum, maximum)


def _check_range(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise ValueError(f"{name} must be from {minimum} to {maximum}, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")


def check_tensor(name: str, value: Any, dims: int, shape: str) -> None:
    """Check that ``value`` is a tensor with ``dims`` dimensions; ``shape`` spells them, e.g. ``"(T, B, I)"``."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape {shape}, got {type(value).__name__}")
    if value.dim() != dims:
        raise ValueError(f"{name} must have shape {shape}, got {tuple(value.shape)}")

"""Reproducibility and device choice: the two lines at the top of every chapter."""

from __future__ import annotations

import random

import numpy as np
import torch

from rnnlib._checks import check_int


def seed_everything(seed: int = 0) -> None:
    """Seed Python's, NumPy's and PyTorch's random number generators (CPU and CUDA).

    With the same seed, a chapter draws the same weights and the same data
    every time it runs on the same machine and library versions.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative.
    """
    check_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def pick_device() -> torch.device:
    """Return ``cuda`` when a CUDA GPU is present (as on a Colab GPU runtime), else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")

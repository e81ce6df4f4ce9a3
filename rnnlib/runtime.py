"""Reproducibility, device choice and the training budget: the first lines of every chapter."""

from __future__ import annotations

import os
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


#: Set this environment variable to ``1`` to let the chapters that train on
#: running text (10 and 11) train longer than their one-minute default, e.g.
#: ``RNNLIB_LONGER=1`` on a GPU runtime or with time to spare.
LONGER_ENV_VAR = "RNNLIB_LONGER"


def longer_training() -> bool:
    """Return True when ``$RNNLIB_LONGER`` is ``1`` (train longer), False when it is unset, empty or ``0``.

    Raises:
        ValueError: if the variable holds anything else, naming the values it accepts.
    """
    value = os.environ.get(LONGER_ENV_VAR, "").strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValueError(f"{LONGER_ENV_VAR} must be 1 (train longer) or 0/unset (the default budget), got {value!r}")

import random

import numpy as np
import pytest
import torch

from rnnlib import pick_device, seed_everything
from rnnlib.runtime import LONGER_ENV_VAR, longer_training


def draw():
    return random.random(), float(np.random.rand()), torch.rand(3).tolist()


def test_same_seed_same_draws_other_seed_other_draws():
    seed_everything(7)
    first = draw()
    seed_everything(7)
    assert draw() == first
    seed_everything(8)
    assert draw() != first


@pytest.mark.parametrize(("seed", "error"), [(1.5, TypeError), (True, TypeError), (-1, ValueError)])
def test_seed_rejects_bad_values(seed, error):
    with pytest.raises(error, match="seed must be"):
        seed_everything(seed)


@pytest.mark.parametrize(("has_cuda", "expected"), [(True, "cuda"), (False, "cpu")])
def test_pick_device_prefers_cuda(monkeypatch, has_cuda, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: has_cuda)
    assert pick_device() == torch.device(expected)


def test_picked_device_holds_tensors():
    assert torch.zeros(2, device=pick_device()).sum().item() == 0.0


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("", False), ("0", False), ("1", True), (" 1 ", True)])
def test_longer_training_reads_its_switch(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(LONGER_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(LONGER_ENV_VAR, value)
    assert longer_training() is expected


def test_longer_training_refuses_other_values(monkeypatch):
    monkeypatch.setenv(LONGER_ENV_VAR, "yes")
    with pytest.raises(ValueError, match="RNNLIB_LONGER must be 1"):
        longer_training()

import os
import random
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from rnnlib import pick_device, seed_everything, sweep_seeds
from rnnlib.runtime import LONGER_ENV_VAR, SEED_ENV_VAR, STRICT_ENV_VAR, book_seed, longer_training, strict_checks


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


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("", 0), ("0", 0), ("1", 1), (" 2 ", 2), ("17", 17)])
def test_the_book_seed_comes_from_its_variable(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(SEED_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(SEED_ENV_VAR, value)
    assert book_seed() == expected


@pytest.mark.parametrize("value", ["-1", "1.5", "one", "0x1"])
def test_the_book_seed_refuses_what_is_not_a_non_negative_integer(monkeypatch, value):
    monkeypatch.setenv(SEED_ENV_VAR, value)
    with pytest.raises(ValueError, match="RNNLIB_SEED must be a non-negative integer"):
        book_seed()


def test_seed_everything_takes_the_book_seed_by_default_and_returns_it(monkeypatch):
    monkeypatch.setenv(SEED_ENV_VAR, "5")
    assert seed_everything() == 5
    first = draw()
    assert seed_everything(5) == 5 and draw() == first, "seed_everything() seeds as seed_everything(5) does"
    monkeypatch.setenv(SEED_ENV_VAR, "6")
    seed_everything()
    assert draw() != first


def test_each_book_seed_sweeps_seeds_of_its_own(monkeypatch):
    sweeps = {}
    for book in range(4):
        monkeypatch.setenv(SEED_ENV_VAR, str(book))
        sweeps[book] = sweep_seeds(3)
    assert sweeps[0] == [0, 1, 2], "the book's seed 0 sweeps 0, 1, 2"
    assert all(len(set(s)) == 3 for s in sweeps.values())
    assert len(set().union(*map(set, sweeps.values()))) == 12, "no seed is shared between two book seeds"
    with pytest.raises(ValueError, match="n must be >= 1"):
        sweep_seeds(0)


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("", False), ("0", False), ("1", True)])
def test_strict_checks_read_their_switch(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(STRICT_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(STRICT_ENV_VAR, value)
    assert strict_checks() is expected


def test_strict_checks_refuse_other_values(monkeypatch):
    monkeypatch.setenv(STRICT_ENV_VAR, "true")
    with pytest.raises(ValueError, match="RNNLIB_STRICT must be 1"):
        strict_checks()


def _power(base: int, exponent: int) -> int:
    return base**exponent


@pytest.mark.parametrize(("workers", "n_calls"), [(1, 5), (2, 5), (3, 2), (5, 4)])
def test_run_in_processes_gives_each_calls_result_in_order(workers, n_calls):
    from rnnlib import run_in_processes

    calls = [{"base": b, "exponent": 3} for b in range(n_calls)]
    assert run_in_processes(_power, calls, workers=workers) == [b**3 for b in range(n_calls)]
    assert run_in_processes(_power, [], workers=workers) == []


def _meet(folder: str, name: str, then: float = 0.0, kwargs: dict | None = None) -> tuple[int, list[float] | None]:
    """Mark the call ``name`` started; wait until calls have started in two processes, then ``then`` seconds more.

    Returns this process's id and, given ``kwargs``, a recipe run's losses.
    """
    from rnnlib.recipe import recipe_experiment

    (Path(folder) / f"{name}-{os.getpid()}").touch()
    deadline = time.monotonic() + 120  # a new interpreter can take a while on a busy machine
    while len({p.name.rsplit("-", 1)[1] for p in Path(folder).iterdir()}) < 2:
        if time.monotonic() > deadline:
            raise TimeoutError("no second process took a call within 120 s")
        time.sleep(0.05)
    time.sleep(then)
    return os.getpid(), None if kwargs is None else recipe_experiment(**kwargs).run.losses


def _started(folder: Path) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[0] for p in folder.iterdir())


def test_run_in_processes_works_here_from_the_last_call_and_in_another_process_from_the_first(tmp_path):
    from rnnlib import run_in_processes

    (first, _), (last, _) = run_in_processes(_meet, [{"folder": str(tmp_path), "name": n} for n in "ab"], workers=2)
    assert last == os.getpid() and first != os.getpid()


def test_run_in_processes_gives_seeded_experiments_the_result_they_get_alone(tmp_path):
    """A self-seeding experiment's result does not depend on the process it ran in (same thread count)."""
    from rnnlib import run_in_processes
    from rnnlib.recipe import recipe_experiment

    runs = [{"length": 3, "seed": s, "steps": 20, "stop_when_solved": False, "test_size": 50} for s in (0, 1)]
    torch.set_num_threads(1)  # as in the workers (conftest sets it for the whole suite)
    alone = [recipe_experiment(**kwargs).run.losses for kwargs in runs]
    calls = [{"folder": str(tmp_path), "name": str(i), "kwargs": kwargs} for i, kwargs in enumerate(runs)]
    side_by_side = run_in_processes(_meet, calls, workers=2)
    assert side_by_side[0][0] != side_by_side[1][0], "the two ran in two processes"
    assert [losses for _, losses in side_by_side] == alone
    assert alone[0] != alone[1], "two seeds, two runs"


def _reseed_and_change(numbers: list[int]) -> tuple[int, bool]:
    """Reseed every generator, change the argument in place; return the thread count and whether it is a copy."""
    seed_everything(123)
    numbers.append(len(numbers))
    return torch.get_num_threads(), numbers == [0, 1]


@pytest.mark.parametrize("workers", [1, 2])
def test_run_in_processes_runs_each_call_as_in_a_new_process(workers):
    """One thread, its own copy of its arguments, and this process's generators left as they were."""
    from rnnlib import run_in_processes

    numbers = [0]
    torch.set_num_threads(2)
    try:
        seed_everything(5)
        expected = draw()
        seed_everything(5)
        results = run_in_processes(_reseed_and_change, [{"numbers": numbers}] * 3, workers=workers)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(1)
    assert draw() == expected
    assert results == [(1, True)] * 3
    assert numbers == [0]


def _meet_and_fail_if(folder: str, name: str, fail: bool) -> int:
    pid, _ = _meet(folder, name, then=0.0 if fail else 3.0)
    if fail:
        raise ArithmeticError(f"call {name} failed")
    return pid


@pytest.mark.parametrize("bad", ["0", "3"])  # call 0 runs in another process, call 3 here
def test_run_in_processes_raises_a_calls_error_and_starts_no_other_call(tmp_path, bad):
    from rnnlib import run_in_processes

    calls = [{"folder": str(tmp_path), "name": name, "fail": name == bad} for name in "0123"]
    with pytest.raises(ArithmeticError, match=f"call {bad} failed"):
        run_in_processes(_meet_and_fail_if, calls, workers=2)
    assert _started(tmp_path) == ["0", "3"]  # the other process's call finished 3 s later: none started after it


def _defined_in_a_notebook() -> None:
    pass


def test_run_in_processes_refuses_a_function_a_new_process_cannot_import(monkeypatch):
    from rnnlib import run_in_processes

    monkeypatch.setattr(_defined_in_a_notebook, "__module__", "__main__")
    with pytest.raises(ValueError, match="'_defined_in_a_notebook' is defined in the notebook"):
        run_in_processes(_defined_in_a_notebook, [{}, {}], workers=2)
    assert run_in_processes(_defined_in_a_notebook, [{}, {}], workers=1) == [None, None]  # no process to start


@pytest.mark.parametrize(("workers", "error"), [(0, ValueError), (1.5, TypeError)])
def test_run_in_processes_rejects_bad_worker_counts(workers, error):
    from rnnlib import run_in_processes

    with pytest.raises(error, match="workers must be"):
        run_in_processes(_power, [{"base": 2, "exponent": 2}], workers=workers)

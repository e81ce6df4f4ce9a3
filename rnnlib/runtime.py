"""Reproducibility, device choice and the training budget: the first lines of every chapter.

It also runs independent experiments (one per seed or setting) side by side,
one process per core (:func:`run_in_processes`).

Every chapter seeds through :func:`seed_everything`, which reads the book's
seed from ``$RNNLIB_SEED`` (0 when unset). The book is built with seed 0;
the test suite runs every chapter again with seed 1, and once more in a
Colab-like environment with seed 2, so that each sentence about a training
result is checked on three different runs, not only on the published one.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import random
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import numpy as np
import torch

from rnnlib._checks import check_int

#: The environment variable that holds the book's seed, a non-negative integer (0 when unset).
SEED_ENV_VAR = "RNNLIB_SEED"


def book_seed() -> int:
    """The book's seed: ``$RNNLIB_SEED`` as an integer, or 0 when it is unset or empty.

    Raises:
        ValueError: if the variable holds anything but a non-negative integer.
    """
    value = os.environ.get(SEED_ENV_VAR, "").strip()
    if not value:
        return 0
    if not value.isdigit():
        raise ValueError(f"{SEED_ENV_VAR} must be a non-negative integer such as 0 or 1, got {value!r}")
    return int(value)


def seed_everything(seed: int | None = None) -> int:
    """Seed Python's, NumPy's and PyTorch's random number generators (CPU and CUDA).

    Args:
        seed: the seed; ``None`` (what the chapters pass) takes the book's
            seed, :func:`book_seed`.

    Returns:
        The seed used, for the chapter's other generators (``seed + 1``, ...).

    With the same seed, a chapter draws the same weights and the same data
    every time it runs on the same machine and library versions. Another CPU,
    thread count, torch build or a GPU can round differently, and a long
    training run can turn that into another outcome.

    Raises:
        TypeError: if ``seed`` is not an int.
        ValueError: if ``seed`` is negative.
    """
    if seed is None:
        seed = book_seed()
    check_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return seed


def sweep_seeds(n: int) -> list[int]:
    """The ``n`` seeds of an experiment repeated over seeds: ``s * n, ..., s * n + n - 1`` for the book's seed ``s``.

    With the book's seed 0 they are ``0, ..., n - 1``; each other book seed
    gets ``n`` seeds of its own, none shared with another book seed's.

    Raises:
        TypeError: if ``n`` is not an int.
        ValueError: if ``n`` < 1.
    """
    check_int("n", n, minimum=1)
    first = book_seed() * n
    return list(range(first, first + n))


T = TypeVar("T")


def run_in_processes(
    function: Callable[..., T], calls: Sequence[Mapping[str, Any]], workers: int | None = None
) -> list[T]:
    """``[function(**kwargs) for kwargs in calls]``, computed side by side in ``workers`` processes.

    The course's small experiments (a network of 32 units, trained for a few
    hundred steps) spend most of their time on the fixed cost of each
    operation, which a second thread does not share. Two of them side by
    side, in two processes of one thread each, finish in about half the
    time of the same two one after the other. Each call must seed itself
    (``recipe_experiment(seed=...)`` does), so that its result does not
    depend on the process it ran in.

    This process is one of the ``workers``. It starts on the calls at once,
    from the last one backwards, while ``workers - 1`` new processes start
    (a new interpreter takes seconds to import torch); each of them then
    takes the first call not yet taken, until no call is left. Wherever a
    call runs, it runs as in a new process: on one thread (on the CPU), on
    its own copy of its arguments, and leaving this process's random number
    generators as they were.

    Args:
        function: a function defined in a module (rnnlib's), not in the
            notebook: a new process must be able to import it.
        calls: the keyword arguments of each call.
        workers: processes at once, this one included; ``None``: one per
            core. With one worker, one call, or a CUDA GPU (whose work is
            not split across processes here), every call runs in this
            process, one after the other.

    Returns:
        The results, in the order of ``calls``.

    Raises:
        TypeError: if ``workers`` is not an int.
        ValueError: if ``workers`` < 1, or processes are to be started and
            ``function`` was defined in the notebook (``__main__``).
        Exception: the first error a call raised (this process's own
            first). After an error, or an interrupt, no process starts
            another call; the calls running in the other processes are
            waited for.
    """
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    check_int("workers", workers, minimum=1)
    calls = [dict(kwargs) for kwargs in calls]
    if workers == 1 or len(calls) <= 1 or torch.cuda.is_available():
        return [_as_in_a_new_process(function, kwargs) for kwargs in calls]
    if getattr(function, "__module__", None) == "__main__":
        raise ValueError(
            f"run_in_processes: {getattr(function, '__name__', function)!r} is defined in the notebook (or the "
            "script run), which a new process cannot import: define it in a module (a .py file) and import it"
        )
    # "spawn": a fresh interpreter per worker, safe where "fork" is not (a parent with OpenMP threads running).
    context = multiprocessing.get_context("spawn")
    # Shared by every process: [the first call not taken, the last call not taken + 1]. A synchronized array
    # can only be handed over as a process starts: hence initargs, not an argument of each task.
    ends = context.Array("q", [0, len(calls)])
    others = min(workers, len(calls)) - 1
    results: dict[int, T] = {}
    with ProcessPoolExecutor(others, mp_context=context, initializer=_start_worker, initargs=(ends,)) as pool:
        futures = [pool.submit(_take_calls, function, calls) for _ in range(others)]  # each gets every call
        try:
            while not any(f.done() and f.exception() for f in futures):  # stop when another process failed
                index = _take(ends, last=True)
                if index is None:
                    break
                results[index] = _as_in_a_new_process(function, calls[index])
            for future in futures:
                results.update(future.result())
        finally:
            _stop(ends)  # after an error or an interrupt, no process takes another call
    return [results[index] for index in range(len(calls))]


def _as_in_a_new_process(function: Callable[..., T], kwargs: dict[str, Any]) -> T:
    """``function(**kwargs)`` here as a worker would run it: one CPU thread, a copy of ``kwargs``, and this
    process's random number generators (Python's, NumPy's, torch's) left as they were."""
    threads, states = torch.get_num_threads(), (random.getstate(), np.random.get_state())
    on_cpu = not torch.cuda.is_available()
    if on_cpu:
        torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=range(torch.cuda.device_count())):
            return function(**copy.deepcopy(kwargs))
    finally:
        if on_cpu:
            torch.set_num_threads(threads)
        random.setstate(states[0])
        np.random.set_state(states[1])


def _take(ends: Any, last: bool) -> int | None:
    """Take the first call not yet taken (the last one, if ``last``): its index; None when none is left."""
    with ends.get_lock():
        if ends[0] == ends[1]:
            return None
        if last:
            ends[1] -= 1
            return ends[1]
        ends[0] += 1
        return ends[0] - 1


def _stop(ends: Any) -> None:
    with ends.get_lock():
        ends[0] = ends[1]


_worker_ends: Any = None  # in a worker process: the shared ends of the calls not yet taken


def _start_worker(ends: Any) -> None:
    global _worker_ends
    _worker_ends = ends
    torch.set_num_threads(1)


def _take_calls(function: Callable[..., T], calls: list[dict[str, Any]]) -> dict[int, T]:
    """A worker's share, from the first call on; after an error here, no process takes another call."""
    results = {}
    try:
        while (index := _take(_worker_ends, last=False)) is not None:
            results[index] = function(**calls[index])
    except BaseException:
        _stop(_worker_ends)
        raise
    return results


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
    return _switch(LONGER_ENV_VAR, "train longer", "the default budget")


#: Set this environment variable to ``1`` to make a check of the prose that a
#: run does not bear out an error (:func:`rnnlib.book.check`). The book's build,
#: the test suite and CI set it; on a reader's machine it is unset, and such a
#: check shows a note instead.
STRICT_ENV_VAR = "RNNLIB_STRICT"


def strict_checks() -> bool:
    """Return True when ``$RNNLIB_STRICT`` is ``1``, False when it is unset, empty or ``0``.

    Raises:
        ValueError: if the variable holds anything else, naming the values it accepts.
    """
    return _switch(STRICT_ENV_VAR, "checks fail hard", "checks inform")


def _switch(name: str, on: str, off: str) -> bool:
    """An on/off environment variable: ``1`` is on, unset, empty or ``0`` off, anything else an error."""
    value = os.environ.get(name, "").strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValueError(f"{name} must be 1 ({on}) or 0/unset ({off}), got {value!r}")

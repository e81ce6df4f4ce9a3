"""The otter-grader command line, run as ``python -m otter`` by this Python."""

from __future__ import annotations

import importlib.util
import sys


def otter_command(*args: str) -> list[str]:
    """The argument list that runs ``otter <args>`` with the running interpreter.

    Raises:
        ModuleNotFoundError: if otter-grader is not installed, saying how to install it.
    """
    if importlib.util.find_spec("otter") is None:
        raise ModuleNotFoundError(
            f"otter-grader is not installed for {sys.executable}: set up the course's environment "
            "(README, command 1), which pins it in requirements.txt"
        )
    return [sys.executable, "-m", "otter", *args]

"""Make an assignment's student version and grader's material from its source notebook.

``otter assign`` does the work: it strips the solutions, splits public from
hidden tests, runs every test against the solutions (and fails if one does
not pass) and builds the autograder zip. This module runs it, gives the
outputs stable names, and makes the student notebook byte-for-byte
reproducible (otter gives cells random ids), so that the committed student
version can be checked against its source.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.assignments.otter_cli import otter_command

#: The assignments, in course order: A1 for Part I, A2 for Part II, A3 for Part III, A4 for Part IV.
ASSIGNMENTS = ("a1_rnn_cell", "a2_gradients", "a3_name_classifier", "a4_attention")


@dataclass(frozen=True)
class AssignmentPaths:
    """Where one assignment's files live under ``root`` (the repository's ``assignments/`` folder)."""

    name: str
    root: Path

    @property
    def source(self) -> Path:
        """The source notebook: questions, solutions and all tests."""
        return self.root / "source" / f"{self.name}.ipynb"

    @property
    def student(self) -> Path:
        """The student folder: the notebook without solutions, and ``tests/`` with the public tests."""
        return self.root / "student" / self.name

    @property
    def dist(self) -> Path:
        """The grader's material, as ``otter assign`` writes it (not committed)."""
        return self.root / "dist" / self.name

    @property
    def solution(self) -> Path:
        """The solution notebook that ``otter assign`` checked."""
        return self.dist / "autograder" / f"{self.name}.ipynb"

    @property
    def autograder(self) -> Path:
        """The autograder zip: every test, hidden ones included."""
        return self.dist / "autograder" / f"{self.name}-autograder.zip"


def _stable_cell_ids(path: Path, name: str) -> None:
    """Rewrite the notebook at ``path`` with cell ids ``<name>-<index>`` instead of random ones."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{name}-{index}"
    nbformat.write(notebook, path)


def make_assignment(name: str, root: str | Path = "assignments") -> AssignmentPaths:
    """Run ``otter assign`` on one source notebook; return where everything went.

    Args:
        name: one of :data:`ASSIGNMENTS`.
        root: the folder that holds ``source/``; ``dist/`` and ``student/``
            are written there. (The tests use a copy in a temporary folder,
            to compare what they make with what is committed.)

    Raises:
        ValueError: for an unknown name.
        FileNotFoundError: if the source notebook is missing.
        ModuleNotFoundError: if otter-grader is not installed.
        RuntimeError: if ``otter assign`` fails, for instance because a
            solution does not pass its own tests; the message holds its output.
    """
    if name not in ASSIGNMENTS:
        raise ValueError(f"unknown assignment {name!r}; expected one of {', '.join(ASSIGNMENTS)}")
    paths = AssignmentPaths(name, Path(root))
    if not paths.source.is_file():
        raise FileNotFoundError(f"no source notebook for {name} at {paths.source}: run from the repository root")
    command = otter_command("assign", str(paths.source), str(paths.dist))
    shutil.rmtree(paths.dist, ignore_errors=True)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"otter assign failed for {name}:\n{done.stdout}\n{done.stderr}")
    (zip_file,) = (paths.dist / "autograder").glob(f"{name}-autograder_*.zip")
    zip_file.rename(paths.autograder)
    shutil.rmtree(paths.student, ignore_errors=True)
    shutil.copytree(paths.dist / "student", paths.student, ignore=shutil.ignore_patterns(".OTTER_LOG"))
    _stable_cell_ids(paths.student / f"{name}.ipynb", name)
    return paths

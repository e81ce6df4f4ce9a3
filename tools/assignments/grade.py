"""Grade a folder of submitted notebooks with otter-grader, without Docker.

Each submission is run by ``otter run`` in its own process (a fresh kernel,
in a temporary folder, with the tests of the autograder zip, hidden ones
included), under a time limit; ``jobs`` of them run at once (by default as
many as the machine has cores). A submission that is not a notebook, cannot
be run or runs too long scores 0 on every question and its row says why; the
others are graded all the same.

Outputs: ``grades.csv``, one row per submission and one column per question,
and ``feedback.md``, which says for every submission what each failing check
found; ``feedback/<submission>.md`` holds the same for each student alone.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import signal
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tools.assignments.otter_cli import otter_command


@dataclass
class Grade:
    """One submission's result: points per question, and what the checks said."""

    submission: str
    """The submitted file's name."""
    scores: dict[str, float]
    """Points earned, by question name."""
    possible: dict[str, float]
    """Points available, by question name."""
    feedback: dict[str, str] = field(default_factory=dict)
    """What the checks reported, by question name (otter's text)."""
    problem: str | None = None
    """Why the submission could not be graded (then every score is 0), or None."""

    @property
    def total(self) -> float:
        return sum(self.scores.values())

    @property
    def out_of(self) -> float:
        return sum(self.possible.values())


def question_points(autograder: str | Path) -> dict[str, float]:
    """The questions of an autograder zip and their points, in question order.

    Reads the ``name`` and ``points`` that otter writes at the top of each
    ``tests/<question>.py`` in the zip.
    """
    points: dict[str, float] = {}
    with zipfile.ZipFile(autograder) as archive:
        for member in sorted(archive.namelist()):
            if not (member.startswith("tests/") and member.endswith(".py")):
                continue
            values = {}
            for node in ast.parse(archive.read(member).decode("utf-8")).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    if node.targets[0].id in ("name", "points"):
                        values[node.targets[0].id] = ast.literal_eval(node.value)
            if "name" in values and "points" in values:
                points[values["name"]] = float(values["points"])
    if not points:
        raise ValueError(
            f"{autograder} holds no otter test files (tests/<question>.py): is it an otter autograder zip?"
        )
    return dict(sorted(points.items(), key=lambda item: _natural_key(item[0])))


def _natural_key(text: str) -> list:
    """Sort q2 before q10."""
    digits = "".join(c if c.isdigit() else " " for c in text).split()
    return [int(d) for d in digits] + [text]


def _run_otter(submission: Path, autograder: Path, timeout: float) -> tuple[dict | None, str | None]:
    """Run ``otter run`` on one submission: its results.json, or None and a one-line reason."""
    with tempfile.TemporaryDirectory() as out:
        scratch = Path(out) / "tmp"  # otter's own temporary folder, removed with ours even after a kill
        scratch.mkdir()
        process = subprocess.Popen(
            otter_command("run", "--no-logo", "-a", str(autograder), "-o", out, str(submission)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # otter and the kernel it started
            process.communicate()
            return None, f"stopped after {timeout:g} s: does a cell loop forever or train far too long?"
        results = Path(out) / "results.json"
        if process.returncode != 0 or not results.is_file():
            lines = [line.strip() for line in output.splitlines() if line.strip()]
            return None, lines[-1] if lines else f"otter run exited with status {process.returncode}"
        return json.loads(results.read_text(encoding="utf-8")), None


def _not_a_notebook(submission: Path) -> str | None:
    """Why ``submission`` is not a Jupyter notebook, or None when it is one."""
    try:
        content = json.loads(submission.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"not a Jupyter notebook: its content is not JSON ({error})"
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list):
        return "not a Jupyter notebook: its JSON has no list of cells"
    return None


def _grade_one(submission: Path, autograder: Path, possible: dict[str, float], timeout: float) -> Grade:
    results, problem = None, _not_a_notebook(submission)
    if problem is None:
        results, problem = _run_otter(submission, autograder, timeout)
    if results is None:
        return Grade(submission.name, {q: 0.0 for q in possible}, possible, problem=problem)
    by_name = {test["name"]: test for test in results.get("tests", [])}
    scores = {q: float(by_name[q].get("score", 0.0)) if q in by_name else 0.0 for q in possible}
    feedback = {q: by_name[q].get("output", "").strip() if q in by_name else "not graded" for q in possible}
    return Grade(submission.name, scores, possible, feedback)


def grade_folder(
    folder: str | Path, autograder: str | Path, timeout: float = 600, jobs: int | None = None
) -> list[Grade]:
    """Grade every ``*.ipynb`` directly inside ``folder``; the grades come in name order.

    ``jobs`` submissions are graded at once, each by its own ``otter run``
    process (``None``: as many as the machine has cores). A submission that
    cannot be graded (not a notebook, failing to run, or over ``timeout``
    seconds) gets 0 on every question and a :attr:`Grade.problem`; the
    others are graded all the same.

    Raises:
        FileNotFoundError: if ``folder`` or ``autograder`` does not exist.
        ModuleNotFoundError: if otter-grader is not installed.
        ValueError: if ``folder`` holds no notebooks, or ``jobs`` is below 1.
    """
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    folder, autograder = Path(folder), Path(autograder)
    if not autograder.is_file():
        raise FileNotFoundError(f"no autograder zip at {autograder}: run `python -m tools.assignments make` first")
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder of submissions at {folder}")
    submissions = sorted(folder.glob("*.ipynb"))
    if not submissions:
        raise ValueError(f"no .ipynb files in {folder}: put the submitted notebooks directly in it")
    possible = question_points(autograder)
    otter_command()  # says how to install otter-grader before anything starts
    # Threads only wait: each grading is an `otter run` process of its own.
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda path: _grade_one(path, autograder, possible, timeout), submissions))


def write_csv(grades: list[Grade], path: str | Path) -> Path:
    """Write one row per submission: its name, a column per question, total, possible, percent, problem."""
    if not grades:
        raise ValueError("no grades to write")
    questions = list(grades[0].possible)
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["submission", *questions, "total", "possible", "percent", "problem"])
        for grade in grades:
            percent = 100 * grade.total / grade.out_of if grade.out_of else 0.0
            writer.writerow(
                [
                    grade.submission,
                    *(f"{grade.scores[q]:g}" for q in questions),
                    f"{grade.total:g}",
                    f"{grade.out_of:g}",
                    f"{percent:.1f}",
                    grade.problem or "",
                ]
            )
    return path


def feedback_text(grade: Grade) -> str:
    """A readable account of one submission: a line per question, and what each failing check said."""
    lines = [f"## {grade.submission}: {grade.total:g} / {grade.out_of:g}", ""]
    if grade.problem:
        lines += [f"Not graded: {grade.problem}", ""]
    lines += ["| question | points | out of |", "|---|---|---|"]
    lines += [f"| {q} | {grade.scores[q]:g} | {grade.possible[q]:g} |" for q in grade.possible]
    lines.append("")
    for question in grade.possible:
        if grade.scores[question] < grade.possible[question] and grade.feedback.get(question):
            lines += [f"### {question}", "", "```", grade.feedback[question], "```", ""]
    return "\n".join(lines).rstrip("\n")


def write_feedback(grades: list[Grade], folder: str | Path, title: str = "Feedback") -> Path:
    """Write ``feedback.md`` (every submission) and ``feedback/<submission>.md`` (one each) in ``folder``."""
    folder = Path(folder)
    (folder / "feedback").mkdir(parents=True, exist_ok=True)
    parts = [f"# {title}"]
    for grade in grades:
        text = feedback_text(grade)
        (folder / "feedback" / f"{Path(grade.submission).stem}.md").write_text(text + "\n", encoding="utf-8")
        parts.append(text)
    report = folder / "feedback.md"
    report.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return report

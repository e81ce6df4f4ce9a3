"""The assignments: made from their sources, run by students, graded by the instructor's command.

Everything runs for real: ``otter assign`` makes the versions (the
``made_assignments`` fixture in conftest.py), notebooks execute in real
kernels, and grading goes through the command line an instructor types,
``python -m tools.assignments grade``, which runs ``otter run`` on each file.

The "wrong" submissions below are the solutions with one or two deliberate
mistakes each. The points they must earn follow from which checks a mistake
breaks: a check passes or fails whole, with the points its test cell gives.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from conftest import ROOT
from tools.assignments import ASSIGNMENTS, AssignmentPaths, Grade, make_assignment, write_csv, write_feedback
from tools.assignments.grade import feedback_text, grade_folder, question_points

COMMITTED = ROOT / "assignments"

#: For each assignment: answer cells to replace in the solution (found by a line they contain),
#: the points each question must then earn, and what the feedback must say.
WRONG = {
    "a1_rnn_cell": {
        "answers": {
            "def rnn_cell(": """def rnn_cell(x, s, U, W, b_ih, b_hh):
    return torch.tanh(x @ U.T + b_ih + s @ W.T)  # forgot b_hh""",
            "def rnn_parameter_count(": """def rnn_parameter_count(input_size, hidden_size):
    return hidden_size * (input_size + hidden_size)  # forgot the biases""",
        },
        # q1: the shape check passes (1 of 3); q2: rnn_forward is right but calls the wrong cell, so only
        # its shape check passes (1 of 3); q3: both checks fail.
        "scores": {"q1": 1, "q2": 1, "q3": 0},
        "feedback": ["differs from torch.nn.RNNCell", "rnn_parameter_count(57, 128) should be"],
    },
    "a2_gradients": {
        "answers": {
            "def gradient_norms(": """def gradient_norms(step, s0, xs):
    s = s0.detach().requires_grad_()
    states = []
    for x in xs:
        s = step(s, x)
        states.append(s)
    grads = torch.autograd.grad(states[-1].sum(), states)
    return torch.stack([g.norm() for g in grads])  # in time order: entry 0 is the first state, not the last""",
            "def clip_grad_norm(": """def clip_grad_norm(parameters, max_norm):
    grads = [p.grad for p in parameters if p.grad is not None]
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    if total > max_norm:
        grads = [g * max_norm / (total + 1e-6) for g in grads]  # new tensors: the parameters keep their gradients
    return total""",
        },
        # q1: shape passes (1 of 5); q2: decay_rate is right, but its check on gradient_norms' output fails
        # (1 + 1 hidden of 3); q3: nothing is clipped in place (0 of 3).
        "scores": {"q1": 1, "q2": 2, "q3": 0},
        "feedback": ["Is entry 0 the LAST state", "was it changed in place?"],
    },
    "a3_name_classifier": {
        "answers": {
            "def train_classifier(": """def train_classifier(
    pairs, languages, epochs=5, batch_size=128, lr=1e-2, seed=0
):
    torch.manual_seed(seed)
    return NameRNN(len(languages)).eval()  # forgot to train


model = train_classifier(split.train, languages)""",
            "def predict(": """def predict(name, k=3):
    with torch.no_grad():
        probabilities = model(names_to_batch([name], packed=True))[0].softmax(dim=0)
    top = probabilities.topk(k)
    return [(languages[i], p) for p, i in zip(top.values.tolist(), top.indices.tolist())]  # no checks, no accents""",
        },
        # q1 right (3); q2: a NameRNN (1) but untrained (0 of 3); q3: the output contract holds (2) but not
        # the errors and accents, public (0 of 1) or hidden (0 of 1).
        "scores": {"q1": 3, "q2": 1, "q3": 2},
        "feedback": ["the target is 0.40", "predict('Smith', k=0) must raise ValueError, it returned normally"],
    },
    "a4_attention": {
        "answers": {
            "def additive_attention(": """def additive_attention(query, keys, mask, W_q, W_k, v):
    weights = torch.softmax(attention_scores(query, keys, W_q, W_k, v), dim=1) * mask  # masked after the softmax
    return (weights.unsqueeze(2) * keys).sum(dim=1), weights""",
            "def decoder_step(": """def decoder_step(decoder, prev_token, hidden, keys, mask):
    embedded = decoder.embedding(prev_token)
    context, weights = additive_attention(hidden, keys, mask, decoder.W_q, decoder.W_k, decoder.v)
    new_hidden = decoder.gru(torch.cat([context, embedded], dim=1), hidden)  # joined in the wrong order
    return decoder.readout(new_hidden), new_hidden, weights""",
        },
        # q1 right (3); q2: the shapes pass (1), but the rows no longer sum to 1, so the other checks fail (0 of 4);
        # q3: the shapes pass (1), and its check on the values stops at the weights of question 2 (0 of 3).
        "scores": {"q1": 3, "q2": 1, "q3": 1},
        "feedback": ["each row of weights must sum to 1", "does question 2 pass?"],
    },
}


def _wrong_submission(solution: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    notebook = nbformat.read(solution, as_version=4)
    for marker, source in answers.items():
        cells = [c for c in notebook.cells if c.cell_type == "code" and marker in c.source]
        assert len(cells) == 1, f"{marker!r} should be in exactly one cell of {solution.name}"
        cells[0].source = source
    return notebook


def _read_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return {row["submission"]: row for row in csv.DictReader(file)}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but otter's log (which a local run of a check writes, and git ignores)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".OTTER_LOG"
    }


# --- making the versions --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_student_version_is_what_make_produces(made_assignments, name):
    made, committed = _files(made_assignments / "student" / name), _files(COMMITTED / "student" / name)
    assert made.keys() == committed.keys(), "run `python -m tools.assignments make` and commit assignments/student"
    stale = [path for path in made if made[path] != committed[path]]
    assert stale == [], f"stale: {stale}; run `python -m tools.assignments make` and commit assignments/student"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_student_version_has_no_solutions_and_no_hidden_tests(made_assignments, name):
    source = nbformat.read(COMMITTED / "source" / f"{name}.ipynb", as_version=4)
    solution_lines, other_lines = [], set()
    for cell in source.cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip() in ("# BEGIN SOLUTION", "# END SOLUTION"):
                inside = line.strip() == "# BEGIN SOLUTION"
            elif inside or line.rstrip().endswith("# SOLUTION"):
                solution_lines.append(line.replace("# SOLUTION", "").strip())
            else:
                other_lines.add(line.strip())
    # A line such as `with torch.no_grad():` may also appear, rightly, outside the solutions.
    own = [line for line in solution_lines if len(line) > 12 and line not in other_lines]
    assert len(own) >= 3, "each assignment has solutions to strip"
    student = COMMITTED / "student" / name
    text = (student / f"{name}.ipynb").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((student / "tests").glob("*.py"))
    )
    leaked = [line for line in own if json.dumps(line)[1:-1] in text]
    assert leaked == [], f"solution lines in the student version: {leaked}"
    hidden = []
    with zipfile.ZipFile(AssignmentPaths(name, made_assignments).autograder) as archive:
        for member in archive.namelist():
            if member.startswith("tests/"):
                hidden += re.findall(r"hidden=True\)\ndef (\w+)", archive.read(member).decode("utf-8"))
    assert hidden, "each assignment has hidden tests"
    assert [h for h in hidden if h in text] == [], "hidden tests must not reach the students"


def test_without_otter_the_commands_say_how_to_install_it(tmp_path, monkeypatch):
    shutil.copytree(COMMITTED / "source", tmp_path / "source")
    (tmp_path / "dist" / "a1_rnn_cell").mkdir(parents=True)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "otter" else real_find_spec(name, *a)
    )
    with pytest.raises(ModuleNotFoundError, match=re.escape("README, command 1")):
        make_assignment("a1_rnn_cell", tmp_path)
    assert (tmp_path / "dist" / "a1_rnn_cell").is_dir(), "nothing is deleted before the check"


def test_make_refuses_unknown_names_and_says_where_it_looked(tmp_path):
    with pytest.raises(ValueError, match="a1_rnn_cell, a2_gradients, a3_name_classifier, a4_attention"):
        make_assignment("a9", tmp_path)
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "source" / "a1_rnn_cell.ipynb"))):
        make_assignment("a1_rnn_cell", tmp_path)


def test_a3_target_table_quotes_the_baselines_it_is_derived_from(names_root):
    """A3's prompt derives its target from two baselines; recompute them (no training) and find them in its table.

    The reference solution's row was measured once, from what its check prints (`held-out balanced accuracy`);
    the grading test below runs that solution again and only needs it to reach the target.
    """
    from collections import Counter, defaultdict

    from rnnlib.data import load_names, split_names

    data = load_names(names_root)
    split = split_names(data)
    notebook = nbformat.read(COMMITTED / "source" / "a3_name_classifier.ipynb", as_version=4)
    (prompt,) = [c.source for c in notebook.cells if "**The target.**" in c.source]
    labels = [language for _, language in split.test]

    def row(guesses: list[str]) -> tuple[float, str]:
        recall = [
            sum(g == language for g, truth in zip(guesses, labels, strict=True) if truth == language)
            / labels.count(language)
            for language in set(labels)
        ]
        accuracy = sum(g == truth for g, truth in zip(guesses, labels, strict=True)) / len(labels)
        return sum(recall) / len(recall), f"{accuracy:.1%}".replace("%", " %")

    majority = Counter(language for _, language in split.train).most_common(1)[0][0]
    balanced, accuracy = row([majority] * len(labels))
    assert f'| always "{majority}" | {balanced:.3f} (= 1/{len(data.languages)}) | {accuracy} |' in prompt
    endings: dict[str, Counter] = defaultdict(Counter)
    for name, language in split.train:
        endings[name[-3:].lower()][language] += 1
    guesses = [
        endings[n[-3:].lower()].most_common(1)[0][0] if n[-3:].lower() in endings else majority for n, _ in split.test
    ]
    balanced, accuracy = row(guesses)
    assert f"| {balanced:.2f} | {accuracy} |" in prompt, (balanced, accuracy)
    counts = Counter(labels)
    assert (
        f"of the {len(labels):,} held-out names, {counts[majority]:,} ({counts[majority] / len(labels):.1%}".replace(
            "%", " %"
        )
        in prompt
    )
    assert f"only {min(counts.values())} each are Portuguese or Vietnamese" in prompt
    assert sorted(language for language, n in counts.items() if n == min(counts.values())) == [
        "Portuguese",
        "Vietnamese",
    ]


# --- students: feedback in the notebook -----------------------------------------------------------


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_student_notebook_runs_to_the_end_and_every_check_reports_failure(name, tmp_path):
    folder = tmp_path / name
    shutil.copytree(COMMITTED / "student" / name, folder)
    notebook = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(folder)}}
    ).execute()  # raises on any error
    checks = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]
    assert len(checks) >= 3
    for cell in checks:
        question = re.match(r'grader\.check\("(\w+)"\)', cell.source).group(1)
        shown = json.dumps([o.get("data", o.get("text")) for o in cell.outputs])
        assert f"{question} results" in shown and "Test case failed" in shown, (question, shown[:300])


# --- the instructor: grading a folder -------------------------------------------------------------


#: What the first answer of a "crashing" submission is replaced by: it raises before defining anything.
CRASH = 'raise RuntimeError("I ran out of time")'
#: The function that each assignment's first question defines (its first answer cell's first line holds it).
FIRST_ANSWER = {
    "a1_rnn_cell": "def rnn_cell(",
    "a2_gradients": "def gradient_norms(",
    "a3_name_classifier": "class NameRNN(",
    "a4_attention": "def attention_scores(",
}


def _submissions(paths: AssignmentPaths, folder: Path, counts: dict[str, int]) -> dict[str, str]:
    """Write ``counts[kind]`` submissions of each kind into ``folder``; return file name -> kind.

    The kinds: ``solution``, ``untouched`` (the student version), ``wrong`` (the solution with the
    mistakes of :data:`WRONG`), ``crashing`` (the solution whose first answer raises) and
    ``not_a_notebook`` (an e-mail, and a PDF's first bytes, saved as ``.ipynb``).
    """
    name = paths.name
    notebooks = {
        "solution": nbformat.read(paths.solution, as_version=4),
        "untouched": nbformat.read(COMMITTED / "student" / name / f"{name}.ipynb", as_version=4),
        "wrong": _wrong_submission(paths.solution, WRONG[name]["answers"]),
        "crashing": _wrong_submission(paths.solution, {FIRST_ANSWER[name]: CRASH}),
    }
    not_notebooks = [b"I emailed my answers instead.\n", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
    folder.mkdir()
    kinds = {}
    for kind, count in counts.items():
        for i in range(count):
            file = f"{kind}_{i:02d}.ipynb"
            if kind == "not_a_notebook":
                (folder / file).write_bytes(not_notebooks[i % len(not_notebooks)])
            else:
                nbformat.write(notebooks[kind], folder / file)
            kinds[file] = kind
    return kinds


def _grade_with_the_command(root: Path, name: str, submissions: Path, out: Path, jobs: int) -> None:
    """``python -m tools.assignments grade``, as an instructor types it."""
    command = ["--root", str(root), "grade", name, str(submissions), "--out", str(out), "--jobs", str(jobs)]
    done = subprocess.run(
        [sys.executable, "-m", "tools.assignments", *command], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _check_every_row(name: str, autograder: Path, out: Path, kinds: dict[str, str]) -> None:
    """Every submission has its row in grades.csv, scored as its kind must be, and its feedback file."""
    rows = _read_csv(out / "grades.csv")
    possible = question_points(autograder)
    assert list(next(iter(rows.values())).keys()) == [
        "submission",
        *possible,
        "total",
        "possible",
        "percent",
        "problem",
    ]
    assert set(rows) == set(kinds), "one row per submission, none missing"
    first = next(iter(possible))
    for file, kind in kinds.items():
        row, own = rows[file], (out / "feedback" / f"{Path(file).stem}.md").read_text(encoding="utf-8")
        scores = {q: float(row[q]) for q in possible}
        if kind == "solution":
            assert (row["percent"], row["problem"]) == ("100.0", ""), row
        elif kind == "untouched":
            assert row["problem"] == "" and set(scores.values()) == {0.0}, row
        elif kind == "wrong":
            assert scores == WRONG[name]["scores"] and row["problem"] == "", row
            for phrase in WRONG[name]["feedback"]:
                assert phrase in own, f"the feedback on {file} should say {phrase!r}"
        elif kind == "crashing":
            # Graded, not refused: the question whose answer raised scores 0, with the error in its feedback.
            assert row["problem"] == "" and scores[first] == 0 and float(row["total"]) < float(row["possible"]), row
            # The test that called the missing answer failed with an error, named in the feedback
            # (NameError, or TypeError where otter's test found None in the answer's place).
            assert "Test case failed" in own and re.search(r"\b(?:Name|Type|Runtime)Error\b", own), own[:500]
        else:
            assert float(row["total"]) == 0 and row["problem"].startswith("not a Jupyter notebook"), row
            assert "not a Jupyter notebook" in own
        assert own in (out / "feedback.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in ASSIGNMENTS if n != "a1_rnn_cell"])  # A1: the next test, in bulk
def test_grading_a_folder_scores_solution_student_version_wrong_and_crashing_submissions(
    made_assignments, name, tmp_path
):
    """The autograder zip (the one Gradescope takes) graded by otter's own runner, ``otter run``, with no Docker."""
    paths = AssignmentPaths(name, made_assignments)
    kinds = _submissions(
        paths,
        tmp_path / "submissions",
        dict.fromkeys(["solution", "untouched", "wrong", "crashing", "not_a_notebook"], 1),
    )
    _grade_with_the_command(made_assignments, name, tmp_path / "submissions", tmp_path / "results", jobs=2)
    _check_every_row(name, paths.autograder, tmp_path / "results", kinds)


def test_grading_ten_submissions_in_parallel_gives_each_its_row(made_assignments, tmp_path):
    """Ten mixed submissions of A1, two at a time, each kind more than once but one: a broken file never stops
    the batch, and no row takes another's scores. (Each graded notebook costs seconds: ten, not a class's worth.)"""
    paths = AssignmentPaths("a1_rnn_cell", made_assignments)
    counts = {"solution": 3, "wrong": 2, "crashing": 2, "untouched": 2, "not_a_notebook": 1}
    kinds = _submissions(paths, tmp_path / "submissions", counts)
    assert len(kinds) == 10
    _grade_with_the_command(made_assignments, paths.name, tmp_path / "submissions", tmp_path / "results", jobs=2)
    _check_every_row(paths.name, paths.autograder, tmp_path / "results", kinds)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_autograder_zip_holds_what_gradescope_runs(made_assignments, name):
    """Gradescope builds its image with the zip's setup.sh and environment.yml, and grades with run_autograder."""
    paths = AssignmentPaths(name, made_assignments)
    with zipfile.ZipFile(paths.autograder) as archive:
        files = set(archive.namelist())
        assert {"setup.sh", "run_autograder", "run_otter.py", "environment.yml", "otter_config.json"} <= files
        assert json.loads(archive.read("otter_config.json"))["assignment_name"] == name
        environment = yaml.safe_load(archive.read("environment.yml"))
        zipped_tests = {f: archive.read(f).decode("utf-8") for f in files if f.startswith("tests/")}
    (pip,) = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    wanted = [
        line
        for line in (COMMITTED / "source" / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {"torch==2.13.0", "--extra-index-url https://download.pytorch.org/whl/cpu"} <= set(wanted)
    assert any(line.startswith("rnnlib @ git+") for line in wanted)
    assert set(wanted) <= set(pip) and "otter-grader[grading,plugins]==7.0.0" in pip, pip
    # Every question, with its hidden test cases, which the student's public test files do not hold.
    public = {f"tests/{p.name}" for p in (COMMITTED / "student" / name / "tests").glob("*.py")}
    assert set(zipped_tests) == public
    hidden = sum(text.count("hidden=True") for text in zipped_tests.values())
    assert hidden > 0 and all(
        "hidden=True" not in p.read_text(encoding="utf-8")
        for p in (COMMITTED / "student" / name / "tests").glob("*.py")
    )


def test_a_submission_that_never_ends_is_stopped_and_reported(made_assignments, tmp_path):
    paths = AssignmentPaths("a1_rnn_cell", made_assignments)
    notebook = nbformat.read(paths.solution, as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell("while True:\n    pass"))
    (tmp_path / "subs").mkdir()
    nbformat.write(notebook, tmp_path / "subs" / "forever.ipynb")
    (grade,) = grade_folder(tmp_path / "subs", paths.autograder, timeout=8)
    assert grade.problem is not None and grade.problem.startswith("stopped after 8 s"), grade.problem
    assert grade.scores == {"q1": 0.0, "q2": 0.0, "q3": 0.0}


# --- the grading helpers on their own -------------------------------------------------------------


def _autograder_zip(path: Path, tests: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in tests.items():
            archive.writestr(name, text)
    return path


def test_question_points_reads_otter_test_files_in_natural_order(tmp_path):
    ag = _autograder_zip(
        tmp_path / "ag.zip",
        {
            "tests/q10.py": 'name = "q10"\npoints = 2\n',
            "tests/q2.py": 'name = "q2"\npoints = 1.5\n',
            "otter_config.json": "{}",
        },
    )
    assert question_points(ag) == {"q2": 1.5, "q10": 2.0}
    assert list(question_points(ag)) == ["q2", "q10"]
    with pytest.raises(ValueError, match="no otter test files"):
        question_points(_autograder_zip(tmp_path / "empty.zip", {"readme.txt": "hi"}))


def test_grade_folder_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="tools.assignments make"):
        grade_folder(tmp_path, tmp_path / "missing.zip")
    ag = _autograder_zip(tmp_path / "ag.zip", {"tests/q1.py": 'name = "q1"\npoints = 1\n'})
    with pytest.raises(FileNotFoundError, match="no folder of submissions"):
        grade_folder(tmp_path / "nowhere", ag)
    with pytest.raises(ValueError, match="no .ipynb files"):
        grade_folder(tmp_path, ag)


def test_csv_and_feedback_report_every_question_and_the_problems(tmp_path):
    grades = [
        Grade("ada.ipynb", {"q1": 2.0, "q2": 0.5}, {"q1": 2.0, "q2": 1.0}, {"q2": "AssertionError: off by one"}),
        Grade("bob.ipynb", {"q1": 0.0, "q2": 0.0}, {"q1": 2.0, "q2": 1.0}, problem="stopped after 600 s"),
    ]
    rows = _read_csv(write_csv(grades, tmp_path / "grades.csv"))
    assert rows["ada.ipynb"] == {
        "submission": "ada.ipynb",
        "q1": "2",
        "q2": "0.5",
        "total": "2.5",
        "possible": "3",
        "percent": "83.3",
        "problem": "",
    }
    assert rows["bob.ipynb"]["percent"] == "0.0" and rows["bob.ipynb"]["problem"] == "stopped after 600 s"
    report = write_feedback(grades, tmp_path, title="Feedback on a1").read_text(encoding="utf-8")
    assert report.startswith("# Feedback on a1")
    ada = feedback_text(grades[0])
    assert "## ada.ipynb: 2.5 / 3" in ada and "| q2 | 0.5 | 1 |" in ada and "off by one" in ada
    assert "### q1" not in ada, "full marks need no feedback"
    assert "Not graded: stopped after 600 s" in feedback_text(grades[1])
    assert (tmp_path / "feedback" / "bob.md").read_text(encoding="utf-8").strip() == feedback_text(grades[1])

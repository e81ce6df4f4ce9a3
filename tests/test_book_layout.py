"""The book's layout and settings: what the site, Colab and CI rely on.

These read the repository's own files; nothing here is echoed from code
under test. Each assertion names a way the book has broken elsewhere.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import PurePosixPath

import pytest
import yaml

from conftest import ROOT
from tools.assignments.make import ASSIGNMENTS

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))

#: The course plan: (part caption, chapter file stems), in order.
PLAN = [
    ("Part I — What an RNN is", ["01_why_rnns", "02_structure", "03_formulas", "04_memory"]),
    ("Part II — Why plain RNNs forget", ["05_vanishing_gradients", "06_gates_and_clipping"]),
    ("Part III — The PyTorch code", ["07_rnn_class", "08_name_classifier", "09_generating_names"]),
    ("Part IV — From names to sentences", ["10_shakespeare", "11_translation"]),
    ("Assignments", None),
    ("Back matter", None),
]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
STUDENT_NOTEBOOKS = [ROOT / "assignments" / "student" / name / f"{name}.ipynb" for name in ASSIGNMENTS]


def toc_files() -> list[str]:
    return [entry["file"] for part in TOC["parts"] for entry in part["chapters"]]


def test_toc_holds_the_whole_course_plan_in_order():
    assert TOC["format"] == "jb-book" and TOC["root"] == "intro"
    assert [p["caption"] for p in TOC["parts"]] == [caption for caption, _ in PLAN]
    for part, (_, stems) in zip(TOC["parts"], PLAN, strict=True):
        if stems is not None:
            assert [e["file"] for e in part["chapters"]] == [f"chapters/{s}" for s in stems]
            assert part.get("numbered") is True
    assert [e["file"] for e in TOC["parts"][-2]["chapters"]] == [
        "syllabus",
        "assignments/index",
        *(f"assignments/student/{name}/{name}" for name in ASSIGNMENTS),
        "assignments/instructors",
    ]
    assert [e["file"] for e in TOC["parts"][-1]["chapters"]] == ["notation", "benchmarks", "references"]


def test_every_toc_entry_exists_and_every_chapter_is_listed():
    for file in toc_files():
        suffix = ".ipynb" if file.startswith(("chapters/", "assignments/student/")) else ".md"
        assert (ROOT / f"{file}{suffix}").is_file(), file
    assert {f"chapters/{p.stem}" for p in CHAPTERS} == {f for f in toc_files() if f.startswith("chapters/")}
    assert {p.stem for p in (ROOT / "assignments" / "source").glob("*.ipynb")} == set(ASSIGNMENTS)


def test_the_intro_table_gives_each_chapter_the_time_its_objectives_give():
    """The first page's table and each chapter's "After this chapter (about N minutes)" agree."""
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\|[^|\n]*\| (\d+)\. [^|]*\|[^|]*\| complete, about (\d+) min \|$", intro, re.MULTILINE))
    chapters = {
        str(int(p.stem[:2])): re.search(r"about (\d+) minutes", p.read_text(encoding="utf-8"))[1] for p in CHAPTERS
    }
    assert table == chapters


def _chapter_minutes() -> dict[int, int]:
    """Each chapter's time, as its objectives give it: "After this chapter (about N minutes)"."""
    return {int(p.stem[:2]): int(re.search(r"about (\d+) minutes", p.read_text(encoding="utf-8"))[1]) for p in CHAPTERS}


def test_the_syllabus_plans_every_chapter_and_assignment_once_with_hours_that_follow_from_its_rule():
    """The rule the page states: chapter minutes + 15 per chapter + 120 per assignment, rounded up to the half hour."""
    syllabus = (ROOT / "syllabus.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (\d) \| Chapters? ([^|]*?) \(([^|]*) min\) \| ([^|]*)\| ([\d.]+) \|$", syllabus, re.MULTILINE
    )
    assert [int(week) for week, *_ in rows] == list(range(1, 7)), "six weeks, in order"
    minutes = _chapter_minutes()
    planned, assignments = [], []
    for week, chapters, times, assignment, hours in rows:
        numbers = [int(n) for n in re.findall(r"\d+", chapters)]
        stated = [int(t) for t in times.split("+")]
        assert stated == [minutes[n] for n in numbers], f"week {week}: the chapters' own times"
        planned += numbers
        assignments += re.findall(r"A(\d)", assignment)
        total = sum(stated) + 15 * len(numbers) + 120 * len(re.findall(r"A\d", assignment))
        assert float(hours) == math.ceil(total / 30) / 2, f"week {week}: {total} min"
    assert planned == sorted(minutes), "every chapter once, in order"
    assert assignments == [str(i + 1) for i in range(len(ASSIGNMENTS))], "every assignment once, in order"
    # Each assignment comes no earlier than the last chapter of its part (4, 6, 9 and 11).
    weeks = {n: int(week) for week, chapters, *_ in rows for n in map(int, re.findall(r"\d+", chapters))}
    due = {int(a): int(week) for week, _, _, assignment, _ in rows for a in re.findall(r"A(\d)", assignment)}
    assert all(due[i + 1] >= weeks[last] for i, last in enumerate([4, 6, 9, 11])), (due, weeks)


def test_assignments_are_published_unexecuted_and_their_grader_material_is_not_committed():
    patterns = CONFIG["execute"]["exclude_patterns"]
    assert all(any(PurePosixPath(p.as_posix()).match(pat) for pat in patterns) for p in STUDENT_NOTEBOOKS), (
        "the blank worksheets must not be executed"
    )
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/assignments/dist/" in ignored, "solutions and hidden tests stay out of the repository's student side"
    for path in STUDENT_NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert all(c["outputs"] == [] for c in nb["cells"] if c["cell_type"] == "code"), path.name
        assert "".join(nb["cells"][0]["source"]).startswith("# Assignment "), "the first cell is the title"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert not any(d.startswith(("otter-grader", "ipywidgets")) for d in extras["assignments"]), (
        "Colab's set-up cell installs otter-grader without its dependencies, which would replace Colab's ipywidgets"
    )
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "otter-grader==7.0.0" in requirements, "the instructors' tools (tools/assignments) need otter-grader"


def test_config_sets_what_launch_links_and_math_need():
    assert CONFIG["repository"]["branch"] == "main"  # else launch links point at master
    assert CONFIG["repository"]["url"].startswith("https://github.com/")
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    extensions = CONFIG["parse"]["myst_enable_extensions"]
    assert {"dollarmath", "amsmath", "colon_fence"} <= set(extensions)
    assert all((ROOT / bib).is_file() for bib in CONFIG["bibtex_bibfiles"])
    assert CONFIG["execute"]["execute_notebooks"] == "cache"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_notebook_is_clean_and_colab_ready(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), "commit notebooks without outputs"
    first = nb["cells"][0]
    source = "".join(first["source"])
    assert first["cell_type"] == "code" and "remove-cell" in first["metadata"].get("tags", [])
    assert 'if "google.colab" in sys.modules:' in source
    url = f"git+{CONFIG['repository']['url']}@{CONFIG['repository']['branch']}"
    assert f'"rnnlib @ {url}"' in source
    assert not re.search(r"(torch|numpy)\s*[=<>]=", source), "never pin torch or numpy on Colab"
    title = "".join(nb["cells"][1]["source"]).splitlines()[0]
    assert title.startswith("# "), "the second cell starts with the chapter title"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glue_and_the_checks_behind_the_prose_sit_in_hidden_checks_cells(path):
    """CONTRIBUTING.md's convention: bookkeeping in a checks cell right after the cell it checks."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    checks = 0
    for index, cell in enumerate(cells):
        source, tags = "".join(cell["source"]), cell["metadata"].get("tags", [])
        if cell["cell_type"] != "code":
            continue
        if "checks" in tags:
            checks += 1
            where = f"cell {index}"
            assert "remove-cell" in tags, f"{where}: a checks cell is hidden on the site"
            assert source.startswith("# Checks:"), f"{where}: a checks cell starts with '# Checks: ...'"
            assert not re.search(r"\b(print|plt|fit\w*|train)\(", source), (
                f"{where}: a checks cell only checks and glues"
            )
            assert not re.search(r"^\s*assert\b", source, re.MULTILINE), (
                f"{where}: a checks cell checks with rnnlib.book.check, which informs a reader instead of crashing"
            )
        else:
            assert "glue(" not in source, f"cell {index}: glue() belongs in a checks cell"
    assert checks > 0, "every chapter backs its prose with checks cells"
    first_code = "".join(next(c for c in cells[1:] if c["cell_type"] == "code")["source"])
    assert "seed = rnnlib.seed_everything()" in first_code, "every chapter seeds with the book's seed ($RNNLIB_SEED)"
    literal = [
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "code" and re.search(r"manual_seed\(\d|seed_everything\(\d", "".join(c["source"]))
    ]
    assert literal == [], "seeds go through the book's seed (seed + k, rnnlib.sweep_seeds), not a number"


def test_requirements_pin_the_build_and_pyproject_stays_loose():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "jupyter-book==1.0.4.post1" in requirements
    assert "torch==2.13.0" in requirements
    assert "-e ." in requirements
    pins = [line for line in requirements if line and not line.startswith(("#", "-e"))]
    assert all("==" in line for line in pins), "every package in requirements.txt is pinned"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = {re.split(r"[<>=!~ ]", d)[0]: d for d in project["dependencies"]}
    assert {"torch", "numpy", "matplotlib", "ipywidgets"} <= set(deps)
    assert all("==" not in d for d in deps.values()), "rnnlib must install on Colab's versions"
    assert deps["ipywidgets"].startswith("ipywidgets>=7."), "Colab's ipywidgets 7 must satisfy it"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_ends_with_three_to_five_self_check_questions_each_choice_explained(path):
    """CONTRIBUTING.md: a last cell "## Check yourself" of {quiz} questions; the right choice's explanation says Yes."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    last = "".join(cells[-1]["source"])
    assert cells[-1]["cell_type"] == "markdown" and last.startswith("## Check yourself\n"), "the last cell"
    quizzes = re.findall(r"^:::\{quiz\}\n(.*?)^:::$", last, re.MULTILINE | re.DOTALL)
    assert 3 <= len(quizzes) <= 5 and len(quizzes) == last.count(":::{quiz}")
    for number, body in enumerate(quizzes, start=1):
        answer = int(re.match(r":answer: (\d+)\n", body)[1])
        choices = re.split(r"^\d+\. ", body, flags=re.MULTILINE)[1:]
        assert 3 <= len(choices) <= 5 and 1 <= answer <= len(choices), f"question {number}"
        for index, choice in enumerate(choices, start=1):
            text, _, explanation = choice.partition("\n\n")
            verdict = explanation.strip().split(":")[0]
            assert (verdict == "Yes") == (index == answer), f"question {number}, choice {index}: {verdict!r}"
            assert verdict in ("Yes", "No", "Not quite"), f"question {number}, choice {index}"
        assert "{glue" not in body, "a question quotes no computed result: it must hold on every run"

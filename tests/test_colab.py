"""Each notebook runs as it would on Colab, with Colab's own package versions.

The environment. A fresh virtual environment, built once per test session
from Colab's published ``pip freeze`` (``../shared/colab/pip-freeze.txt``,
used as a pip constraints file without its URL-pinned lines): Colab's exact
versions of every package the course imports (rnnlib, the chapters, the
assignments' grading client) and of Colab's Jupyter stack (IPython 7.34,
ipykernel 6.17, ipywidgets 7.7, traitlets, jupyter_client, pyzmq, tornado,
matplotlib, numpy, ...), with their dependencies at Colab's versions too.
Nothing of the book's environment is visible in it (no path file, no
inherited site-packages); only the Jupyter client that drives the kernel,
nbclient, standing in for Colab's page, runs in the book's environment.

What is not Colab's (``STAND_INS``): Python 3.11 and torch 2.13.0 (CPU)
stand in for Colab's Python 3.13 and torch 2.11, which cannot be installed
here; torch 2.13 needs a newer setuptools than Colab's, and Python 3.11 needs
``overrides`` for Colab's jupyter_server. Everything else installed is
checked against the freeze, and what Colab lacks is removed.

Each notebook is copied alone into an empty folder and executed there by a
kernel of that environment. Its install cell runs as on Colab (a stand-in
``google.colab`` module is registered first), with one change: it installs
rnnlib from this checkout instead of GitHub: the wheel that pip builds from
it once per run (``conftest.rnnlib_wheel``), rather than the same wheel
built again for each notebook. Before and after, the versions
of every installed package are compared: the install may add packages, but
must not change or remove any of Colab's. Afterwards the environment is put
back as it was, so that every notebook starts from Colab's state.

Each notebook runs with ``RNNLIB_SEED=2`` (``conftest.COLAB_SEED``) and strict
checks: the third run, after the build's (seed 0) and nbval's (seed 1), on
which every sentence of the chapters must hold.

After a chapter has run, its interactive explorers (``rnnlib.widgets``) are
found in the same kernel, each control is moved, and each must draw a new
figure, which must reach its ``Output`` widget.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from packaging.utils import canonicalize_name as canonical
from packaging.version import Version

from conftest import COLAB_SEED, ROOT, require_built

#: The Colab edition (``tools/colab_edition.py``, run by README command 1 after the build):
#: what the site's "Open in Colab" buttons open.
COLAB_EDITION = ROOT / "_build" / "colab"


def notebook_to_run(source: Path) -> Path:
    """The notebook a learner opens on Colab for the source notebook ``source``: its Colab edition.

    Every test below runs what this returns (chapters as they are;
    assignments: the student notebook with the solutions' answers filled in).
    """
    edition = COLAB_EDITION / source.relative_to(ROOT)
    require_built(edition, "Colab edition (tools/colab_edition.py)")
    return edition


#: Colab's published ``pip freeze`` (see ``../shared/colab/README.md``); CI has ``../shared`` beside the clone.
COLAB_FREEZE = ROOT.parent / "shared" / "colab" / "pip-freeze.txt"

#: sacreBLEU (chapter 11's BLEU) needs these, which Colab has: they are installed at Colab's versions.
SACREBLEU_DEPS_ON_COLAB = ["lxml", "regex", "tabulate"]
#: Installed at Colab's versions: what the course imports (rnnlib, chapters, assignments) ...
COURSE_PACKAGES = ["numpy", "matplotlib", "sympy", "tqdm", "ipywidgets", "ipython", *SACREBLEU_DEPS_ON_COLAB]
#: ... Colab's Jupyter stack, which the chapters' widgets, figures and the kernel go through ...
JUPYTER_STACK = [
    "ipykernel",
    "jupyter_client",
    "jupyter_core",
    "traitlets",
    "pyzmq",
    "tornado",
    "nbformat",
    "matplotlib-inline",
    "widgetsnbextension",
    "jupyterlab_widgets",
    "pillow",
    "mpmath",
    "pip",
]
#: ... and what the assignments' grading client (otter.Notebook, grader.check) imports that Colab already has:
#: the set-up cell installs only what Colab lacks (``ASSIGNMENT_ADDS``).
GRADING_CLIENT_ON_COLAB = ["pandas", "dill", "PyYAML", "wrapt", "Sphinx", "docutils"]

#: Installed here but not at Colab's version, or not on Colab at all, and why.
STAND_INS = {
    "torch": "Colab's torch 2.11.0 cannot be installed here; the book's torch 2.13.0 (CPU) stands in",
    "setuptools": "torch 2.13.0 requires setuptools>=77.0.3; Colab has 75.2.0 (with torch 2.11)",
    "overrides": "Colab's jupyter_server requires it on Python < 3.12 only; Python 3.11 stands in for 3.13",
}
PYTHON_STAND_IN = "Python 3.11 stands in for Colab's Python 3.13 (the torch 2.13.0 CPU wheel here is for 3.11)"
#: Packages that an install cell may add, because Colab lacks them: what each notebook kind may add.
#: jedi: Colab's IPython 7.34 requires it but Colab's freeze has none, so pip adds it with rnnlib, on Colab too.
#: sacrebleu, portalocker, colorama: Colab lacks sacreBLEU, which rnnlib needs for chapter 11's BLEU.
CHAPTER_ADDS = {"rnnlib", "jedi", "sacrebleu", "portalocker", "colorama"}
#: The assignments' set-up cell adds otter-grader (without its dependencies) and the few it needs that Colab lacks.
ASSIGNMENT_ADDS = CHAPTER_ADDS | {"otter-grader", "fica", "ipylab", "python-frontmatter"}

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG_URL = "git+https://github.com/rnn-course/rnn-course@main"
FAKE_COLAB = 'import sys, types\nsys.modules["google.colab"] = types.ModuleType("google.colab")'
WARM_UP = (
    "import torch, numpy, matplotlib.pyplot, sympy, IPython, ipykernel.kernelapp, ipywidgets, tqdm.auto, pandas, "
    "pip._internal.commands.install"
)
VERSIONS = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
)


def colab_versions() -> dict[str, str]:
    """Colab's ``name==version`` lines, by canonical name (the URL-pinned lines, such as torch's, left out).

    Without the freeze (a clone with no ``../shared`` beside it) the calling test is skipped, saying
    why; in CI (``CI`` set) it fails instead, since CI always has ``../shared``.
    """
    if not COLAB_FREEZE.is_file():
        missing = f"Colab's pip freeze is missing: {COLAB_FREEZE} (the project's shared/ folder beside the clone)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    lines = COLAB_FREEZE.read_text(encoding="utf-8").splitlines()
    pins = (line.split("==") for line in lines if "==" in line and not line.startswith("#"))
    return {canonical(name): version.strip() for name, version in pins}


def installed_versions(python: Path) -> dict[str, str]:
    """Every distribution installed in the environment of ``python``, by canonical name."""
    done = subprocess.run([python, "-I", "-c", VERSIONS], check=True, capture_output=True, text=True, cwd="/")
    return {canonical(name): version for name, version in json.loads(done.stdout).items()}


def pip(python: Path, *args: str) -> None:
    """Run the book's pip on the environment of ``python`` (so that the environment needs no pip of its own).

    From ``/``: in the repository's root, pip would take its ``rnnlib.egg-info`` for an installed rnnlib.
    """
    command = [sys.executable, "-m", "pip", "--python", str(python), *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd="/")
    assert done.returncode == 0, f"pip {' '.join(args[:3])} ... failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


class _Summary:
    """Lines for a section at the end of pytest's report (a plugin registered by the fixture)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.section("Colab-like environment (tests/test_colab.py)")
        for line in self.lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def colab_env(tmp_path_factory, request):
    """A virtual environment with Colab's versions (see the module's docstring), not rnnlib, and a kernel for it."""
    colab = colab_versions()  # skips, or fails in CI, without Colab's pip freeze
    summary = _Summary()
    request.config.pluginmanager.register(summary, "colab-like-summary")
    start = time.perf_counter()
    home = tmp_path_factory.mktemp("colab")
    env = home / "venv"
    venv.create(env, with_pip=False, system_site_packages=False)
    python = env / "bin" / "python"
    constraints = home / "colab-constraints.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, v in colab.items() if n not in STAND_INS), encoding="utf-8")
    torch = f"torch=={importlib.metadata.version('torch')}"  # the CPU build: never a CUDA one from PyPI
    wanted = [torch, *COURSE_PACKAGES, *JUPYTER_STACK, *GRADING_CLIENT_ON_COLAB]
    pip(python, "install", "--quiet", "--no-compile", "--constraint", str(constraints), *wanted)
    installed = installed_versions(python)
    not_on_colab = sorted(n for n in installed if n not in colab and n not in STAND_INS)
    if not_on_colab:  # pulled in by a requirement that Colab leaves unmet (IPython's jedi)
        pip(python, "uninstall", "--yes", "--quiet", *not_on_colab)
        installed = installed_versions(python)
    wrong = {n: (v, colab[n]) for n, v in installed.items() if n not in STAND_INS and colab.get(n) != v}
    assert not wrong, f"not at Colab's versions (installed, Colab's): {wrong}"
    book = sysconfig.get_paths()["purelib"]
    path = subprocess.run([python, "-c", "import sys; print(sys.path)"], capture_output=True, text=True, cwd=home)
    assert book not in path.stdout and str(ROOT / ".venv") not in path.stdout, "the book's packages must not be visible"
    probe = subprocess.run(
        [python, "-c", "import torch, ipykernel; import rnnlib"], capture_output=True, text=True, cwd=home
    )
    assert "No module named 'rnnlib'" in probe.stderr, f"the environment must not see rnnlib yet: {probe.stderr}"
    # Write the bytecode of what every kernel imports, once (CI sets PYTHONDONTWRITEBYTECODE; Colab has it).
    warm = dict(os.environ)
    warm.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([python, "-c", WARM_UP], env=warm, cwd=home, check=True, capture_output=True)
    kernel_dir = home / "jupyter" / "kernels" / "colab-like"
    kernel_dir.mkdir(parents=True)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "language": "python",
        "display_name": "colab-like",
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(spec))
    seconds = time.perf_counter() - start
    summary.lines += [
        f"built in {seconds:.0f} s from {COLAB_FREEZE.name}: {len(installed)} packages, all at Colab's versions "
        f"but the stand-ins below; "
        f"e.g. IPython {installed['ipython']}, ipykernel {installed['ipykernel']}, "
        f"ipywidgets {installed['ipywidgets']}, traitlets {installed['traitlets']}, "
        f"matplotlib {installed['matplotlib']}, numpy {installed['numpy']}",
        f"stand-ins: {PYTHON_STAND_IN}",
        *(f"stand-ins: {name} {installed[name]}: {why}" for name, why in STAND_INS.items() if name in installed),
        *([f"removed, as Colab lacks them: {', '.join(not_on_colab)}"] if not_on_colab else []),
    ]
    yield home
    shutil.rmtree(env, ignore_errors=True)  # about 1 GB


def run_like_colab(nb, replacements: dict[str, str], folder: Path, colab_env: Path, monkeypatch) -> set[str]:
    """Execute ``nb`` in ``folder`` with the Colab-like environment's kernel, as on Colab; return what it installed.

    The cell that installs rnnlib on Colab gets ``replacements`` (GitHub
    addresses to local ones); a stand-in ``google.colab`` module is
    registered first. Raises CellExecutionError, with the traceback, if any
    cell fails; fails if rnnlib was not installed by that cell, or if any of
    Colab's packages changed version or went away. Whatever happened, the
    environment is then put back as it was: what the notebook added is
    removed, what it changed is reinstalled at Colab's version.
    """
    install = next(c for c in nb.cells if "google.colab" in c.source)
    for old, new in replacements.items():
        install.source = install.source.replace(old, new)
    nb.cells.insert(0, nbformat.v4.new_code_cell(FAKE_COLAB))
    nb.cells.append(nbformat.v4.new_code_cell("import rnnlib\nprint(rnnlib.__file__)"))
    monkeypatch.setenv("JUPYTER_PATH", str(colab_env / "jupyter"))
    monkeypatch.setenv("RNNLIB_SEED", str(COLAB_SEED))  # a third run of every claim (conftest.py); checks are strict
    monkeypatch.delenv("PYTHONPATH", raising=False)
    python = colab_env / "venv" / "bin" / "python"
    before = installed_versions(python)
    try:
        resources = {"metadata": {"path": str(folder)}}
        NotebookClient(nb, kernel_name="colab-like", timeout=300, resources=resources).execute()
    finally:  # back to Colab's state for the next notebook
        after = installed_versions(python)
        added = set(after) - set(before)
        changed = {n: (v, after.get(n, "removed")) for n, v in before.items() if after.get(n) != v}
        if added:
            pip(python, "uninstall", "--yes", "--quiet", *added)
        if changed:
            pip(python, "install", "--quiet", "--no-deps", *(f"{n}=={v}" for n, (v, _) in changed.items()))
    assert not changed, f"the install cell changed Colab's packages (before, after): {changed}"
    assert "rnnlib" in added, "rnnlib must be installed by the notebook's install cell"
    where = nb.cells.pop().outputs[0]["text"].strip()
    assert where.startswith(str(colab_env / "venv")), f"rnnlib came from {where}, not from the install cell"
    return added


def test_the_install_cell_points_where_the_config_says():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "url: https://github.com/rnn-course/rnn-course" in config and "branch: main" in config
    for path in CHAPTERS:
        assert CONFIG_URL in "".join(nbformat.read(notebook_to_run(path), as_version=4).cells[0].source), path.name


def test_pyproject_floors_are_the_lowest_tested_versions():
    """Each floor is the lower of the two tested points: Colab's version (this file) and the book's pin
    (requirements.txt). torch's floor is Colab's 2.11, which cannot be installed here (see pyproject.toml)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11", "Python 3.11 is what is tested"
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    book = {canonical(line.split("==")[0]): line.split("==")[1] for line in requirements if "==" in line}
    colab = colab_versions()  # before reading the freeze below: skips, or fails in CI, without it
    colab["torch"] = re.search(r"/torch-(\d+\.\d+\.\d+)", COLAB_FREEZE.read_text(encoding="utf-8")).group(1)
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["assignments"]]:
        name, floor = requirement.split(">=")
        tested = [Version(v) for v in (colab.get(canonical(name)), book.get(canonical(name))) if v]
        assert tested, f"{name} is tested nowhere"
        assert Version(floor) == min(tested), f"{requirement}: the lowest tested version is {min(tested)}"
    # That rnnlib declares every package it imports is tests/test_package.py's.


#: Run in the chapter's kernel after its last cell: move every control of every explorer once.
MOVE_EVERY_CONTROL = """
import ipywidgets as _w
_module = _w.widgets.widget
_registry = _module._instances if hasattr(_module, "_instances") else _w.Widget.widgets  # ipywidgets 8, or 7
_explorers = [w for w in list(_registry.values()) if isinstance(w, _w.VBox) and hasattr(w, "figure")]
_moves = []
for _box in _explorers:
    *_controls, _output = _box.children
    _box._outputs_before = _output.outputs
    for _control in _controls:
        _figure, _value = _box.figure, _control.value
        if isinstance(_value, bool):
            _control.value = not _value
        elif isinstance(_value, str):
            _control.value = _value + " again"
        else:
            _control.value = _control.max if _value != _control.max else _control.min
        _moves.append({"control": _control.description, "from": _value, "to": _control.value,
                       "redrawn": _box.figure is not _figure})
"""
#: Run next, once the Jupyter client (Colab's page here) has sent the Output widgets' new contents back.
REPORT_MOVES = """
import json as _json
print(_json.dumps({"ipywidgets": _w.__version__, "moves": _moves,
                   "outputs_changed": [bool(b._outputs_before) and b.children[-1].outputs != b._outputs_before
                                       for b in _explorers]}))
"""


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_and_its_widgets_redraw_in_a_colab_like_environment(
    path, colab_env, rnnlib_wheel, tmp_path, monkeypatch
):
    nb = nbformat.read(notebook_to_run(path), as_version=4)
    nbformat.write(nb, tmp_path / path.name)  # nothing beside the notebook
    calls = sum(c.source.count("explorer(") for c in nb.cells if c.cell_type == "code")
    nb.cells += [nbformat.v4.new_code_cell(MOVE_EVERY_CONTROL), nbformat.v4.new_code_cell(REPORT_MOVES)]
    added = run_like_colab(nb, {CONFIG_URL: rnnlib_wheel.as_uri()}, tmp_path, colab_env, monkeypatch)
    assert added <= CHAPTER_ADDS, f"the install cell added {sorted(added - CHAPTER_ADDS)} to Colab"
    report = json.loads(nb.cells[-1].outputs[0]["text"])
    assert report["ipywidgets"] == colab_versions()["ipywidgets"]
    explorers = len(report["outputs_changed"])
    print(
        f"{path.stem}: the install cell added {sorted(added)}; {explorers} explorer(s) under ipywidgets "
        f"{report['ipywidgets']}, {len(report['moves'])} control(s) moved: {report['moves']}"
    )
    if calls:
        assert explorers >= 1, f"{path.name} calls explorer() {calls} time(s), but no explorer was built"
    assert all(move["redrawn"] for move in report["moves"]), report["moves"]
    assert all(report["outputs_changed"]), f"a new figure did not reach its Output widget: {report}"


ASSIGNMENTS = sorted((ROOT / "assignments" / "student").glob("*/*.ipynb"))
#: The otter-grader that makes the student versions (requirements.txt); Colab's set-up cell must install the same.
OTTER = re.search(r"^otter-grader==(\S+)$", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)[1]
REPO_URL = CONFIG_URL.removeprefix("git+").removesuffix("@main")


def test_the_assignment_set_up_cells_install_and_fetch_from_where_the_config_says():
    for path in ASSIGNMENTS:
        setup = next(c for c in nbformat.read(notebook_to_run(path), as_version=4).cells if "google.colab" in c.source)
        assert f'"rnnlib[assignments] @ {CONFIG_URL}"' in setup.source, path.name
        assert "--no-deps" in setup.source and f'"otter-grader=={OTTER}"' in setup.source, path.name
        assert f"git clone --quiet --depth 1 {REPO_URL} /tmp/rnn-course" in setup.source, path.name
        assert f"/tmp/rnn-course/assignments/student/{path.stem}/tests ." in setup.source, path.name


@pytest.mark.parametrize("name", [p.stem for p in ASSIGNMENTS])
def test_assignment_solution_gets_passing_feedback_in_a_colab_like_environment(
    name, made_assignments, colab_env, rnnlib_wheel, tmp_path, monkeypatch
):
    """The student notebook with the solution's answers, alone in a folder, as on Colab: the set-up cell
    installs rnnlib and otter's grading client and fetches the public tests by cloning the repository (here:
    this checkout's last commit)."""
    student = nbformat.read(made_assignments / "student" / name / f"{name}.ipynb", as_version=4)
    solution = nbformat.read(made_assignments / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4)
    assert len(student.cells) == len(solution.cells), "the student and solution notebooks no longer align"
    answers = {s.source: a.source for s, a in zip(student.cells, solution.cells, strict=True) if s.source != a.source}
    nb = nbformat.read(notebook_to_run(ROOT / "assignments" / "student" / name / f"{name}.ipynb"), as_version=4)
    filled = [cell for cell in nb.cells if cell.source in answers]
    for cell in filled:
        cell.source = answers[cell.source]
    assert len(filled) == len(answers) == 3, "every answer cell must be found and filled"
    work = tmp_path / "content"  # Colab's working folder: the notebook is not even saved there
    work.mkdir()
    local = {CONFIG_URL: rnnlib_wheel.as_uri(), REPO_URL: ROOT.as_uri(), "/tmp/rnn-course": str(tmp_path / "clone")}
    added = run_like_colab(nb, local, work, colab_env, monkeypatch)
    print(f"{name}: the set-up cell added {sorted(added)}")
    assert added <= ASSIGNMENT_ADDS, f"the set-up cell added {sorted(added - ASSIGNMENT_ADDS)} to Colab"
    assert sorted(p.name for p in (work / "tests").glob("*.py")) == ["q1.py", "q2.py", "q3.py"]
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]
    assert len(checks) == 3
    for cell in checks:
        shown = json.dumps([o.get("data", o.get("text")) for o in cell.outputs])
        assert "All test cases passed" in shown, shown[:500]

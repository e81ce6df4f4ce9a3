"""Each chapter runs as it would on Colab: rnnlib not installed until the first cell installs it.

A fresh virtual environment gets the book's packages (torch, matplotlib, ...)
by a path file pointing at this environment's site-packages, but not rnnlib:
path files inside that folder are not read, so the editable install of
rnnlib stays invisible. Each notebook is copied alone into an empty folder
and executed there by a kernel of the fresh environment. Its first cell runs
as on Colab (a stand-in ``google.colab`` module is registered before it),
with one change: it installs rnnlib from this checkout instead of GitHub.
"""

from __future__ import annotations

import json
import subprocess
import sysconfig
import venv
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG_URL = "git+https://github.com/rnn-course/rnn-course@main"
FAKE_COLAB = 'import sys, types\nsys.modules["google.colab"] = types.ModuleType("google.colab")'


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory):
    """A virtual environment with the book's packages but not rnnlib, and a Jupyter kernel for it."""
    home = tmp_path_factory.mktemp("colab")
    env = home / "venv"
    venv.create(env, with_pip=False, system_site_packages=False)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "book_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    probe = subprocess.run(
        [python, "-c", "import torch, pip; import rnnlib"], capture_output=True, text=True, cwd=home
    )
    assert "No module named 'rnnlib'" in probe.stderr, "the fresh environment must not see rnnlib yet"
    kernel_dir = home / "jupyter" / "kernels" / "colab-like"
    kernel_dir.mkdir(parents=True)
    spec = {"argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"], "language": "python",
            "display_name": "colab-like"}  # fmt: skip
    (kernel_dir / "kernel.json").write_text(json.dumps(spec))
    return home


def test_the_install_cell_points_where_the_config_says():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "url: https://github.com/rnn-course/rnn-course" in config and "branch: main" in config
    for path in CHAPTERS:
        assert CONFIG_URL in "".join(nbformat.read(path, as_version=4).cells[0].source), path.name


def run_like_colab(nb, replacements: dict[str, str], folder: Path, fresh_env: Path, monkeypatch) -> None:
    """Execute ``nb`` in ``folder`` with the fresh environment's kernel, as on Colab.

    The cell that installs rnnlib on Colab gets ``replacements`` (GitHub
    addresses to local ones); a stand-in ``google.colab`` module is
    registered first. Raises CellExecutionError, with the traceback, if any
    cell fails, and fails if rnnlib was not installed by that cell.
    """
    install = next(c for c in nb.cells if "google.colab" in c.source)
    for old, new in replacements.items():
        install.source = install.source.replace(old, new)
    nb.cells.insert(0, nbformat.v4.new_code_cell(FAKE_COLAB))
    nb.cells.append(nbformat.v4.new_code_cell("import rnnlib\nprint(rnnlib.__file__)"))
    monkeypatch.setenv("JUPYTER_PATH", str(fresh_env / "jupyter"))
    NotebookClient(nb, kernel_name="colab-like", timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
    where = nb.cells.pop().outputs[0]["text"].strip()
    assert where.startswith(str(fresh_env / "venv")), f"rnnlib came from {where}, not from the install cell"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_top_to_bottom_in_a_fresh_colab_like_environment(path, fresh_env, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    nbformat.write(nb, tmp_path / path.name)  # nothing beside the notebook
    run_like_colab(nb, {CONFIG_URL: ROOT.as_uri()}, tmp_path, fresh_env, monkeypatch)


ASSIGNMENTS = sorted((ROOT / "assignments" / "student").glob("*/*.ipynb"))
REPO_URL = CONFIG_URL.removeprefix("git+").removesuffix("@main")


def test_the_assignment_set_up_cells_install_and_fetch_from_where_the_config_says():
    for path in ASSIGNMENTS:
        setup = next(c for c in nbformat.read(path, as_version=4).cells if "google.colab" in c.source)
        assert f'"rnnlib[assignments] @ {CONFIG_URL}"' in setup.source, path.name
        assert f"git clone --quiet --depth 1 {REPO_URL} /tmp/rnn-course" in setup.source, path.name
        assert f"/tmp/rnn-course/assignments/student/{path.stem}/tests ." in setup.source, path.name


@pytest.mark.parametrize("name", [p.stem for p in ASSIGNMENTS])
def test_assignment_solution_gets_passing_feedback_in_a_fresh_colab_like_environment(
    name, made_assignments, fresh_env, tmp_path, monkeypatch
):
    """The solution notebook, alone in a folder, as on Colab: the set-up cell installs rnnlib with otter and
    fetches the public tests by cloning the repository (here: this checkout's last commit)."""
    nb = nbformat.read(made_assignments / "dist" / name / "autograder" / f"{name}.ipynb", as_version=4)
    work = tmp_path / "content"  # Colab's working folder: the notebook is not even saved there
    work.mkdir()
    local = {CONFIG_URL: ROOT.as_uri(), REPO_URL: ROOT.as_uri(), "/tmp/rnn-course": str(tmp_path / "clone")}
    run_like_colab(nb, local, work, fresh_env, monkeypatch)
    assert sorted(p.name for p in (work / "tests").glob("*.py")) == ["q1.py", "q2.py", "q3.py"]
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]
    assert len(checks) == 3
    for cell in checks:
        shown = json.dumps([o.get("data", o.get("text")) for o in cell.outputs])
        assert "All test cases passed" in shown, shown[:500]

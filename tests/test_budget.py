"""The chapters' time budget (conftest.py): checked on the faster of the build's run and nbval's."""

import os
import time

import nbformat
from jupyter_cache import get_cache

import conftest
from conftest import require


def test_the_budget_takes_the_faster_of_the_two_runs(monkeypatch):
    monkeypatch.setattr(conftest, "_notebook_seconds", {"a.ipynb": 70.0, "b.ipynb": 50.0, "c.ipynb": 65.0})
    monkeypatch.setattr(conftest, "build_seconds", {"a.ipynb": 55.0, "b.ipynb": 58.0, "c.ipynb": None}.get)
    assert conftest.notebook_seconds() == {
        "a.ipynb": (70.0, 55.0, 55.0),  # slow under nbval, within budget in the build
        "b.ipynb": (50.0, 58.0, 50.0),
        "c.ipynb": (65.0, None, 65.0),  # no build record: nbval's time alone, over budget
    }


def test_build_seconds_finds_this_builds_record_of_a_chapter():
    seconds = conftest.build_seconds("chapters/01_why_rnns.ipynb")
    require(seconds is not None, "no record of chapter 1 as it is now: run README command 1 first")
    assert 0 < seconds < 600


def test_build_seconds_ignores_changed_code_a_stale_record_and_a_broken_cache(tmp_path, monkeypatch):
    """A record is used only for the notebook's current code, made after the last change to rnnlib."""
    (tmp_path / "rnnlib").mkdir()
    (tmp_path / "rnnlib" / "model.py").write_text("")
    (tmp_path / "requirements.txt").write_text("")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nbformat.write(notebook, tmp_path / "chapter.ipynb")
    cache = get_cache(tmp_path / "_build" / ".jupyter_cache")
    cache.cache_notebook_file(tmp_path / "chapter.ipynb", data={"execution_seconds": 12.5}, check_validity=False)
    monkeypatch.setattr(conftest, "ROOT", tmp_path)
    assert conftest.build_seconds("chapter.ipynb") == 12.5

    later = time.time() + 60  # rnnlib changed after the build: its time may no longer hold
    os.utime(tmp_path / "rnnlib" / "model.py", (later, later))
    assert conftest.build_seconds("chapter.ipynb") is None
    os.utime(tmp_path / "rnnlib" / "model.py", (0, 0))
    assert conftest.build_seconds("chapter.ipynb") == 12.5

    notebook.cells.append(nbformat.v4.new_code_cell("2 + 2"))  # code the build never ran
    nbformat.write(notebook, tmp_path / "chapter.ipynb")
    assert conftest.build_seconds("chapter.ipynb") is None

    (tmp_path / "_build" / ".jupyter_cache" / "global.db").write_text("not a database")
    assert conftest.build_seconds("chapter.ipynb") is None

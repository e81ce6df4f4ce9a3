"""The chapters' time budget (conftest.py): checked on the faster of the build's run and nbval's."""

import nbformat

import conftest
from conftest import ROOT, require_built


def test_the_budget_takes_the_faster_of_the_two_runs(monkeypatch):
    monkeypatch.setattr(conftest, "_notebook_seconds", {"a.ipynb": 70.0, "b.ipynb": 50.0, "c.ipynb": 65.0})
    monkeypatch.setattr(conftest, "build_seconds", {"a.ipynb": 55.0, "b.ipynb": 58.0, "c.ipynb": None}.get)
    assert conftest.notebook_seconds() == {
        "a.ipynb": (70.0, 55.0, 55.0),  # slow under nbval, within budget in the build
        "b.ipynb": (50.0, 58.0, 50.0),
        "c.ipynb": (65.0, None, 65.0),  # no build record: nbval's time alone, over budget
    }


def test_build_seconds_reads_the_record_of_the_notebook_as_it_is_now(tmp_path):
    require_built(ROOT / "_build" / ".jupyter_cache", "execution cache of the build")
    seconds = conftest.build_seconds("chapters/01_why_rnns.ipynb")
    assert seconds is not None and 0 < seconds < 600
    notebook = nbformat.read(ROOT / "chapters" / "01_why_rnns.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("1 + 1"))  # code the build never ran
    changed = tmp_path / "01_why_rnns.ipynb"
    nbformat.write(notebook, changed)
    assert conftest.build_seconds(str(changed)) is None

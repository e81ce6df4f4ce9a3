"""Each chapter executes within its budget, 60 s on a 2-core CPU (``conftest.NOTEBOOK_BUDGET_S``).

Timed on the build's run (README command 1): ``jupyter-book build`` executes
the chapters one at a time, with nothing else running, and jupyter-cache
records how long each took (``_build/.jupyter_cache``). The runs in the test
suite are not timed against the budget: nbval's and the Colab-like runs share
the two cores with the suite's other worker.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from conftest import NOTEBOOK_BUDGET_S, ROOT, require, require_built

CACHE = ROOT / "_build" / ".jupyter_cache"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def build_seconds(path: Path) -> float:
    """How long the build's execution of the chapter at ``path``, as it is now, took (in seconds)."""
    from jupyter_cache import get_cache

    try:
        record = get_cache(str(CACHE)).match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        require(False, f"{path.name}: its code changed since the build executed it: run README command 1 again")
    return record.data["execution_seconds"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_chapter_executed_within_its_budget_in_the_build(path):
    require_built(CACHE, "execution cache (the build's record of each chapter's run)")
    seconds = build_seconds(path)
    print(f"{path.stem}: {seconds:.1f} s in the build")
    assert 0 < seconds <= NOTEBOOK_BUDGET_S, f"{path.name} took {seconds:.1f} s in the build, over its budget"


def test_a_chapter_whose_code_changed_since_the_build_has_no_timing(tmp_path, monkeypatch):
    """A stale record is never taken for the chapter's time: the test asks for the build to run again."""
    require_built(CACHE, "execution cache (the build's record of each chapter's run)")
    changed = nbformat.read(CHAPTERS[0], as_version=4)
    next(c for c in changed.cells if c.cell_type == "code").source += "\n1 + 1"
    nbformat.write(changed, tmp_path / CHAPTERS[0].name)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="changed since the build executed it"):
        build_seconds(tmp_path / CHAPTERS[0].name)

import sys

import pytest

from rnnlib.book import glue


def test_glue_records_for_myst_nb(monkeypatch):
    import myst_nb.ext.glue as myst_glue

    shown = []
    monkeypatch.setattr(myst_glue, "ipy_display", lambda bundle, **kw: shown.append((bundle, kw["metadata"])))
    assert glue("answer", 42) is None
    [(bundle, metadata)] = shown
    assert metadata["scrapbook"]["name"] == "answer"
    assert "42" in "".join(str(v) for v in bundle.values())


def test_glue_works_without_myst_nb(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import now fails, as on Colab
    assert glue("answer", 3.5) is None


def test_glue_rejects_bad_names():
    with pytest.raises(TypeError, match="name must be a str"):
        glue(1, 2)
    with pytest.raises(ValueError, match="letters, digits"):
        glue("two words", 2)

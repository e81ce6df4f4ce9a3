import sys

import nbformat
import numpy as np
import pytest
import torch
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from rnnlib import book
from rnnlib.book import CHECK_MIME, ClaimWarning, check, glue
from rnnlib.runtime import SEED_ENV_VAR, STRICT_ENV_VAR


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


def test_a_check_that_holds_says_nothing(monkeypatch, recwarn, capsys):
    monkeypatch.delenv(STRICT_ENV_VAR, raising=False)
    assert check(2 > 1, "two is more than one", two=2) is None, "nothing for a notebook to print"
    assert len(recwarn) == 0 and capsys.readouterr() == ("", "")


def test_a_failed_check_under_strict_checks_raises_naming_the_claim_and_the_values(monkeypatch):
    monkeypatch.setenv(STRICT_ENV_VAR, "1")
    with pytest.raises(AssertionError, match=r"the loss falls below 1 \(this run: loss = 1\.235, steps = 300\)"):
        check(1.23456 < 1, "the loss falls below 1", loss=1.23456, steps=300)


def test_a_failed_check_on_a_readers_machine_warns_with_the_claim_and_goes_on(monkeypatch):
    monkeypatch.delenv(STRICT_ENV_VAR, raising=False)
    monkeypatch.setenv(SEED_ENV_VAR, "3")
    with pytest.warns(ClaimWarning) as caught:
        check(False, "every seed solves the task", rates=[1.0, 0.5, 1 / 3])
    (warning,) = caught
    text = str(warning.message)
    assert "does not bear out a sentence of this chapter" in text
    assert "“every seed solves the task”" in text
    assert "This run got: rates = [1, 0.5, 0.3333]" in text
    assert "the book's values are those printed on this chapter's page" in text.lower()
    assert "this run's seed is 3, from $RNNLIB_SEED; the book's is 0" in text
    assert "machines" in text and "GPUs" in text


def test_the_note_shows_the_books_values_once_published(monkeypatch):
    monkeypatch.delenv(STRICT_ENV_VAR, raising=False)
    monkeypatch.setattr(book, "_published", {})
    monkeypatch.setattr(book, "_language", ["en"])
    book.published({"the GRU solves it": {"accuracy": "0.998"}})
    with pytest.warns(ClaimWarning, match=r"This run got: accuracy = 0\.25\n\nThe book's run got: accuracy = 0\.998"):
        check(0.25 > 0.95, "the GRU solves it", accuracy=0.25)
    book.published({}, language="zh_CN")
    with pytest.warns(ClaimWarning, match="(?s)本次运行的结果不支持本章的一句话。.*本章写道：“the GRU solves it”。"):
        check(False, "the GRU solves it", accuracy=0.25)
    with pytest.raises(ValueError, match="language must be one of"):
        book.published({}, language="fr")


def test_a_claim_must_be_a_sentence():
    with pytest.raises(TypeError, match="claim must be a non-empty str"):
        check(True, "")
    with pytest.raises(TypeError, match="claim must be a non-empty str"):
        check(True, None)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.123456, "0.1235"),
        (12345.678, "1.235e+04"),
        (7, "7"),
        (True, "True"),
        ("time", '"time"'),
        (torch.tensor(2.5), "2.5"),
        (torch.tensor([1.0, 2.0]), "[1, 2]"),
        (torch.zeros(3, 4), "a tensor of shape (3, 4)"),
        (np.float64(0.5), "0.5"),
        (list(range(10)), "[0, 1, 2, 3, 4, 5, 6, 7, ...]"),
        ({"LSTM": 1.0, "GRU": 0.5}, '{"LSTM": 1, "GRU": 0.5}'),
    ],
)
def test_values_are_shown_short(value, shown):
    assert book._show(value) == shown


NOTEBOOK_WITH_A_FAILING_CHECK = [
    "from rnnlib.book import check\ncheck(0.4 > 0.95, 'the LSTM solves the task', accuracy=0.4)",
    "print('the notebook went on')",
]


def _run(cells: list[str], strict: bool, monkeypatch) -> nbformat.NotebookNode:
    """Run ``cells`` in a real kernel (the one nbval uses), with strict checks or not."""
    if strict:
        monkeypatch.setenv(STRICT_ENV_VAR, "1")
    else:
        monkeypatch.delenv(STRICT_ENV_VAR, raising=False)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    return nb


def test_in_a_readers_notebook_a_failed_check_shows_a_note_and_the_notebook_goes_on(monkeypatch):
    nb = _run(NOTEBOOK_WITH_A_FAILING_CHECK, strict=False, monkeypatch=monkeypatch)
    first, then = nb.cells
    notes = [o["data"]["text/markdown"] for o in first.outputs if "text/markdown" in o.get("data", {})]
    assert len(notes) == 1 and "“the LSTM solves the task”" in notes[0] and "`accuracy` = 0.4" in notes[0]
    assert any(o.get("name") == "stderr" and "ClaimWarning" in o["text"] for o in first.outputs)
    assert then.outputs[0]["text"] == "the notebook went on\n"


def test_under_the_build_and_the_tests_a_failed_check_stops_the_notebook(monkeypatch):
    with pytest.raises(CellExecutionError) as error:
        _run(NOTEBOOK_WITH_A_FAILING_CHECK, strict=True, monkeypatch=monkeypatch)
    assert error.value.ename == "AssertionError"
    assert error.value.evalue == "the LSTM solves the task (this run: accuracy = 0.4)"


def test_under_the_build_every_check_records_its_claim_and_values_for_the_colab_edition(monkeypatch):
    nb = _run(["from rnnlib.book import check\ncheck(1 < 2, 'one is less than two', one=1.0)"], True, monkeypatch)
    (record,) = [o for o in nb.cells[0].outputs if CHECK_MIME in o.get("data", {})]
    assert record["data"][CHECK_MIME] == {"claim": "one is less than two", "values": {"one": "1"}}
    assert record["data"]["text/plain"] == "", "nothing to read where a page showed it"

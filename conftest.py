"""Test set-up for the whole suite (tests/ and chapters/): the repository's
``ROOT``, the one fixture for the real data, the data loader pointed at the
local copy of the data, the seeds and strict checks of the notebooks, and the
notebooks timed.

Tests and CI never download: when ``RNNLIB_DATA`` is unset and the project's
``../shared/data`` copy exists, the loader is pointed at it, for the unit
tests and for the notebook kernels that nbval starts (they inherit the
environment).

Every claim of the prose is checked on three runs in every run of the suite,
with no extra execution: the build (README command 1) executes each chapter
with the book's seed 0, nbval here with ``RNNLIB_SEED=1`` (``NBVAL_SEED``), and
``tests/test_colab.py`` in a Colab-like environment with seed 2
(``COLAB_SEED``). Checks are strict (``RNNLIB_STRICT=1``): a sentence that one
of these runs does not bear out fails the suite.

The suite runs on two workers (pytest-xdist, ``-n 2 --dist loadscope`` in
pyproject.toml): each test file, and each notebook's cells, stay on one
worker, in order. The Colab-like runs (``tests/test_colab.py``), the longest
file, start first. The chapters' 60 s budget is therefore checked on the
build's run, which executes them one at a time (``tests/test_budget.py``),
not on nbval's, which shares the two cores with the other worker.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from pathlib import Path

# One PyTorch thread per process, here and in every notebook kernel the suite
# starts (they inherit these): the suite runs on two workers (pyproject.toml),
# each running a kernel or a test, on a 2-core machine. With PyTorch's default
# of one thread per core, two kernels at once had four threads waiting on each
# other, and chapters took up to six times as long; a unit test once went
# from 0.4 s to 48 s that way. So the suite checks every claim with one thread
# per process (chapters 5, 6 and 11 still train in two processes), and the
# build, which runs one chapter at a time, with PyTorch's default, as a
# reader's machine does.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import matplotlib  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

# Figures drawn by the unit tests are never shown. (Not MPLBACKEND: the
# notebook kernels that nbval starts would inherit it and show no figures.)
matplotlib.use("Agg")

#: The repository's root; tests import it from here (``from conftest import ROOT``).
ROOT = Path(__file__).resolve().parent
SHARED_DATA = ROOT.parent / "shared" / "data"

#: Each chapter must execute within this many seconds on a 2-core CPU (``tests/test_budget.py``).
NOTEBOOK_BUDGET_S = 60.0

if not os.environ.get("RNNLIB_DATA") and (SHARED_DATA / "names").is_dir():
    os.environ["RNNLIB_DATA"] = str(SHARED_DATA)

# A check of the prose that a run does not bear out fails the test (rnnlib.book.check).
os.environ["RNNLIB_STRICT"] = "1"
#: The seed nbval's kernels run every chapter with (set RNNLIB_SEED to try another);
#: the build uses the book's seed, 0.
NBVAL_SEED = int(os.environ.setdefault("RNNLIB_SEED", "1"))
#: The seed of the Colab-like runs (tests/test_colab.py): a third run of every chapter.
COLAB_SEED = NBVAL_SEED + 1


def require_built(path: Path, what: str) -> None:
    """Fail (or, outside CI, skip) a test that reads ``path``, one of README command 1's outputs, when it is missing.

    Command 2 (the test suite) reads what command 1 (the build) writes: the
    site, its Chinese edition, the Colab edition and the PDF. Run locally
    without them, such a test is skipped, saying to run command 1 first;
    under CI (``CI`` set), where command 1 has always run, it fails instead.
    """
    require(path.exists(), f"no {what} in {path.relative_to(ROOT)}: run README command 1 first")


def require(condition: bool, reason: str) -> None:
    """Skip a test when something it needs is missing; under CI (``CI`` set), fail it instead."""
    if not condition:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


_notebook_seconds: dict[str, float] = {}
#: Lines for sections at the end of pytest's report, by section title (``summarize``).
_summary: dict[str, list[str]] = {}


def summarize(section: str, line: str) -> None:
    """Add ``line`` to the section ``section`` printed at the end of the run (from a worker too)."""
    _summary.setdefault(section, []).append(line)


@pytest.fixture(scope="session")
def names_root() -> Path:
    """The folder that holds the real names data (``names/`` inside it)."""
    from rnnlib.data import find_names_dir

    return find_names_dir().parent


@pytest.fixture(scope="session")
def data(names_root: Path):
    """The real names data, loaded once for the whole run (:class:`rnnlib.data.NamesData`)."""
    from rnnlib.data import load_names

    return load_names(names_root)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the longest file, tests/test_colab.py (every chapter and assignment run like on Colab), first.

    With ``--dist loadscope --no-loadscope-reorder`` the workers take files in
    this order: the Colab-like runs start at once on one worker while the
    other works through everything else.
    """
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_colab.py")  # stable: the rest keep order


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the time nbval spends in each notebook's cells."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb") and not hasattr(report, "node"):  # once: in the worker, or in a run without workers
        _notebook_seconds[path] = _notebook_seconds.get(path, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In a worker: hand its summary lines and notebook times to the main process."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["rnn_course_summary"] = json.dumps([_summary, _notebook_seconds])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """In the main process: collect what a worker handed over (an xdist hook)."""
    summary, seconds = json.loads(node.workeroutput.get("rnn_course_summary", "[{}, {}]"))
    for section, lines in summary.items():
        _summary.setdefault(section, []).extend(lines)
    _notebook_seconds.update(seconds)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """Print the sections that tests added (``summarize``), and the time nbval spent in each notebook."""
    if hasattr(config, "workeroutput"):
        return
    for section, lines in _summary.items():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)
    if _notebook_seconds:
        terminalreporter.section("nbval's run of each notebook (the budget is the build's: tests/test_budget.py)")
        for path, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{seconds:7.1f} s  {path}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to the test output."""

    def log_message(self, *args: object) -> None:
        pass


class BreaksOffHandler(http.server.BaseHTTPRequestHandler):
    """Promises the whole of ``content`` (set it in a subclass), sends half of it, and hangs up."""

    content = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.content)))
        self.end_headers()
        self.wfile.write(self.content[: len(self.content) // 2])

    log_message = QuietHandler.log_message


@pytest.fixture(scope="module")
def serve_dir():
    """Serve folders over HTTP on 127.0.0.1; ``serve_dir(path)`` returns the base URL."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def made_assignments(tmp_path_factory) -> Path:
    """Every assignment made from its committed source notebook, in a temporary ``assignments`` folder.

    Holds ``source/`` (copied), ``dist/<name>/`` (the grader's material) and
    ``student/<name>/`` (the student versions), as ``make`` writes them.
    ``otter assign`` also runs every test against the solutions here, so
    this fails if a solution does not pass its own tests.

    Made once per run: with two workers (pytest-xdist), the first to need it
    makes it in the run's shared temporary folder, under a lock, and the
    other reads it there. The tests only read it.
    """
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from filelock import FileLock

    from tools.assignments import ASSIGNMENTS, make_assignment

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's folder sits in the run's folder
        shared = shared.parent
    root, done = shared / "assignments", shared / "assignments.made"
    with FileLock(shared / "assignments.lock"):
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a worker that failed half-way left
            shutil.copytree(ROOT / "assignments" / "source", root / "source")
            with ThreadPoolExecutor(max_workers=2) as pool:  # each `otter assign` is a process: two at a time
                list(pool.map(lambda name: make_assignment(name, root), ASSIGNMENTS))
            done.touch()
    return root

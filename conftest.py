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
"""

from __future__ import annotations

import datetime
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import matplotlib
import pytest
import torch

# The unit tests train tiny models: one thread is faster for them, and on a
# busy machine a second thread that waits on the first made a 0.4 s test take
# 48 s. (The notebook kernels that nbval starts are separate processes and
# keep PyTorch's default.)
torch.set_num_threads(1)

# Figures drawn by the unit tests are never shown. (Not MPLBACKEND: the
# notebook kernels that nbval starts would inherit it and show no figures.)
matplotlib.use("Agg")

#: The repository's root; tests import it from here (``from conftest import ROOT``).
ROOT = Path(__file__).resolve().parent
SHARED_DATA = ROOT.parent / "shared" / "data"

#: Each chapter must execute within this many seconds on a 2-core CPU: checked on the faster of
#: nbval's run and the build's (:func:`notebook_seconds`).
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


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the time nbval spends in each notebook's cells."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] = _notebook_seconds.get(path, 0.0) + report.duration


def build_seconds(path: str) -> float | None:
    """How long README command 1's build took to execute the notebook at ``path`` as it is now, or None.

    Read from the build's execution cache (``_build/.jupyter_cache``). The
    cache matches a notebook by its code alone, so a record is used only if
    it is newer than every file of ``rnnlib`` and ``requirements.txt`` (after
    a change there, an incremental build reuses the old record, and its time
    may no longer hold). None when there is no such record, or the cache
    cannot be read.
    """
    cache = ROOT / "_build" / ".jupyter_cache"
    if not cache.is_dir():
        return None
    try:
        from jupyter_cache import get_cache

        record = get_cache(cache).match_cache_file(ROOT / path)
    except Exception:  # no record for this code (KeyError), or a cache that cannot be read: use nbval's time
        return None
    newest = max(file.stat().st_mtime for file in [ROOT / "requirements.txt", *(ROOT / "rnnlib").rglob("*.py")])
    if record.created.replace(tzinfo=datetime.UTC).timestamp() < newest:
        return None
    return record.data.get("execution_seconds")


def notebook_seconds() -> dict[str, tuple[float, float | None, float]]:
    """For each notebook nbval ran: its nbval time, the build's time (or None), and the faster of the two.

    The budget is checked on the faster of the run's two full executions of
    the chapter: on a shared machine, other work only ever adds time, so the
    faster run is the better measure of what the chapter itself costs (as
    ``timeit`` reports its fastest repeat). A chapter over budget in both
    fails the run.
    """
    times = {}
    for path, seconds in sorted(_notebook_seconds.items()):
        built = build_seconds(path)
        times[path] = (seconds, built, seconds if built is None else min(seconds, built))
    return times


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """Print each notebook's execution times, and fail the run if one is over budget."""
    if not _notebook_seconds:
        return
    terminalreporter.section(f"notebook execution time (budget {NOTEBOOK_BUDGET_S:.0f} s each, on the faster run)")
    terminalreporter.write_line("  nbval   build  notebook")
    times = notebook_seconds()
    for path, (seconds, built, fastest) in times.items():
        flag = "  OVER BUDGET" if fastest > NOTEBOOK_BUDGET_S else ""
        build_text = "      -" if built is None else f"{built:7.1f}"
        terminalreporter.write_line(f"{seconds:7.1f} {build_text}  {path}{flag}")
    if any(fastest > NOTEBOOK_BUDGET_S for *_, fastest in times.values()):
        terminalreporter.write_line("A notebook over its time budget fails the run.", red=True, bold=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Make the run fail when a notebook went over its time budget (on the faster of its two runs)."""
    if exitstatus == 0 and any(fastest > NOTEBOOK_BUDGET_S for *_, fastest in notebook_seconds().values()):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
    """
    from concurrent.futures import ThreadPoolExecutor

    from tools.assignments import ASSIGNMENTS, make_assignment

    root = tmp_path_factory.mktemp("assignments")
    shutil.copytree(ROOT / "assignments" / "source", root / "source")
    with ThreadPoolExecutor(max_workers=2) as pool:  # each `otter assign` is a process of its own: two at a time
        list(pool.map(lambda name: make_assignment(name, root), ASSIGNMENTS))
    return root


@pytest.fixture(scope="session")
def rnnlib_wheel(tmp_path_factory) -> Path:
    """rnnlib's wheel, built by pip once per run: what learners install (tests/test_package.py reads it,
    tests/test_colab.py installs it in every notebook's install cell).

    Built from a copy, so that setuptools' build/ and egg-info never land in the checkout.
    """
    folder = tmp_path_factory.mktemp("rnnlib-wheel")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "rnnlib", folder / "rnnlib", ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", "dist", "."]
    subprocess.run(command, cwd=folder, check=True, timeout=300)
    (wheel,) = (folder / "dist").glob("rnnlib-*.whl")
    return wheel

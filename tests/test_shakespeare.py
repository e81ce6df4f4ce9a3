"""Tiny Shakespeare's loader: its search order, its download, and every way the file can be bad.

Downloads are real: a ``http.server`` on 127.0.0.1 serves the local copy of
the published ``input.txt`` (or a file made from it), so the code under test
opens a real socket and reads real bytes. Nothing leaves this machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import socket
import threading
from pathlib import Path

import pytest

from conftest import BreaksOffHandler, require
from rnnlib.data import (
    SHAKESPEARE_SHA256,
    SHAKESPEARE_SIZE,
    SHAKESPEARE_URL,
    ChecksumError,
    DataNotFoundError,
    DownloadError,
    StaleCacheWarning,
    find_shakespeare,
    load_shakespeare,
)

RELATIVE = Path("tinyshakespeare/input.txt")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture(scope="module")
def published_path() -> Path:
    """The local copy of the published file (found through the ``$RNNLIB_DATA`` that conftest sets)."""
    try:
        return find_shakespeare(download=False)
    except DataNotFoundError:
        require(False, "no local copy of Tiny Shakespeare (../shared/data/tinyshakespeare/input.txt)")


@pytest.fixture(scope="module")
def published(published_path) -> bytes:
    """The published file's bytes."""
    return published_path.read_bytes()


@pytest.fixture(scope="module")
def serve(tmp_path_factory, serve_dir):
    """Publish bytes over HTTP on loopback; ``serve(content)`` returns their URL, which ends in ``/input.txt``.

    One server for the whole module (each server takes up to half a second to shut down).
    """
    root = tmp_path_factory.mktemp("www")
    base = serve_dir(root)

    def publish(content: bytes) -> str:
        folder = sha256(content)[:16]
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "input.txt").write_bytes(content)
        return f"{base}{folder}/input.txt"

    return publish


@pytest.fixture()
def no_env(monkeypatch):
    monkeypatch.delenv("RNNLIB_DATA", raising=False)


def leftovers(cache: Path) -> list[str]:
    """Every file and folder under ``cache``, hidden temporary files included."""
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")) if cache.exists() else []


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/input.txt"  # nothing listens there now


def test_the_pinned_constants_are_those_of_the_published_file(published_path, published):
    assert published_path.relative_to(published_path.parents[1]) == RELATIVE
    assert len(published) == SHAKESPEARE_SIZE == 1_115_394
    assert sha256(published) == SHAKESPEARE_SHA256
    assert SHAKESPEARE_URL.endswith("karpathy/char-rnn/master/data/tinyshakespeare/input.txt")
    text = load_shakespeare(download=False)
    assert len(text) == SHAKESPEARE_SIZE  # plain ASCII: one character a byte
    assert text.count("\n") == 40_000 and text.endswith("\n")
    assert text.startswith("First Citizen:\nBefore we proceed any further, hear me speak.")


def test_search_order_is_path_then_env_then_cache(tmp_path, monkeypatch, published):
    own = tmp_path / "own" / "sonnets.txt"
    own.parent.mkdir()
    own.write_text("Shall I compare thee to a summer's day?\n", encoding="utf-8")  # your own text: read as it is
    env, cache = tmp_path / "env", tmp_path / "cache"
    for folder in (env, cache):
        (folder / RELATIVE).parent.mkdir(parents=True)
        (folder / RELATIVE).write_bytes(published)
    monkeypatch.setenv("RNNLIB_DATA", str(env))
    assert find_shakespeare(own, cache_dir=cache) == own
    assert load_shakespeare(own) == "Shall I compare thee to a summer's day?\n"
    # A folder holding input.txt, or a data folder holding tinyshakespeare/input.txt.
    assert find_shakespeare(str(cache / "tinyshakespeare")) == cache / RELATIVE
    assert find_shakespeare(cache) == cache / RELATIVE
    assert find_shakespeare(cache_dir=cache, download=False) == env / RELATIVE
    # A data folder without Tiny Shakespeare (the one data.zip unzips to) is passed over.
    (env / RELATIVE).unlink()
    assert find_shakespeare(cache_dir=cache, download=False) == cache / RELATIVE
    monkeypatch.delenv("RNNLIB_DATA")
    assert find_shakespeare(cache_dir=cache, download=False) == cache / RELATIVE


def test_download_verifies_then_the_cache_needs_no_server(tmp_path, serve, no_env, published, capsys):
    cache = tmp_path / "cache"
    found = find_shakespeare(cache_dir=cache, url=serve(published))
    assert found == cache / RELATIVE
    assert found.read_bytes() == published
    assert leftovers(cache) == ["tinyshakespeare", "tinyshakespeare/input.txt"]
    shown = capsys.readouterr().err  # the progress bar, as a learner sees it
    assert "downloading input.txt" in shown and "100%" in shown
    # A second call makes no request: nothing listens at this address, and it still succeeds.
    assert find_shakespeare(cache_dir=cache, url=closed_port_url()) == found
    assert load_shakespeare(cache_dir=cache, url=closed_port_url()).startswith("First Citizen:")


def test_a_mirror_with_its_own_digest_is_accepted(tmp_path, serve, no_env):
    """A different file is fine when its digest is given: the published size then does not apply."""
    content = b"ROMEO:\nBut, soft! what light through yonder window breaks?\n"
    cache = tmp_path / "cache"
    found = find_shakespeare(cache_dir=cache, url=serve(content), sha256=sha256(content).upper())
    assert found.read_bytes() == content
    assert load_shakespeare(cache_dir=cache, url=closed_port_url(), sha256=sha256(content)) == content.decode()
    # The same cache checked against the published digest is stale.
    with pytest.raises(ChecksumError, match=r"has 59 bytes, where the published Tiny Shakespeare has 1,115,394"):
        find_shakespeare(cache_dir=cache, download=False)


@pytest.fixture(scope="module")
def breaks_off(published):
    """The URL of a server that sends half of the published file and hangs up."""
    handler = type("Handler", (BreaksOffHandler,), {"content": published})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/input.txt"
    server.shutdown()
    server.server_close()


# Each way the download can go wrong: the error, what its message must say, and (for a failed
# transfer) the DownloadError it comes from. Whatever fails, no file is left behind and an older
# cached copy is kept.
FAILURES = {
    "wrong digest given": (ChecksumError, r"(?s)not the expected one\..*expected SHA-256: 0{64}\n  actual SHA-256:"),
    "truncated file": (ChecksumError, r"\nThe download has 557,697 bytes, where the published .* has 1,115,394"),
    "one letter changed": (ChecksumError, rf"(?s)The download does not match.*expected SHA-256: {SHAKESPEARE_SHA256}"),
    "HTML page instead": (ChecksumError, r"(?s)It is a web page.*Nothing was written to the cache"),
    "404": (DataNotFoundError, r"download: failed \(http://127\.0\.0\.1:\d+/\w+/missing\.txt answered HTTP 404"),
    "refused connection": (DataNotFoundError, r"download: failed \(could not reach http://127\.0\.0\.1:\d+/"),
    "transfer breaks off": (DataNotFoundError, r"download: failed \(the download from .* broke off after"),
}


@pytest.mark.parametrize("older", [False, True], ids=["empty cache", "older copy in the cache"])
@pytest.mark.parametrize("case", FAILURES)
def test_every_download_failure_is_clear_and_leaves_nothing(
    case, older, tmp_path, serve, no_env, breaks_off, published
):
    cache = tmp_path / "deep" / "cache"
    stale = published.replace(b"Citizen", b"citizen", 1)
    if older:
        (cache / RELATIVE).parent.mkdir(parents=True)
        (cache / RELATIVE).write_bytes(stale)
    digest = "0" * 64 if case == "wrong digest given" else SHAKESPEARE_SHA256
    served = {
        "truncated file": published[: len(published) // 2],
        "one letter changed": published.replace(b"Romeo", b"Romea", 1),
        "HTML page instead": b"<!DOCTYPE html><html><body>Sign in</body></html>",
    }
    url = serve(served.get(case, published))
    url = {"404": url.replace("input.txt", "missing.txt"), "refused connection": closed_port_url()}.get(case, url)
    url = breaks_off if case == "transfer breaks off" else url
    error, message = FAILURES[case]
    with (
        pytest.warns(StaleCacheWarning) if older else contextlib.nullcontext(),
        pytest.raises(error, match=message) as caught,
    ):
        find_shakespeare(cache_dir=cache, url=url, sha256=digest)
    if error is DataNotFoundError:
        assert isinstance(caught.value.__cause__, DownloadError)
        assert ("not the expected file, not used" in str(caught.value)) == older
    if older:
        assert leftovers(cache) == ["tinyshakespeare", "tinyshakespeare/input.txt"]
        assert (cache / RELATIVE).read_bytes() == stale
    else:
        assert leftovers(cache) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b + b"\n", r"has 1,115,395 bytes.*only at its end: 1 extra line break"),
        (lambda b: b.replace(b"Citizen", b"citizen", 1), rf"does not match.*expected SHA-256: {SHAKESPEARE_SHA256}"),
    ],
    ids=["extra newline", "one letter changed"],
)
def test_rnnlib_data_holding_another_copy_is_refused(change, message, tmp_path, monkeypatch, published):
    (tmp_path / "env" / RELATIVE).parent.mkdir(parents=True)
    (tmp_path / "env" / RELATIVE).write_bytes(change(published))
    monkeypatch.setenv("RNNLIB_DATA", str(tmp_path / "env"))
    with pytest.raises(ChecksumError, match=rf"(?s){message}.*Fix: put an unchanged copy at .*input\.txt"):
        find_shakespeare(cache_dir=tmp_path / "cache", url=closed_port_url())
    assert leftovers(tmp_path / "cache") == []


def test_a_stale_cache_is_reported_then_replaced(tmp_path, serve, no_env, published):
    cache = tmp_path / "cache"
    (cache / RELATIVE).parent.mkdir(parents=True)
    (cache / RELATIVE).write_bytes(published + b"\n")
    with pytest.raises(ChecksumError, match=r"(?s)1 extra line break.*with download=True to replace it, or delete"):
        find_shakespeare(cache_dir=cache, download=False)
    assert (cache / RELATIVE).stat().st_size == SHAKESPEARE_SIZE + 1  # refused, not deleted
    with pytest.warns(StaleCacheWarning, match=r"(?s)1 extra line break.*replacing it with a fresh download"):
        found = find_shakespeare(cache_dir=cache, url=serve(published))
    assert found.read_bytes() == published
    assert leftovers(cache) == ["tinyshakespeare", "tinyshakespeare/input.txt"]


def test_nothing_found_says_where_it_looked_and_how_to_fix(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("RNNLIB_DATA", str(tmp_path / "names-only"))
    with pytest.raises(DataNotFoundError) as caught:
        find_shakespeare(cache_dir=cache, download=False)
    message = str(caught.value)
    assert f"$RNNLIB_DATA: {tmp_path / 'names-only' / RELATIVE}: not there" in message
    assert f"cache: {cache / RELATIVE}: not there" in message
    assert "download: not tried (download=False)" in message
    assert SHAKESPEARE_URL in message and "export RNNLIB_DATA=" in message and "path=" in message
    monkeypatch.delenv("RNNLIB_DATA")
    with pytest.raises(DataNotFoundError, match=r"\$RNNLIB_DATA: not set"):
        load_shakespeare(cache_dir=cache, download=False)
    assert leftovers(cache) == []


def test_wrong_arguments_are_named(tmp_path):
    with pytest.raises(DataNotFoundError, match=r"(?s)No Tiny Shakespeare in .*nowhere.*Fix: pass the file"):
        find_shakespeare(tmp_path / "nowhere")
    with pytest.raises(TypeError, match="path must be a str or os.PathLike, got int"):
        find_shakespeare(42)
    with pytest.raises(TypeError, match="path must be a str or os.PathLike, got bytes"):
        load_shakespeare(b"input.txt")
    with pytest.raises(ValueError, match="64 hexadecimal digits, got '86c4e6aa'"):
        find_shakespeare(sha256="86c4e6aa")
    with pytest.raises(TypeError, match="sha256 must be a str"):
        find_shakespeare(sha256=None)
    latin1 = tmp_path / "input.txt"
    latin1.write_bytes("Roméo\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"input\.txt is not UTF-8 text \(invalid continuation byte at offset 3\)"):
        load_shakespeare(tmp_path)

"""The loader's search order, its download, and every way the data can be bad.

Downloads are real: a ``http.server`` on 127.0.0.1 serves archives laid out
like the published ``data.zip``, built from the local copy of its files, so
the code under test opens a real socket and reads real bytes. Nothing leaves
this machine. The published archive itself cannot be rebuilt byte for byte,
so each test passes its own archive's digest as ``sha256=``, as a mirror's
user would; every file inside must still match its published digest.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import shutil
import socket
import stat
import threading
import zipfile
from pathlib import Path

import pytest

from conftest import BreaksOffHandler
from rnnlib.data import (
    DATA_SHA256,
    ChecksumError,
    DataNotFoundError,
    DownloadError,
    StaleCacheWarning,
    UnsafeArchiveError,
    download_data,
    find_eng_fra,
    find_names_dir,
    load_names,
    verify_names_dir,
)
from rnnlib.data.fetch import ENG_FRA_SHA256, FILE_SHA256, NAMES_SHA256, safe_extract, verify_file


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def make_zip(
    data_root: Path, *, change: str | None = None, drop: str | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """An archive laid out like the published data.zip (everything under ``data/``).

    ``change`` alters one file (a path such as ``names/Russian.txt``), ``drop``
    leaves one out, ``extra`` adds entries.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for relative in sorted(FILE_SHA256):
            if relative == drop:
                continue
            content = (data_root / relative).read_bytes()
            if relative == change:
                content = content.replace(b"a", b"o", 1)
            archive.writestr(f"data/{relative}", content)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def published_layout(names_root) -> bytes:
    """A zip of the published files, in the published layout."""
    return make_zip(names_root)


@pytest.fixture()
def serve(tmp_path, serve_dir):
    """Publish bytes over HTTP on loopback; ``serve(name, content)`` returns their URL."""
    root = tmp_path / "www"
    root.mkdir()
    base = serve_dir(root)

    def publish(name: str, content: bytes) -> str:
        (root / name).write_bytes(content)
        return base + name

    return publish


def leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


@pytest.fixture()
def no_env(monkeypatch):
    monkeypatch.delenv("RNNLIB_DATA", raising=False)


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/data.zip"  # nothing listens there now


def old_variant(names_root: Path, folder: Path) -> Path:
    """The names folder an earlier rnnlib pinned: ``Portugese.txt``, two newlines at each file's end."""
    folder.mkdir(parents=True)
    for file in (names_root / "names").glob("*.txt"):
        name = "Portugese.txt" if file.name == "Portuguese.txt" else file.name
        (folder / name).write_bytes(file.read_bytes() + b"\n")
    return folder


def test_the_pinned_digests_are_those_of_the_published_files(names_root):
    assert len(NAMES_SHA256) == 18 and "Portuguese.txt" in NAMES_SHA256
    verify_names_dir(names_root / "names")
    assert sha256((names_root / "eng-fra.txt").read_bytes()) == ENG_FRA_SHA256


def test_search_order_is_path_then_env_then_cache(tmp_path, monkeypatch, names_root):
    explicit, env, cache = tmp_path / "explicit", tmp_path / "env", tmp_path / "cache"
    explicit.mkdir()
    (explicit / "Korean.txt").write_text("Ahn\n", encoding="utf-8")  # your own data: read as it is
    for folder in (env, cache):
        shutil.copytree(names_root / "names", folder / "names")
    monkeypatch.setenv("RNNLIB_DATA", str(env))
    assert find_names_dir(explicit, cache_dir=cache) == explicit
    assert find_names_dir(cache_dir=cache) == env / "names"
    monkeypatch.delenv("RNNLIB_DATA")
    assert find_names_dir(cache_dir=cache, download=False) == cache / "names"


def test_published_layout_downloads_verifies_and_loads(tmp_path, serve, no_env, published_layout, capsys):
    url = serve("data.zip", published_layout)
    cache = tmp_path / "cache"
    found = find_names_dir(cache_dir=cache, url=url, sha256=sha256(published_layout))
    assert found == cache / "names"
    assert leftovers(cache) == ["eng-fra.txt", "names"]
    assert sorted(p.name for p in found.iterdir()) == sorted(NAMES_SHA256)
    shown = capsys.readouterr().err  # the progress bar, as a learner sees it
    assert "downloading data.zip" in shown and "100%" in shown
    data = load_names(found)
    assert "Portuguese" in data.languages and len(data.languages) == 18
    assert data.report.skipped_not_names == 24
    # The sentence pairs came with it, and a second call needs no server.
    assert find_eng_fra(cache_dir=cache, url=closed_port_url()) == cache / "eng-fra.txt"
    assert find_names_dir(cache_dir=cache, url=closed_port_url()) == found


def test_the_published_digest_is_the_default(tmp_path, serve, no_env, published_layout):
    """Without sha256=, only the published archive is accepted: ours differs, and the message says how."""
    url = serve("data.zip", published_layout)
    with pytest.raises(ChecksumError) as caught:
        download_data(tmp_path / "cache", url=url, progress=False)
    message = str(caught.value)
    assert f"expected SHA-256: {DATA_SHA256}" in message
    assert f"{len(published_layout):,} bytes, where the published archive has 2,882,130" in message
    assert "Nothing was written to the cache" in message
    assert leftovers(tmp_path / "cache") == []


def test_a_transfer_that_breaks_off_is_a_download_error(tmp_path, published_layout):
    handler = type("Handler", (BreaksOffHandler,), {"content": published_layout})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/data.zip"
        with pytest.raises(DownloadError, match="broke off"):
            download_data(tmp_path / "cache", url=url, sha256=sha256(published_layout), progress=False)
    finally:
        server.shutdown()
        server.server_close()
    assert leftovers(tmp_path / "cache") == []


# Each way the download can go wrong: the error, and what its message must say.
# Every case leaves the cache empty.
FAILURES = {
    "wrong archive digest": (ChecksumError, r"expected SHA-256: 0{64}\n  actual SHA-256:"),
    "truncated archive": (ChecksumError, r"bytes but not the expected content"),
    "damaged archive, its own digest given": (ChecksumError, r"is damaged \(.*\); nothing was written"),
    "HTML page instead of a zip": (ChecksumError, r"is not a zip archive: it starts with '<!DOCTYPE html>.*web page"),
    "404": (DownloadError, r"answered HTTP 404"),
    "refused connection": (DownloadError, r"could not reach http://127\.0\.0\.1:\d+/data\.zip"),
    "zip-slip entry": (UnsafeArchiveError, r"entry '\.\./\.\./escaped\.txt' is a path outside"),
    "a file's digest differs": (ChecksumError, r"Russian\.txt does not match the published data"),
    "a file is missing": (ChecksumError, r"lacks data/eng-fra\.txt"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_every_download_failure_is_clear_and_leaves_nothing(case, tmp_path, serve, names_root, published_layout):
    good = sha256(published_layout)
    served = {
        "wrong archive digest": (published_layout, "0" * 64),
        "truncated archive": (published_layout[: len(published_layout) // 2], good),
        "damaged archive, its own digest given": (published_layout[: len(published_layout) // 2], None),
        "HTML page instead of a zip": (b"<!DOCTYPE html><html><body>Sign in</body></html>", good),
        "zip-slip entry": (make_zip(names_root, extra={"../../escaped.txt": b"gotcha"}), None),
        "a file's digest differs": (make_zip(names_root, change="names/Russian.txt"), None),
        "a file is missing": (make_zip(names_root, drop="eng-fra.txt"), None),
    }
    if case == "refused connection":
        url, digest = closed_port_url(), good
    else:
        content, digest = served.get(case, (published_layout, good))
        url = serve("data.zip", content)
        digest = digest or sha256(content)  # a mirror's archive: its own digest, the published files
        url = url.replace("data.zip", "missing.zip") if case == "404" else url
    error, message = FAILURES[case]
    cache = tmp_path / "deep" / "cache"
    with pytest.raises(error, match=message):
        download_data(cache, url=url, sha256=digest, progress=False)
    assert leftovers(cache) == []
    assert not list(tmp_path.rglob("escaped.txt"))


def test_a_failed_download_through_the_search_says_where_it_looked(tmp_path, serve, no_env, published_layout):
    url = serve("data.zip", published_layout).replace("data.zip", "missing.zip")
    with pytest.raises(DataNotFoundError, match=r"download: failed \(.*answered HTTP 404"):
        find_names_dir(cache_dir=tmp_path / "cache", url=url, sha256=sha256(published_layout))
    assert leftovers(tmp_path / "cache") == []


def test_the_archive_digest_must_look_like_one(tmp_path):
    with pytest.raises(ValueError, match="64 hexadecimal digits"):
        download_data(tmp_path, sha256="fb317e80")


def test_a_cache_folder_that_is_a_file_is_named(tmp_path, no_env):
    (tmp_path / "cache").write_text("not a folder")
    for call in (lambda: find_names_dir(cache_dir=tmp_path / "cache"), lambda: download_data(tmp_path / "cache")):
        with pytest.raises(NotADirectoryError, match=r"cache .*cache is a file, not a folder"):
            call()


def test_a_cache_folder_under_home_is_expanded(tmp_path, monkeypatch, no_env, names_root):
    monkeypatch.setenv("HOME", str(tmp_path))
    shutil.copytree(names_root / "names", tmp_path / "c" / "names")
    assert find_names_dir(cache_dir="~/c", download=False) == tmp_path / "c" / "names"


def test_a_missing_final_line_break_is_named(tmp_path, names_root):
    cut = tmp_path / "Korean.txt"
    cut.write_bytes((names_root / "names" / "Korean.txt").read_bytes().rstrip(b"\n"))
    with pytest.raises(ChecksumError, match="only at its end: no line break at the end of the last line"):
        verify_file(cut, NAMES_SHA256["Korean.txt"])


def test_absolute_and_symlink_entries_are_refused(tmp_path):
    link = zipfile.ZipInfo("data/names/link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    for name, info in (("absolute", zipfile.ZipInfo("/tmp/abs.txt")), ("link", link)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(info, "/etc/passwd")
        with zipfile.ZipFile(buffer) as archive, pytest.raises(UnsafeArchiveError):
            safe_extract(archive, tmp_path / name, archive.namelist())
        assert not (tmp_path / name).exists()


def test_the_earlier_local_variant_is_refused_saying_what_differs(tmp_path, names_root):
    old = old_variant(names_root, tmp_path / "old")
    with pytest.raises(ChecksumError) as caught:
        verify_names_dir(old)
    message = str(caught.value)
    assert "missing ['Portuguese.txt'], unexpected ['Portugese.txt']" in message
    assert "an earlier rnnlib made" in message
    # With the spelling mended, what is left to differ is the end of each file.
    (old / "Portugese.txt").rename(old / "Portuguese.txt")
    with pytest.raises(ChecksumError, match=r"Arabic\.txt differs from the published file only at its end: 1 extra"):
        verify_names_dir(old)


def test_rnnlib_data_pointing_at_other_data_is_refused(tmp_path, monkeypatch, names_root):
    old_variant(names_root, tmp_path / "old" / "names")
    monkeypatch.setenv("RNNLIB_DATA", str(tmp_path / "old"))
    with pytest.raises(ChecksumError, match=r"(?s)Portugese\.txt.*Fix: point \$RNNLIB_DATA at an unchanged copy"):
        find_names_dir(cache_dir=tmp_path / "cache")


def test_an_earlier_cache_is_reported_then_replaced(tmp_path, serve, no_env, names_root, published_layout):
    cache = tmp_path / "cache"
    old_variant(names_root, cache / "names")
    with pytest.raises(ChecksumError, match=r"(?s)Portugese\.txt.*with download=True to replace it"):
        find_names_dir(cache_dir=cache, download=False)
    assert (cache / "names" / "Portugese.txt").exists()  # refused, not deleted
    url = serve("data.zip", published_layout)
    with pytest.warns(StaleCacheWarning, match=r"(?s)Portugese\.txt.*replacing it with a fresh download"):
        found = find_names_dir(cache_dir=cache, url=url, sha256=sha256(published_layout))
    verify_names_dir(found)
    assert leftovers(cache) == ["eng-fra.txt", "names"]


def test_a_cache_that_cannot_be_replaced_is_not_used(tmp_path, no_env, names_root):
    cache = tmp_path / "cache"
    old_variant(names_root, cache / "names")
    with pytest.warns(StaleCacheWarning), pytest.raises(DataNotFoundError) as caught:
        find_names_dir(cache_dir=cache, url=closed_port_url())
    assert "not the published data, not used" in str(caught.value)


def test_no_data_and_no_network_says_where_it_looked_and_how_to_fix(tmp_path, no_env):
    cache = tmp_path / "cache"
    url = closed_port_url()
    with pytest.raises(DataNotFoundError) as caught:
        find_names_dir(cache_dir=cache, url=url)
    message = str(caught.value)
    assert "$RNNLIB_DATA: not set" in message
    assert str(cache / "names") in message
    assert f"download: failed (could not reach {url}" in message
    assert "export RNNLIB_DATA=" in message
    assert leftovers(cache) == []


def test_download_false_never_touches_the_network(tmp_path, no_env):
    with pytest.raises(DataNotFoundError, match=r"not tried \(download=False\)"):
        find_names_dir(cache_dir=tmp_path / "cache", download=False)
    with pytest.raises(DataNotFoundError, match=r"eng-fra\.txt data"):
        find_eng_fra(cache_dir=tmp_path / "cache", download=False)


def test_wrong_explicit_path_or_env_is_named(tmp_path, monkeypatch):
    with pytest.raises(DataNotFoundError, match="No names data in .*nowhere"):
        find_names_dir(tmp_path / "nowhere")
    monkeypatch.setenv("RNNLIB_DATA", str(tmp_path / "empty"))
    with pytest.raises(DataNotFoundError, match=r"\$RNNLIB_DATA is set to .*empty"):
        find_names_dir()
    with pytest.raises(TypeError, match="os.PathLike"):
        find_names_dir(42)


def test_a_tampered_cache_is_reported_not_used(tmp_path, no_env, names_root):
    cache = tmp_path / "cache"
    shutil.copytree(names_root / "names", cache / "names")
    (cache / "names" / "Greek.txt").write_text("Papadopoulos\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match=r"(?s)Greek\.txt does not match.*delete .*names"):
        find_names_dir(cache_dir=cache, download=False)

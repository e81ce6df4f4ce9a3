"""The loader's search order, its download, and every way the data can be bad.

Downloads are real: a ``http.server`` on 127.0.0.1 serves archives built
from the local copy of the data, so the code under test opens a real socket
and reads real bytes. Nothing leaves this machine.
"""

from __future__ import annotations

import io
import socket
import stat
import zipfile
from pathlib import Path

import pytest

from rnnlib.data import (
    ChecksumError,
    DataNotFoundError,
    UnsafeArchiveError,
    download_names,
    find_names_dir,
    load_names,
    verify_names_dir,
)
from rnnlib.data.fetch import NAMES_SHA256, safe_extract


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


def make_zip(names_dir: Path, *, change: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """An archive laid out like data.zip, optionally with one file altered or entries added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("data/eng-fra.txt", "Go.\tVa !\n")
        for file in sorted(names_dir.glob("*.txt")):
            content = file.read_bytes()
            if file.name == change:
                content = content.replace(b"a", b"o", 1)
            archive.writestr(f"data/names/{file.name}", content)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


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


def test_the_published_digests_match_the_local_copy(names_root):
    assert len(NAMES_SHA256) == 18
    verify_names_dir(names_root / "names")


def test_search_order_is_path_then_env_then_cache(tmp_path, monkeypatch, names_root):
    explicit, env, cache = tmp_path / "explicit", tmp_path / "env", tmp_path / "cache"
    for folder in (explicit, env / "names"):
        folder.mkdir(parents=True)
        (folder / "Korean.txt").write_text("Ahn\n", encoding="utf-8")
    download_dir = (cache / "names")
    download_dir.mkdir(parents=True)
    for file in (names_root / "names").glob("*.txt"):
        (download_dir / file.name).write_bytes(file.read_bytes())
    monkeypatch.setenv("RNNLIB_DATA", str(env))
    assert find_names_dir(explicit, cache_dir=cache) == explicit
    assert find_names_dir(cache_dir=cache) == env / "names"
    monkeypatch.delenv("RNNLIB_DATA")
    assert find_names_dir(cache_dir=cache, download=False) == cache / "names"


def test_download_installs_verified_files_and_leaves_nothing_else(tmp_path, serve, no_env, names_root):
    url = serve("data.zip", make_zip(names_root / "names"))
    cache = tmp_path / "cache"
    found = find_names_dir(cache_dir=cache, url=url)
    assert found == cache / "names"
    assert leftovers(cache) == ["names"]
    assert sorted(p.name for p in found.iterdir()) == sorted(NAMES_SHA256)
    assert len(load_names(found).languages) == 18
    # The second call uses the cache: the server is not needed any more.
    assert find_names_dir(cache_dir=cache, url=closed_port_url()) == found


def test_changed_content_is_a_checksum_error_and_nothing_is_kept(tmp_path, serve, names_root):
    url = serve("data.zip", make_zip(names_root / "names", change="Russian.txt"))
    cache = tmp_path / "cache"
    with pytest.raises(ChecksumError) as caught:
        download_names(cache, url=url, progress=False)
    message = str(caught.value)
    assert "Russian.txt" in message
    assert f"expected SHA-256: {NAMES_SHA256['Russian.txt']}" in message
    assert "actual SHA-256:" in message
    assert leftovers(cache) == []


def test_damaged_archive_is_a_checksum_error_and_nothing_is_kept(tmp_path, serve, names_root):
    archive = bytearray(make_zip(names_root / "names"))
    start = archive.index(b"Abboud")  # inside Arabic.txt's stored bytes
    archive[start : start + 6] = b"XXXXXX"
    url = serve("data.zip", bytes(archive))
    cache = tmp_path / "cache"
    with pytest.raises(ChecksumError, match="damaged") as caught:
        download_names(cache, url=url, progress=False)
    assert "actual SHA-256 of the archive" in str(caught.value)
    assert leftovers(cache) == []


def test_truncated_archive_is_a_checksum_error(tmp_path, serve, names_root):
    archive = make_zip(names_root / "names")
    url = serve("data.zip", archive[: len(archive) // 2])
    with pytest.raises(ChecksumError, match="damaged"):
        download_names(tmp_path / "cache", url=url, progress=False)
    assert leftovers(tmp_path / "cache") == []


def test_entry_escaping_the_target_is_refused_before_anything_is_written(tmp_path, serve, names_root):
    archive = make_zip(names_root / "names", extra={"../../escaped.txt": b"gotcha"})
    url = serve("data.zip", archive)
    cache = tmp_path / "deep" / "cache"
    with pytest.raises(UnsafeArchiveError, match=r"\.\./\.\./escaped\.txt"):
        download_names(cache, url=url, progress=False)
    assert not list(tmp_path.rglob("escaped.txt"))
    assert leftovers(cache) == []


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


def test_no_data_and_no_network_says_where_it_looked_and_how_to_fix(tmp_path, no_env):
    cache = tmp_path / "cache"
    url = closed_port_url()
    with pytest.raises(DataNotFoundError) as caught:
        find_names_dir(cache_dir=cache, url=url)
    message = str(caught.value)
    assert "$RNNLIB_DATA: not set" in message
    assert str(cache / "names") in message
    assert f"download from {url}: failed" in message
    assert "export RNNLIB_DATA=" in message
    assert leftovers(cache) == []


def test_download_false_never_touches_the_network(tmp_path, no_env):
    with pytest.raises(DataNotFoundError, match=r"not tried \(download=False\)"):
        find_names_dir(cache_dir=tmp_path / "cache", download=False)


def test_wrong_explicit_path_or_env_is_named(tmp_path, monkeypatch):
    with pytest.raises(DataNotFoundError, match="No names data in .*nowhere"):
        find_names_dir(tmp_path / "nowhere")
    monkeypatch.setenv("RNNLIB_DATA", str(tmp_path / "empty"))
    with pytest.raises(DataNotFoundError, match=r"\$RNNLIB_DATA is set to .*empty"):
        find_names_dir()
    with pytest.raises(TypeError, match="os.PathLike"):
        find_names_dir(42)


def test_tampered_cache_is_reported_not_used(tmp_path, no_env, names_root):
    cache = tmp_path / "cache"
    (cache / "names").mkdir(parents=True)
    for file in (names_root / "names").glob("*.txt"):
        (cache / "names" / file.name).write_bytes(file.read_bytes())
    (cache / "names" / "Greek.txt").write_text("Papadopoulos\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="Greek.txt") as caught:
        find_names_dir(cache_dir=cache, download=False)
    assert f"delete the folder {cache / 'names'}" in str(caught.value)

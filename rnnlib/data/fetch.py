"""Find the PyTorch tutorials' data on disk, or download and verify it.

The course uses two things from the PyTorch tutorials' ``data.zip``: the
folder ``names/`` (surnames by language, chapters 8-9) and the file
``eng-fra.txt`` (English-French sentence pairs). A *data folder* holds
them side by side, as the archive's ``data/`` folder does::

    <data folder>/names/Arabic.txt ... names/Vietnamese.txt
    <data folder>/eng-fra.txt

The loader looks in four places, in this order:

1. the ``path`` argument, when the caller gives one (read as it is: it may
   be data of your own);
2. the data folder named by the environment variable ``RNNLIB_DATA``; when
   it is set, it must hold what is asked for (no other place is tried);
3. the per-user cache folder (``~/.cache/rnnlib`` on Linux and macOS);
4. ``data.zip``, downloaded into that cache folder.

What comes from 2, 3 and 4 is checked against the published SHA-256
digests: the archive's own, and every file's. A download is written
atomically: it goes to a temporary folder inside the cache, is verified, and
only then moved into place. When anything fails, the temporary folder is
removed and the cache is left as it was. A cache that no longer matches (for
instance the one an earlier rnnlib made, which spelled ``Portugese.txt``) is
reported with a warning and replaced by a fresh download.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import stat
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from pathlib import Path, PurePosixPath

from tqdm.auto import tqdm

#: Where the PyTorch tutorials publish ``data.zip``.
DATA_URL = "https://download.pytorch.org/tutorial/data.zip"

#: SHA-256 of the published ``data.zip`` (the digest PyTorch's tutorial CI pins).
DATA_SHA256 = "fb317e80248faeb62dc25ef3390ae24ca34b94e276bbc5141fd8862c2200bff5"

#: Size in bytes of the published ``data.zip``.
DATA_SIZE = 2_882_130

#: The environment variable that points the loader at a data folder.
ENV_VAR = "RNNLIB_DATA"

#: SHA-256 of each of the 18 names files as published (inside ``data/names/``).
NAMES_SHA256: dict[str, str] = {
    "Arabic.txt": "6f424a8dbe51cbbbabab7a57d38b617210125e4e3991f3c657cb79b8f104bafc",
    "Chinese.txt": "49263ef55a8cb1740e841d65cad8214b2f9b5b869bc534c811746422496fa91e",
    "Czech.txt": "145bbbd6d0816578f03388e92c264d39ef1c60df920b081d371fa5c5cc055a8e",
    "Dutch.txt": "924f32b635170eae561f84538632138fc07d4c8bbd70ba3fb980de1ecc4d2af3",
    "English.txt": "9cca037066d3d5989e24bc01801416162de506b5e28e15b7c092a47905d29bf2",
    "French.txt": "81e65b36c60ed5b89a17422f6edcadbb89546f38ad69e960e64e7ba682012a95",
    "German.txt": "7449cd590b97a733e18d613a4155decd77ec35dc5f8aadd7a82204dce4f051db",
    "Greek.txt": "3555b5186de7f401e6d991b088e9e644ca3099116477818c25ab5793801389e6",
    "Irish.txt": "cf8c7013256252a88d2503127b87282a11f21b2ff6db1bded68834c19a1ec058",
    "Italian.txt": "f88414c27d0606a11a678b4859277828c2565d6cc4d9ee932deef6e94f3b35e4",
    "Japanese.txt": "e0e717e114fec3e7eade4d9dabe0067c475f43147e36a22b47902ee76ad9e67f",
    "Korean.txt": "cd54221ccb362a6cba4c78828838cf3268a0e59744767a37cf6ec4b74036b136",
    "Polish.txt": "45bab898af2f60ed3a728bbf6980e28821011a7caa53227553b5785903a40826",
    "Portuguese.txt": "50a8735f41f4f73757c8ce5b16cb0275cd86b2b214bcbc8c9805f508cb131c53",
    "Russian.txt": "43b3e64ce351f77f1ac9e0cdf7566012d127f4371875fd25208845b5c9d6f7c3",
    "Scottish.txt": "78d0252711d87d948ea86fe34826c51d2d794a8e52d15b5d6f7b6244d45d62dd",
    "Spanish.txt": "1bcb462ed3316756a85781d68232bddae04498fdddd5d9219c53fd1fbdeba7a7",
    "Vietnamese.txt": "f3f9e4164ab47601178a6e45b216464a64122f49d05541f24bf18a757253281d",
}

#: SHA-256 of ``data/eng-fra.txt`` as published.
ENG_FRA_SHA256 = "6b0f3decdb78600485b58efb541f5a2ab69ba888742ac04180e013084e40de7c"

#: Every file the course uses, by its path in a data folder (and under ``data/`` in the archive).
FILE_SHA256: dict[str, str] = {
    **{f"names/{name}": digest for name, digest in NAMES_SHA256.items()},
    "eng-fra.txt": ENG_FRA_SHA256,
}

_ARCHIVE_ROOT = "data"
_ZIP_MAGIC = b"PK\x03\x04"
# The names folder that rnnlib 0.1 made from an unofficial copy of the data:
# it spelled the Portuguese file this way and ended every file with two newlines.
_OLD_PORTUGUESE = "Portugese.txt"


class DataNotFoundError(FileNotFoundError):
    """The data is in none of the places the loader looks."""


class ChecksumError(ValueError):
    """Downloaded or cached data does not match its published digest."""


class UnsafeArchiveError(ValueError):
    """An archive entry would be written outside the target folder."""


class DownloadError(OSError):
    """The download failed: no connection, an HTTP error, or an interrupted transfer."""


class StaleCacheWarning(UserWarning):
    """The cached data does not match the published files and is being replaced."""


def default_cache_dir() -> Path:
    """Return the per-user cache folder, ``$XDG_CACHE_HOME/rnnlib`` or ``~/.cache/rnnlib``.

    On Windows it is ``%LOCALAPPDATA%\\rnnlib``.
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "rnnlib"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rnnlib"


def _cache_folder(cache_dir: str | os.PathLike[str] | None) -> Path:
    """The cache folder: ``cache_dir`` (``~`` expanded) or :func:`default_cache_dir`.

    Raises:
        NotADirectoryError: if a file stands where the folder should be.
    """
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    if cache.exists() and not cache.is_dir():
        raise NotADirectoryError(
            f"the data cache {cache} is a file, not a folder. Fix: remove or rename it, or pass cache_dir= a folder."
        )
    return cache


def _names_dir_in(folder: str | os.PathLike[str]) -> Path | None:
    """The folder of ``<Language>.txt`` files at ``folder/names`` or ``folder``, or ``None``."""
    folder = Path(folder).expanduser()
    for candidate in (folder / "names", folder):
        if candidate.is_dir() and any(p.name != "eng-fra.txt" for p in candidate.glob("*.txt")):
            return candidate
    return None


def _sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _how_it_differs(path: Path, expected: str) -> str:
    """Say what differs in ``path``, whose SHA-256 is not ``expected``."""
    content = path.read_bytes()
    trimmed = content.rstrip(b"\r\n") + b"\n"
    if trimmed != content and hashlib.sha256(trimmed).hexdigest() == expected:
        extra = len(content) - len(trimmed)
        end = f"{extra} extra line break(s) after" if extra > 0 else "no line break at the end of"
        return f"{path} differs from the published file only at its end: {end} the last line."
    return (
        f"{path} does not match the published data.\n"
        f"  expected SHA-256: {expected}\n"
        f"  actual SHA-256:   {hashlib.sha256(content).hexdigest()}"
    )


def verify_file(path: str | os.PathLike[str], expected: str) -> None:
    """Check that the file at ``path`` has the SHA-256 digest ``expected``.

    Raises:
        ChecksumError: saying what differs (with both digests, or that only
            the line breaks at the end do).
    """
    path = Path(path)
    if _sha256(path) != expected:
        raise ChecksumError(_how_it_differs(path, expected))


def verify_names_dir(folder: str | os.PathLike[str]) -> None:
    """Check that ``folder`` holds exactly the 18 published names files, unchanged.

    Raises:
        ChecksumError: naming the files that are missing or unexpected, or
            the first file that differs and how.
    """
    folder = Path(folder)
    present = sorted(p.name for p in folder.glob("*.txt"))
    missing = sorted(set(NAMES_SHA256) - set(present))
    extra = sorted(set(present) - set(NAMES_SHA256))
    if missing or extra:
        hint = ""
        if _OLD_PORTUGUESE in extra:
            hint = (
                f"\nThis is the copy an earlier rnnlib made: it spells {_OLD_PORTUGUESE}, "
                "where the published data.zip has Portuguese.txt."
            )
        raise ChecksumError(
            f"{folder} does not hold the published names files: "
            f"missing {missing or 'none'}, unexpected {extra or 'none'}.{hint}"
        )
    for name, expected in NAMES_SHA256.items():
        verify_file(folder / name, expected)


def safe_extract(archive: zipfile.ZipFile, target: str | os.PathLike[str], members: list[str]) -> None:
    """Extract ``members`` of ``archive`` into ``target``, refusing unsafe entries.

    Every entry of the archive is checked first, not only ``members``: an
    archive with any entry that is an absolute path, climbs out with ``..``,
    or is a symbolic link is refused as a whole, before anything is written.

    Raises:
        UnsafeArchiveError: naming the first offending entry.
    """
    target = Path(target).resolve()
    for info in archive.infolist():
        path = PurePosixPath(info.filename.replace("\\", "/"))
        is_link = stat.S_ISLNK(info.external_attr >> 16)
        inside = (target / path).resolve().is_relative_to(target)
        if is_link or path.is_absolute() or ".." in path.parts or not inside:
            kind = "a symbolic link" if is_link else "a path outside the target folder"
            raise UnsafeArchiveError(
                f"refusing to extract the archive: entry {info.filename!r} is {kind}. "
                "The download may have been tampered with; nothing was extracted."
            )
    for member in members:
        archive.extract(member, target)


def _download(url: str, destination: Path, timeout: float, progress: bool) -> None:
    """Stream ``url`` into the file ``destination``, showing a progress bar.

    Raises:
        DownloadError: naming ``url`` and what went wrong.
    """
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            name = PurePosixPath(urllib.parse.urlsplit(url).path).name or url
            with (
                open(destination, "wb") as out,
                tqdm(total=total, unit="B", unit_scale=True, desc=f"downloading {name}", disable=not progress) as bar,
            ):
                received = 0
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
                    received += len(block)
                    bar.update(len(block))
            if total is not None and received != total:
                raise DownloadError(f"the download from {url} broke off after {received:,} of {total:,} bytes")
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{url} answered HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise DownloadError(f"could not reach {url}: {error.reason}") from error
    except (http.client.HTTPException, TimeoutError, ConnectionError) as error:
        raise DownloadError(f"the download from {url} broke off: {error!r}") from error


def _check_archive(path: Path, url: str, sha256: str) -> None:
    """Check the downloaded archive's digest; say plainly what arrived when it is wrong."""
    actual = _sha256(path)
    if actual == sha256:
        return
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(64)
    if not head.startswith(_ZIP_MAGIC):
        start = head.decode("utf-8", "replace").strip()[:40]
        what = f"is not a zip archive: it starts with {start!r}"
        if start.lstrip().startswith("<"):
            what += " (a web page: an error, login or proxy page?)"
    elif sha256 == DATA_SHA256 and size != DATA_SIZE:
        what = f"has {size:,} bytes, where the published archive has {DATA_SIZE:,} (cut short or changed?)"
    else:
        what = f"has {size:,} bytes but not the expected content"
    raise ChecksumError(
        f"the file downloaded from {url} {what}.\n"
        f"  expected SHA-256: {sha256}\n"
        f"  actual SHA-256:   {actual}\n"
        "Nothing was written to the cache. Run the loader again to retry; if this happens again, the\n"
        f"file at {url} has changed: pass the digest of a copy you trust as sha256=, or point ${ENV_VAR}\n"
        "at an unzipped copy."
    )


def download_data(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    url: str = DATA_URL,
    sha256: str = DATA_SHA256,
    timeout: float = 30.0,
    progress: bool = True,
) -> Path:
    """Download ``data.zip``, verify it, and install ``names/`` and ``eng-fra.txt`` in the cache.

    Args:
        cache_dir: the data folder to install into; default :func:`default_cache_dir`.
        url: where to download the archive from (a mirror, say).
        sha256: the archive's expected SHA-256; by default the published
            archive's. Whatever the archive, every file taken from it must
            match its published digest.
        timeout: seconds to wait for the server.
        progress: whether to show a progress bar.

    Returns:
        ``cache_dir``, now holding ``names/`` (18 files) and ``eng-fra.txt``, all verified.

    Raises:
        DownloadError: when the download fails (no connection, HTTP error).
        ChecksumError: when the archive or a file in it is not the published one.
        UnsafeArchiveError: when an archive entry would escape the cache.

    Whatever fails, what the cache held is left as it was, and nothing new is left in it.
    """
    if not isinstance(sha256, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise ValueError(f"sha256 must be a SHA-256 digest of 64 hexadecimal digits, got {sha256!r}")
    cache = _cache_folder(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        zip_path = Path(tmp) / "data.zip"
        _download(url, zip_path, timeout, progress)
        _check_archive(zip_path, url, sha256.lower())
        members = sorted(f"{_ARCHIVE_ROOT}/{relative}" for relative in FILE_SHA256)
        try:
            with zipfile.ZipFile(zip_path) as archive:
                absent = sorted(set(members) - set(archive.namelist()))
                if absent:
                    raise ChecksumError(f"the archive from {url} lacks {', '.join(absent)}")
                safe_extract(archive, Path(tmp) / "x", members)
        except (zipfile.BadZipFile, EOFError) as error:
            raise ChecksumError(f"the archive from {url} is damaged ({error}); nothing was written") from error
        extracted = Path(tmp) / "x" / _ARCHIVE_ROOT
        verify_names_dir(extracted / "names")
        verify_file(extracted / "eng-fra.txt", ENG_FRA_SHA256)
        # Into place: a file is replaced atomically; a folder is swapped, and the old one put back on failure.
        os.replace(extracted / "eng-fra.txt", cache / "eng-fra.txt")
        old = Path(tmp) / "old-names"
        if (cache / "names").exists():
            os.replace(cache / "names", old)
        try:
            os.replace(extracted / "names", cache / "names")
        except OSError:
            if old.exists():
                os.replace(old, cache / "names")
            raise
    return cache


def _find(
    what: str,
    path: str | os.PathLike[str] | None,
    *,
    download: bool,
    cache_dir: str | os.PathLike[str] | None,
    url: str,
    sha256: str,
) -> Path:
    """Find ``what`` (``"names"`` or ``"eng-fra.txt"``) in the places the module docstring lists."""

    def locate(folder: str | os.PathLike[str]) -> Path | None:
        if what == "names":
            return _names_dir_in(folder)
        file = Path(folder).expanduser() / what
        return file if file.is_file() else None

    def verify(found: Path) -> None:
        if what == "names":
            verify_names_dir(found)
        else:
            verify_file(found, ENG_FRA_SHA256)

    expected = "files like Arabic.txt, directly or in names/" if what == "names" else what
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        found = locate(path)
        if found is None:
            raise DataNotFoundError(
                f"No {what} data in {Path(path).expanduser().resolve()}: expected {expected}.\n"
                f"Fix: pass the folder that holds it, or call without path= to use ${ENV_VAR}, "
                "the cache or a download."
            )
        return found

    looked: list[str] = []
    env = os.environ.get(ENV_VAR)
    if env:
        found = locate(env)
        if found is None:
            raise DataNotFoundError(
                f"${ENV_VAR} is set to {env!r}, but that folder holds no {what} data ({expected}).\n"
                f"Fix: point ${ENV_VAR} at the folder that holds it, or unset it."
            )
        try:
            verify(found)
        except ChecksumError as error:
            raise ChecksumError(
                f"{error}\n${ENV_VAR} points at data that is not the published data.zip's.\n"
                f"Fix: point ${ENV_VAR} at an unchanged copy, or unset it to download one."
            ) from None
        return found
    looked.append(f"${ENV_VAR}: not set")

    cache = _cache_folder(cache_dir)
    cached = locate(cache)
    if cached is not None and cached.parent == cache:
        try:
            verify(cached)
            return cached
        except ChecksumError as error:
            if not download:
                raise ChecksumError(
                    f"{error}\nThe cached copy in {cache} is not the published data. Fix: call again "
                    f"with download=True to replace it, or delete {cached}."
                ) from None
            warnings.warn(
                f"{error}\nThe cached copy in {cache} is not the published data; replacing it with a fresh download.",
                StaleCacheWarning,
                stacklevel=3,
            )
            looked.append(f"cache folder {cached}: not the published data, not used")
    else:
        looked.append(f"cache folder {cache / what}: not there")

    if download:
        try:
            return download_data(cache, url=url, sha256=sha256) / what
        except DownloadError as error:
            looked.append(f"download: failed ({error})")
    else:
        looked.append("download: not tried (download=False)")

    raise DataNotFoundError(
        f"Could not find the {what} data. Looked in:\n"
        + "".join(f"  - {place}\n" for place in looked)
        + "Fix one of these ways:\n"
        + "  - connect to the internet and run this again (data.zip is downloaded once, about 3 MB);\n"
        + f"  - or download {url} yourself, unzip it, and set {ENV_VAR} to the data folder it made\n"
        + f"    (e.g. export {ENV_VAR}=/path/to/data), or pass that folder as path=...;\n"
        + f"  - or copy its data/ folder's contents to {cache}."
    )


def find_names_dir(
    path: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    url: str = DATA_URL,
    sha256: str = DATA_SHA256,
) -> Path:
    """Return the folder of ``<Language>.txt`` files, looking where the module docstring says.

    Args:
        path: a folder that holds the files (or a ``names/`` sub-folder with
            them). When given, it must hold the data: no other place is tried,
            and the files are not checked (they may be your own).
        download: whether to download ``data.zip`` when no folder holds the data.
        cache_dir: the cache folder; default :func:`default_cache_dir`.
        url: where to download ``data.zip`` from.
        sha256: the archive's expected SHA-256 (default: the published one).

    Raises:
        TypeError: if ``path`` is not a string or path.
        DataNotFoundError: listing every place looked and how to fix it.
        ChecksumError: if ``$RNNLIB_DATA``'s or a downloaded copy is not the
            published data, or the cache is and ``download`` is False.

    Warns:
        StaleCacheWarning: when the cached copy is not the published data and
            is replaced by a download.
    """
    return _find("names", path, download=download, cache_dir=cache_dir, url=url, sha256=sha256)


# The same keywords as find_names_dir, on purpose: both are thin doors onto _find.
def find_eng_fra(
    path: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    url: str = DATA_URL,
    sha256: str = DATA_SHA256,
) -> Path:
    """Return the path of ``eng-fra.txt`` (English-French pairs), found as :func:`find_names_dir` finds names.

    ``path`` is a data folder that holds ``eng-fra.txt``.
    """
    return _find("eng-fra.txt", path, download=download, cache_dir=cache_dir, url=url, sha256=sha256)

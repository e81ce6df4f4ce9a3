"""Find Tiny Shakespeare on disk, or download and verify it.

Tiny Shakespeare is the character-level corpus of Karpathy's char-rnn: one
file, ``input.txt``, about 1 MB of plays (40,000 lines, plain ASCII). In a
data folder it lies at::

    <data folder>/tinyshakespeare/input.txt

The loader looks in four places, in this order:

1. the ``path`` argument, when the caller gives one: the file itself, or a
   folder holding ``input.txt`` or ``tinyshakespeare/input.txt`` (read as it
   is: it may be a text of your own);
2. ``tinyshakespeare/input.txt`` in the data folder named by the environment
   variable ``RNNLIB_DATA``. Unlike the names data, a folder without it is
   passed over (the folder unzipped from the tutorials' ``data.zip`` never
   holds it), but a copy that is there must be the published one;
3. ``tinyshakespeare/input.txt`` in the per-user cache folder
   (``~/.cache/rnnlib`` on Linux and macOS);
4. the published file, downloaded into that cache folder.

What comes from 2, 3 and 4 is checked against the published size and
SHA-256 digest. A download is written atomically: it goes to a temporary
file beside its final place, is verified, and only then renamed into place.
When anything fails, the temporary file is removed and the cache is left as
it was. A cached copy that no longer matches is reported with a warning and
replaced by a fresh download.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from pathlib import Path

from rnnlib.data.fetch import (
    ENV_VAR,
    ChecksumError,
    DataNotFoundError,
    DownloadError,
    StaleCacheWarning,
    _cache_folder,
    _download,
    _how_it_differs,
    _sha256,
)

#: Where char-rnn publishes Tiny Shakespeare.
SHAKESPEARE_URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"

#: SHA-256 of the published ``input.txt``.
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"

#: Size in bytes of the published ``input.txt``.
SHAKESPEARE_SIZE = 1_115_394

_FOLDER = "tinyshakespeare"
_FILE = "input.txt"
_RELATIVE = f"{_FOLDER}/{_FILE}"


def _check_digest(sha256: object) -> str:
    """``sha256`` in lower case, once it is known to be a SHA-256 digest."""
    if not isinstance(sha256, str):
        raise TypeError(f"sha256 must be a str of 64 hexadecimal digits, got {type(sha256).__name__}")
    if not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise ValueError(f"sha256 must be a SHA-256 digest of 64 hexadecimal digits, got {sha256!r}")
    return sha256.lower()


def _verify(path: Path, sha256: str) -> None:
    """Check ``path`` against ``sha256``: first its size (known for the published file), then its digest.

    Raises:
        ChecksumError: saying what differs (the sizes, both digests, or that
            only the line breaks at the end do).
    """
    size = path.stat().st_size
    if sha256 == SHAKESPEARE_SHA256 and size != SHAKESPEARE_SIZE:
        raise ChecksumError(
            f"{path} has {size:,} bytes, where the published Tiny Shakespeare has {SHAKESPEARE_SIZE:,}.\n"
            + _how_it_differs(path, sha256)
        )
    if _sha256(path) != sha256:
        raise ChecksumError(_how_it_differs(path, sha256))


def _download_into(cache: Path, url: str, sha256: str, timeout: float = 30.0, progress: bool = True) -> Path:
    """Download ``url`` to ``cache/tinyshakespeare/input.txt``, verified, replacing any older copy atomically.

    Raises:
        DownloadError: when the download fails (no connection, HTTP error, cut short).
        ChecksumError: when what arrived is not the expected file.

    Whatever fails, the older copy (if any) is left as it was and no partial file is left beside it.
    """
    folder = cache / _FOLDER
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{_FILE}.", suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        _download(url, partial, timeout, progress)
        try:
            _verify(partial, sha256)
        except ChecksumError as error:
            with open(partial, "rb") as file:
                start = file.read(40).decode("utf-8", "replace").strip()
            page = " It is a web page (an error, login or proxy page?)." if start.startswith("<") else ""
            detail = str(error).replace(str(partial), "The download")  # the temporary file's name means nothing
            raise ChecksumError(
                f"the file downloaded from {url} is not the expected one.{page}\n{detail}\n"
                "Nothing was written to the cache. Run the loader again to retry; if this happens again, the\n"
                f"file at {url} has changed: pass the digest of a copy you trust as sha256=, or put that copy\n"
                f"at ${ENV_VAR}/{_RELATIVE}."
            ) from None
        os.chmod(partial, 0o644)  # mkstemp made it readable by its owner only
        os.replace(partial, folder / _FILE)
    finally:
        partial.unlink(missing_ok=True)
        if made and not any(folder.iterdir()):
            folder.rmdir()  # the folder this call made for a download that failed
    return folder / _FILE


def find_shakespeare(
    path: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    url: str = SHAKESPEARE_URL,
    sha256: str = SHAKESPEARE_SHA256,
) -> Path:
    """Return the path of Tiny Shakespeare's ``input.txt``, looking where the module docstring says.

    Args:
        path: the file, or a folder that holds ``input.txt`` or
            ``tinyshakespeare/input.txt``. When given, it must hold the text:
            no other place is tried, and the file is not checked (it may be
            a text of your own).
        download: whether to download the file when no folder holds it.
        cache_dir: the cache folder; default :func:`~rnnlib.data.fetch.default_cache_dir`.
        url: where to download ``input.txt`` from (a mirror, say).
        sha256: the expected SHA-256 of ``input.txt`` (default: the published
            file's). The copies in ``$RNNLIB_DATA``, in the cache and
            downloaded are checked against it.

    Raises:
        TypeError: if ``path`` is not a string or path, or ``sha256`` not a string.
        ValueError: if ``sha256`` is not 64 hexadecimal digits.
        DataNotFoundError: listing every place looked and how to fix it.
        ChecksumError: if ``$RNNLIB_DATA``'s or a downloaded copy is not the
            expected file, or the cached copy is not and ``download`` is False.

    Warns:
        StaleCacheWarning: when the cached copy is not the expected file and
            is replaced by a download.
    """
    sha256 = _check_digest(sha256)
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        given = Path(path).expanduser()
        for candidate in (given, given / _FILE, given / _RELATIVE):
            if candidate.is_file():
                return candidate
        raise DataNotFoundError(
            f"No Tiny Shakespeare in {given.resolve()}: expected the file itself, or a folder that holds "
            f"{_FILE} or {_RELATIVE}.\n"
            f"Fix: pass the file or the folder that holds it, or call without path= to use ${ENV_VAR}, "
            "the cache or a download."
        )

    looked: list[str] = []
    env = os.environ.get(ENV_VAR)
    if env:
        found = Path(env).expanduser() / _RELATIVE
        if found.is_file():
            try:
                _verify(found, sha256)
            except ChecksumError as error:
                raise ChecksumError(
                    f"{error}\n${ENV_VAR} points at a Tiny Shakespeare that is not the published one.\n"
                    f"Fix: put an unchanged copy at {found}, or remove that file to use the cache or a download."
                ) from None
            return found
        looked.append(f"${ENV_VAR}: {found}: not there")
    else:
        looked.append(f"${ENV_VAR}: not set")

    cache = _cache_folder(cache_dir)
    cached = cache / _RELATIVE
    if cached.is_file():
        try:
            _verify(cached, sha256)
            return cached
        except ChecksumError as error:
            if not download:
                raise ChecksumError(
                    f"{error}\nThe cached copy is not the expected file. Fix: call again with download=True to "
                    f"replace it, or delete {cached}."
                ) from None
            warnings.warn(
                f"{error}\nThe cached copy is not the expected file; replacing it with a fresh download.",
                StaleCacheWarning,
                stacklevel=2,
            )
            looked.append(f"cache: {cached}: not the expected file, not used")
    else:
        looked.append(f"cache: {cached}: not there")

    failure: DownloadError | None = None
    if download:
        try:
            return _download_into(cache, url, sha256)
        except DownloadError as error:
            failure = error
            looked.append(f"download: failed ({error})")
    else:
        looked.append("download: not tried (download=False)")

    raise DataNotFoundError(
        "Could not find Tiny Shakespeare. Looked in:\n"
        + "".join(f"  - {place}\n" for place in looked)
        + "Fix one of these ways:\n"
        + "  - connect to the internet and run this again (input.txt is downloaded once, about 1 MB);\n"
        + f"  - or download {url} yourself, put it at <data folder>/{_RELATIVE},\n"
        + f"    and set {ENV_VAR} to that data folder (e.g. export {ENV_VAR}=/path/to/data),\n"
        + "    or pass the file as path=...;\n"
        + f"  - or save it as {cached}."
    ) from failure


def load_shakespeare(
    path: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    url: str = SHAKESPEARE_URL,
    sha256: str = SHAKESPEARE_SHA256,
) -> str:
    """Return the whole of Tiny Shakespeare as one string, found as :func:`find_shakespeare` finds it.

    The published text is plain ASCII, 1,115,394 characters long (40,000
    lines, each ending with a newline); the keywords are those of
    :func:`find_shakespeare`.

    Raises:
        ValueError: if the file found (one given as ``path``) is not UTF-8 text.
        TypeError, DataNotFoundError, ChecksumError: as :func:`find_shakespeare`.
    """
    found = find_shakespeare(path, download=download, cache_dir=cache_dir, url=url, sha256=sha256)
    try:
        return found.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{found} is not UTF-8 text ({error.reason} at offset {error.start:,})") from None

"""Find the names data on disk, or download it safely.

The loader looks in four places, in this order, and uses the first that
holds the data:

1. the ``path`` argument, when the caller gives one;
2. the folder named by the environment variable ``RNNLIB_DATA``;
3. the per-user cache folder (``~/.cache/rnnlib`` on Linux and macOS);
4. the canonical ``data.zip`` of the PyTorch tutorial, downloaded into that
   cache folder.

A folder "holds the data" when it contains the ``<Language>.txt`` files,
either directly or in a ``names/`` sub-folder (``data.zip`` unpacks to
``data/names/``).

A download is written atomically: it goes to a temporary folder inside the
cache, every file is checked against its published SHA-256 digest, and only
then is the verified folder moved into place. When anything fails, the
temporary folder is removed and the cache is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from tqdm.auto import tqdm

#: Where the PyTorch tutorial publishes the data.
NAMES_URL = "https://download.pytorch.org/tutorial/data.zip"

#: The environment variable that points the loader at a folder of data.
ENV_VAR = "RNNLIB_DATA"

#: Inside ``data.zip``, the folder that holds the names files.
ARCHIVE_FOLDER = "data/names"

#: SHA-256 digest of each of the 18 files as published in ``data.zip``.
NAMES_SHA256: dict[str, str] = {
    "Arabic.txt": "ff39e5539dfb3c575e9f569a95528d25f07f551e467a3b1954c64e3f879a15b9",
    "Chinese.txt": "a4b144873952657b3ab3b9475840ef931dc7c51e28c14cde705963f2b4bea455",
    "Czech.txt": "b1622f610d5d90a1d49f255ab84091d8f9f7b5480029a8ac4ddecd1ac6ee2d72",
    "Dutch.txt": "804895bfcfc9dbcf58213dfad80ea93e4d1ebad0cf0655514034f280520874f1",
    "English.txt": "9f4ced672c3f309d497352268cc901325c097592ffd212386d1805fe3c1e442f",
    "French.txt": "613e37ec1a0e40d3611593d9bc5580bc9099f0d3991e25d48834dfb8239120a5",
    "German.txt": "1ddaf5c94e29379739a279721404a2f4d1a33b8d92366a3245a5aee45e519c00",
    "Greek.txt": "ffa076a4ae930098231ad85826c2adae3d47d13edddf723c3a44da2415fef922",
    "Irish.txt": "d14e7478ba0eb2273ccad8c5b2730b70121914827dfea7be42af0e7878f1d7e3",
    "Italian.txt": "969845ed05da45528a6e1ca4c5ea2b3db84280bd706b5f275e656618771ddbe1",
    "Japanese.txt": "e3db6080fd9e5f943242d73b9507b0e0e93ef9695e7a1437556672b2487dd3f6",
    "Korean.txt": "67836224c23c792933b0275de7704bc74dcf1dbbd2ac697f372868fcc3ed347d",
    "Polish.txt": "48d7c0edb1d5d9833038d7b867a528abb5f6ef5fcece8418a329fb43f79b2315",
    "Portugese.txt": "7fda866f280a625a35faff0657d953df14f7912c895897616e6387ca0242559d",
    "Russian.txt": "73a5f32c8ddd38876b73b075f1570576b93d3e6d28b8c7d5e86862a637d24c7a",
    "Scottish.txt": "1811eb5ee9919bf04b8aa6e6f373e05b84a23ebef01fa0dd2a19ab84ccea6c63",
    "Spanish.txt": "23b662e8cdef27f1226df50f3633d55cfe3eefdf0eb8061d0f2d1f676b910c1a",
    "Vietnamese.txt": "64ba9e8c494374c3fc81aed6eb0ea4557a843196f81176fed563fb44b02ecb07",
}


class DataNotFoundError(FileNotFoundError):
    """The names data is in none of the places the loader looks."""


class ChecksumError(ValueError):
    """Downloaded or cached data does not match its published digest."""


class UnsafeArchiveError(ValueError):
    """An archive entry would be written outside the target folder."""


def default_cache_dir() -> Path:
    """Return the per-user cache folder, ``$XDG_CACHE_HOME/rnnlib`` or ``~/.cache/rnnlib``.

    On Windows it is ``%LOCALAPPDATA%\\rnnlib``.
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "rnnlib"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rnnlib"


def names_dir_in(folder: str | os.PathLike[str]) -> Path | None:
    """Return the folder of ``<Language>.txt`` files at or below ``folder``, or ``None``.

    ``folder`` itself counts when it holds ``.txt`` files; so does its
    ``names/`` sub-folder.
    """
    folder = Path(folder).expanduser()
    for candidate in (folder / "names", folder):
        if candidate.is_dir() and any(candidate.glob("*.txt")):
            return candidate
    return None


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Return the hexadecimal SHA-256 digest of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_names_dir(folder: str | os.PathLike[str]) -> None:
    """Check that ``folder`` holds exactly the 18 published files, unchanged.

    Raises:
        ChecksumError: naming the first file that is missing, extra or
            different, with its expected and actual SHA-256 digests.
    """
    folder = Path(folder)
    present = sorted(p.name for p in folder.glob("*.txt"))
    missing = sorted(set(NAMES_SHA256) - set(present))
    extra = sorted(set(present) - set(NAMES_SHA256))
    if missing or extra:
        raise ChecksumError(
            f"{folder} does not hold the published names files: "
            f"missing {missing or 'none'}, unexpected {extra or 'none'}."
        )
    for name, expected in NAMES_SHA256.items():
        actual = sha256_of(folder / name)
        if actual != expected:
            raise ChecksumError(
                f"{folder / name} does not match the published data.\n"
                f"  expected SHA-256: {expected}\n"
                f"  actual SHA-256:   {actual}"
            )


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
    """Stream ``url`` into the file ``destination``, showing a progress bar."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        with open(destination, "wb") as out, tqdm(
            total=total, unit="B", unit_scale=True, desc="names data", disable=not progress
        ) as bar:
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
                bar.update(len(block))


def download_names(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    url: str = NAMES_URL,
    timeout: float = 30.0,
    progress: bool = True,
) -> Path:
    """Download ``data.zip``, verify it and install its names folder in the cache.

    Returns:
        The folder ``<cache_dir>/names`` holding the 18 verified files.

    Raises:
        urllib.error.URLError, OSError: when the download fails.
        ChecksumError: when the archive is damaged or its files differ from
            the published digests.
        UnsafeArchiveError: when an archive entry would escape the cache.

    Whatever fails, nothing is left behind in ``cache_dir``.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    final = cache / "names"
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        zip_path = Path(tmp) / "data.zip"
        _download(url, zip_path, timeout, progress)
        try:
            with zipfile.ZipFile(zip_path) as archive:
                members = [
                    n for n in archive.namelist()
                    if PurePosixPath(n).parent == PurePosixPath(ARCHIVE_FOLDER) and n.endswith(".txt")
                ]
                safe_extract(archive, Path(tmp) / "x", members)
        except (zipfile.BadZipFile, EOFError) as error:
            raise ChecksumError(
                f"the archive downloaded from {url} is damaged ({error}).\n"
                f"  actual SHA-256 of the archive: {sha256_of(zip_path)}\n"
                "Nothing was written to the cache; run the loader again to retry."
            ) from error
        extracted = Path(tmp) / "x" / ARCHIVE_FOLDER
        extracted.mkdir(parents=True, exist_ok=True)
        verify_names_dir(extracted)
        if final.exists():
            shutil.rmtree(final)
        os.replace(extracted, final)
    return final


def find_names_dir(
    path: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    url: str = NAMES_URL,
) -> Path:
    """Return the folder of ``<Language>.txt`` files, looking where the module docstring says.

    Args:
        path: a folder that holds the files (or a ``names/`` sub-folder with
            them). When given, it must hold the data: no other place is tried.
        download: whether to download the data when no folder holds it.
        cache_dir: the cache folder; default :func:`default_cache_dir`.
        url: where to download ``data.zip`` from.

    Raises:
        TypeError: if ``path`` is not a string or path.
        DataNotFoundError: listing every place looked and how to fix it.
        ChecksumError: if the cached or downloaded files are not the published ones.
    """
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        found = names_dir_in(path)
        if found is None:
            raise DataNotFoundError(
                f"No names data in {Path(path).expanduser().resolve()}: expected files like "
                "Arabic.txt ... Vietnamese.txt there or in its names/ sub-folder.\n"
                "Fix: pass the folder that holds them, or call without path= to use "
                f"${ENV_VAR}, the cache or a download."
            )
        return found

    looked: list[str] = []
    env = os.environ.get(ENV_VAR)
    if env:
        found = names_dir_in(env)
        if found is None:
            raise DataNotFoundError(
                f"${ENV_VAR} is set to {env!r}, but that folder holds no names data "
                "(files like Arabic.txt, directly or in names/).\n"
                f"Fix: point ${ENV_VAR} at the folder that holds them, or unset it."
            )
        return found
    looked.append(f"${ENV_VAR}: not set")

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if (cache / "names").is_dir():
        try:
            verify_names_dir(cache / "names")
        except ChecksumError as error:
            raise ChecksumError(
                f"{error}\nThe cached copy is damaged. Fix: delete the folder {cache / 'names'} "
                "and run this again to download a fresh copy."
            ) from None
        return cache / "names"
    looked.append(f"cache folder {cache / 'names'}: not there")

    if download:
        try:
            return download_names(cache, url=url)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            looked.append(f"download from {url}: failed ({reason})")
    else:
        looked.append("download: not tried (download=False)")

    raise DataNotFoundError(
        "Could not find the names data. Looked in:\n"
        + "".join(f"  - {place}\n" for place in looked)
        + "Fix one of these ways:\n"
        + "  - connect to the internet and run this again (the data is downloaded once, about 3 MB);\n"
        + f"  - or download {url} yourself, unzip it, and set {ENV_VAR} to the folder it made\n"
        + f"    (e.g. export {ENV_VAR}=/path/to/data), or pass that folder as path=...;\n"
        + f"  - or copy its data/names folder to {cache / 'names'}."
    )

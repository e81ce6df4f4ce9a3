"""The surname-by-language data of the PyTorch name-classification tutorial.

Typical use::

    from rnnlib.data import load_names, split_names, name_to_tensor

    data = load_names()            # finds, or downloads, and reads the files
    split = split_names(data)      # no name on both sides
    x = name_to_tensor("Nakamura") # shape (8, 1, 57)

Modules: :mod:`~rnnlib.data.fetch` (finding, downloading and verifying the
tutorials' ``data.zip``: ``names/`` and ``eng-fra.txt``),
:mod:`~rnnlib.data.alphabet` (the 57 symbols, Unicode to ASCII),
:mod:`~rnnlib.data.names` (reading the files), :mod:`~rnnlib.data.split`
(the leak-free split) and :mod:`~rnnlib.data.encode` (one-hot tensors).
"""

from rnnlib.data.alphabet import ALL_LETTERS, N_LETTERS, letter_to_index, unicode_to_ascii
from rnnlib.data.encode import name_to_tensor, names_to_batch
from rnnlib.data.fetch import (
    DATA_SHA256,
    DATA_URL,
    ENV_VAR,
    ChecksumError,
    DataNotFoundError,
    DownloadError,
    StaleCacheWarning,
    UnsafeArchiveError,
    default_cache_dir,
    download_data,
    find_eng_fra,
    find_names_dir,
    verify_names_dir,
)
from rnnlib.data.names import CleaningReport, NamesData, load_names, read_names_dir
from rnnlib.data.split import Split, random_line_split, split_names

__all__ = [
    "ALL_LETTERS",
    "DATA_SHA256",
    "DATA_URL",
    "ENV_VAR",
    "N_LETTERS",
    "ChecksumError",
    "CleaningReport",
    "DataNotFoundError",
    "DownloadError",
    "NamesData",
    "Split",
    "StaleCacheWarning",
    "UnsafeArchiveError",
    "default_cache_dir",
    "download_data",
    "find_eng_fra",
    "find_names_dir",
    "letter_to_index",
    "load_names",
    "name_to_tensor",
    "names_to_batch",
    "random_line_split",
    "read_names_dir",
    "split_names",
    "unicode_to_ascii",
    "verify_names_dir",
]

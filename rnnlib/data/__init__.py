"""The surname-by-language data of the PyTorch name-classification tutorial, and Tiny Shakespeare.

Typical use::

    from rnnlib.data import load_names, load_shakespeare, split_names, name_to_tensor

    data = load_names()            # finds, or downloads, and reads the files
    split = split_names(data)      # no name on both sides
    x = name_to_tensor("Nakamura") # shape (8, 1, 57)
    text = load_shakespeare()      # char-rnn's corpus, one str of 1,115,394 characters

Modules: :mod:`~rnnlib.data.fetch` (finding, downloading and verifying the
tutorials' ``data.zip``: ``names/`` and ``eng-fra.txt``),
:mod:`~rnnlib.data.alphabet` (the 57 symbols, Unicode to ASCII),
:mod:`~rnnlib.data.names` (reading the files), :mod:`~rnnlib.data.split`
(the leak-free split), :mod:`~rnnlib.data.encode` (one-hot tensors) and
:mod:`~rnnlib.data.shakespeare` (finding, downloading and verifying char-rnn's
Tiny Shakespeare ``input.txt``).
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
from rnnlib.data.shakespeare import (
    SHAKESPEARE_SHA256,
    SHAKESPEARE_SIZE,
    SHAKESPEARE_URL,
    find_shakespeare,
    load_shakespeare,
)
from rnnlib.data.split import Split, random_line_split, split_names

__all__ = [
    "ALL_LETTERS",
    "DATA_SHA256",
    "DATA_URL",
    "ENV_VAR",
    "N_LETTERS",
    "SHAKESPEARE_SHA256",
    "SHAKESPEARE_SIZE",
    "SHAKESPEARE_URL",
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
    "find_shakespeare",
    "letter_to_index",
    "load_names",
    "load_shakespeare",
    "name_to_tensor",
    "names_to_batch",
    "random_line_split",
    "read_names_dir",
    "split_names",
    "unicode_to_ascii",
    "verify_names_dir",
]

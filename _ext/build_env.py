"""A Sphinx extension: the environment the book's notebooks are executed in.

- **Strict checks.** The build sets ``RNNLIB_STRICT=1``, so that a check of the
  prose (``rnnlib.book.check``) that the build's run does not bear out fails
  the build instead of showing a note: no false sentence is published.
- **Local data.** The chapters load their data with ``rnnlib.data``, which
  downloads it once when it is nowhere else. Where a copy already lies in
  ``../shared/data`` beside the repository (as on the course's own build and
  CI machines, which have no network) and ``RNNLIB_DATA`` is unset, this
  points the loader at that copy, exactly as the test suite's ``conftest.py``
  does. Anywhere else it does nothing.

The notebook kernels inherit both settings. The seed is left as it is:
``RNNLIB_SEED`` unset, the book is built with seed 0.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def setup(app: Any) -> dict[str, bool]:
    os.environ["RNNLIB_STRICT"] = "1"
    shared = Path(app.srcdir).resolve().parent / "shared" / "data"
    if not os.environ.get("RNNLIB_DATA") and (shared / "names").is_dir():
        os.environ["RNNLIB_DATA"] = str(shared)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

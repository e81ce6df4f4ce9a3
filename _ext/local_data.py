"""A Sphinx extension: let an offline build find a local copy of the names data.

The chapters load the names data with ``rnnlib.data.load_names()``, which
downloads it once when it is nowhere else. Where a copy already lies in
``../shared/data`` beside the repository (as on the course's own build and
CI machines, which have no network) and ``RNNLIB_DATA`` is unset, this points
the loader at that copy, exactly as the test suite's ``conftest.py`` does.
The notebook kernels inherit the setting. Anywhere else it does nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def setup(app: Any) -> dict[str, bool]:
    shared = Path(app.srcdir).resolve().parent / "shared" / "data"
    if not os.environ.get("RNNLIB_DATA") and (shared / "names").is_dir():
        os.environ["RNNLIB_DATA"] = str(shared)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

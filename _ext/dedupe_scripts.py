"""A Sphinx extension that drops repeated <script> tags from every page.

sphinx-thebe and sphinx-togglebutton add inline configuration scripts while
the builder starts. With the Sphinx 7 that Jupyter Book 1.x uses, those
scripts land on every page twice, and the second ``const THEBE_JS_URL = ...``
is a JavaScript error in the reader's console. Keeping only the first copy of
each identical script removes the error and changes nothing else.
"""

from __future__ import annotations

from typing import Any


def drop_repeated_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Keep the first of any scripts with the same file name and attributes.

    An inline script's file name is ``None`` in one copy and ``""`` in the
    other, so both count as no file name.
    """
    seen: set[tuple] = set()
    unique = []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        filename = str(getattr(script, "filename", script) or "")  # None and "" both mean inline
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Any) -> dict[str, bool]:
    # Run after every other handler of the event: some add scripts there.
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

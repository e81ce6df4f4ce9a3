"""A Sphinx extension: the Colab launch button opens the page's Colab edition.

sphinx-book-theme makes the button's address from ``repository.url`` and
``repository.branch``: the notebook on ``main``, whose MyST markup (glue
roles, citations, admonitions) Colab would show raw. ``tools/colab_edition.py``
writes a copy of every chapter and assignment with that markup turned into
plain Markdown, and ``publish.yml`` pushes it to the ``colab`` branch, at the
same paths. This points the Colab button, and only it, at that branch: the
repository, issue and edit buttons keep pointing at ``main``. The Chinese
edition's notebooks are in the branch's ``zh/`` folder
(``colab_edition_folder`` in ``locale/zh_CN/_config.yml``).
"""

from __future__ import annotations

from typing import Any

from sphinx.errors import ExtensionError

#: The branch that the publish workflow pushes the Colab edition to.
COLAB_BRANCH = "colab"


def point_colab_at_edition(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Rewrite the branch in the theme's Colab launch link (``.../blob/<branch>/<path>``)."""
    options = app.config.html_theme_options
    colab = options.get("launch_buttons", {}).get("colab_url", "").strip("/")
    branch = options.get("repository_branch") or "master"  # as the theme defaults it
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "launch-buttons"]
    for button in (b for group in groups for b in group["buttons"]):
        url = button.get("url", "")
        if not colab or not url.startswith(f"{colab}/github/"):
            continue
        if url.count(f"/blob/{branch}/") != 1:  # the theme changed how it builds the link
            raise ExtensionError(f"{pagename}: unexpected Colab link {url!r}, not .../blob/{branch}/...")
        folder = app.config.colab_edition_folder  # "zh/" for the Chinese edition's notebooks
        button["url"] = url.replace(f"/blob/{branch}/", f"/blob/{COLAB_BRANCH}/{folder}")


def setup(app: Any) -> dict[str, bool]:
    # The folder of the colab branch that holds this edition's notebooks: "" (English) or "zh/".
    app.add_config_value("colab_edition_folder", "", "html", str)
    # After sphinx-book-theme adds its launch buttons (priority 501).
    app.connect("html-page-context", point_colab_at_edition, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

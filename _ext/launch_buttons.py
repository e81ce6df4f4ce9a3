"""A Sphinx extension: every launch button opens the page's Colab edition.

sphinx-book-theme makes the launch buttons' addresses (Colab, Binder, and a
JupyterHub when ``launch_buttons.jupyterhub_url`` is set) from
``repository.url`` and ``repository.branch``: the notebook on ``main``, whose
MyST markup (glue roles, citations, admonitions, self-check questions) Colab,
Binder and JupyterHub would all show raw. ``tools/colab_edition.py`` writes a
copy of every chapter and assignment with that markup turned into plain
Markdown, and ``publish.yml`` pushes it to the ``colab`` branch, at the same
paths, with the Binder environment (``binder/``) beside it. This points the
launch buttons, and only them, at that branch: the repository, issue and edit
buttons keep pointing at ``main``. The Chinese edition's notebooks are in the
branch's ``zh/`` folder (``colab_edition_folder`` in ``locale/zh_CN/_config.yml``).

For a class's own JupyterHub, set its address once in ``_config.yml``
(``launch_buttons: jupyterhub_url``): its button pulls the same branch into
the hub with nbgitpuller (which the hub must have installed).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from sphinx.errors import ExtensionError

#: The branch that the publish workflow pushes the Colab edition to.
COLAB_BRANCH = "colab"


def edition_link(url: str, kind: str, branch: str, folder: str) -> str:
    """The theme's launch link for ``kind`` (``Colab``, ``Binder`` or ``JupyterHub``), moved to the edition.

    Args:
        url: the link as sphinx-book-theme made it, to ``branch``.
        kind: the button's text.
        branch: the branch the theme used (``repository.branch``).
        folder: the edition's folder on the ``colab`` branch, ``""`` or ``"zh/"``.

    Raises:
        ExtensionError: if the link is not built as this expects (the theme changed).
    """
    if kind == "Colab":  # .../github/ORG/REPO/blob/BRANCH/PATH
        if url.count(f"/blob/{branch}/") != 1:
            raise ExtensionError(f"unexpected Colab link {url!r}, not .../blob/{branch}/...")
        return url.replace(f"/blob/{branch}/", f"/blob/{COLAB_BRANCH}/{folder}")
    if kind == "Binder":  # .../v2/gh/ORG/REPO/BRANCH?urlpath=tree/PATH
        address, _, query = url.partition("?")
        params = dict(parse_qsl(query))
        ui, _, path = params.get("urlpath", "").partition("/")
        if not address.endswith(f"/{branch}") or not path:
            raise ExtensionError(f"unexpected Binder link {url!r}, not .../{branch}?urlpath=UI/PATH")
        address = address.removesuffix(branch) + COLAB_BRANCH
        return f"{address}?{urlencode({'urlpath': f'{ui}/{folder}{path}'}, safe='/')}"
    if kind == "JupyterHub":  # .../hub/user-redirect/git-pull?repo=URL&urlpath=tree/REPO/PATH&branch=BRANCH
        address, _, query = url.partition("?")
        params = dict(parse_qsl(query))
        repo = urlsplit(params.get("repo", "")).path.rstrip("/").rsplit("/", 1)[-1]
        prefix = params.get("urlpath", "").split(f"/{repo}/", 1)
        if params.get("branch") != branch or len(prefix) != 2:
            raise ExtensionError(f"unexpected JupyterHub link {url!r}, not ...?repo=&urlpath=UI/REPO/PATH&branch=")
        params.update(urlpath=f"{prefix[0]}/{repo}/{folder}{prefix[1]}", branch=COLAB_BRANCH)
        return f"{address}?{urlencode(params, safe='/')}"
    raise ExtensionError(f"a launch button this extension does not know: {kind!r} ({url})")


def point_launch_buttons_at_edition(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Rewrite the branch (and folder) in each of the theme's launch links."""
    branch = app.config.html_theme_options.get("repository_branch") or "master"  # as the theme defaults it
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "launch-buttons"]
    for button in (b for group in groups for b in group["buttons"]):
        try:
            button["url"] = edition_link(button["url"], button["text"], branch, app.config.colab_edition_folder)
        except ExtensionError as error:
            raise ExtensionError(f"{pagename}: {error}") from None


def setup(app: Any) -> dict[str, bool]:
    # The folder of the colab branch that holds this edition's notebooks: "" (English) or "zh/".
    app.add_config_value("colab_edition_folder", "", "html", str)
    # After sphinx-book-theme adds its launch buttons (priority 501).
    app.connect("html-page-context", point_launch_buttons_at_edition, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The launch buttons (Colab, Binder, a class's JupyterHub) all open the page's Colab edition.

The book's own site has no JupyterHub button (``launch_buttons.jupyterhub_url``
is empty until a class sets its hub), so this builds a one-page book with the
book's own launch settings, repository and theme, plus a hub address, and
reads the three links the real theme and ``_ext/launch_buttons.py`` write.
The Colab and Binder buttons of the book itself are checked on every page of
the built site (``tests/test_site.py``).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
HUB = "https://hub.example.edu"


def build_one_page(tmp_path: Path, language: str, folder: str) -> str:
    """Build ``chapters/demo.ipynb`` (not executed) as the book's theme and extension would; return its HTML."""
    source = tmp_path / "src"
    (source / "chapters").mkdir(parents=True)
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Demo")]), source / "chapters" / "demo.ipynb"
    )
    (source / "index.md").write_text("# Book\n\n```{toctree}\nchapters/demo\n```\n", encoding="utf-8")
    repository = CONFIG["repository"]
    overrides = {
        "extensions": ["myst_nb", "launch_buttons"],
        "html_theme": "sphinx_book_theme",
        "html_theme_options": {
            "repository_url": repository["url"],
            "repository_branch": repository["branch"],
            "path_to_docs": repository["path_to_book"],
            "launch_buttons": {**CONFIG["launch_buttons"], "jupyterhub_url": HUB},
        },
        "nb_execution_mode": "off",
        "language": language,
        "colab_edition_folder": folder,
    }
    (source / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n", encoding="utf-8")
    # docutils_namespace: each build registers its own nodes and directives and removes them after,
    # so a second build in the same process does not warn that they are registered already.
    with docutils_namespace():
        app = Sphinx(
            str(source),
            str(source),
            str(tmp_path / "html"),
            str(tmp_path / "doctrees"),
            "html",
            confoverrides=overrides,
            status=None,
            warningiserror=True,
        )
        app.build()
    return (tmp_path / "html" / "chapters" / "demo.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("language", "folder"), [("en", ""), ("zh_CN", "zh/")])
def test_colab_binder_and_jupyterhub_open_the_same_notebook_of_the_colab_branch(tmp_path, language, folder):
    page = build_one_page(tmp_path, language, folder)
    button = r'<a href="([^"]+)"[^>]*>(?:(?!</a>).)*?<span class="btn__text-container">(Colab|Binder|JupyterHub)</span>'
    links = {text: unescape(url) for url, text in re.findall(button, page, re.DOTALL)}
    assert set(links) == {"Colab", "Binder", "JupyterHub"}, links
    repo = urlsplit(CONFIG["repository"]["url"]).path.strip("/")  # owner/name
    notebook = f"{folder}chapters/demo.ipynb"
    assert links["Colab"] == f"https://colab.research.google.com/github/{repo}/blob/colab/{notebook}"
    binder, query = links["Binder"].split("?")
    assert binder == f"https://mybinder.org/v2/gh/{repo}/colab"
    assert parse_qs(query) == {"urlpath": [f"tree/{notebook}"]}
    hub, query = links["JupyterHub"].split("?")
    assert hub == f"{HUB}/hub/user-redirect/git-pull"
    name = repo.split("/")[1]
    assert parse_qs(query) == {
        "repo": [CONFIG["repository"]["url"]],
        "branch": ["colab"],
        "urlpath": [f"tree/{name}/{notebook}"],  # nbgitpuller clones into a folder named after the repository
    }


def test_the_book_ships_with_no_hub_and_binder_on():
    assert CONFIG["launch_buttons"]["jupyterhub_url"] == "", "one value for a class to set, empty by default"
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    binder = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in binder and "torch==2.13.0" in binder
    assert any(line.startswith("rnnlib[assignments] @ git+" + CONFIG["repository"]["url"]) for line in binder)

"""A Sphinx extension for the book's two editions: English at the site's root,
Chinese (built by ``tools/zh_edition.py`` from the same sources and the
catalogs in ``locale/``) under ``/zh/``.

- **Glue in translated paragraphs.** Sphinx parses each translated message on
  its own, as a small document. myst-nb keeps a notebook's glue data on the
  notebook's document, so a ``{glue:text}`` role in a translated paragraph
  would find nothing: the parser below hands the notebook's data on.
- **Shared, not translated**: display math, and everything inside an element
  with the class ``notranslate`` (the terminology table of the glossary).
- **Alt text of figures.** A notebook's figures are made from its outputs
  after Sphinx has translated the page, so their alt text (cell metadata
  ``mystnb.image.alt``) is extracted and translated here, from the page's
  catalog, like any other message.
- **The language switch**: every page links to the same page in the other
  edition, from the header (a button with the other language's name) and in
  ``<link rel="alternate" hreflang>``.
"""

from __future__ import annotations

from os import path
from typing import Any

from docutils import nodes
from sphinx.builders.gettext import MsgOrigin
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

#: ``edition_switch`` (set in _config.yml and in locale/zh_CN/_config.yml):
#: ``root``, the other edition's root relative to this one's ("zh/" or "../");
#: ``label``, the other language's name, shown on the button; ``hreflang`` and
#: ``tooltip``. Empty: no switch.
EDITION_SWITCH_KEYS = {"root", "label", "hreflang", "tooltip"}


class Untranslatable(SphinxTransform):
    """Mark display math and ``notranslate`` content as not translatable.

    Runs before Sphinx's ``Locale`` transform (priority 20), so the gettext
    builder does not extract these and a translated build leaves them as
    they are.
    """

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False
        for element in self.document.findall(nodes.Element):
            if "notranslate" in element.get("classes", []):
                for text in element.findall(nodes.TextElement):
                    text["translatable"] = False


class _KeepRenderer(dict):
    """A document's attributes that keep myst-nb's notebook renderer for the page's translated messages.

    myst-nb keeps the renderer, which holds the notebook's glue data, on the
    document while it parses the notebook, and removes it at the end; Sphinx
    then translates the page, parsing each message on its own.
    """

    def __init__(self, attributes: dict, temp_data: dict) -> None:
        super().__init__(attributes)
        self.temp_data = temp_data

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        if key == "nb_renderer":
            self.temp_data["edition_nb_renderer"] = value  # cleared when the next page is read
        return value


def _notebook_parser() -> type:
    """myst-nb's Sphinx parser, extended to keep glue data for translated paragraphs."""
    from myst_nb.sphinx_ import Parser

    class Parser(Parser):  # noqa: D101 (the docstring of the function says it)
        def parse(self, inputstring: str, document: nodes.document) -> None:
            env = document.settings.env
            if document.current_source.endswith("<translated>"):
                # A translated message of the page being read: its glue is the page's.
                if "edition_nb_renderer" in env.temp_data:
                    document["nb_renderer"] = env.temp_data["edition_nb_renderer"]
                super().parse(inputstring, document)
                document.attributes.pop("nb_renderer", None)
                return
            document.attributes = _KeepRenderer(document.attributes, env.temp_data)
            try:
                super().parse(inputstring, document)
            finally:
                document.attributes = dict(document.attributes)  # a plain dict again, as doctrees are pickled

    return Parser


def figure_alt_text(app: Any, doctree: nodes.document, docname: str) -> None:
    """Extract (gettext builder) or translate (other builders) the alt text of figures."""
    images = [node for node in doctree.findall(nodes.image) if node.get("alt")]
    if not images:
        return
    domain = docname_to_domain(docname, app.config.gettext_compact)
    if app.builder.name == "gettext":
        catalog = app.builder.catalogs[domain]
        for image in images:
            catalog.add(image["alt"], MsgOrigin(app.env.doc2path(docname), image.line or 0))
        return
    if not app.config.language or app.config.language == "en":
        return
    dirs = [path.join(app.srcdir, directory) for directory in app.config.locale_dirs]
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    if has_catalog:
        for image in images:
            image["alt"] = catalog.gettext(image["alt"])


def language_switch(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Link the page to the same page in the other edition."""
    switch = app.config.edition_switch
    if not switch or app.builder.name != "html":  # not in the single page that the PDF prints
        return
    if set(switch) != EDITION_SWITCH_KEYS:
        raise ValueError(f"edition_switch needs exactly the keys {sorted(EDITION_SWITCH_KEYS)}, got {sorted(switch)}")
    url = "../" * pagename.count("/") + switch["root"] + pagename + app.builder.link_suffix
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{switch["hreflang"]}" href="{url}">'
    )
    context.setdefault("header_buttons", []).insert(
        0,
        {"type": "link", "url": url, "text": switch["label"], "tooltip": switch["tooltip"], "label": "language-switch"},
    )


def setup(app: Any) -> dict[str, bool]:
    app.add_config_value("edition_switch", {}, "html", dict)
    app.add_transform(Untranslatable)
    app.setup_extension("myst_nb")
    app.add_source_parser(_notebook_parser(), override=True)
    app.connect("doctree-resolved", figure_alt_text)
    # After sphinx-book-theme makes its header buttons (priority 501).
    app.connect("html-page-context", language_switch, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

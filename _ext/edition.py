"""A Sphinx extension for the book's two editions: English at the site's root,
Chinese (built by ``tools/zh_edition.py`` from the same sources and the
catalogs in ``locale/``) under ``/zh/``.

- **Glue in translated paragraphs.** Sphinx parses each translated message on
  its own, as a small document. myst-nb keeps a notebook's glue data on the
  notebook's document, so a ``{glue:text}`` role in a translated paragraph
  would find nothing: the parser below hands the notebook's data on.
- **Shared, not translated**: display math, notebook outputs, and everything
  inside an element with the class ``notranslate`` (the terms table).
- **Raw HTML and the parts of the table of contents**, which Sphinx's own
  translation misses in MyST pages (:class:`TranslateLate`).
- **Alt text of figures.** A notebook's figures are made from its outputs
  after Sphinx has translated the page, so their alt text (cell metadata
  ``mystnb.image.alt``) is extracted and translated here, from the page's
  catalog, like any other message; so are the texts of the explorers'
  sliders (``rnnlib.widgets``: each frame's alt, the labels, the note).
- **The language switch**: every page links to the same page in the other
  edition, from the header (a button with the other language's name) and in
  ``<link rel="alternate" hreflang>``.
"""

from __future__ import annotations

import html
import json
import re
from os import path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.gettext import MsgOrigin
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from rnnlib.widgets import NOTE

#: ``edition_switch`` (set in _config.yml and in locale/zh_CN/_config.yml):
#: ``root``, the other edition's root relative to this one's ("zh/" or "../");
#: ``label``, the other language's name, shown on the button; ``hreflang`` and
#: ``tooltip``. Empty: no switch.
EDITION_SWITCH_KEYS = {"root", "label", "hreflang", "tooltip"}


class Untranslatable(SphinxTransform):
    """Mark display math, ``notranslate`` content and notebook outputs as not translatable.

    Runs before Sphinx's ``Locale`` transform (priority 20), so the gettext
    builder does not extract these and a translated build leaves them as
    they are.
    """

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False
        for element in self.document.findall(nodes.Element):
            # A notebook's outputs are shared too: their raw HTML (an explorer's) would be a message.
            if {"notranslate", "cell_output"} & set(element.get("classes", [])):
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


def page_catalog(app: Any, docname: str) -> Any:
    """The translations of a page (a ``gettext`` catalog), or ``None`` in the English edition."""
    if not app.config.language or app.config.language == "en":
        return None
    dirs = [path.join(app.srcdir, directory) for directory in app.config.locale_dirs]
    domain = docname_to_domain(docname, app.config.gettext_compact)
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    return catalog if has_catalog else None


class TranslateLate(SphinxTransform):
    """Translate what Sphinx's ``Locale`` transform does not reach, or breaks, in MyST pages.

    - Raw HTML (``<summary>Answer</summary>``): ``Locale`` would parse its
      translation as reStructuredText, which MyST pages are not; here it is
      taken as it is. (The gettext builder extracts it: ``raw`` in
      ``gettext_additional_targets``, which the translated edition turns off.)
    - The part captions of the table of contents, which sphinx-external-toc
      adds to the root page after ``Locale`` has run (priority 100).
    """

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:
        catalog = page_catalog(self.app, self.env.docname)
        if catalog is None:
            return
        for raw in self.document.findall(nodes.raw):
            if raw.get("format") == "html" and raw.rawsource:
                translated = catalog.gettext(raw.rawsource)
                raw.children = [nodes.Text(translated)]
                raw.rawsource = translated
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = toctree["rawcaption"] = catalog.gettext(toctree["caption"])


_SLIDER_ALT = re.compile(r'<div class="rnnlib-slider" data-alt="(?P<template>[^"]*)">')
_SLIDER_FRAME_ALT = re.compile(r'alt="[^"]*"(?P<values> data-values="(?P<json>[^"]*)")')
_SLIDER_LABEL = re.compile(r'(?P<start><label [^>]*data-text="(?P<text>[^"]*)"[^>]*>)[^<]*(?P<end></label>)')
_SLIDER_NOTE = re.compile(r'(?P<start><p class="rnnlib-slider-note" data-kept="(?P<kept>[^"]*)">)[^<]*(?P<end></p>)')


def slider_texts(raw: str) -> list[str]:
    """The English texts of an explorer's web page version (``rnnlib.widgets``): alt template, labels, note."""
    template = _SLIDER_ALT.search(raw)
    if template is None:
        return []
    labels = [html.unescape(m["text"]) for m in _SLIDER_LABEL.finditer(raw)]
    return [html.unescape(template["template"]), *labels, *([NOTE] if _SLIDER_NOTE.search(raw) else [])]


def translate_slider(raw: str, gettext: Any) -> str:
    """An explorer's web page version with its texts translated: every frame's alt, the labels, the note."""
    template = _SLIDER_ALT.search(raw)
    if template is None:
        return raw
    alt = gettext(html.unescape(template["template"]))

    def frame(match: re.Match) -> str:
        return f'alt="{html.escape(alt.format(**json.loads(html.unescape(match["json"]))))}"{match["values"]}'

    def label(match: re.Match) -> str:
        return match["start"] + html.escape(gettext(html.unescape(match["text"]))) + match["end"]

    def note(match: re.Match) -> str:
        return match["start"] + html.escape(gettext(NOTE).format(kept=html.unescape(match["kept"]))) + match["end"]

    return _SLIDER_NOTE.sub(note, _SLIDER_LABEL.sub(label, _SLIDER_FRAME_ALT.sub(frame, raw)))


def figure_alt_text(app: Any, doctree: nodes.document, docname: str) -> None:
    """Extract (gettext builder) or translate (other builders) the alt text of figures.

    Also the texts of the explorers' sliders on the web page (:func:`slider_texts`), raw HTML
    made from the notebook's outputs.
    """
    images = [node for node in doctree.findall(nodes.image) if node.get("alt")]
    sliders = [node for node in doctree.findall(nodes.raw) if slider_texts(node.astext())]
    if app.builder.name == "gettext":
        catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
        for image in images:
            catalog.add(image["alt"], MsgOrigin(app.env.doc2path(docname), image.line or 0))
        for slider in sliders:
            for text in slider_texts(slider.astext()):
                catalog.add(text, MsgOrigin(app.env.doc2path(docname), slider.line or 0))
        return
    catalog = page_catalog(app, docname)
    if catalog is not None:
        for slider in sliders:
            slider.children = [nodes.Text(translate_slider(slider.astext(), catalog.gettext))]
        # (Sphinx's own Locale reads the catalog's dictionary the same way.)
        translations = set(getattr(catalog, "_catalog", {}).values())
        for image in images:
            image["alt"] = catalog.gettext(image["alt"])
            if image["alt"] in translations:  # whether Sphinx translated it (and marked it not) or this did
                image["classes"] = [c for c in image["classes"] if c != "untranslated"]


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
    app.add_transform(TranslateLate)
    app.setup_extension("myst_nb")
    app.add_source_parser(_notebook_parser(), override=True)
    app.connect("doctree-resolved", figure_alt_text)
    # After sphinx-book-theme makes its header buttons (priority 501).
    app.connect("html-page-context", language_switch, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

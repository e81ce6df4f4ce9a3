"""Build the Chinese edition of the book (中文版) into ``_build/html/zh/``.

The Chinese edition is not a second copy of the book: it is the same
notebooks and pages, with their prose taken from the message catalogs in
``locale/zh_CN/LC_MESSAGES/`` (one ``.po`` file per page). Code, math and
outputs are shared. Run it after ``jupyter-book build .`` (README command 1
does)::

    .venv/bin/python tools/zh_edition.py           # extract the messages, then build the Chinese site
    .venv/bin/python tools/zh_edition.py update    # also bring the catalogs up to date (translators)

1. **extract**: Sphinx's gettext builder writes the English messages of
   every page to ``_build/i18n/gettext/<page>.pot``.
2. **update** (only when asked): sphinx-intl merges them into the catalogs:
   a new English sentence arrives untranslated, a changed one is marked
   fuzzy with its old translation kept as a starting point.
   ``tests/test_translations.py`` fails on either until the Chinese follows.
3. **build**: the book is built with ``_config.yml`` overlaid by
   ``locale/zh_CN/_config.yml`` (``language: zh_CN``) into ``_build/zh/html``,
   then copied to ``_build/html/zh`` beside the English site.

No notebook runs twice: both builds read the English build's execution cache
(``_build/.jupyter_cache``), and the tool stops before building if a notebook
that the book executes is missing from it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_CN"
# Paths relative to the repository's root:
#: the Chinese catalogs, one .po file per page (the edition's own _config.yml is in locale/zh_CN);
CATALOGS = Path("locale") / LANGUAGE / "LC_MESSAGES"
#: the English build's execution cache, which both builds here read;
CACHE = Path("_build") / ".jupyter_cache"
#: the English messages, one .pot file per page, as the gettext builder writes them;
TEMPLATES = Path("_build") / "i18n" / "gettext"
#: the Chinese build, and the Chinese site inside the English one.
BUILD = Path("_build") / "zh" / "html"
SITE = Path("_build") / "html" / "zh"


#: Markup that a translation keeps exactly as the English has it: roles (glue, citations,
#: equation references), math, code spans, link targets and placeholders.
_MARKUP = re.compile(
    r"\{[^\s{}`]+\}(`+).+?\1"  # a role, {name}`content`
    r"|\$\$.+?\$\$|\$(?:\\.|[^$\\])+?\$"  # display and inline math
    r"|(`+).+?\2"  # a code span
    r"|\]\(([^()\s]+)\)"  # a link's target, [text](target)
    r"|<https?://[^>]+>"  # an autolink
    r"|\{\w+\}",  # a placeholder that code fills in, {steps} (the alt text of an explorer's figures)
    re.DOTALL,
)


#: Cross-reference roles, ``{doc}`text <target>```: a translation keeps the target, and translates the text.
_REFERENCE = re.compile(r"\{(?P<role>doc|ref|numref|term)\}(`+)(?:[^`<]*<(?P<target>[^>`]+)>|(?P<bare>[^`]+))\2")


def markup(text: str) -> Counter:
    """The roles, math, code spans and link targets of a message, which its translation must keep.

    A cross-reference's text may be translated: ``{doc}`four assignments <assignments/index>``` counts
    as ``{doc}<assignments/index>``.
    """

    def token(match: re.Match) -> str:
        if reference := _REFERENCE.fullmatch(match[0]):
            return f"{{{reference['role']}}}<{reference['target'] or reference['bare']}>"
        return match[0]

    return Counter(token(match) for match in _MARKUP.finditer(text))


_LATIN_WORD = re.compile(r"(?<![\w/.-])[A-Za-z][a-z]+(?![\w/.-])")  # not in a path, an address or an identifier
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
#: A Chinese character (CJK Unified Ideographs).
CJK = re.compile(r"[\u4e00-\u9fff]")


def latin_words(text: str) -> list[str]:
    """The Latin words of a text outside its markup (:func:`markup`) and HTML tags: what English prose is made of.

    A translated message with none of these, or a few beside Chinese (a name, a
    term in parentheses), is Chinese; more, and no Chinese character, is English.
    """
    for token in markup(text):
        text = text.replace(token, " ")
    return _LATIN_WORD.findall(_HTML_TAG.sub(" ", text))


def is_english(text: str) -> bool:
    """Whether a text reads as English prose: no Chinese character and more than two Latin words."""
    return not CJK.search(text) and len(latin_words(text)) > 2


class EditionError(Exception):
    """The Chinese edition cannot be built: the message says why and what to do."""


def merged(base: dict, overlay: dict) -> dict:
    """``base`` with ``overlay`` laid over it: dictionaries merge, anything else is replaced."""
    out = dict(base)
    for key, value in overlay.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def config(language: str | None, root: Path = ROOT) -> dict:
    """The book's configuration for one edition (``None``: English), with absolute paths.

    Jupyter Book reads paths in a configuration file given with ``--config``
    relative to that file, so the paths that matter are made absolute; the
    execution cache is always the English build's.
    """
    book = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    if language is not None:
        overlay = root / "locale" / language / "_config.yml"  # the edition's own configuration
        book = merged(book, yaml.safe_load(overlay.read_text(encoding="utf-8")))
    book["execute"]["cache"] = str(root / CACHE)
    sphinx = book["sphinx"]
    sphinx["local_extensions"] = {name: str(root / where) for name, where in sphinx["local_extensions"].items()}
    options = sphinx["config"].get("html_search_options", {})
    if "dict" in options:
        options["dict"] = str(root / options["dict"])
    return book


def book_pages(root: Path = ROOT) -> list[Path]:
    """Every page of the book (``_toc.yml``), relative to ``root``, without its suffix."""

    def files(entry: Any) -> list[str]:
        if isinstance(entry, dict):
            found = [entry["file"]] if "file" in entry else []
            return found + [f for value in entry.values() if isinstance(value, list) for f in files(value)]
        return [f for item in entry for f in files(item)] if isinstance(entry, list) else []

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [Path(f) for f in [toc["root"], *files(toc)]]


def book_notebooks(root: Path = ROOT) -> list[Path]:
    """The pages of the book that are notebooks, relative to ``root``."""
    return [page.with_suffix(".ipynb") for page in book_pages(root) if (root / page).with_suffix(".ipynb").is_file()]


def check_catalog(template: Path, catalog: Path) -> dict[str, list[str]]:
    """What a page's catalog lacks against its English messages (its ``.pot``).

    Returns the messages that are ``missing`` from the catalog (new English),
    ``untranslated``, ``fuzzy`` (the English changed since the translation),
    and ``obsolete`` (in the catalog, no longer on the page); all empty when
    the page is fully translated.
    """
    from babel.messages.pofile import read_po

    with template.open("rb") as file:
        english = [m.id for m in read_po(file) if m.id]
    with catalog.open("rb") as file:
        chinese = {m.id: m for m in read_po(file, abort_invalid=True) if m.id}
    return {
        "missing": [m for m in english if m not in chinese],
        "untranslated": [m for m in english if m in chinese and not chinese[m].string],
        "fuzzy": [m for m in english if m in chinese and chinese[m].fuzzy],
        "obsolete": [m for m in chinese if m not in set(english)],
    }


def check_cache(root: Path = ROOT) -> None:
    """Refuse to build if the English build has not executed every notebook it executes.

    Raises:
        EditionError: naming the first notebook that is not in the cache.
    """
    import nbformat
    from jupyter_cache import get_cache

    cache_dir = root / CACHE
    if not cache_dir.is_dir():
        raise EditionError(f"no execution cache in {cache_dir}: run `jupyter-book build .` first")
    cache = get_cache(str(cache_dir))
    book = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    excluded = book["execute"]["exclude_patterns"]
    for relative in book_notebooks(root):
        if any(relative.match(pattern) for pattern in excluded):
            continue
        path = root / relative
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            raise EditionError(
                f"{relative} is not in the execution cache {cache_dir} (changed since the last build, or its "
                "execution failed): run `jupyter-book build .` first, so that no notebook is executed twice"
            ) from None


def sphinx_build(builder: str, language: str | None, out: Path, root: Path = ROOT) -> None:
    """Build the book with Jupyter Book's Sphinx, strictly (``-W -n --keep-going``), into ``out``.

    Raises:
        EditionError: if the build fails (its warnings are printed above).
    """
    from jupyter_book.sphinx import build_sphinx

    out.parent.mkdir(parents=True, exist_ok=True)
    path_config = out.parent / f"_config.{builder}.yml"
    path_config.write_text(yaml.safe_dump(config(language, root), allow_unicode=True, sort_keys=False), "utf-8")
    result = build_sphinx(
        root,
        out,
        noconfig=True,
        path_config=str(path_config),
        confoverrides={"external_toc_path": str(root / "_toc.yml"), "nitpicky": True, "latex_individualpages": False},
        builder=builder,
        warningiserror=True,
        keep_going=True,
        # Read every page each time: an incremental build would pass a page
        # whose warnings came in an earlier run (~10 s per build).
        freshenv=True,
    )
    if result != 0:
        raise EditionError(f"the {builder} build for {language or 'en'} failed (see its warnings above)")


#: Touched after each extraction (the gettext builder rewrites a .pot only when its messages change).
EXTRACTED = ".extracted"


def extract(root: Path = ROOT) -> Path:
    """Write the English messages of every page to ``_build/i18n/gettext`` and return that folder."""
    out = root / TEMPLATES
    sphinx_build("gettext", None, out, root)
    (out / EXTRACTED).touch()
    return out


def update_catalogs(templates: Path, root: Path = ROOT) -> None:
    """Merge the message templates into ``locale/zh_CN/LC_MESSAGES`` (sphinx-intl).

    sphinx-intl keeps the messages no page has any more at the end of each
    catalog (``#~``); they are dropped here, so a catalog holds its page's
    messages only.
    """
    from babel.messages.pofile import read_po, write_po

    command = [Path(sys.executable).with_name("sphinx-intl"), "update", "-p", templates, "-d", root / "locale"]
    subprocess.run([str(part) for part in [*command, "-l", LANGUAGE, "-w", "0"]], check=True)
    for path in sorted((root / CATALOGS).rglob("*.po")):
        with path.open("rb") as file:
            catalog = read_po(file)
        if catalog.obsolete:
            with path.open("wb") as file:
                write_po(file, catalog, width=0, ignore_obsolete=True)


def build(root: Path = ROOT) -> Path:
    """Build the Chinese site and put it in ``_build/html/zh``; return that folder.

    Call :func:`check_cache` first: this build executes any notebook missing from the cache.
    """
    if not (root / "_build" / "html" / "index.html").is_file():
        raise EditionError(f"no English site in {root / '_build' / 'html'}: run `jupyter-book build .` first")
    out = root / BUILD
    sphinx_build("html", LANGUAGE, out, root)
    site = root / SITE
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(out, site, ignore=shutil.ignore_patterns(".buildinfo"))
    return site


def main(argv: list[str]) -> int:
    """``zh_edition.py [update]``: see the module's docstring."""
    if argv not in ([], ["update"]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        check_cache()
        templates = extract()
        if argv == ["update"]:
            update_catalogs(templates)
        site = build()
    except EditionError as error:
        print(f"zh_edition: {error}", file=sys.stderr)
        return 1
    print(f"zh_edition: the Chinese edition is in {site}")
    lacking = {
        str(template.relative_to(templates)): sum(map(len, check_catalog(template, catalog).values()))
        for template in sorted(templates.rglob("*.pot"))
        if (catalog := ROOT / CATALOGS / template.relative_to(templates).with_suffix(".po")).is_file()
    }
    if any(lacking.values()):  # the site is built all the same, with their English; the tests fail
        print("zh_edition: messages to translate (tests/test_translations.py):", file=sys.stderr)
        for page, count in lacking.items():
            if count:
                print(f"  {page}: {count}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

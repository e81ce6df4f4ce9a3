"""The Chinese edition's catalogs (``locale/zh_CN/LC_MESSAGES``) against the English book.

README command 1 (``tools/zh_edition.py``) extracts the English messages of
every page with Sphinx's gettext builder into ``_build/i18n/gettext``. These
tests fail while any English message has no Chinese translation, or only a
fuzzy one: change an English sentence, and the catalog test fails until
``python tools/zh_edition.py update`` has merged it and a translator has
translated it. They also check what a translation must keep (markup, terms)
and the guard that keeps the Chinese build from executing notebooks.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, require, require_built
from tools import zh_edition
from tools.zh_edition import is_english, markup

TEMPLATES = ROOT / zh_edition.TEMPLATES
CATALOGS = ROOT / zh_edition.CATALOGS
PAGES = sorted(p.relative_to(CATALOGS).with_suffix("") for p in CATALOGS.rglob("*.po"))


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


@pytest.fixture(scope="module")
def templates() -> Path:
    require_built(TEMPLATES, "message templates")
    return TEMPLATES


def test_the_templates_are_those_of_the_current_sources(templates):
    """The messages were extracted after the last change to any page (else the tests below judge old text)."""
    extracted = (templates / zh_edition.EXTRACTED).stat().st_mtime
    sources = [ROOT / f"{p}.ipynb" if (ROOT / f"{p}.ipynb").is_file() else ROOT / f"{p}.md" for p in PAGES]
    stale = [str(p) for p, source in zip(PAGES, sources, strict=True) if source.stat().st_mtime > extracted]
    assert stale == [], "changed after the messages were extracted: run `python tools/zh_edition.py`"


def test_every_page_has_a_catalog_and_every_catalog_a_page(templates):
    pages = sorted(p.relative_to(templates).with_suffix("") for p in templates.rglob("*.pot"))
    assert pages == PAGES, "run `python tools/zh_edition.py update` to make or drop catalogs"
    assert PAGES == sorted(zh_edition.book_pages(ROOT)), "every page of the book has a catalog"


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_english_message_has_a_chinese_translation(templates, page):
    lacking = zh_edition.check_catalog(templates / page.with_suffix(".pot"), CATALOGS / page.with_suffix(".po"))
    shown = {kind: [m[:80] for m in messages] for kind, messages in lacking.items() if messages}
    assert shown == {}, (
        f"{CATALOGS / page}.po: merge the English with `python tools/zh_edition.py update` "
        "(missing, obsolete), then translate (untranslated, fuzzy)"
    )


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_translations_keep_the_markup_and_leave_no_english_prose(page):
    catalog = [m for m in read(CATALOGS / page.with_suffix(".po")) if m.id and m.string]
    changed = [m.id[:80] for m in catalog if markup(m.id) != markup(m.string)]
    assert changed == [], "roles, math, code and link targets must be kept exactly"
    english = [m.string[:80] for m in catalog if is_english(m.string)]
    assert english == [], "left in English"


def test_english_prose_is_told_from_chinese_with_names_and_code():
    assert zh_edition.latin_words("`torch.nn.RNN` and $\\tanh$ {cite}`elman1990finding` [ch](a/b.ipynb)") == [
        "and",
        "ch",
    ]
    assert zh_edition.latin_words("<details>\n<summary>答案</summary>\n") == []
    assert is_english("Every claim is checked by a test.")
    assert not is_english("每个结论都由测试检查（Karpathy 的 char-rnn，Tiny Shakespeare）。")
    assert not is_english("`nn.RNN(input_size=10)` returns (output, h_n)")


def test_a_changed_english_sentence_fails_until_the_chinese_follows(templates, tmp_path):
    """Change one English sentence of a translated page and merge it as translators do: only it is left to do."""
    page = Path("chapters/05_vanishing_gradients")
    template, catalog = templates / page.with_suffix(".pot"), CATALOGS / page.with_suffix(".po")
    require(not any(zh_edition.check_catalog(template, catalog).values()), f"{page} is not fully translated")
    english = template.read_text(encoding="utf-8")
    assert english.count('msgid "Learning objectives"') == 1
    changed = tmp_path / "pot" / page.with_suffix(".pot")
    changed.parent.mkdir(parents=True)
    changed.write_text(english.replace('msgid "Learning objectives"', 'msgid "What you will learn"'), "utf-8")
    lacking = zh_edition.check_catalog(changed, catalog)
    assert lacking["missing"] == ["What you will learn"] and lacking["obsolete"] == ["Learning objectives"]
    merged = tmp_path / zh_edition.CATALOGS / page.with_suffix(".po")
    merged.parent.mkdir(parents=True)
    shutil.copy(catalog, merged)
    zh_edition.update_catalogs(tmp_path / "pot", tmp_path)  # sphinx-intl, as `tools/zh_edition.py update` runs it
    lacking = zh_edition.check_catalog(changed, merged)
    assert lacking["fuzzy"] + lacking["untranslated"] == ["What you will learn"]
    assert sum(map(len, lacking.values())) == 1, "the page's other translations are kept"


def test_the_chinese_build_refuses_to_execute_a_notebook(tmp_path):
    """A notebook missing from the execution cache stops the build before it starts."""
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: chapters/a\n")
    (tmp_path / "_config.yml").write_text("execute:\n  exclude_patterns: []\n")
    (tmp_path / "chapters").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), tmp_path / "chapters/a.ipynb")
    (tmp_path / "_build" / ".jupyter_cache").mkdir(parents=True)
    with pytest.raises(zh_edition.EditionError, match=r"chapters/a\.ipynb is not in the execution cache"):
        zh_edition.check_cache(tmp_path)


def terms_table() -> list[tuple[str, str]]:
    """The glossary page's table of English and Chinese terms (notation.md), one term per row.

    Rows that pair several terms ("weight, bias") are left out; an abbreviation
    in parentheses is dropped from both sides ("recurrent neural network (RNN)").
    """
    text = (ROOT / "notation.md").read_text(encoding="utf-8")
    table = text[text.index(":class: notranslate") :]
    rows = re.findall(r"^\* - (.+)\n  - (.+)$", table, re.MULTILINE)
    assert rows[0] == ("English", "中文") and len(rows) > 40, "the table's layout changed"
    return [
        (re.sub(r"\s*\(.*?\)", "", english).strip(), re.sub(r"（.*?）", "", chinese).strip())
        for english, chinese in rows[1:]
        if not re.search(r"[,;]", english) and "，" not in chinese
    ]


#: A term may be shortened where Chinese says it with fewer characters: 注意力模型 (an attention model),
#: 暂退概率 (the dropout rate), 上下文 (context in the everyday sense), 序列多长 (however long the sequence).
STEMS = {"注意力机制": "注意力", "暂退法": "暂退", "上下文变量": "上下文", "序列长度": "序列"}


def test_every_translation_uses_the_terms_of_the_table():
    """Where the English uses a term of the table (outside code and math), its translation uses the Chinese term."""
    terms = terms_table()
    off = []
    for path in sorted(CATALOGS.rglob("*.po")):
        for message in read(path):
            english = message.id
            for token in markup(english):
                english = english.replace(token, " ")
            for en, zh in terms:
                used = re.search(rf"(?<![\w-]){re.escape(en)}(?:s|es)?(?![\w-])", english, re.IGNORECASE)
                if used and message.string and STEMS.get(zh, zh) not in message.string:
                    off.append(f"{path.relative_to(CATALOGS)}: {en} -> {zh}: {message.string[:60]}")
    assert off == []


NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
#: Small numbers that Chinese writes in words: "Difference 1" is 区别一, "1-D" is 一维.
CHINESE_NUMERALS = dict(zip("1 2 3 4 5 6 7 8 9 10".split(), ["一", "二两", *"三四五六七八九十"], strict=True))


HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def numbers(text: str) -> Counter:
    """The numbers of a message outside its markup (glued values are roles), thousands separators dropped."""
    for token in markup(text):
        text = text.replace(token, " ")
    return Counter(n.replace(",", "") for n in NUMBER.findall(HTML_TAG.sub(" ", text)))


def test_translations_keep_every_number():
    """A translation may drop a thousands separator or write a small number in Chinese, and nothing else."""
    changed = []
    for path in sorted(CATALOGS.rglob("*.po")):
        for message in read(path):
            if message.id and message.string:
                lost = numbers(message.id) - numbers(message.string)
                if not all(set(CHINESE_NUMERALS.get(n, "")) & set(message.string) for n in lost):
                    changed.append(f"{path.relative_to(CATALOGS)}: {dict(lost)} in {message.string[:60]}")
    assert changed == []


def test_an_explorers_texts_are_written_in_the_translation():
    """_ext/edition.py rewrites an explorer's web page version (rnnlib.widgets) in the edition's language."""
    import importlib.util

    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from rnnlib.widgets import NOTE, explorer

    spec = importlib.util.spec_from_file_location("edition", ROOT / "_ext" / "edition.py")
    edition = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(edition)
    controls = {"steps": widgets.IntSlider(value=1, min=1, max=2, description="steps"), "word": widgets.Text("ribs")}
    raw = explorer(controls, lambda steps, word: plt.figure(), alt="{word} over {steps} steps")._repr_mimebundle_()
    raw = raw["text/html"]
    assert edition.slider_texts(raw) == ["{word} over {steps} steps", "steps", NOTE]
    chinese = {"{word} over {steps} steps": "“{word}”，共 {steps} 步", "steps": "步数", NOTE: "本页固定为：{kept}。"}
    translated = edition.translate_slider(raw, lambda text: chinese.get(text, text))
    assert re.findall(r' alt="([^"]*)"', translated) == ["“ribs”，共 1 步", "“ribs”，共 2 步"]
    assert re.findall(r"<label [^>]*>([^<]*)</label>", translated) == ["步数"]
    assert re.findall(r'<p class="rnnlib-slider-note"[^>]*>([^<]*)</p>', translated) == [
        "本页固定为：word = &quot;ribs&quot;。"
    ]

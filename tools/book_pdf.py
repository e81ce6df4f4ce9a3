"""Print the whole book as one PDF: ``_build/pdf/book.pdf``.

Run from the repository root after the html build (README command 1 does
both)::

    .venv/bin/python tools/book_pdf.py

It

1. builds the single-page edition, ``_build/singlehtml/intro.html``, with
   Jupyter Book's ``singlehtml`` builder, strictly (``-W -n``) like the
   site. The notebooks are not executed again: their outputs come from the
   execution cache that the html build filled (``_build/.jupyter_cache``).
   Only a notebook whose code changed since then runs, and the tool says so;
   ``--no-build`` skips this step and prints the page as it is;
2. opens that page in the same headless Chromium as the browser tests
   (Debian's ``chromium``, or ``$CHROMIUM``; a fresh profile), served from
   127.0.0.1, waits until MathJax has typeset every formula and every image
   has loaded, opens the exercises' answers (``<details>``), and prints it
   to PDF. In print the page starts with the book's title and its table of
   contents (the theme's, linked to every chapter), and ``_vendor/print.css``
   hides the site's chrome and starts every chapter on a new page;
3. copies the PDF to ``_build/html/book.pdf``, where the site's
   "Download the whole book as a PDF" link (``intro.md``) points.

The PDF keeps the page's links: the table of contents and the cross
references jump within the PDF, and its outline (bookmarks) follows the
headings. ``tests/test_pdf.py`` checks the result.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINGLE = ROOT / "_build" / "singlehtml"
PDF = ROOT / "_build" / "pdf" / "book.pdf"
#: Where the site's download link points (``intro.md``); publish.yml publishes ``_build/html``.
SITE_COPY = ROOT / "_build" / "html" / "book.pdf"
#: How the PDF and the browser tests (tests/test_site.py) start Chromium: headless, nothing reached for beyond the page.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Jupyter Book's ``singlehtml`` builder writes the whole book into the root page.
PAGE = "intro.html"
#: What myst-nb logs when it runs a notebook instead of taking its outputs from the cache.
EXECUTING = "Executing notebook"

#: Citations link to their bibliography entry through this anchor (see PREPARE_JS).
CITE_ANCHOR = "book-pdf-cite-"

#: Runs in the page once MathJax is done: the answers opened, every image loaded; returns the broken images.
#: A link to another file of the site (none today but the PDF's own download link, hidden in print) would
#: lead to the 127.0.0.1 server in the PDF: such links become plain text. Sphinx numbers the citations'
#: ids (id1, id2, ...) page by page, so on the single page a citation's target, its entry in the
#: bibliography, can share its id with a citation in an earlier chapter, where the PDF's link would land:
#: each citation links to an anchor of its own placed in its entry instead.
PREPARE_JS = """async (citeAnchor) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.href);
    if (url.origin === location.origin && url.pathname !== location.pathname) a.removeAttribute('href');
  }
  for (const a of document.querySelectorAll('.bibtex-citation a[href*="#"]')) {
    const id = decodeURIComponent(new URL(a.href).hash.slice(1));
    const entry = Array.from(document.querySelectorAll(`[id="${CSS.escape(id)}"]`))
      .find(e => e.matches('div.citation'));
    if (!entry) continue;
    const anchor = citeAnchor + id;
    if (!document.getElementById(anchor)) {
      const span = document.createElement('span');
      span.id = anchor;
      (entry.querySelector('.label') || entry).prepend(span);  // in the label: the entry is laid out as a grid
    }
    a.setAttribute('href', '#' + anchor);
  }
  document.querySelectorAll('img[loading]').forEach(i => i.removeAttribute('loading'));
  await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
  await document.fonts.ready;
  return Array.from(document.images).filter(i => !(i.naturalWidth > 0)).map(i => i.src);
}"""

#: The page's margins (A4), around the text and the page numbers at the foot.
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
#: Page numbers at the foot of every page (Chromium fills in the two spans).
FOOTER = (
    '<div style="font-size:8px; width:100%; text-align:center; color:#555;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def chromium() -> str:
    """The Chromium that the browser tests use: ``$CHROMIUM``, else ``chromium`` on the PATH."""
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if executable is None:
        sys.exit(
            "book_pdf: no Chromium to print the PDF with: apt-get install chromium, or set CHROMIUM=/path/to/chrome"
        )
    return executable


def build_single_page() -> list[str]:
    """Build ``_build/singlehtml`` strictly; returns the notebooks executed (none right after the html build)."""
    beside = Path(sys.executable).with_name("jupyter-book")  # the virtual environment's
    jupyter_book = str(beside) if beside.is_file() else shutil.which("jupyter-book") or "jupyter-book"
    command = [jupyter_book, "build", str(ROOT), "--builder", "singlehtml", "-W", "-n", "--keep-going"]
    executed = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as build:
        for line in build.stdout:
            sys.stdout.write(line)
            if EXECUTING in line:
                executed.append(line.split(":")[0].strip())
    if build.returncode != 0:
        sys.exit(f"book_pdf: the singlehtml build failed (exit code {build.returncode}); see above")
    return executed


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 while the block runs; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def print_pdf(executable: str, single: Path = SINGLE, pdf: Path = PDF) -> None:
    """Print ``single``'s root page to ``pdf`` with Chromium (``executable``) once MathJax and the images are ready."""
    from playwright.sync_api import sync_playwright

    if not (single / PAGE).is_file():
        sys.exit(f"book_pdf: no single-page build in {single}: run without --no-build")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with serve(single) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + PAGE, wait_until="load")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("() => MathJax.startup.promise")
            broken = page.evaluate(PREPARE_JS, CITE_ANCHOR)
            if broken:
                sys.exit(f"book_pdf: images that did not load: {broken}")
            page.pdf(
                path=str(pdf),
                format="A4",
                margin=MARGIN,
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="print the existing _build/singlehtml as it is")
    args = parser.parse_args(argv)
    executable = chromium()  # before the build: without one, stop at once
    if not args.no_build:
        start = time.perf_counter()
        executed = build_single_page()
        seconds = time.perf_counter() - start
        if executed:
            print(f"book_pdf: {len(executed)} notebook(s) were not in the execution cache and ran: {executed}")
        else:
            print("book_pdf: no notebook executed: every output came from the html build's execution cache")
        print(f"book_pdf: single-page build {seconds:.1f} s")
    start = time.perf_counter()
    print_pdf(executable)
    seconds = time.perf_counter() - start
    print(f"book_pdf: printed {PDF.relative_to(ROOT)} ({PDF.stat().st_size / 2**20:.1f} MiB) in {seconds:.1f} s")
    if SITE_COPY.parent.is_dir():
        shutil.copyfile(PDF, SITE_COPY)
        print(f"book_pdf: copied to {SITE_COPY.relative_to(ROOT)}, where the site links to it")
    else:
        print(f"book_pdf: no site in {SITE_COPY.parent} to copy the PDF into: build the html first")


if __name__ == "__main__":
    main()

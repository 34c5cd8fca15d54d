"""The built site (_build/html), checked page by page in Debian's Chromium through Playwright.

Every page in the table of contents is opened once, at a desktop size (1280x900), read, then
narrowed to a phone size (390x844) and read again; the tests then assert on what was read. At
both sizes: the page loads; its math is typeset by the MathJax served from the
site itself (no CDN) and no raw TeX is left as text; every image loads; no request leaves
127.0.0.1; the JavaScript console stays free of errors; exactly one search field or button is
visible; with every dropdown and hidden cell opened, no code block, cell output, table or
equation is cut off (what is too wide must scroll). At the desktop size, moreover: every code
block and display equation fits the column without a scrollbar; the lists written in theorems
and proofs render as lists; every figure has a numbered caption and real alt text; a solution
dropdown opens when clicked; and every notebook page offers its executed notebook, with outputs,
for download.

Run ``make book`` first (``make test`` does). ``MLMATH_SITE=/path/to/_build/html`` checks another
build.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from site_pages import (
    HTML,
    notebook_pages,
    pages_with_solutions,
    prf_list_items,
    skip_or_fail,
    source_text,
    toc_files,
    trivial_alt,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = toc_files()
NOTEBOOK_PAGES = notebook_pages()
SOLUTION_PAGES = set(pages_with_solutions())

# Prose blocks (code, typeset math and scripts removed) still holding a TeX delimiter or command.
RAW_TEX_IN_PROSE = r"""() =>
  [...document.querySelectorAll("article p, article li, article td, article dd, article dt")]
    .map(block => {
      const copy = block.cloneNode(true);
      copy.querySelectorAll("code, pre, mjx-container, script").forEach(node => node.remove());
      return copy.textContent;
    })
    .filter(text => /\$|\\[a-zA-Z()[\]{}|]/.test(text))
    .map(text => text.trim().slice(0, 120))
"""

# Search fields and buttons a reader can see (the theme hides the duplicates per screen size).
VISIBLE_SEARCH = """() =>
  [...document.querySelectorAll(".search-button__button, input[type=search], .bd-search")]
    .filter(node => node.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    .map(node => node.className)
"""

# Open every hidden-cell toggle (<details>) and every dropdown (sphinx-togglebutton), so that the
# width checks see all content.
OPEN_EVERYTHING = """() => {
  document.querySelectorAll("article details").forEach(node => { node.open = true; });
  document.querySelectorAll("article .toggle-hidden")
    .forEach(node => node.classList.remove("toggle-hidden"));
}"""

# Code blocks, cell outputs, tables and equations whose content is cut off: wider than their box
# while not scrolling (overflow-x visible/hidden/clip), or reaching past the article's edge with
# no scrolling box around them. With mustFit (at 1280 px), a code block or a display equation that
# needs to scroll fails too: code lines must be short enough, long equations broken. Inline math
# cannot scroll or break: its formula must fit in the article, and its box must not clip it.
CLIPPED = r"""(mustFit) => {
  const article = document.querySelector("article.bd-article");
  const scrolls = node => ["auto", "scroll"].includes(getComputedStyle(node).overflowX);
  const kinds = [
    ["code", "div.highlight pre"],
    ["output", "div.cell_output > *"],
    ["table", "table"],
    ["equation", "mjx-container[display='true'], div.math"],
    ["inline math", "span.math"],
  ];
  const describe = node => (node.innerText || node.textContent || "").trim()
    .replace(/\s+/g, " ").slice(0, 70);
  const found = [];
  for (const [kind, selector] of kinds) {
    for (const node of article.querySelectorAll(selector)) {
      if (node.getClientRects().length === 0) continue;  // not rendered
      // Inline math is measured by its glyphs (mjx-math): MathJax's hidden copy for screen
      // readers (mjx-assistive-mml) may reach past the formula without being seen.
      const glyphs = kind === "inline math" && node.querySelector("mjx-math");
      const excess = glyphs
        ? Math.round(glyphs.getBoundingClientRect().right - node.getBoundingClientRect().right)
        : node.scrollWidth - node.clientWidth;
      const overflowX = getComputedStyle(node).overflowX;
      // An inline formula may reach past its own box when that box lets it show.
      const spills = glyphs && overflowX === "visible";
      let problem = null;
      if (excess > 1 && !spills && !scrolls(node)) {
        problem = `${excess}px cut off (overflow-x: ${overflowX})`;
      } else if (excess > 1 && mustFit && kind === "code" && !node.closest(".cell_output")) {
        problem = `needs a scrollbar (${excess}px too wide): shorten its lines`;
      } else if (excess > 1 && mustFit && kind === "equation") {
        problem = `needs a scrollbar (${excess}px too wide): break it over lines`;
      } else if (!scrolls(node)) {
        let scroller = null;
        for (let up = node.parentElement; up && up !== article; up = up.parentElement) {
          if (scrolls(up)) { scroller = up; break; }
        }
        const box = (glyphs || node).getBoundingClientRect();
        const edge = article.getBoundingClientRect();
        if (!scroller && (box.right > edge.right + 1 || box.left < edge.left - 1)) {
          problem = `${Math.round(box.width)}px wide, reaches past the article ` +
            `(${Math.round(edge.left)}..${Math.round(edge.right)}px)`;
        }
      }
      if (problem) found.push(`${kind} "${describe(node)}": ${problem}`);
    }
  }
  return found;
}"""

# Lists inside sphinx-proof boxes (theorems, definitions, proofs, ...), and paragraphs there that
# are a numbered list run together ("Proof. 1. ... 2. ...": what sphinx-proof makes of a proof
# that opens with a list). Prose that refers to items, "(1) holds since ...", is not flagged.
PROOF_LISTS = r"""() => {
  const boxes = [...document.querySelectorAll("article div.proof")];
  return {
    items: boxes.reduce((sum, box) => sum + box.querySelectorAll("li").length, 0),
    runOn: boxes.flatMap(box => [...box.querySelectorAll("p")])
      .map(p => p.textContent.replace(/\s+/g, " "))
      .filter(text => /^\s*(Proof\.\s*)?1[.)]\s.*\s2[.)]\s/.test(text))
      .map(text => text.slice(0, 100)),
  };
}"""

# Every image in the article: its alt text and the caption number of its figure, if any.
FIGURES = r"""() =>
  [...document.querySelectorAll("article img")].map(img => {
    const figure = img.closest("figure");
    const number = figure && figure.querySelector("figcaption .caption-number");
    const section = img.closest("section");
    const heading = section && section.querySelector("h1, h2, h3, h4");
    return {
      src: img.getAttribute("src"),
      where: heading ? heading.textContent.replace("#", "").trim() : "",
      alt: img.getAttribute("alt") || "",
      number: number ? number.textContent.trim() : "",
    };
  })
"""

# The download menu's entries (sphinx-book-theme's header dropdown).
DOWNLOADS = """() =>
  [...document.querySelectorAll(".dropdown-download-buttons .dropdown-menu a")]
    .map(link => ({
      text: link.textContent.trim(),
      href: link.getAttribute("href"),
      download: link.hasAttribute("download"),
    }))
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    if not (HTML / "index.html").is_file():
        skip_or_fail(f"no built site at {HTML}: run 'make book' first")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        skip_or_fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageReport:
    """One visit of one page: everything the checks read, at both sizes, gathered at once.

    The page is loaded once, at the desktop size, and read; then the viewport is narrowed to the
    phone size (the stylesheets' media queries apply as on a phone) and the size-dependent
    readings are taken again. Loading and typesetting a page is most of a visit's cost, so one
    load serves both sizes. Interactions come in this order (solution dropdown, download menu,
    opening every dropdown), so that each sees the page as a reader would; the phone readings
    see every dropdown open, as the width checks need. The page is closed afterwards; the tests
    only look at the recorded values, ``reading[viewport]``.
    """

    def __init__(self, browser, url: str, file: str) -> None:
        self.url = url
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.reading: dict[str, Reading] = {}
        context = browser.new_context(viewport=VIEWPORTS["desktop"])
        page = context.new_page()
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.failed.append(request.url))
        page.on(
            "response",
            lambda response: (
                self.failed.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        try:
            response = page.goto(url, wait_until="load")
            self.loaded = response is not None and response.ok
            # MathJax typesets after load; its startup promise resolves when the page is done.
            page.wait_for_function("() => !window.MathJax || window.MathJax.startup !== undefined")
            page.evaluate("() => window.MathJax ? window.MathJax.startup.promise : null")
            self.reading["desktop"] = Reading(page, file, "desktop")
            page.set_viewport_size(VIEWPORTS["phone"])
            page.evaluate(NEXT_FRAMES)
            self.reading["phone"] = Reading(page, file, "phone")
        finally:
            context.close()
        for reading in self.reading.values():  # what belongs to the visit, seen from each size
            reading.url, reading.loaded = self.url, self.loaded
            reading.requests, reading.failed, reading.errors = (
                self.requests,
                self.failed,
                self.errors,
            )


# Resolves once the browser has laid the page out again (two animation frames after a resize).
NEXT_FRAMES = """() => new Promise(done =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


class Reading:
    """What the checks read from a loaded page at one viewport size.

    :class:`PageReport` adds what belongs to the whole visit: ``url``, ``loaded``, ``requests``,
    ``failed`` and ``errors``.
    """

    url: str
    loaded: bool
    requests: list[str]
    failed: list[str]
    errors: list[str]

    def __init__(self, page, file: str, viewport: str) -> None:
        self.width = page.evaluate("() => window.innerWidth")
        self.has_math = page.locator(".math").count() > 0
        self.typeset = page.locator("mjx-container").count()
        self.mathjax_src = page.evaluate(
            "() => [...document.scripts].map(s => s.src).find(s => s.includes('mathjax')) || ''"
        )
        self.raw_tex = page.evaluate(RAW_TEX_IN_PROSE)
        self.broken_images = page.evaluate(
            "() => [...document.images]"
            ".filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)"
        )
        self.article_images = page.locator("article img").count()
        self.search = page.evaluate(VISIBLE_SEARCH)
        self.proof_lists = page.evaluate(PROOF_LISTS)
        self.figures = page.evaluate(FIGURES)
        self.downloads = page.evaluate(DOWNLOADS)
        self.solution: dict[str, bool] = {}
        self.download_menu_opens = False
        if viewport == "desktop":
            if file in SOLUTION_PAGES:
                self.solution = open_first_solution(page)
            if file in NOTEBOOK_PAGES:
                self.download_menu_opens = open_download_menu(page)
        page.evaluate(OPEN_EVERYTHING)
        self.clipped = page.evaluate(CLIPPED, viewport == "desktop")


def open_first_solution(page) -> dict[str, bool]:
    """Click the first solution's toggle; whether its body was hidden before and shown after."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    solution = page.locator("div.solution.dropdown").first
    body = solution.locator(".solution-content, section").first
    if solution.count() == 0:
        return {"a solution dropdown on the page": False}
    hidden_before = not body.is_visible()
    try:
        # The toggle button sphinx-togglebutton adds to the title (the title's text is a link).
        solution.locator("button.toggle-button").click(timeout=5000)
        body.wait_for(state="visible", timeout=5000)
    except PlaywrightTimeout:
        pass  # the state below tells what went wrong
    return {"hidden before the click": hidden_before, "shown after": body.is_visible()}


def open_download_menu(page) -> bool:
    """Open the download dropdown; whether its notebook entry is then visible."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    toggle = page.locator(".dropdown-download-buttons button.dropdown-toggle")
    entry = page.locator(".dropdown-download-buttons a.btn-download-notebook-button")
    if toggle.count() != 1 or entry.count() != 1 or not toggle.is_visible():
        return False
    try:
        toggle.click(timeout=5000)
        entry.wait_for(state="visible", timeout=3000)
    except PlaywrightTimeout:
        return False
    page.keyboard.press("Escape")
    return True


@pytest.fixture(scope="module")
def report(browser, site_url) -> Callable[[str, str], Reading]:
    """``report(file, viewport)``: the page's readings at that size, from one visit per page."""
    visits: dict[str, PageReport] = {}

    def get(file: str, viewport: str) -> Reading:
        if file not in visits:
            visits[file] = PageReport(browser, f"{site_url}/{file}.html", file)
        return visits[file].reading[viewport]

    return get


def page_params(files: list[str], viewports: tuple[str, ...] = tuple(VIEWPORTS)) -> list[Any]:
    return [
        pytest.param(file, viewport, id=f"{viewport}-{file}")
        for file in files
        for viewport in viewports
    ]


@pytest.mark.parametrize(("file", "viewport"), page_params(PAGES))
def test_page_loads_offline_with_typeset_math(report, file: str, viewport: str) -> None:
    visit = report(file, viewport)
    assert visit.loaded, f"{file} did not load"
    assert visit.width == VIEWPORTS[viewport]["width"], f"read at {visit.width}px, not {viewport}"

    outside = [url for url in visit.requests if urlparse(url).hostname != "127.0.0.1"]
    assert outside == [], f"requests leaving 127.0.0.1: {outside}"
    assert visit.failed == [], f"failed requests: {visit.failed}"
    assert visit.errors == [], f"JavaScript console errors: {visit.errors}"

    if visit.has_math:
        src = visit.mathjax_src
        assert urlparse(src).hostname == "127.0.0.1", f"MathJax not served locally: {src!r}"
        assert visit.typeset > 0, "math present but not typeset"
    assert visit.raw_tex == [], f"raw TeX left as text on {file}: {visit.raw_tex}"
    assert visit.broken_images == [], f"images that did not load: {visit.broken_images}"


# What a page's source asks to be shown: math (dollar or {math} syntax) and figures (a code
# cell's mystnb figure metadata, or a figure directive).
SOURCE_MATH = re.compile(r"\$[^$\n]+\$|\{math\}")
SOURCE_FIGURE = re.compile(r"^\s*figure:\s*$|^\s*(?:`{3,}|:{3,})\{figure\}", re.MULTILINE)


@pytest.mark.parametrize("file", PAGES)
def test_the_math_and_figures_of_the_source_are_on_the_page(report, file: str) -> None:
    """Guards the checks above against vacuous passes: what the source has, the page shows."""
    source = source_text(file)
    visit = report(file, "desktop")
    if SOURCE_MATH.search(source):
        assert visit.has_math and visit.typeset > 0, f"{file} has math, none typeset"
    figures = len(SOURCE_FIGURE.findall(source))
    assert len(visit.figures) >= figures, f"{figures} figures in the source, {visit.figures}"


@pytest.mark.parametrize(("file", "viewport"), page_params(PAGES))
def test_nothing_is_cut_off(report, file: str, viewport: str) -> None:
    """Code, outputs, tables and equations fit or scroll; at 1280 px code and equations fit."""
    clipped = report(file, viewport).clipped
    size = "{width}x{height}".format(**VIEWPORTS[viewport])
    assert clipped == [], f"{file} at {size}:\n" + "\n".join(clipped)


@pytest.mark.parametrize(("file", "viewport"), page_params(PAGES))
def test_exactly_one_search_field(report, file: str, viewport: str) -> None:
    search = report(file, viewport).search
    assert len(search) == 1, f"visible search fields/buttons: {search}"


@pytest.mark.parametrize("file", PAGES)
def test_lists_in_proofs_render_as_lists(report, file: str) -> None:
    """Every list item written inside a {prf:...} directive is an <li> on the page."""
    written = prf_list_items(source_text(file))
    rendered = report(file, "desktop").proof_lists
    assert rendered["runOn"] == [], f"lists run together in a paragraph: {rendered['runOn']}"
    assert rendered["items"] == written, (
        f"{written} list items written inside prf directives, {rendered['items']} rendered as <li>"
    )


@pytest.mark.parametrize("file", PAGES)
def test_figures_have_numbered_captions_and_alt_text(report, file: str) -> None:
    problems = []
    for figure in report(file, "desktop").figures:
        where = f"image in section {figure['where']!r} ({figure['src']})"
        if not re.fullmatch(r"Figure \d+\.\d+", figure["number"].rstrip(". ")):
            problems.append(f"{where}: no 'Figure N.M' caption ({figure['number']!r})")
        if trivial_alt(figure["alt"]):
            problems.append(f"{where}: alt text says nothing ({figure['alt']!r})")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("file", sorted(SOLUTION_PAGES, key=PAGES.index))
def test_solution_dropdown_opens_on_click(report, file: str) -> None:
    solution = report(file, "desktop").solution
    assert solution == {"hidden before the click": True, "shown after": True}, solution


@pytest.mark.parametrize("file", NOTEBOOK_PAGES)
def test_download_menu_offers_the_executed_notebook(report, site_url: str, file: str) -> None:
    import jupytext
    import nbformat

    visit = report(file, "desktop")
    entries = [entry for entry in visit.downloads if entry["text"] == ".ipynb"]
    assert len(entries) == 1, f"download menu entries: {visit.downloads}"
    assert entries[0]["download"], "the .ipynb link opens the JSON instead of saving the file"
    assert visit.download_menu_opens, "the download menu does not show its .ipynb entry"
    url = urljoin(visit.url, entries[0]["href"])
    with urllib.request.urlopen(url, timeout=10) as response:
        notebook = nbformat.reads(response.read().decode("utf-8"), as_version=4)
    nbformat.validate(notebook)

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    source = jupytext.reads(source_text(file), fmt="md:myst")
    expected = [cell.source for cell in source.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == expected, "the notebook's code is not the page's"
    assert all(cell.execution_count for cell in code), "a code cell was not executed"
    outputs = [output for cell in code for output in cell.outputs]
    assert outputs, "the notebook has no outputs"
    errors = [output for output in outputs if output.output_type == "error"]
    assert errors == [], f"error outputs: {errors}"

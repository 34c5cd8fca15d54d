"""The built site (_build/html), checked page by page in Debian's Chromium through Playwright.

For every page in the table of contents: it loads; its math is typeset by the MathJax served from
the site itself (no CDN) and no raw TeX is left as text; every image loads; no request leaves
127.0.0.1; the JavaScript console stays free of errors. On pages with exercises, a solution dropdown
opens when clicked. Run ``make book`` first (``make test`` does).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from site_pages import HTML, pages_with_solutions, skip_or_fail, toc_files

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
PAGES = toc_files()
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


class PageVisit:
    """Open one page and record its requests, failed requests and console errors."""

    def __init__(self, browser, url: str) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on(
            "response",
            lambda response: self.failed.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None,
        )
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.response = self.page.goto(url, wait_until="load")
        # MathJax typesets after load; its startup promise resolves when the page is done.
        self.page.wait_for_function("() => !window.MathJax || window.MathJax.startup !== undefined")
        self.page.evaluate("() => window.MathJax ? window.MathJax.startup.promise : null")

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def visit(browser, site_url):
    opened: list[PageVisit] = []

    def open_page(file: str) -> PageVisit:
        opened.append(PageVisit(browser, f"{site_url}/{file}.html"))
        return opened[-1]

    yield open_page
    for page_visit in opened:
        page_visit.close()


@pytest.mark.parametrize("file", PAGES)
def test_page_loads_offline_with_typeset_math(visit, file: str) -> None:
    page_visit = visit(file)
    page = page_visit.page
    assert page_visit.response is not None and page_visit.response.ok, f"{file} did not load"

    outside = [url for url in page_visit.requests if urlparse(url).hostname != "127.0.0.1"]
    assert outside == [], f"requests leaving 127.0.0.1: {outside}"
    assert page_visit.failed == [], f"failed requests: {page_visit.failed}"
    assert page_visit.errors == [], f"JavaScript console errors: {page_visit.errors}"

    has_math = page.locator(".math").count() > 0
    if has_math:
        src = page.evaluate(
            "() => [...document.scripts].map(s => s.src).find(s => s.includes('mathjax')) || ''"
        )
        assert urlparse(src).hostname == "127.0.0.1", f"MathJax not served locally: {src!r}"
        assert page.locator("mjx-container").count() > 0, "math present but not typeset"
    raw_tex = page.evaluate(RAW_TEX_IN_PROSE)
    assert raw_tex == [], f"raw TeX left as text on {file}: {raw_tex}"

    broken = page.evaluate(
        "() => [...document.images]"
        ".filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)"
    )
    assert broken == [], f"images that did not load: {broken}"


def test_every_chapter_page_has_math_and_a_figure_somewhere(visit) -> None:
    """Guards the checks above against vacuous passes: the site has typeset math and images."""
    counts = {"math": 0, "images": 0}
    for file in PAGES:
        page = visit(file).page
        counts["math"] += page.locator("mjx-container").count()
        counts["images"] += page.locator("article img").count()
    assert counts["math"] > 20 and counts["images"] > 0, counts


@pytest.mark.parametrize("file", pages_with_solutions())
def test_solution_dropdown_opens_on_click(visit, file: str) -> None:
    page = visit(file).page
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator(".solution-content, section").first
    assert not body.is_visible(), "a solution is visible before it is clicked"
    # The toggle button sphinx-togglebutton adds to the title (the title's text is a link).
    solution.locator("button.toggle-button").click()
    body.wait_for(state="visible", timeout=5000)
    assert body.is_visible()

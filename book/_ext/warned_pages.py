"""Sphinx extension: a page that warned is built again next time, so warnings never vanish.

Sphinx rebuilds only the pages whose sources changed. A page that warned (a broken reference
under ``-n``, a cell that wrote to stderr, a docstring autodoc could not parse) is therefore
not read again by the next build when nothing changed, its warning is not printed again, and
``make book`` -- which fails on any warning (``-W``) -- reports "build succeeded" for a book
that still has the problem.

This extension remembers the pages that warned while they were read, resolved or written (a
logging handler that attributes each warning Sphinx does not suppress to the page being
processed), saves their names next to Sphinx's environment
(``<doctreedir>/mlmath-warned-pages.json``) and, at the next build, marks them as outdated
(``env-get-outdated``), so they are read and written again and their warnings show until they
are fixed. Warnings that belong to no page
(configuration, table of contents) are raised again by every build anyway.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.logging import WarningSuppressor

STORE = "mlmath-warned-pages.json"


class WarnedPages(logging.Handler):
    """Collects the names of the pages being processed when a warning is logged."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.docnames: set[str] = set()
        # The same suppression as Sphinx's own handlers (``suppress_warnings``).
        self.addFilter(WarningSuppressor(app))

    def emit(self, record: logging.LogRecord) -> None:
        env = self.app.env
        if env is None:
            return
        docname = env.temp_data.get("docname")  # while a page is read or resolved
        if not docname and self.app.phase.name == "WRITING":
            docname = getattr(self.app.builder, "current_docname", None)
        if docname:
            self.docnames.add(docname)


def store(app: Sphinx) -> Path:
    return Path(app.doctreedir) / STORE


def start(app: Sphinx) -> None:
    handler = WarnedPages(app)
    app.mlmath_warned_pages = handler
    logging.getLogger("sphinx").addHandler(handler)


def warned_last_time(app: Sphinx, env, added, changed, removed) -> list[str]:
    try:
        docnames = json.loads(store(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return sorted(set(docnames) & set(env.found_docs) - set(removed))


def save(app: Sphinx, exception: Exception | None) -> None:
    handler: WarnedPages | None = getattr(app, "mlmath_warned_pages", None)
    if handler is None:
        return
    logging.getLogger("sphinx").removeHandler(handler)
    if exception is None:
        store(app).parent.mkdir(parents=True, exist_ok=True)
        store(app).write_text(json.dumps(sorted(handler.docnames)), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", start)
    app.connect("env-get-outdated", warned_last_time)
    app.connect("build-finished", save)
    return {"parallel_read_safe": True, "parallel_write_safe": False}

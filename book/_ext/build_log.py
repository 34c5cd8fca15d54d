"""Sphinx extension: the build log keeps what a person reading it needs.

A build of the book logs, besides Sphinx's progress, a few lines that only restate what is
already known or configured:

- myst-parser's and myst-nb's full configuration dumps (two lines of several thousand
  characters each, at every build), autosummary's list of every page it scans (one long line),
  and the notices that an extension loaded or that the root page is the one ``_toc.yml`` names;
- for each executed page, myst-nb's "Executing notebook using local CWD" (Sphinx's own
  "reading sources... book/<page>" line already names the page being executed) and
  "Cached executed notebook: ID=n".

This extension drops exactly those informational messages from Sphinx's log handlers. It never
drops a warning or an error, and it keeps myst-nb's "Executed notebook in N seconds" and
"Using cached notebook" lines, which say whether each page ran or came from the cache.
"""

from __future__ import annotations

import logging
import re

from sphinx.application import Sphinx

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
REDUNDANT = (
    re.compile(r"^myst v[\w.]+: MdParserConfig\("),
    re.compile(r"^myst-nb v[\w.]+: NbParserConfig\("),
    re.compile(r"^sphinx-multitoc-numbering v[\w.]+: Loaded$"),
    re.compile(r"^\[etoc\] Changing master_doc to "),
    re.compile(r"^\[autosummary\] generating autosummary for: "),
    re.compile(r"^\S+: Executing notebook using (local|temporary) CWD \[mystnb\]$"),
    re.compile(r"^\S+: Cached executed notebook: ID=\d+ \[mystnb\]$"),
)


class RedundantInfo(logging.Filter):
    """Drops the informational messages listed in ``REDUNDANT``; lets everything else through.

    Examples
    --------
    >>> def record(level, msg):
    ...     return logging.LogRecord("sphinx.x", level, __file__, 1, msg, None, None)
    >>> keep = RedundantInfo().filter
    >>> keep(record(logging.INFO, "/b/p.md: Executing notebook using local CWD [mystnb]"))
    False
    >>> keep(record(logging.INFO, "/b/p.md: Executed notebook in 1.20 seconds [mystnb]"))
    True
    >>> keep(record(logging.WARNING, "/b/p.md: Cached executed notebook: ID=3 [mystnb]"))
    True
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        message = ANSI.sub("", record.getMessage()).strip()
        return not any(pattern.search(message) for pattern in REDUNDANT)


def setup(app: Sphinx) -> dict:
    # Sphinx's handlers are on the "sphinx" logger; a handler filter also sees the records of
    # child loggers (myst-nb logs through one logger per document).
    for handler in logging.getLogger("sphinx").handlers:
        if not any(isinstance(f, RedundantInfo) for f in handler.filters):
            handler.addFilter(RedundantInfo())
    return {"parallel_read_safe": True, "parallel_write_safe": True}

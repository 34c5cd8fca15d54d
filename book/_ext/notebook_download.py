"""Sphinx extension: every notebook page offers its executed ``.ipynb`` for download.

The chapters are Jupytext MyST notebooks (``.md``). myst-nb executes each one and writes the
executed notebook, outputs included, to ``_build/jupyter_execute/<page>.ipynb``. sphinx-book-theme
already knows how to list an ``.ipynb`` in a page's download menu (the context value
``ipynb_source``, a path under ``_sources/``), but it sets that value only when a remote launch
service (Binder, JupyterHub, Colab) is configured, which this offline course does not use.

This extension fills the gap: while a notebook page is written (``html-page-context``, before the
theme builds its header buttons), it writes the executed notebook to ``_sources/<page>.ipynb`` in
the HTML output and sets ``ipynb_source``, so the download menu shows an ``.ipynb`` entry next to
``.md`` and ``.pdf``. A small script marks that link as a download, so the browser saves the file
rather than showing its JSON.

With ``execute_notebooks: cache``, myst-nb 1.4 writes the notebook *without* outputs to
``jupyter_execute/`` whenever it takes them from the cache (it saves its input notebook, not the
one merged with the cache), which is every build after the first. So the outputs are merged from
the same jupyter-cache the page was rendered from, and written back to ``jupyter_execute/``
too: that copy is the reference ``pytest --nbval`` compares every re-run output with
(``conftest.py``), and without outputs the comparison had nothing to compare. The download
drops the build-only metadata (``source_map``, ``jupytext``).

A page whose code failed offers no notebook (the failure is already reported). A page that ran
but whose notebook cannot be found, or has no outputs, gets a warning at the page, which fails a
build run with ``-W``: the menu would otherwise offer an empty notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# sphinx-book-theme reads ``ipynb_source`` in a handler of priority 501.
PRIORITY = 500
MARK_AS_DOWNLOAD = """
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("a.btn-download-notebook-button").forEach((link) => {
    link.setAttribute("download", "");
    link.removeAttribute("target");
  });
});
"""


def is_notebook_page(app: Sphinx, pagename: str) -> bool:
    """Whether ``pagename`` was read as a notebook (its front matter has a kernelspec)."""
    return "kernelspec" in app.env.metadata.get(pagename, {})


def executed_notebook(app: Sphinx, pagename: str) -> Path:
    """The path myst-nb writes the executed notebook of ``pagename`` to."""
    return Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"


def execution_failed(app: Sphinx, pagename: str) -> bool:
    """Whether myst-nb recorded a failed execution of ``pagename`` in this build."""
    data = NbMetadataCollector.get_exec_data(app.env, pagename) or {}
    return data.get("succeeded") is False


def offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None or not is_notebook_page(app, pagename):
        return
    if execution_failed(app, pagename):
        return
    source = executed_notebook(app, pagename)
    if not source.is_file():
        warn(pagename, f"no executed notebook at {source} to offer for download")
        return
    notebook = with_outputs(app, pagename, nbformat.read(source, as_version=4))
    if notebook is None:
        return
    # The reference of `pytest --nbval` (conftest.py) and of its pass records: it must hold the
    # outputs the page shows, not myst-nb's output-less copy.
    nbformat.write(notebook, source)
    for key in ("source_map", "jupytext"):
        notebook.metadata.pop(key, None)
    nbformat.validate(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def with_outputs(app: Sphinx, pagename: str, notebook: Any) -> Any | None:
    """``notebook`` with the outputs the page shows (from jupyter-cache in ``cache`` mode).

    None, after a warning, when the outputs cannot be found.
    """
    config = app.env.mystnb_config
    if config.execution_mode == "cache":
        from jupyter_cache import get_cache

        try:
            _, notebook = get_cache(config.execution_cache_path).merge_match_into_notebook(notebook)
        except KeyError:
            warn(
                pagename,
                f"its notebook is not in the execution cache {config.execution_cache_path}",
            )
            return None
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if code and not any(cell.get("outputs") for cell in code):
        warn(pagename, "its executed notebook has no outputs; no .ipynb offered for download")
        return None
    return notebook


def warn(pagename: str, message: str) -> None:
    logger.warning(message, location=pagename, type="mlmath", subtype="notebook_download")


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", offer_notebook, priority=PRIORITY)
    app.add_js_file(None, body=MARK_AS_DOWNLOAD)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

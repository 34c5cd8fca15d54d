"""Sphinx extension: a page whose code fails is reported once, at its line in the ``.md``.

With ``nb_execution_raise_on_error: true`` the first failing notebook aborts the whole build:
myst-nb prints the cell twice with its internal tracebacks, Sphinx adds its "please report this"
banner, the location reads "Cell In[3], line 21", and later pages are never tried. The book
therefore runs with ``nb_execution_raise_on_error: false`` and ``nb_execution_show_tb: false``,
and ``suppress_warnings: [mystnb.exec]`` hides myst-nb's own failure messages; this extension
reports instead:

- right after a page is read (``doctree-read``), if its notebook failed, one warning located at
  ``book/<chapter>/<page>.md:<line>``, the line of the failing statement in the ``.md`` file,
  with the error and the cell's traceback (its "Cell In[n], line k" frame rewritten to the
  ``.md`` path and line);
- at the end of the build (``build-finished``), a summary of every failing page, and a non-zero
  exit status even without ``-W``;
- on the next build, every page that failed is read and executed again (``env-get-outdated``)
  even if its source did not change, so a failure never turns into "build succeeded" on a
  rebuild. (Failed executions are never stored in the execution cache.) A page whose code ran
  but wrote to stderr (which myst-nb reports itself) is listed in the summary and read again
  too.

The failing cell is found in the executed notebook that myst-nb writes to its output folder
(``_build/jupyter_execute``); its first line in the ``.md`` is found by reading the page with
myst-nb's own MyST-notebook reader (which gives the line of each cell's fence) and locating the
cell's source after that fence.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
from docutils import nodes
from myst_nb.core.read import read_myst_markdown_notebook
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.console import bold, red

logger = logging.getLogger(__name__)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")
# A numbered source line of a traceback frame: "      3 x = 1" or "----> 3 assert x".
CONTEXT_LINE = re.compile(r"^(-*>?\s*)(\d+)( .*|)$")


@dataclass
class Failure:
    """One failing page: where (``path``, ``line``) and what (``error``, ``traceback``)."""

    path: str
    line: int
    error: str
    traceback: str


def strip_ansi(text: str) -> str:
    """``text`` without terminal colour codes.

    Examples
    --------
    >>> strip_ansi("\\x1b[31mAssertionError\\x1b[39m: x is not y")
    'AssertionError: x is not y'
    """
    return ANSI.sub("", text)


def cell_body_line(md_text: str, cell_index: int) -> int | None:
    """The 1-based line of the ``.md`` where the source of notebook cell ``cell_index`` starts.

    Parameters
    ----------
    md_text : str
        The page, a MyST-markdown notebook.
    cell_index : int
        The cell's index in the notebook myst-nb reads from the page (markdown cells count).

    Returns
    -------
    int or None
        The line of the cell's first source line (after the fence and any cell options), or
        ``None`` when the cell cannot be found.

    Examples
    --------
    >>> page = "# T\\n\\n```{code-cell} ipython3\\n:tags: [hide-input]\\n\\nx = 1\\n```\\n"
    >>> cell_body_line(page, 1)
    6
    """
    notebook = read_myst_markdown_notebook(md_text, add_source_map=True)
    if not 0 <= cell_index < len(notebook.cells):
        return None
    fence = notebook.metadata["source_map"][cell_index]  # 1-based line of the fence
    source = notebook.cells[cell_index].source.splitlines()
    lines = md_text.splitlines()
    if not source:
        return fence
    for start in range(fence, len(lines) - len(source) + 1):
        if lines[start : start + len(source)] == source:
            return start + 1
    return fence


def failing_cell(notebook: nbformat.NotebookNode) -> tuple[int, dict | None]:
    """The index of the cell that stopped the execution and its error output (if any).

    A cell that raised carries an ``error`` output (cells tagged ``raises-exception`` are
    expected to, and are skipped). Without one (a timeout, a dead kernel), the last cell that
    started running is returned.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    >>> error = new_output("error", ename="ValueError", evalue="bad", traceback=[])
    >>> expected = new_code_cell("raise KeyError", metadata={"tags": ["raises-exception"]},
    ...                          execution_count=1, outputs=[new_output("error", ename="KeyError",
    ...                          evalue="k", traceback=[])])
    >>> failed = new_code_cell("int('x')", execution_count=2, outputs=[error])
    >>> nb = new_notebook(cells=[new_markdown_cell("# T"), expected, failed, new_code_cell("1")])
    >>> index, output = failing_cell(nb)
    >>> index, output["ename"]
    (2, 'ValueError')
    """
    last_started = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        expected = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and not expected:
                return index, output
        if cell.get("execution_count") is not None:
            last_started = index
    return last_started, None


def locate_in_page(frames: list[str], count: int | None, body: int, path: str):
    """Rewrite the failing cell's frame of an IPython traceback to lines of the ``.md``.

    Parameters
    ----------
    frames : list of str
        The traceback's lines, without colour codes.
    count : int or None
        The failing cell's execution count (its frame reads "Cell In[count], line k").
    body : int
        The ``.md`` line of the cell's first source line.
    path : str
        The page's path, shown in place of "Cell In[count]".

    Returns
    -------
    line : int
        The ``.md`` line of the failing statement (``body`` when no frame of the cell is found).
    traceback : str
        The traceback, the cell's frame header and its numbered context lines rewritten.

    Examples
    --------
    >>> frames = ["Cell In[2], line 3", "      2 y = 2", "----> 3 assert x == y"]
    >>> line, text = locate_in_page(frames, 2, 24, "book/a.md")
    >>> line
    26
    >>> print(text)
    book/a.md, line 26
          25 y = 2
    --->  26 assert x == y
    """
    line, out, in_cell = body, [], False
    for text in frames:
        header = CELL_FRAME.match(text.strip())
        if header or text.startswith("File "):
            in_cell = bool(header) and (count is None or int(header.group(1)) == count)
            if in_cell:
                count = int(header.group(1))  # without a known count: the outermost frame
                line = body + int(header.group(2)) - 1
                text = f"{path}, line {line}"
        elif in_cell and (numbered := CONTEXT_LINE.match(text)):
            arrow = "--->" if ">" in numbered.group(1) else "    "
            text = f"{arrow} {body + int(numbered.group(2)) - 1:>3}{numbered.group(3)}"
        elif not text.strip():
            in_cell = False
        out.append(text)
    return line, "\n".join(out).strip("\n")


def describe(app: Sphinx, docname: str, exec_data: dict) -> Failure:
    """Locate and describe the failure of page ``docname``."""
    env = app.env
    source = Path(env.doc2path(docname))
    path = Path(source).relative_to(app.srcdir).as_posix()
    executed = Path(env.mystnb_config.output_folder, f"{docname}.ipynb")
    try:
        notebook = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        notebook = None
    last = strip_ansi(exec_data.get("traceback") or "").strip().splitlines()
    error = last[-1] if last else str(exec_data.get("error"))
    if notebook is None:
        return Failure(path, 1, error, "")
    index, output = failing_cell(notebook)
    body = cell_body_line(source.read_text(encoding="utf-8"), index) or 1
    line, traceback = body, ""
    if output is not None:
        error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
        frames = strip_ansi("\n".join(output.get("traceback", []))).splitlines()
        # IPython's header ("-----" and "<Error>  Traceback (most recent call last)") and its
        # last line (the error, already in the message) are left out.
        if len(frames) > 2 and frames[0].startswith("-----"):
            frames = frames[2:]
        while frames and not frames[-1].strip():
            frames.pop()
        if frames and frames[-1].startswith(output.get("ename", "\0")):
            frames = frames[:-1]
        count = notebook.cells[index].get("execution_count")
        line, traceback = locate_in_page(frames, count, body, path)
    return Failure(path, line, error, traceback)


def report_failed_execution(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    exec_data = NbMetadataCollector.get_doc_data(env).get(docname, {}).get("exec_data")
    if not exec_data:
        return
    if exec_data.get("succeeded", True):
        # It ran, but a cell wrote to stderr: myst-nb has reported it (an error under
        # ``stderr_output: error``); keep the page in the summary and read it again next time.
        stderr = [n for n in doctree.findall(nodes.literal_block) if "stderr" in n["classes"]]
        if stderr and env.mystnb_config.output_stderr in ("warn", "error", "severe"):
            path = Path(env.doc2path(docname)).relative_to(app.srcdir).as_posix()
            line = stderr[0].line or 1
            failed_pages(env)[docname] = Failure(path, line, "a cell wrote to stderr", "")
        return
    failure = describe(app, docname, exec_data)
    failed_pages(env)[docname] = failure
    details = "\n" + textwrap.indent(failure.traceback, "    ") if failure.traceback else ""
    logger.warning(
        "the page's code failed: %s%s",
        failure.error,
        details,
        location=(docname, failure.line),
        type="mlmath",
        subtype="execution",
    )


def failed_pages(env: BuildEnvironment) -> dict[str, Failure]:
    if not hasattr(env, "mlmath_failed_pages"):
        env.mlmath_failed_pages = {}
    return env.mlmath_failed_pages


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    failed_pages(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment):
    for docname, failure in failed_pages(other).items():
        if docname in docnames:
            failed_pages(env)[docname] = failure


def read_failed_pages_again(app, env, added, changed, removed) -> list[str]:
    return sorted(set(failed_pages(env)) - set(removed))


def summarise(app: Sphinx, exception: Exception | None) -> None:
    failures = sorted(failed_pages(app.env).values(), key=lambda f: f.path)
    if exception is not None or not failures:
        return
    app.statuscode = 1
    width = max(len(f"{f.path}:{f.line}") for f in failures)
    rows = "\n".join(f"  {f'{f.path}:{f.line}':<{width}}  {f.error}" for f in failures)
    plural = "s" if len(failures) > 1 else ""
    logger.info(
        "\n%s\n%s\nRun one page alone, with its full traceback:\n"
        "  .venv/bin/python -m pytest -q --nbval-lax %s\n",
        bold(red(f"{len(failures)} page{plural} failed:")),
        rows,
        failures[0].path,
    )


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", report_failed_execution)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", read_failed_pages_again)
    app.connect("build-finished", summarise)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

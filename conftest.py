"""Collect the book's Jupytext MyST-markdown chapters as nbval notebooks, in two modes.

nbval only collects ``.ipynb`` files. This hook also collects every ``book/**/*.md`` whose front
matter declares ``jupytext:`` and ``kernelspec:``; each code cell is a test item named after the
page, ``book/<chapter>/<page>.md::Cell <n>`` (``n`` counts code cells from 0, the report gives
the line of the cell in the ``.md``). The kernel's working directory is the page's folder, as when
Jupyter Book executes it.

``--nbval-lax`` (``make notebooks``)
    Runs the ``.md`` read with :func:`jupytext.read`: each cell must run, a failing ``assert``
    fails; nothing is compared and nothing is written to disk. Needs no build.

``--nbval`` (``make test``, after ``make book``)
    Checks that every output is reproducible. The reference is the notebook the build has just
    executed (myst-nb writes it to ``_build/jupyter_execute/<page>.ipynb``; another folder with
    ``--executed-notebooks``): every cell runs again in a fresh kernel and its outputs must equal
    the build's: text exactly, SVG figures byte for byte, PNG images by content, after only the
    substitutions of ``tests/nbval_sanitize.cfg`` (another file with ``--nbval-sanitize-with``).
    A page whose executed notebook is missing, or whose code no longer matches it (a stale
    build), fails with a message that says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import jupytext
import nbformat
import nbval.plugin
import pytest

from tools.canonical_pages import is_notebook_page

# Checks that passed are reused while their inputs are unchanged (tests/pass_records.py).
pytest_plugins = ["tests.pass_records"]

ROOT = Path(__file__).parent
BOOK = ROOT / "book"
EXECUTED = ROOT / "_build" / "jupyter_execute"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
CODE_CELL = re.compile(r"^`{3,}\{code-cell\}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("nbval").addoption(
        "--executed-notebooks",
        default=str(EXECUTED),
        help="folder of the build's executed notebooks, the reference outputs of --nbval "
        "(default: _build/jupyter_execute)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.option.nbval and config.option.nbval_sanitize_with is None:
        config.option.nbval_sanitize_with = str(SANITIZE)


def is_notebook(path: Path) -> bool:
    """True when a MyST markdown file's front matter makes it a Jupytext notebook."""
    return is_notebook_page(path.read_text(encoding="utf-8"))


def code_cell_lines(path: Path) -> list[int]:
    """The 1-based line of each ``{code-cell}`` fence of a MyST page, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if CODE_CELL.match(line)]


class PageCell(nbval.plugin.IPyNbCell):
    """A cell reported by its page and line: ``book/x/page.md::Cell 3 (line 120)``."""

    def reportinfo(self):
        path, _, description = super().reportinfo()
        lines = self.parent.cell_lines
        if self.cell_num < len(lines):
            return path, lines[self.cell_num] - 1, f"{description} (line {lines[self.cell_num]})"
        return path, 0, description


class MystNotebook(nbval.plugin.IPyNbFile):
    """An nbval notebook read from a MyST markdown page (lax) or from its executed copy (strict)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.config.option.nbval_lax:
            # nbval skips PNG (it compares them only under --nbdime); compare them by content.
            self.skip_compare = tuple(
                key for key in self.skip_compare if key not in ("image/png", "image/jpeg")
            )
        self.cell_lines = code_cell_lines(self.path)

    def setup(self) -> None:
        super().setup()
        kernel = self.kernel

        def execute_cell_input(cell_input: str, allow_stdin: bool | None = None) -> str:
            # Run each cell as Jupyter Book and JupyterLab do, stored in the kernel's history.
            # nbval sends store_history=False, and IPython then looks for a trailing ";" (which
            # hides a cell's result, as in `ax.legend(...);`) in the previous stored cell.
            return kernel.kc.execute(
                cell_input, store_history=True, allow_stdin=allow_stdin, stop_on_error=False
            )

        kernel.execute_cell_input = execute_cell_input

    def executed_notebook(self) -> nbformat.NotebookNode:
        """The build's executed copy of this page, checked to hold the page's current code."""
        page = self.path.relative_to(ROOT)
        executed = Path(self.config.option.executed_notebooks) / page.with_suffix(".ipynb")
        if not executed.is_file():
            raise self.CollectError(
                f"{page}: no executed notebook at {executed}. Build the book first "
                "('make book'); --nbval compares every output with the build's."
            )
        notebook = nbformat.read(executed, as_version=4)
        source = [c.source for c in jupytext.read(self.path).cells if c.cell_type == "code"]
        built = [c.source for c in notebook.cells if c.cell_type == "code"]
        if source != built:
            raise self.CollectError(
                f"{page}: its code differs from the executed notebook {executed} (a stale "
                "build). Rebuild with 'make book' before running --nbval."
            )
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        if code and not any(cell.get("outputs") for cell in code):
            raise self.CollectError(
                f"{page}: the executed notebook {executed} has no outputs, so --nbval would "
                "compare nothing. Touch the page and run 'make book': the build writes them there "
                "(book/_ext/notebook_download.py)."
            )
        return notebook

    def collect(self):
        if self.config.option.nbval_lax:
            notebook = jupytext.read(self.path, as_version=4)
        else:
            notebook = self.executed_notebook()
        # nbval's collect() reads self.path with nbformat.read: hand it the notebook instead, and
        # let it make our PageCell items.
        with (
            mock.patch.object(nbval.plugin.nbformat, "read", lambda path, as_version: notebook),
            mock.patch.object(nbval.plugin.IPyNbCell, "from_parent", PageCell.from_parent),
        ):
            yield from super().collect()


def run_order(item: pytest.Item) -> int:
    """Longest first: the browser and Jupyter-server modules, then the pages, then the rest."""
    if any(item.get_closest_marker(name) for name in ("browser", "lab")):
        return 0
    return 1 if isinstance(item.parent, MystNotebook) else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest files first.

    ``make test`` runs ``pytest -n 2 --dist loadfile --no-loadscope-reorder``: each file (a page,
    whose cells share one kernel; the browser module; the Jupyter-server module; a unit-test
    module) goes whole to one of two workers, in this order (xdist would otherwise order files by
    their number of tests). Starting with the longest keeps both cores busy to the end. (xdist's
    ``--dist loadgroup`` would allow finer groups, but its ``xdist_group`` marks have no effect
    under pytest 9.)
    """
    items.sort(key=run_order)  # stable: each file's tests keep their order


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    option = parent.config.option
    if not (option.nbval or option.nbval_lax) or file_path.suffix != ".md":
        return None
    if BOOK not in file_path.parents or not is_notebook(file_path):
        return None
    return MystNotebook.from_parent(parent, path=file_path)

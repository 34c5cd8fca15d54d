"""Collect the book's Jupytext MyST-markdown chapters as nbval notebooks.

nbval only collects ``.ipynb`` files. With ``--nbval-lax`` (as ``make test`` runs it), this hook
also collects every ``book/**/*.md`` whose front matter declares ``jupytext:`` and ``kernelspec:``,
reads it with :func:`jupytext.read` and runs it in place: each code cell is a test item, a failing
``assert`` fails the run, and nothing is written to disk. The kernel's working directory is the
chapter's folder, as when Jupyter Book executes it.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import jupytext
import nbval.plugin
import pytest

BOOK = Path(__file__).parent / "book"


def is_notebook(path: Path) -> bool:
    """True when a MyST markdown file's front matter makes it a Jupytext notebook."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return False
    front_matter = text.split("\n---", 1)[0]
    return "\njupytext:" in front_matter and "\nkernelspec:" in front_matter


class MystNotebook(nbval.plugin.IPyNbFile):
    """An nbval notebook read from a MyST markdown file instead of an ``.ipynb``."""

    def collect(self):
        # nbval's collect() reads the file with nbformat.read; hand it jupytext's reader instead.
        def read(path, as_version):
            return jupytext.read(path, as_version=as_version)

        with mock.patch.object(nbval.plugin.nbformat, "read", read):
            yield from super().collect()


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    option = parent.config.option
    if not (option.nbval or option.nbval_lax) or file_path.suffix != ".md":
        return None
    if BOOK not in file_path.parents or not is_notebook(file_path):
        return None
    return MystNotebook.from_parent(parent, path=file_path)

"""Sphinx extension: a page under ``book/`` that ``_toc.yml`` does not list fails the build.

The book sets ``only_build_toc_files: true`` (so that nothing outside the book, such as a
``.venv``, is ever parsed). Its side effect: Jupyter Book silently excludes any page missing
from ``_toc.yml``, and the page just disappears from the site. This extension warns (an error
under ``-W``) about every ``.md`` file under the folder ``mlmath_pages_dir`` (default
``book``, hidden folders and folders starting with ``_`` left out) that the table of contents
does not name. ``tests/test_book_source.py`` checks the same rule without building.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def book_pages(root: Path, folder: str) -> list[str]:
    """The docnames (``book/x/y``) of the ``.md`` pages under ``root/folder``.

    Folders whose name starts with ``.`` or ``_`` (``_ext``, ``_build``, ``.ipynb_checkpoints``)
    are skipped.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ["book/intro.md", "book/a/b.md", "book/_ext/c.md", "book/.x/d.md"]:
    ...         (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (Path(tmp) / name).write_text("# T")
    ...     book_pages(Path(tmp), "book")
    ['book/a/b', 'book/intro']
    """
    pages = []
    for path in sorted((root / folder).rglob("*.md")):
        relative = path.relative_to(root)
        if any(part.startswith((".", "_")) for part in relative.parts[:-1]):
            continue
        pages.append(relative.with_suffix("").as_posix())
    return pages


def check_toc_coverage(app: Sphinx) -> None:
    site_map = getattr(app.config, "external_site_map", None)
    if site_map is None:  # not a Jupyter Book / sphinx-external-toc build
        return
    listed = {name.removesuffix(".md") for name in site_map}
    for docname in book_pages(Path(app.srcdir), app.config.mlmath_pages_dir):
        if docname not in listed:
            logger.warning(
                "this page is not in _toc.yml, so it would be left out of the site: "
                "add it to _toc.yml (or delete it)",
                location=f"{Path(app.srcdir, docname)}.md:1",
                type="mlmath",
                subtype="toc",
            )


def setup(app: Sphinx) -> dict:
    app.add_config_value("mlmath_pages_dir", "book", "env", [str])
    app.connect("builder-inited", check_toc_coverage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

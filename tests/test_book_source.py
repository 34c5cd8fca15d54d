"""The book's sources follow the page template (CONTRIBUTING.md), checked without building.

- Table of contents: every page under ``book/`` (``.md``, outside folders starting with ``_`` or
  ``.``, such as ``book/_ext``) is listed in ``_toc.yml``, and every entry of ``_toc.yml`` names
  an existing page. (``only_build_toc_files: true`` would otherwise drop an unlisted page
  silently; the build fails on it too, through ``book/_ext/toc_coverage.py``.)
- Code fits the column: no line of a code cell is longer than 88 characters.
- Figures: a code cell that draws with pyplot has a numbered caption, a name and real alt text
  (``mystnb: {figure: {caption, name}, image: {alt}}``), is hidden behind a toggle
  (``tags: [hide-input]``) and holds no ``assert`` (the checks stay visible, in their own cell).
- Labels (``(label)=`` targets, ``:label:``/``:name:`` options, equation labels and figure names)
  start with their chapter's prefix (``la-`` in ``book/linear-algebra/``, ``op-`` or ``gp-`` in
  ``book/optimizers/``, ...); a page outside the chapters uses a chapter prefix or its own name.

Each failure lists every offender as ``book/<path>.md:<line>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from myst_nb.core.read import read_myst_markdown_notebook
from site_pages import ROOT, toc_files

BOOK = ROOT / "book"
MAX_CODE_LINE = 88
# The label prefixes of each chapter folder (CONTRIBUTING.md, "Files and numbering").
CHAPTER_PREFIXES = {
    "linear-algebra": ("la-",),
    "convergence-rates": ("cr-",),
    "optimality": ("oc-",),
    "neural-networks": ("nn-",),
    "optimizers": ("op-", "gp-"),
}
KNOWN_PREFIXES = tuple(p for prefixes in CHAPTER_PREFIXES.values() for p in prefixes)
# A pyplot call that draws, so creates (or draws into) a figure.
DRAWS = re.compile(
    r"\bplt\.(subplots|subplot_mosaic|subplot|figure|plot|scatter|imshow|contourf?|hist|bar"
    r"|pcolormesh|quiver|semilogy|loglog)\s*\("
)
TARGET = re.compile(r"^\(([^)\s]+)\)=\s*$")
OPTION_LABEL = re.compile(r"^\s*:(?:label|name):\s*(\S+)\s*$")
EQUATION_LABEL = re.compile(r"\$\$\s*\(([^)\s]+)\)\s*$")


def book_pages() -> list[Path]:
    """Every ``.md`` page under ``book/``, outside folders starting with ``_`` or ``.``."""
    return [
        path
        for path in sorted(BOOK.rglob("*.md"))
        if not any(part.startswith(("_", ".")) for part in path.relative_to(BOOK).parts[:-1])
    ]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass
class CodeCell:
    """A code cell of a page: where its source starts in the ``.md`` and what it holds."""

    page: Path
    first_line: int  # 1-based line of the cell's first source line in the .md
    source: str
    metadata: dict

    def where(self, offset: int = 0) -> str:
        return f"{relative(self.page)}:{self.first_line + offset}"


def code_cells(page: Path) -> list[CodeCell]:
    """The code cells of ``page``, read as myst-nb reads them, with their lines in the ``.md``."""
    text = page.read_text(encoding="utf-8")
    if "{code-cell}" not in text:
        return []
    notebook = read_myst_markdown_notebook(text, add_source_map=True)
    lines = text.splitlines()
    cells = []
    for cell, fence in zip(notebook.cells, notebook.metadata["source_map"], strict=True):
        if cell.cell_type != "code":
            continue
        source = cell.source.splitlines()
        first = fence + 1  # default: right after the fence (1-based)
        for start in range(fence, len(lines) - len(source) + 1):
            if source and lines[start : start + len(source)] == source:
                first = start + 1
                break
        cells.append(CodeCell(page, first, cell.source, dict(cell.metadata)))
    return cells


def prose_lines(page: Path) -> list[tuple[int, str]]:
    """The lines of ``page`` outside its front matter and its code cells, numbered from 1."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out, in_front, in_code, fence = [], False, False, ""
    for number, line in enumerate(lines, start=1):
        if number == 1 and line == "---":
            in_front = True
            continue
        if in_front:
            in_front = line != "---"
            continue
        stripped = line.lstrip()
        if not in_code and stripped.startswith("```") and "{code-cell}" in stripped:
            in_code, fence = True, stripped[: len(stripped) - len(stripped.lstrip("`"))]
            continue
        if in_code:
            in_code = stripped != fence
            continue
        out.append((number, line))
    return out


PAGES = book_pages()
CELLS = [cell for page in PAGES for cell in code_cells(page)]


def test_the_book_has_pages_and_code():
    assert PAGES and CELLS, "no pages or no code cells found under book/"


# -- table of contents -----------------------------------------------------------------------


def test_every_page_is_in_the_toc():
    listed = set(toc_files())
    missing = [relative(p) for p in PAGES if relative(p).removesuffix(".md") not in listed]
    assert not missing, (
        "pages under book/ that _toc.yml does not list (they would silently vanish from "
        f"the site): {missing}"
    )


def test_every_toc_entry_exists():
    dangling = [
        entry
        for entry in toc_files()
        if not any((ROOT / f"{entry}{suffix}").is_file() for suffix in (".md", ".ipynb"))
    ]
    assert not dangling, f"_toc.yml entries with no page: {dangling}"


def test_toc_lists_each_page_once():
    entries = toc_files()
    twice = sorted({e for e in entries if entries.count(e) > 1})
    assert not twice, f"_toc.yml lists these pages more than once: {twice}"


# -- code cells ------------------------------------------------------------------------------


def test_code_lines_fit_the_column():
    long = [
        f"{cell.where(i)} ({len(line)} characters)"
        for cell in CELLS
        for i, line in enumerate(cell.source.splitlines())
        if len(line) > MAX_CODE_LINE
    ]
    assert not long, (
        f"{len(long)} code lines are longer than {MAX_CODE_LINE} characters:\n" + "\n".join(long)
    )


def figure_problems(cell: CodeCell) -> list[str]:
    """What a figure cell lacks (empty when it follows the template)."""
    mystnb = cell.metadata.get("mystnb") or {}
    figure = mystnb.get("figure") or {}
    image = mystnb.get("image") or {}
    problems = []
    if not str(figure.get("caption", "")).strip():
        problems.append("no mystnb.figure.caption")
    if not str(figure.get("name", "")).strip():
        problems.append("no mystnb.figure.name")
    alt = str(image.get("alt", "")).strip()
    if not alt:
        problems.append("no mystnb.image.alt")
    elif re.fullmatch(r"\S+\.(png|svg|jpe?g|pdf)", alt) or len(alt.split()) < 3:
        problems.append(f"alt text is not a description: {alt!r}")
    if "hide-input" not in (cell.metadata.get("tags") or []):
        problems.append("no hide-input tag")
    if re.search(r"^\s*assert\b", cell.source, flags=re.MULTILINE):
        problems.append("asserts inside the hidden figure cell (give them a visible cell)")
    return problems


def test_figures_have_caption_name_alt_text_and_hidden_code():
    bad = [
        f"{cell.where()}: {', '.join(problems)}"
        for cell in CELLS
        if DRAWS.search(cell.source) and (problems := figure_problems(cell))
    ]
    assert not bad, f"{len(bad)} figure cells do not follow the template:\n" + "\n".join(bad)


# -- labels ----------------------------------------------------------------------------------


def labels(page: Path) -> list[tuple[int, str]]:
    """Every label a page defines, with its line: targets, options, equations, figure names."""
    found = []
    for number, line in prose_lines(page):
        for pattern in (TARGET, OPTION_LABEL, EQUATION_LABEL):
            if match := pattern.search(line):
                found.append((number, match.group(1)))
    for cell in code_cells(page):
        name = ((cell.metadata.get("mystnb") or {}).get("figure") or {}).get("name")
        if name:
            found.append((cell.first_line, str(name)))
    return found


def allowed_prefixes(page: Path) -> tuple[str, ...]:
    parts = page.relative_to(BOOK).parts
    if len(parts) > 1 and parts[0] in CHAPTER_PREFIXES:
        return CHAPTER_PREFIXES[parts[0]]
    return (*KNOWN_PREFIXES, f"{page.stem}-")


def test_every_chapter_of_the_plan_has_a_label_prefix():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    chapters = config["sphinx"]["config"]["mlmath_chapters"]
    assert set(chapters) == set(CHAPTER_PREFIXES)


def test_labels_use_their_chapter_prefix():
    bad = [
        f"{relative(page)}:{number}: {label!r} (expected {' or '.join(allowed_prefixes(page))})"
        for page in PAGES
        for number, label in labels(page)
        if not label.startswith(allowed_prefixes(page))
    ]
    assert not bad, f"{len(bad)} labels without their chapter prefix:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(la-thm-svd)=\n# T\n", [(1, "la-thm-svd")]),
        ("```{prf:theorem} T\n:label: gp-thm-x\n```\n", [(2, "gp-thm-x")]),
        ("$$\nx = 1\n$$ (la-eq-one)\n", [(3, "la-eq-one")]),
        ("```{code-cell} ipython3\n(not-a-label)=\n```\n", []),
    ],
)
def test_labels_are_found(tmp_path, text, expected):
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    assert labels(page) == expected


def test_code_cells_are_located_in_the_md(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n```{code-cell} ipython3\n---\ntags: [hide-input]\n---\nx = 1\ny = 2\n```\n",
        encoding="utf-8",
    )
    [cell] = code_cells(page)
    assert (cell.first_line, cell.source) == (7, "x = 1\ny = 2")
    assert cell.metadata["tags"] == ["hide-input"]


def test_figure_problems_are_named():
    cell = CodeCell(
        BOOK / "x.md",
        1,
        "fig, ax = plt.subplots()\nassert ax is not None",
        {"mystnb": {"image": {"alt": "images/fig.png"}}},
    )
    assert DRAWS.search(cell.source)
    assert figure_problems(cell) == [
        "no mystnb.figure.caption",
        "no mystnb.figure.name",
        "alt text is not a description: 'images/fig.png'",
        "no hide-input tag",
        "asserts inside the hidden figure cell (give them a visible cell)",
    ]
    cell.source = "fig, ax = plt.subplots()"
    cell.metadata = {
        "tags": ["hide-input"],
        "mystnb": {
            "figure": {"caption": "A caption.", "name": "la-fig-x"},
            "image": {"alt": "Three lines crossing at the origin."},
        },
    }
    assert figure_problems(cell) == []

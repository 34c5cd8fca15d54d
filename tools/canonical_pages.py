"""Write the book's notebook pages in the exact text JupyterLab saves them in.

JupyterLab saves a chapter through jupytext, which writes every code cell's metadata (tags, figure
caption, alt text) with its own YAML style: plain scalars wrapped at 80 columns, lists in flow
style. A page written any other way (say ``caption: |`` with hand-wrapped lines) is rewritten the
first time an instructor saves it from JupyterLab, and the diff hides the real change.
``tests/test_lab.py`` fails on such a page; this script puts it in that form:

    .venv/bin/python tools/canonical_pages.py            # rewrite every notebook page in book/
    .venv/bin/python tools/canonical_pages.py --check    # list the pages that would change
    .venv/bin/python tools/canonical_pages.py book/linear-algebra/matrix-products.md

Line breaks inside a one-paragraph metadata string (a hand-wrapped caption) are turned into
spaces first: Markdown reads them as spaces anyway, and jupytext would otherwise keep each break
as a quoted blank line. Nothing else in the page changes.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
FORMAT = "md:myst"


def is_notebook_page(text: str) -> bool:
    """True when the front matter makes a MyST markdown page a Jupytext notebook.

    Examples
    --------
    >>> is_notebook_page("---\\njupytext:\\n  x: 1\\nkernelspec:\\n  name: python3\\n---\\n# T\\n")
    True
    >>> is_notebook_page("# Glossary\\n")
    False
    """
    if not text.startswith("---\n"):
        return False
    front_matter = text.split("\n---", 1)[0]
    return "\njupytext:" in front_matter and "\nkernelspec:" in front_matter


def unwrap(value: object) -> object:
    """``value`` with hand-wrapped one-paragraph strings joined into one line, recursively.

    Examples
    --------
    >>> unwrap({"caption": "A long\\ncaption.\\n", "tags": ["hide-input"]})
    {'caption': 'A long caption.', 'tags': ['hide-input']}
    >>> unwrap("Two\\n\\nparagraphs stay.")
    'Two\\n\\nparagraphs stay.'
    """
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap(item) for item in value]
    if isinstance(value, str) and "\n" in value.strip() and "\n\n" not in value.strip():
        return re.sub(r"\s*\n\s*", " ", value.strip())
    if isinstance(value, str) and "\n" not in value.strip():
        return value.strip() if value.endswith("\n") else value
    return value


def canonical(text: str) -> str:
    """The text jupytext writes when it saves the notebook that ``text`` describes.

    Examples
    --------
    >>> page = ("---\\njupytext:\\n  text_representation:\\n    format_name: myst\\n"
    ...         "kernelspec:\\n  display_name: Python 3\\n  name: python3\\n---\\n\\n# T\\n\\n"
    ...         "```{code-cell} ipython3\\n---\\ntags:\\n- hide-input\\n---\\n1\\n```\\n")
    >>> print(canonical(page).split("# T")[1].strip())
    ```{code-cell} ipython3
    :tags: [hide-input]
    <BLANKLINE>
    1
    ```
    """
    notebook = jupytext.reads(text, fmt=FORMAT)
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.metadata:
            cell.metadata = unwrap(dict(cell.metadata))
    return jupytext.writes(notebook, fmt=FORMAT)


def notebook_pages(root: Path = ROOT / "book") -> list[Path]:
    """Every Jupytext notebook page under ``root``, sorted."""
    return sorted(
        path
        for path in root.rglob("*.md")
        if "_build" not in path.parts and is_notebook_page(path.read_text("utf-8"))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="pages (default: all of book/)")
    parser.add_argument("--check", action="store_true", help="only report, exit 1 on a change")
    args = parser.parse_args(argv)
    changed = []
    for path in args.pages or notebook_pages():
        text = path.read_text("utf-8")
        if not is_notebook_page(text):
            parser.error(f"{path} is not a Jupytext notebook page")
        new = canonical(text)
        if new == text:
            continue
        changed.append(path)
        if args.check:
            sys.stdout.writelines(
                difflib.unified_diff(
                    text.splitlines(True), new.splitlines(True), str(path), f"{path} (saved)"
                )
            )
        else:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path}")
    if args.check and changed:
        print(f"\n{len(changed)} page(s) not in JupyterLab's form: run tools/canonical_pages.py")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The pages of the built site, read from the table of contents (shared by the site tests)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

# The repository root is on sys.path: the root conftest.py is loaded from it first.
from tools.canonical_pages import is_notebook_page

ROOT = Path(__file__).resolve().parents[1]
# The built site under test; MLMATH_SITE points the checks at another build (e.g. one made with
# `jupyter-book build . --path-output /tmp/x`, then MLMATH_SITE=/tmp/x/_build/html).
HTML = Path(os.environ.get("MLMATH_SITE") or ROOT / "_build" / "html").resolve()
# Set (as .ci/run does) to turn "cannot run here" skips into failures.
REQUIRED = os.environ.get("MLMATH_REQUIRE_BROWSER", "") not in ("", "0")


def toc_files() -> list[str]:
    """Every file named in _toc.yml (root first, then parts/chapters/sections in order).

    A ``glob:`` entry is refused: every page is listed by name.
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "glob" in entry:
                raise ValueError(f"_toc.yml: list pages by file, not glob: {entry}")
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def skip_or_fail(reason: str) -> None:
    """Skip the test with ``reason``, or fail it when the environment requires the check."""
    if REQUIRED:
        pytest.fail(f"{reason} (MLMATH_REQUIRE_BROWSER is set, so this is a failure)")
    pytest.skip(reason)


def pages_with_solutions() -> list[str]:
    """The table-of-contents pages whose source has an exercise solution (a site dropdown)."""
    return [
        file
        for file in toc_files()
        if "{solution" in (ROOT / f"{file}.md").read_text(encoding="utf-8")
    ]


def source_text(file: str) -> str:
    """The MyST source the site was built from: its copy in ``_sources/``, else the working tree."""
    built = HTML / "_sources" / f"{file}.md"
    return (built if built.is_file() else ROOT / f"{file}.md").read_text(encoding="utf-8")


def notebook_pages() -> list[str]:
    """The table-of-contents pages that are notebooks (Jupytext front matter with a kernelspec)."""
    return [
        file
        for file in toc_files()
        if is_notebook_page((ROOT / f"{file}.md").read_text(encoding="utf-8"))
    ]


PRF_OPEN = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{prf:[a-z]+\}")
LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+\S")


def prf_list_items(text: str) -> int:
    """How many list items a MyST page writes inside sphinx-proof directives (``{prf:...}``).

    Lines of display math (``$$ ... $$``) and of code fences inside a directive are skipped; a
    nested directive counts towards the outer one only if it is itself a ``{prf:...}``.

    >>> prf_list_items("```{prf:proof}\\n1. First.\\n2. Second.\\n   - nested\\n```\\n- outside")
    3
    """
    items = 0
    fences: list[str] = []  # the closing fences of the open prf directives, innermost last
    in_math = False
    other_fence = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not fences:
            match = PRF_OPEN.match(line)
            if match:
                fences.append(match["fence"])
            continue
        if other_fence:
            if stripped == other_fence:
                other_fence = ""
            continue
        if in_math:
            in_math = not (stripped.startswith("$$") or stripped.endswith("$$"))
            continue
        if stripped == fences[-1]:
            fences.pop()
            continue
        match = PRF_OPEN.match(line)
        if match:
            fences.append(match["fence"])
            continue
        fence = re.match(r"^(`{3,}|:{3,})", stripped)
        if fence:
            other_fence = fence[1]
            continue
        if stripped.startswith("$$"):
            in_math = not (len(stripped) > 2 and stripped.endswith("$$"))
            continue
        if LIST_ITEM.match(line):
            items += 1
    return items


IMAGE_PATH = re.compile(r"(^|\s)(\.{0,2}/|_images/)|\S+\.(png|svg|jpe?g|gif|pdf)\b", re.IGNORECASE)


def trivial_alt(alt: str) -> bool:
    """An alt text that says nothing: empty, under three words, or a file name or path.

    >>> [trivial_alt(a) for a in ["", "plot", "../../_images/ab12.png", "a.svg is here"]]
    [True, True, True, True]
    >>> trivial_alt("Contour lines of f and the path from (1, 1) to (-pi/2, pi).")
    False
    """
    text = alt.strip()
    return len(text.split()) < 3 or IMAGE_PATH.search(text) is not None

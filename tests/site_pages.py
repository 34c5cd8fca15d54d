"""The pages of the built site, read from the table of contents (shared by the site tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
# Set (as .ci/run does) to turn "cannot run here" skips into failures.
REQUIRED = os.environ.get("MLMATH_REQUIRE_BROWSER", "") not in ("", "0")


def toc_files() -> list[str]:
    """Every file named in _toc.yml (root first, then parts/chapters/sections in order)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
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

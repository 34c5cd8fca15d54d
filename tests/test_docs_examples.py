"""The Python examples shown in README.md and on the book's home page run as written."""

from __future__ import annotations

import re

import pytest
from site_pages import ROOT

DOCUMENTS = ["README.md", "book/intro.md"]


def python_blocks(path: str) -> list[str]:
    text = (ROOT / path).read_text("utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_python_examples_run(path: str) -> None:
    blocks = python_blocks(path)
    assert blocks, f"{path} has no python example"
    for block in blocks:
        exec(compile(block, path, "exec"), {})

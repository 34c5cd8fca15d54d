"""Write environment.yml (for conda users) from requirements.txt, the one place versions are pinned.

Run ``.venv/bin/python tools/environment_yml.py`` after changing requirements.txt;
``tests/test_environment.py`` fails while the two files disagree.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# Conda description of the course environment, generated from requirements.txt by
# tools/environment_yml.py; do not edit by hand (tests/test_environment.py checks they agree).
#   conda env create -f environment.yml && conda activate mlmath && pip install --no-deps -e .
name: mlmath
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def pinned_requirements(path: Path = ROOT / "requirements.txt") -> list[str]:
    """The ``name==version`` lines of a requirements file, without comments or blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def render() -> str:
    """The text environment.yml must have."""
    return HEADER + "".join(f"      - {pin}\n" for pin in pinned_requirements())


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(render(), encoding="utf-8")

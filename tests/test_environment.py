"""The environment is pinned in one place (requirements.txt) and the other descriptions agree."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata

import yaml
from packaging.requirements import Requirement
from packaging.version import Version
from site_pages import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import environment_yml

PINS = environment_yml.pinned_requirements()
PINNED = {Requirement(pin).name.lower().replace("_", "-"): pin.split("==")[1] for pin in PINS}


def test_every_requirement_is_an_exact_pin() -> None:
    assert len(PINS) == len(PINNED), "a package is pinned twice"
    for pin in PINS:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", pin), pin


def test_torch_is_pinned_to_the_cpu_release() -> None:
    # Any other torch pulls several GB of CUDA wheels on these machines.
    assert PINNED["torch"] == "2.13.0"


def test_course_tools_are_pinned() -> None:
    needed = {"jupyter-book", "jupytext", "nbval", "pytest", "hypothesis", "numpy", "scipy",
              "matplotlib", "torch", "sphinx-proof", "sphinx-exercise", "sphinx-mathjax-offline",
              "ipykernel", "jupyterlab", "playwright", "ruff"}  # fmt: skip
    assert needed <= PINNED.keys(), needed - PINNED.keys()
    assert Version(PINNED["jupyter-book"]).major == 1  # Jupyter Book 2 needs internet to build


def test_environment_yml_mirrors_requirements_txt() -> None:
    text = (ROOT / "environment.yml").read_text("utf-8")
    assert text == environment_yml.render(), "run: .venv/bin/python tools/environment_yml.py"
    conda = yaml.safe_load(text)
    pip_section = next(d for d in conda["dependencies"] if isinstance(d, dict))["pip"]
    assert pip_section == PINS
    assert "python=3.11" in conda["dependencies"]


def test_pyproject_runtime_dependencies_are_met_by_the_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project.get("optional-dependencies", {}).values()
    runtime = [Requirement(r) for r in project["dependencies"]]
    runtime += [Requirement(r) for extra in extras for r in extra]
    assert {r.name for r in runtime} == {"numpy", "matplotlib", "scipy", "torch"}
    for requirement in runtime:
        assert requirement.specifier.contains(PINNED[requirement.name]), requirement


def test_installed_environment_matches_the_pins() -> None:
    for name in ("numpy", "scipy", "matplotlib", "jupyter-book", "nbval", "jupytext"):
        assert metadata.version(name) == PINNED[name], name
    assert metadata.version("torch").split("+")[0] == PINNED["torch"]

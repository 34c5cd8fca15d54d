"""pyproject.toml declares what the modules of mlmath import, as lower bounds (issue 7).

A homework install (``pip install -e .``) must go beside the student's own torch: no exact pin,
no upper bound, and no package that ``import mlmath`` does not use.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from site_pages import ROOT

import mlmath

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
#: Every public module of the package (new modules are covered without editing this file).
MODULES = [f"mlmath.{m.name}" for m in pkgutil.iter_modules(mlmath.__path__) if m.name[0] != "_"]
EXTRAS = {
    extra: [Requirement(r) for r in requirements]
    for extra, requirements in PROJECT.get("optional-dependencies", {}).items()
}


def imported_distributions(code: str) -> set[str]:
    """The distributions whose top-level modules are in sys.modules after running ``code``."""
    script = f"import sys, json\nbefore = set(sys.modules)\n{code}\n" + (
        "print(json.dumps(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    top_level = json.loads(result.stdout.splitlines()[-1])
    owners = metadata.packages_distributions()
    return {canonicalize_name(d) for m in top_level for d in owners.get(m, []) if m != "mlmath"}


def closure(requirements: list[Requirement]) -> set[str]:
    """The requirements and, recursively, what their installed distributions require."""
    seen: set[str] = set()
    todo = [canonicalize_name(r.name) for r in requirements]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_dependencies_are_lower_bounds_only():
    """torch==2.13.0 made pip replace a student's torch 2.14 (or give up)."""
    assert {r.name for r in RUNTIME} == {"numpy", "scipy", "torch"}
    for requirement in [*RUNTIME, *(r for rs in EXTRAS.values() for r in rs)]:
        assert requirement.specifier, f"{requirement} has no lower bound"
        assert all(spec.operator == ">=" for spec in requirement.specifier), requirement
    torch = next(r for r in RUNTIME if r.name == "torch")
    assert all(torch.specifier.contains(v) for v in ("2.3.0", "2.11.0", "2.13.0", "2.14.0"))


def test_the_modules_import_only_what_is_declared():
    """matplotlib was declared although `import mlmath` never imports it."""
    declared = closure(RUNTIME)
    used = imported_distributions(f"import {', '.join(MODULES)}")
    assert used <= declared, used - declared
    assert {"numpy", "torch"} <= used
    assert "matplotlib" not in used


def test_the_solvers_need_only_the_declared_scipy():
    """mlmath.optimality imports SciPy when a solver runs; scipy.optimize goes through
    numpy.f2py, which imports charset-normalizer when it happens to be installed."""
    used = imported_distributions("import mlmath.optimality as o\no.lp_duality([1.0])")
    assert "scipy" in used
    assert used <= closure(RUNTIME) | {"charset-normalizer"}, used - closure(RUNTIME)


def test_import_mlmath_itself_is_light():
    assert imported_distributions("import mlmath") == set()


def test_plotting_needs_the_plot_extra_only_when_used():
    used = imported_distributions(
        "import mlmath.plotting\nmlmath.plotting.use_house_style()"
    )
    assert "matplotlib" in used
    optional = closure([Requirement("ipython")])  # looked for, and skipped if absent
    assert used <= closure(RUNTIME) | closure(EXTRAS["plot"]) | optional, used


def test_the_course_pins_satisfy_the_declared_bounds():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for requirement in [*RUNTIME, *EXTRAS["plot"]]:
        assert requirement.specifier.contains(pins[canonicalize_name(requirement.name)])

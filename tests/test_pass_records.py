"""The pass records of tests/pass_records.py: reused while the inputs are unchanged, never after."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pass_records
import pytest
from pass_records import PassRecords, group_of

ROOT = Path(__file__).resolve().parents[1]
PAGE = "book/linear-algebra/matrix-products.md"


@pytest.fixture
def executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the build's executed notebook of PAGE; records go to a temporary folder."""
    monkeypatch.setattr(pass_records, "RECORDS", tmp_path / "records")
    notebook = tmp_path / "executed" / Path(PAGE).with_suffix(".ipynb")
    notebook.parent.mkdir(parents=True)
    notebook.write_text("{}", encoding="utf-8")
    return notebook


def records_for(executed: Path, **option: object) -> PassRecords:
    folder = executed.parents[2]
    defaults = {"recheck": False, "nbval": True, "nbval_sanitize_with": None}
    options = SimpleNamespace(executed_notebooks=str(folder), **{**defaults, **option})
    return PassRecords(SimpleNamespace(option=options, rootpath=ROOT))


def test_a_record_is_reused_until_an_input_changes(executed: Path) -> None:
    group = f"nbval:{PAGE}"
    first = records_for(executed)
    assert not first.reusable(group), "no record yet"
    first.collected[group] = {f"{PAGE}::Cell 0"}
    first.write(group)
    assert records_for(executed).reusable(group)

    executed.write_text('{"cells": []}', encoding="utf-8")  # the reference outputs changed
    assert not records_for(executed).reusable(group)


def test_recheck_and_lax_runs_ignore_the_records(executed: Path) -> None:
    group = f"nbval:{PAGE}"
    first = records_for(executed)
    first.collected[group] = {f"{PAGE}::Cell 0"}
    first.write(group)
    assert records_for(executed).reusable(group)
    assert not records_for(executed, recheck=True).reusable(group)
    assert not records_for(executed, nbval=False).reusable(group)  # --nbval-lax


def test_every_input_of_a_page_is_hashed(executed: Path) -> None:
    files, _ = records_for(executed).inputs(f"nbval:{PAGE}")
    names = {path.relative_to(ROOT).as_posix() for path in files if ROOT in path.parents}
    assert {PAGE, "requirements.txt", "tests/bad_inputs.py", "mlmath/linalg.py"} <= names
    assert executed in files


@pytest.mark.parametrize(
    ("nodeid", "group"),
    [
        (f"{PAGE}::Cell 12", f"nbval:{PAGE}"),
        ("tests/test_site.py::test_nothing_is_cut_off[desktop-book/intro]", "site:book/intro"),
        ("tests/test_site.py::test_lists_in_proofs_render_as_lists[book/x/y]", "site:book/x/y"),
        ("tests/test_site.py::test_server", None),
        ("tests/test_build.py::test_make_help_lists_every_target", "build"),
        ("tests/test_lab.py::test_python3_kernel_is_available", None),
    ],
)
def test_groups_follow_the_node_ids(nodeid: str, group: str | None) -> None:
    assert group_of(nodeid) == group

"""The book's build machinery, exercised on tiny books in a temporary copy of the repository.

Each fixture copies what a build reads (``_config.yml`` with the local extensions in
``book/_ext``, ``book/_static``, ``book/images``, ``references.bib``, ``requirements.txt`` and
``mlmath/__init__.py``; no chapter page) into a temporary folder, writes a few small pages and
its own ``_toc.yml``, and runs the real ``jupyter-book build . -W -n --keep-going`` of this
environment, as ``make book`` does. The kernels import the copy's ``mlmath`` (``PYTHONPATH``).

What is covered:

- the execution cache is keyed on ``mlmath/`` (``book/_ext/execution_inputs.py``): a warm build
  executes nothing; after a printed number changes in ``mlmath``, the page is executed again and
  the site shows the new number;
- a failing page (``book/_ext/execution_report.py``): two broken pages are both reported, each
  once, at the ``.md`` line of the failing statement, with a summary and a non-zero exit, without
  internal tracebacks; a rebuild without changes reports them again;
- a page missing from ``_toc.yml`` fails the build (``book/_ext/toc_coverage.py``);
- a page that warned warns again at a rebuild without changes (``book/_ext/warned_pages.py``);
- two pages to execute run at the same time, one per core, and are then read from the cache
  (``book/_ext/parallel_execution.py``);
- the kernels do not print ipykernel's "TCP without encryption" notice
  (``book/_ext/ipython_kernel_config.py``, installed into ``.venv`` by ``make``).

The six builds take about a minute in all on two cores.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
KERNEL_CONFIG = ROOT / "book" / "_ext" / "ipython_kernel_config.py"
INSTALLED_KERNEL_CONFIG = Path(sys.prefix, "etc", "ipython", "ipython_kernel_config.py")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRONT_MATTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


@dataclass
class Build:
    returncode: int
    log: str


def copy_build_inputs(destination: Path) -> None:
    """Copy the repository's build configuration, without any page of the book.

    Of ``mlmath`` only the package's ``__init__.py`` is copied (it imports nothing): the pages
    here import the probe module each test writes, so the builds, and their pass record
    (tests/pass_records.py), do not depend on the chapters' modules.
    """
    skip = shutil.ignore_patterns("*.md", "__pycache__", "*.pyc", "_build", ".*")
    shutil.copytree(ROOT / "book", destination / "book", ignore=skip)
    (destination / "mlmath").mkdir()
    shutil.copy2(ROOT / "mlmath" / "__init__.py", destination / "mlmath" / "__init__.py")
    for name in ["_config.yml", "references.bib", "requirements.txt"]:
        shutil.copy2(ROOT / name, destination / name)


def write_book(root: Path, pages: dict[str, str], toc: list[str]) -> None:
    """Write ``pages`` (name -> text) under ``root/book`` and a ``_toc.yml`` listing ``toc``."""
    for name, text in pages.items():
        (root / "book" / f"{name}.md").write_text(text, encoding="utf-8")
    entries = "".join(f"  - file: book/{name}\n" for name in toc)
    (root / "_toc.yml").write_text(
        f"format: jb-book\nroot: book/intro\nchapters:\n{entries}", encoding="utf-8"
    )


def notebook(title: str, *cells: str) -> str:
    body = "".join(f"\n```{{code-cell}} ipython3\n{cell}\n```\n" for cell in cells)
    return f"{FRONT_MATTER}\n# {title}\n\nSome text.\n{body}"


def build(root: Path) -> Build:
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(root), "-W", "-n", "--keep-going"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(result.returncode, ANSI.sub("", result.stdout + result.stderr))


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` holding ``fragment`` (exactly one such line)."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, (fragment, lines)
    return lines[0]


# -- the execution cache follows mlmath -------------------------------------------------------

PROBE_PAGE = notebook(
    "Probe",
    "from mlmath.build_probe import NUMBER\n\nprint(f'probe value: {NUMBER}')",
)


@pytest.fixture(scope="module")
def probe_builds(tmp_path_factory) -> dict[str, tuple[Build, str]]:
    """Cold build, warm build, build after ``mlmath`` changed: each build's log and page HTML."""
    root = tmp_path_factory.mktemp("probe-book")
    copy_build_inputs(root)
    probe = root / "mlmath" / "build_probe.py"
    write_book(root, {"intro": "# Tiny book\n\nA page.\n", "probe": PROBE_PAGE}, ["probe"])
    html = root / "_build" / "html" / "book" / "probe.html"
    builds = {}
    probe.write_text('"""A value the probe page prints."""\n\nNUMBER = 4141\n')
    builds["cold"] = build(root), html.read_text(encoding="utf-8")
    builds["warm"] = build(root), html.read_text(encoding="utf-8")
    probe.write_text('"""A value the probe page prints."""\n\nNUMBER = 4242\n')
    builds["changed"] = build(root), html.read_text(encoding="utf-8")
    (root / "book" / "probe.md").touch()  # read again, its outputs taken from the cache
    executed = root / "_build" / "jupyter_execute" / "book" / "probe.ipynb"
    builds["touched"] = build(root), executed.read_text(encoding="utf-8")
    return builds


def test_cold_build_executes_the_page(probe_builds):
    result, html = probe_builds["cold"]
    assert result.returncode == 0, result.log
    assert "probe.md: Executed notebook" in result.log
    assert "probe value: 4141" in html


def test_warm_build_executes_nothing(probe_builds):
    result, html = probe_builds["warm"]
    assert result.returncode == 0, result.log
    assert "Executed notebook" not in result.log
    assert "targets for 0 source files that are out of date" in result.log
    assert "probe value: 4141" in html


def test_executed_notebook_keeps_the_cached_outputs(probe_builds):
    """``_build/jupyter_execute`` is what ``pytest --nbval`` compares with: outputs and all."""
    result, notebook = probe_builds["touched"]
    assert result.returncode == 0, result.log
    assert "probe.md: Using cached notebook" in result.log
    assert "probe value: 4242" in notebook


def test_change_in_mlmath_executes_the_page_again(probe_builds):
    result, html = probe_builds["changed"]
    assert result.returncode == 0, result.log
    assert "The execution inputs (mlmath/**/*, requirements.txt" in result.log
    assert ") changed since the last build" in result.log
    assert "probe.md: Executed notebook" in result.log
    assert "Using cached notebook" not in result.log
    assert "probe value: 4242" in html
    assert "probe value: 4141" not in html


def test_only_the_current_cache_is_kept(probe_builds, tmp_path_factory):
    result, _ = probe_builds["changed"]
    caches = re.findall(r"Using jupyter-cache at: (\S+)", result.log)
    assert len(caches) == 1
    current = Path(caches[0])
    assert current.name.startswith("inputs-")
    assert [p.name for p in current.parent.iterdir()] == [current.name]


def test_kernels_do_not_print_the_tcp_notice(probe_builds):
    if not INSTALLED_KERNEL_CONFIG.is_file():
        pytest.fail(f"{INSTALLED_KERNEL_CONFIG} is missing: run 'make book' (or 'make unit')")
    assert INSTALLED_KERNEL_CONFIG.read_bytes() == KERNEL_CONFIG.read_bytes(), "run 'make book'"
    result, _ = probe_builds["cold"]
    assert "Executed notebook" in result.log  # a kernel did start
    assert "without encryption" not in result.log


# -- failing pages and the table of contents --------------------------------------------------

BROKEN_A = notebook(
    "Broken A",
    "x = 1",
    "y = 2\n\nassert x == y, 'x and y differ'",
    "print('never reached')",
)
BROKEN_B = notebook(
    "Broken B",
    "from mlmath.build_probe import divide",
    "ratio = divide(1.0, 0.0)",
)
DIVIDE = '''"""A helper that fails inside mlmath."""


def divide(a, b):
    return a / b
'''


@pytest.fixture(scope="module")
def broken_builds(tmp_path_factory) -> tuple[Path, Build, Build]:
    """Two broken pages, a good one, one that warns, one left out of ``_toc.yml``: built twice."""
    root = tmp_path_factory.mktemp("broken-book")
    copy_build_inputs(root)
    (root / "mlmath" / "build_probe.py").write_text(DIVIDE)
    pages = {
        "intro": "# Tiny book\n\nA page.\n",
        "broken-a": BROKEN_A,
        "broken-b": BROKEN_B,
        "fine": notebook("Fine", "print(1 + 1)"),
        "orphan": "# Orphan\n\nNot in the table of contents.\n",
        "warned": "# Warned\n\nSee {ref}`no-such-label`.\n",
    }
    write_book(root, pages, ["broken-a", "fine", "broken-b", "warned"])
    return root, build(root), build(root)


def test_failing_pages_fail_the_build(broken_builds):
    _, first, again = broken_builds
    assert first.returncode != 0
    assert again.returncode != 0, "a rebuild without changes must still fail"


@pytest.mark.parametrize("rebuild", [False, True], ids=["first", "again"])
def test_each_failing_page_is_reported_once_at_its_md_line(broken_builds, rebuild):
    root, first, again = broken_builds
    log = (again if rebuild else first).log
    a_line = line_of(BROKEN_A, "assert x == y")
    b_line = line_of(BROKEN_B, "ratio = divide(1.0, 0.0)")
    expected = {
        f"{root}/book/broken-a.md:{a_line}: WARNING: the page's code failed: "
        "AssertionError: x and y differ",
        f"{root}/book/broken-b.md:{b_line}: WARNING: the page's code failed: "
        "ZeroDivisionError: float division by zero",
    }
    for message in expected:
        assert log.count(message) == 1, log
    # The traceback points into the .md, and into mlmath where the error was raised.
    assert f"book/broken-a.md, line {a_line}" in log
    assert f"---> {a_line:>3} assert x == y" in log
    assert "mlmath/build_probe.py" in log
    # Once: the failing cell is not printed again, and nothing of the machinery shows.
    assert log.count("AssertionError: x and y differ") == 2  # the warning and the summary
    assert log.count("assert x == y") == 1  # the cell's line, in the traceback
    for noise in ["Cell In[", "Traceback (most recent call last)", "nbclient", "report"]:
        assert noise not in log.replace("Run one page alone", ""), noise


def test_summary_lists_every_failing_page(broken_builds):
    _, first, _ = broken_builds
    summary = first.log[first.log.index("2 pages failed:") :]
    a_line = line_of(BROKEN_A, "assert x == y")
    b_line = line_of(BROKEN_B, "ratio = divide(1.0, 0.0)")
    assert f"book/broken-a.md:{a_line}  AssertionError: x and y differ" in summary
    assert f"book/broken-b.md:{b_line}  ZeroDivisionError: float division by zero" in summary
    assert "fine.md" not in summary


def test_build_log_stays_short(broken_builds):
    _, first, _ = broken_builds
    assert len(first.log.splitlines()) < 90, first.log
    assert "MdParserConfig(" not in first.log
    assert "Executing notebook using" not in first.log


def test_a_page_that_warned_warns_again_when_nothing_changed(broken_builds):
    root, first, again = broken_builds
    warning = f"{root}/book/warned.md:3: WARNING: undefined label: 'no-such-label'"
    assert warning in first.log
    assert warning in again.log


def test_rebuild_reads_only_the_pages_with_problems(broken_builds):
    _, _, again = broken_builds
    read = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", again.log)
    assert sorted(read) == ["book/broken-a", "book/broken-b", "book/warned"]


def test_page_missing_from_the_toc_fails_the_build(broken_builds):
    root, first, _ = broken_builds
    assert (
        f"{root}/book/orphan.md:1: WARNING: this page is not in _toc.yml, so it would be "
        "left out of the site" in first.log
    )


# -- pages execute side by side (book/_ext/parallel_execution.py) ------------------------------


def timed_page(name: str) -> str:
    """A page that writes when its kernel ran (start and end) to ``<name>.time`` beside it."""
    return notebook(
        name.capitalize(),
        "import time\n\nstart = time.time()\ntime.sleep(3)\n"
        f"print('page {name} ran')\n"
        f"with open('{name}.time', 'w') as out:\n"
        "    out.write(f'{start} {time.time()}')",
    )


@pytest.fixture(scope="module")
def parallel_build(tmp_path_factory) -> tuple[Build, Path]:
    root = tmp_path_factory.mktemp("parallel-book")
    copy_build_inputs(root)
    pages = {"intro": "# Tiny book\n\nA page.\n", "left": timed_page("left")}
    pages["right"] = timed_page("right")
    write_book(root, pages, ["left", "right"])
    return build(root), root


def test_pages_to_execute_run_side_by_side(parallel_build):
    result, root = parallel_build
    assert result.returncode == 0, result.log
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the pages run one after the other, as myst-nb runs them")
    assert re.search(r"executing 2 notebook pages on 2 workers", result.log), result.log
    # Sphinx then reads both pages from the cache; neither is executed a second time.
    assert "left.md: Using cached notebook" in result.log
    assert "right.md: Using cached notebook" in result.log
    assert "Executed notebook" not in result.log
    (left_start, left_end), (right_start, right_end) = (
        map(float, (root / "book" / f"{name}.time").read_text().split())
        for name in ("left", "right")
    )
    assert left_start < right_end and right_start < left_end, "the kernels did not overlap"
    for name in ("left", "right"):
        html = (root / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")
        assert f"page {name} ran" in html


# -- make help -------------------------------------------------------------------------------


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE)
    assert {"help", "book", "test", "clean"} <= set(targets)
    plain = subprocess.run(["make", "-s", "-C", str(ROOT)], capture_output=True, text=True)
    helped = subprocess.run(["make", "-s", "-C", str(ROOT), "help"], capture_output=True, text=True)
    assert plain.returncode == helped.returncode == 0, plain.stderr + helped.stderr
    assert plain.stdout == helped.stdout
    listed = re.findall(r"^  make (\S+) +\S", helped.stdout, flags=re.MULTILINE)
    assert listed == targets, "every target of the Makefile needs a '## ' description"

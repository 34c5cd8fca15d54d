"""Pass records: a check that passed is not run again while nothing it reads has changed.

Three checks of ``make test`` grow with the book and dominate its time: every page re-executed
under strict nbval and compared with the build's outputs, every page opened in Chromium
(``tests/test_site.py``), and the real builds of ``tests/test_build.py``. Each falls into
*groups* of test items whose inputs are known:

``nbval:<page>``
    the cells of one page under ``--nbval``: the page, its executed notebook (the reference
    outputs), the execution inputs of ``_config.yml`` (``mlmath/``, ``requirements.txt``, ...),
    the sanitize file, the collector (``conftest.py``, ``tools/canonical_pages.py``) and the
    kernel configuration;
``site:<page>``
    the browser checks of one page: its HTML, every local file the HTML refers to (images, the
    downloadable notebook), the site's ``_static`` folder (theme, MathJax, CSS), the page's
    source, the browser binary and the test code;
``build``
    ``tests/test_build.py``: what its builds copy (``_config.yml``, ``book/`` without pages,
    ``mlmath/__init__.py``, ``references.bib``, ``requirements.txt``), the ``Makefile`` and the
    kernel configuration.

Every group also depends on the Python version, ``requirements.txt``, this file and the test
files that run it. When every item of a group passes in a run that collected the whole group,
a record holding the SHA-256 of its inputs is written to ``_build/.pass-records/``. In a later
run, a group whose inputs hash to its record's value is deselected: its result is reused, as
Bazel reuses a cached test result. A change to any input runs the group again; so does
``--recheck`` (``make test-all``), which ignores the records. A fresh clone, as in CI, has no
records and runs everything; ``make clean`` removes them with ``_build``.

The decision is a function of the files alone, so the pytest-xdist workers and the controller
agree on it without talking to each other; only the controller writes records.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# The test modules import their helpers (site_pages) as top-level modules, from tests/.
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from site_pages import HTML  # noqa: E402

RECORDS = ROOT / "_build" / ".pass-records"
KERNEL_CONFIG = Path(sys.prefix, "etc", "ipython", "ipython_kernel_config.py")
# The browser: Debian's wrapper script and the binary it starts.
BROWSER = [Path("/usr/bin/chromium"), Path("/usr/lib/chromium/chromium")]
COMMON = ["requirements.txt", "tests/pass_records.py", "conftest.py"]
SITE_TEST = re.compile(r"^tests/test_site\.py::\w+\[(?:(?:desktop|phone)-)?(?P<page>[^\]]+)\]$")
WORKER_OUTPUT = "mlmath_pass_records_reused"
LOCAL_REFERENCE = re.compile(r"""(?:src|href)=["']([^"'#?]+)""")


def group_of(nodeid: str) -> str | None:
    """The group of a test item, from its node id alone, or None for a check that always runs.

    Examples
    --------
    >>> group_of("book/linear-algebra/matrix-products.md::Cell 3")
    'nbval:book/linear-algebra/matrix-products.md'
    >>> group_of("tests/test_site.py::test_nothing_is_cut_off[phone-book/glossary]")
    'site:book/glossary'
    >>> group_of("tests/test_build.py::test_warm_build_executes_nothing")
    'build'
    >>> group_of("tests/test_linalg.py::test_rank") is None
    True
    """
    path, _, _ = nodeid.partition("::")
    if path.startswith("book/") and path.endswith(".md"):
        return f"nbval:{path}"
    if match := SITE_TEST.match(nodeid):
        return f"site:{match['page']}"
    if path == "tests/test_build.py":
        return "build"
    return None


def files_under(folder: Path, skip_suffixes: tuple[str, ...] = (".pyc",)) -> list[Path]:
    """Every file under ``folder``, sorted, without caches and hidden files."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix not in skip_suffixes
        and not any(
            part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts
        )
    )


def digest(paths: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """SHA-256 over each path's name and bytes (a missing file counts as missing), and ``extra``."""
    sha = hashlib.sha256()
    for path in sorted(set(paths)):
        sha.update(str(path).encode() + b"\0")
        sha.update(path.read_bytes() if path.is_file() else b"<missing>")
        sha.update(b"\0")
    for text in extra:
        sha.update(text.encode() + b"\0")
    return sha.hexdigest()


@dataclass(eq=False)  # a plugin object must stay hashable
class PassRecords:
    """Which groups can be reused in this run, and which passed (controller only)."""

    config: pytest.Config
    keys: dict[str, str] = field(default_factory=dict)
    collected: dict[str, set[str]] = field(default_factory=dict)
    passed: dict[str, set[str]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    reused: set[str] = field(default_factory=set)
    static: str = ""  # the digest of the site's _static folder, computed once

    # -- inputs ----------------------------------------------------------------------------

    def common(self) -> list[str]:
        tests = [self.config.rootpath / name for name in COMMON]
        return [sys.version, digest(tests)]

    def execution_inputs(self) -> list[Path]:
        """The files matched by ``mlmath_execution_inputs`` in ``_config.yml``."""
        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
        patterns = config["sphinx"]["config"]["mlmath_execution_inputs"]
        return [
            path
            for pattern in patterns
            for path in ROOT.glob(pattern)
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        ]

    def inputs(self, group: str) -> tuple[list[Path], list[str]]:
        """The files a group reads, and other facts it depends on."""
        kind, _, name = group.partition(":")
        option = self.config.option
        if kind == "nbval":
            page = ROOT / name
            executed = Path(option.executed_notebooks) / Path(name).with_suffix(".ipynb")
            files = [page, executed, KERNEL_CONFIG, ROOT / "tools" / "canonical_pages.py"]
            files += self.execution_inputs()
            if option.nbval_sanitize_with:
                files.append(Path(option.nbval_sanitize_with))
            return files, ["strict nbval" if option.nbval else "lax nbval"]
        if kind == "site":
            html = HTML / f"{name}.html"
            files = [html, ROOT / "tests" / "test_site.py", ROOT / "tests" / "site_pages.py"]
            files += [HTML / "_sources" / f"{name}.md", *ROOT.glob(f"{name}.*")]  # its source
            files += self.referenced(html, HTML)
            browser = [
                f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
                for path in BROWSER
                if path.exists()
            ]
            return files, [self.static_digest(HTML), *browser]
        if kind == "build":
            book = [
                path
                for path in files_under(ROOT / "book")
                if path.suffix != ".md" and "_build" not in path.parts
            ]
            names = ["_config.yml", "references.bib", "Makefile", "mlmath/__init__.py"]
            files = [*book, *(ROOT / name for name in names), KERNEL_CONFIG]
            return [*files, ROOT / "tests" / "test_build.py"], []
        raise ValueError(f"unknown group {group!r}")

    def static_digest(self, html: Path) -> str:
        if not self.static:
            self.static = digest(files_under(html / "_static"))
        return self.static

    @staticmethod
    def referenced(page: Path, site: Path) -> list[Path]:
        """The local files (not other pages) that ``page`` refers to by src or href."""
        if not page.is_file():
            return []
        found = []
        for reference in LOCAL_REFERENCE.findall(page.read_text(encoding="utf-8")):
            if urlparse(reference).scheme or reference.endswith((".html", "/")):
                continue
            path = (page.parent / unquote(reference)).resolve()
            if path.is_file() and site.resolve() in path.parents:
                found.append(path)
        return found

    def key(self, group: str) -> str:
        if group not in self.keys:
            files, facts = self.inputs(group)
            self.keys[group] = digest(files, [*facts, *self.common()])
        return self.keys[group]

    # -- records -----------------------------------------------------------------------------

    @staticmethod
    def path(group: str) -> Path:
        return RECORDS / (re.sub(r"[^A-Za-z0-9._-]+", "_", group) + ".json")

    def applies(self, group: str) -> bool:
        """Records are for ``make test``: pages count under strict nbval only (not --nbval-lax)."""
        return not group.startswith("nbval:") or bool(self.config.option.nbval)

    def reusable(self, group: str) -> bool:
        if self.config.option.recheck or not self.applies(group):
            return False
        try:
            record = json.loads(self.path(group).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return record.get("key") == self.key(group)

    def write(self, group: str) -> None:
        RECORDS.mkdir(parents=True, exist_ok=True)
        record = {"group": group, "key": self.key(group), "items": len(self.collected[group])}
        target = self.path(group)
        partial = target.with_suffix(".tmp")
        partial.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, target)

    # -- pytest hooks ------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]):
        keep, drop = [], []
        for item in items:
            group = group_of(item.nodeid)
            if group is not None and self.reusable(group):
                drop.append(item)
                self.reused.add(group)
            else:
                keep.append(item)
        if hasattr(config, "workeroutput"):  # for the controller's summary
            config.workeroutput[WORKER_OUTPUT] = sorted(self.reused)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    def note_collected(self, nodeids: Iterable[str]) -> None:
        for nodeid in nodeids:
            if (group := group_of(nodeid)) is not None and self.applies(group):
                self.collected.setdefault(group, set()).add(nodeid)
                self.key(group)  # the inputs as they are before the group runs

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.note_collected(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids: list[str]) -> None:
        self.note_collected(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        group = group_of(report.nodeid)
        if group is None:
            return
        if report.failed or report.skipped:
            self.failed.add(group)
        elif report.when == "call":
            self.passed.setdefault(group, set()).add(report.nodeid)

    def whole_groups_collected(self) -> bool:
        """False when the run selected only part of a group (-k, -m, a test's node id, --lf)."""
        option = self.config.option
        partial = option.keyword or option.markexpr or getattr(option, "lf", False)
        partial = partial or getattr(option, "deselect", None)
        return not partial and not any("::" in arg for arg in self.config.args)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(self.config, "workerinput") or not self.whole_groups_collected():
            return
        for group, nodeids in self.collected.items():
            if group not in self.failed and nodeids <= self.passed.get(group, set()):
                self.write(group)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        """An xdist worker is done: what it deselected (the controller collects nothing)."""
        self.reused.update(getattr(node, "workeroutput", {}).get(WORKER_OUTPUT, []))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        reused = self.reused
        if hasattr(self.config, "workerinput") or not reused:
            return
        kinds = {"nbval": "pages under nbval", "site": "pages in Chromium", "build": "build checks"}
        counts = {kind: sum(g.partition(":")[0] == kind for g in reused) for kind in kinds}
        parts = [f"{n} {kinds[kind]}" for kind, n in counts.items() if n]
        terminalreporter.write_line(
            "pass records: reused the results of "
            + ", ".join(parts)
            + " (inputs unchanged since they passed; `make test-all` runs everything)"
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--recheck",
        action="store_true",
        default=False,
        help="run every check, ignoring the pass records in _build/.pass-records (make test-all)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(PassRecords(config), "mlmath-pass-records")

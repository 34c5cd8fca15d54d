"""JupyterLab check: a real Jupyter server opens every chapter as a notebook and saves it intact.

Students run ``make lab`` and open ``book/**/*.md``; this only works because jupytext's contents
manager turns the MyST markdown into a notebook and back. The test starts a real server on
127.0.0.1 (free port, random token, its own empty Jupyter and jupytext user configuration) over a
*copy* of the book, so the real chapters are never written. Through the contents API, as
JupyterLab does, it:

* opens each chapter as a notebook and compares its code cells with what jupytext reads from disk;
* saves it back unchanged: the ``.md`` must stay byte-identical;
* adds a code cell, gives it what a kernel would (an execution count, a stream, a rich result, a
  PNG figure, the timing metadata JupyterLab records, the notebook's ``language_info``) and saves:
  the ``.md`` gains exactly that cell's source, no outputs and no metadata, and no ``.ipynb``
  appears next to the chapters.
"""

from __future__ import annotations

import difflib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import jupytext
import pytest
from site_pages import ROOT, notebook_pages, skip_or_fail

pytestmark = pytest.mark.lab

NOTEBOOKS = notebook_pages()
# What the server needs besides the chapters: the book's configuration and any jupytext settings,
# which jupytext looks up from the chapter's folder upwards.
COPIED_FILES = ["_config.yml", "_toc.yml", "pyproject.toml", "jupytext.toml", ".jupytext.toml"]
CHECKPOINTS = ".ipynb_checkpoints"  # where Jupyter keeps checkpoints; ignored by .gitignore
NEW_SOURCE = 'x = sum(range(10))\nprint(f"{x = }")\nx'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    def __init__(self, port: int, token: str, root: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.root = root
        # The chapters as copied (the copy, not the working tree, is what the server sees).
        self.originals = {file: (root / f"{file}.md").read_bytes() for file in NOTEBOOKS}

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def open_notebook(self, file: str) -> dict:
        """The chapter as JupyterLab's notebook editor receives it."""
        return self.get(f"/api/contents/{file}.md?type=notebook&content=1")

    def save_notebook(self, file: str, notebook: dict) -> None:
        """Save as JupyterLab does: write the model, then create a checkpoint."""
        model = {"type": "notebook", "format": "json", "content": notebook}
        saved = self.request("PUT", f"/api/contents/{file}.md", model)
        assert saved["path"] == f"{file}.md"
        self.request("POST", f"/api/contents/{file}.md/checkpoints")


def files_under(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """A copy of the book and its configuration: the server writes here, never into the repo."""
    root = tmp_path_factory.mktemp("lab-root")
    ignore = shutil.ignore_patterns("_build", CHECKPOINTS, "__pycache__")
    shutil.copytree(ROOT / "book", root / "book", ignore=ignore)
    for name in COPIED_FILES:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, root / name)
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory, lab_root: Path) -> Iterator[JupyterServer]:
    try:
        import jupyter_server  # noqa: F401
    except ImportError:
        skip_or_fail("jupyter_server is not installed")
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    # A user's own ~/.jupyter or ~/.config/jupytext must not change what the check sees; the
    # environment's configuration (which enables jupytext's contents manager) still applies.
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_CONFIG_DIR": str(runtime / "config"),
        "XDG_CONFIG_HOME": str(runtime / "xdg-config"),
    }
    command = [
        sys.executable, "-m", "jupyter_server", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={lab_root}", "--allow-root",
    ]  # fmt: skip
    log = (runtime / "server.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    live = JupyterServer(port, token, lab_root)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                live.get("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = (runtime / "server.log").read_text()
                    pytest.fail(f"Jupyter server did not start:\n{output}")
                time.sleep(0.25)
        yield live
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def chapter(server: JupyterServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """One chapter of the copy, restored to its copied text after the test."""
    file = request.param
    yield file
    (server.root / f"{file}.md").write_bytes(server.originals[file])


def test_server_refuses_requests_without_the_token(server: JupyterServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{server.base}/api/contents/book", timeout=30)
    assert error.value.code == 403


def test_python3_kernel_is_available(server: JupyterServer) -> None:
    assert "python3" in server.get("/api/kernelspecs")["kernelspecs"]


@pytest.mark.parametrize("file", NOTEBOOKS)
def test_chapter_markdown_opens_as_notebook(server: JupyterServer, file: str) -> None:
    model = server.open_notebook(file)
    assert model["type"] == "notebook"
    served = [cell["source"] for cell in model["content"]["cells"] if cell["cell_type"] == "code"]
    on_disk = [cell.source for cell in jupytext.read(server.root / f"{file}.md").cells
               if cell.cell_type == "code"]  # fmt: skip
    assert len(served) > 0
    assert served == on_disk
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("chapter", NOTEBOOKS, indirect=True)
def test_saving_an_unchanged_chapter_keeps_its_markdown_byte_identical(
    server: JupyterServer, chapter: str
) -> None:
    before = files_under(server.root)
    server.save_notebook(chapter, server.open_notebook(chapter)["content"])
    saved = (server.root / f"{chapter}.md").read_bytes()
    if saved != server.originals[chapter]:
        diff = difflib.unified_diff(
            server.originals[chapter].decode("utf-8").splitlines(True),
            saved.decode("utf-8").splitlines(True),
            f"{chapter}.md",
            f"{chapter}.md as JupyterLab saves it",
        )
        pytest.fail(
            "JupyterLab rewrites this page when it is saved unchanged; put it in the form it "
            f"saves with: .venv/bin/python tools/canonical_pages.py {chapter}.md\n" + "".join(diff)
        )
    new_files = files_under(server.root) - before
    assert all(path.split("/").count(CHECKPOINTS) == 1 for path in new_files), new_files


def executed_cell(source: str, execution_count: int) -> dict:
    """A code cell as JupyterLab holds it after running ``source`` (outputs as the kernel sent)."""
    return {
        "cell_type": "code",
        "id": "added-in-jupyterlab",
        "execution_count": execution_count,
        "metadata": {
            "trusted": True,
            "scrolled": True,
            "execution": {  # JupyterLab's "record timing" setting
                "iopub.execute_input": "2026-01-01T00:00:00.000000Z",
                "iopub.status.busy": "2026-01-01T00:00:00.000000Z",
                "iopub.status.idle": "2026-01-01T00:00:00.100000Z",
                "shell.execute_reply": "2026-01-01T00:00:00.100000Z",
            },
        },
        "source": source,
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "x = 45\n"},
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480>"},
            },
            {
                "output_type": "execute_result",
                "execution_count": execution_count,
                "metadata": {},
                "data": {"text/plain": "45"},
            },
        ],
    }


@pytest.mark.parametrize("chapter", NOTEBOOKS, indirect=True)
def test_an_executed_new_cell_is_saved_as_its_source_only(
    server: JupyterServer, chapter: str
) -> None:
    original = server.originals[chapter].decode("utf-8")
    notebook = server.open_notebook(chapter)["content"]
    code = [i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"]
    position = code[0] + 1  # right after the imports, between two existing cells
    notebook["cells"].insert(position, executed_cell(NEW_SOURCE, execution_count=2))
    notebook["metadata"]["language_info"] = {
        "name": "python",
        "version": "3.11.7",
        "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": 3},
        "pygments_lexer": "ipython3",
        "nbconvert_exporter": "python",
        "file_extension": ".py",
    }
    before = files_under(server.root)
    server.save_notebook(chapter, notebook)

    saved = (server.root / f"{chapter}.md").read_text("utf-8")
    block = f"```{{code-cell}} ipython3\n{NEW_SOURCE}\n```\n\n"
    assert saved.count(block) == 1, "the new cell is not saved as a plain code cell"
    assert saved.replace(block, "", 1) == original, "saving changed more than the new cell"
    cells = jupytext.reads(saved, fmt="md:myst").cells
    assert cells[position].source == NEW_SOURCE and cells[position].cell_type == "code"
    assert "x = 45" not in saved and "iVBORw0KGgo" not in saved and "language_info" not in saved
    new_files = files_under(server.root) - before
    assert not [path for path in new_files if CHECKPOINTS not in path.split("/")], new_files
    assert not [path for path in files_under(server.root) if path.endswith(".ipynb")
                and CHECKPOINTS not in path.split("/")]  # fmt: skip
    # Opened again, the notebook has the cell, without outputs.
    reopened = server.open_notebook(chapter)["content"]["cells"][position]
    assert reopened["source"] == NEW_SOURCE and reopened["outputs"] == []


def test_checkpoints_are_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text("utf-8").splitlines()
    assert f"{CHECKPOINTS}/" in ignored

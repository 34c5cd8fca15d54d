"""JupyterLab check: a real Jupyter server serves every chapter's MyST markdown as a notebook.

Students run ``make lab`` and open ``book/**/*.md``; this only works because jupytext's contents
manager turns the markdown into a notebook. The test starts a real server on 127.0.0.1 (free port,
random token), asks its contents API for each chapter as a notebook, compares the code cells with
what jupytext reads from disk, and stops the server.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import jupytext
import pytest
from site_pages import ROOT, skip_or_fail, toc_files

pytestmark = pytest.mark.lab

NOTEBOOKS = [
    file for file in toc_files() if "\nkernelspec:" in (ROOT / f"{file}.md").read_text("utf-8")
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def get(self, path: str) -> dict:
        request = urllib.request.Request(
            f"{self.base}{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[JupyterServer]:
    try:
        import jupyter_server  # noqa: F401
    except ImportError:
        skip_or_fail("jupyter_server is not installed")
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    command = [
        sys.executable, "-m", "jupyter_server", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--allow-root",
    ]  # fmt: skip
    log = (runtime / "server.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    live = JupyterServer(port, token)
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


def test_server_refuses_requests_without_the_token(server: JupyterServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{server.base}/api/contents/book", timeout=30)
    assert error.value.code == 403


def test_python3_kernel_is_available(server: JupyterServer) -> None:
    assert "python3" in server.get("/api/kernelspecs")["kernelspecs"]


@pytest.mark.parametrize("file", NOTEBOOKS)
def test_chapter_markdown_opens_as_notebook(server: JupyterServer, file: str) -> None:
    model = server.get(f"/api/contents/{file}.md?type=notebook&content=1")
    assert model["type"] == "notebook"
    served = [cell["source"] for cell in model["content"]["cells"] if cell["cell_type"] == "code"]
    on_disk = [cell.source for cell in jupytext.read(ROOT / f"{file}.md").cells
               if cell.cell_type == "code"]  # fmt: skip
    assert len(served) > 0
    assert served == on_disk
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"

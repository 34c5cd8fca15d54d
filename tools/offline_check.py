"""Prove that this process is offline: nothing outside the machine answers, 127.0.0.1 does.

``.ci/run`` runs the build and the tests inside a network namespace with only the loopback
interface up, and calls this first, so that a CI run in which the network is somehow still
reachable fails instead of proving nothing. Checks, each of which must hold:

* a name lookup (``pypi.org``) fails;
* a TCP connection to a public address given as digits (no lookup needed) fails;
* ``pip download`` of a package from the package index fails (its local wheel folders and
  configuration are ignored with ``--isolated``, so only the network could serve it);
* an HTTP server on 127.0.0.1 answers a request, as the browser test's server and the Jupyter
  server must.

Usage: ``python tools/offline_check.py`` (exit status 0 when offline, 1 otherwise).
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request

PUBLIC_NAME = "pypi.org"
PUBLIC_ADDRESSES = [("1.1.1.1", 443), ("8.8.8.8", 53), ("151.101.0.223", 443)]


def name_lookup_fails(name: str = PUBLIC_NAME) -> bool:
    """True when ``name`` cannot be resolved."""
    try:
        socket.getaddrinfo(name, 443)
    except OSError:
        return True
    return False


def connection_fails(host: str, port: int, timeout: float = 5.0) -> bool:
    """True when no TCP connection to ``host:port`` can be opened within ``timeout`` seconds.

    Examples
    --------
    >>> with socket.socket() as listener:
    ...     listener.bind(("127.0.0.1", 0))
    ...     listener.listen()
    ...     connection_fails("127.0.0.1", listener.getsockname()[1])
    False
    """
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return False
    except OSError:
        return True


def pip_download_fails(package: str = "six==1.17.0") -> bool:
    """True when pip cannot fetch ``package`` from the package index."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable, "-m", "pip", "download", "--isolated", "--no-deps",
            "--no-cache-dir", "--retries", "0", "--timeout", "5", "--dest", folder, package,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode != 0


def loopback_http_works() -> bool:
    """True when a request to an HTTP server on 127.0.0.1 gets its answer."""

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"hello from 127.0.0.1")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read() == b"hello from 127.0.0.1"
    except OSError:
        return False
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    checks = [(f"name lookup of {PUBLIC_NAME} fails", name_lookup_fails())]
    checks += [
        (f"connection to {host}:{port} fails", connection_fails(host, port))
        for host, port in PUBLIC_ADDRESSES
    ]
    checks += [
        ("pip download from the package index fails", pip_download_fails()),
        ("an HTTP server on 127.0.0.1 answers", loopback_http_works()),
    ]
    for what, holds in checks:
        print(f"  [{'ok' if holds else 'FAILED'}] {what}")
    if all(holds for _, holds in checks):
        print("offline: only 127.0.0.1 is reachable")
        return 0
    print("NOT offline: the checks above marked FAILED must hold inside the CI namespace")
    return 1


if __name__ == "__main__":
    sys.exit(main())

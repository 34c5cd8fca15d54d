"""Sphinx extension: a page's executed outputs are reused only while all its inputs are unchanged.

myst-nb caches each executed notebook in jupyter-cache, keyed on the notebook's code cells and
kernel only. The pages also run code that lives outside them: the ``mlmath`` package they import
and the pinned environment (``requirements.txt``). Without this extension, a change in
``mlmath`` leaves every page "Using cached notebook" with the outputs of the old code, even
under ``jupyter-book build --all``.

This extension folds those inputs into the cache key. When the configuration is read
(``config-inited``) it hashes every file matched by ``mlmath_execution_inputs`` (glob patterns
relative to the book's root; ``__pycache__`` and compiled files are ignored) and points
``nb_execution_cache_path`` at ``<cache>/inputs-<hash>``, one jupyter-cache per state of the
inputs. So:

- while the inputs are unchanged, the path is unchanged, and a rebuild re-executes only the
  pages whose code changed (a warm build stays fast);
- when any input changes, the path changes; Sphinx sees a changed configuration value and reads
  every page again, and the new, empty cache makes every notebook execute with the new code.

After a successful build, the caches of earlier input states are deleted, so the cache folder
holds one cache only.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

PREFIX = "inputs-"
DEFAULT_INPUTS = ["mlmath/**/*", "requirements.txt", "tests/bad_inputs.py"]


def inputs_digest(root: Path, patterns: list[str]) -> tuple[str, list[str]]:
    """The SHA-256 of the files matched by ``patterns`` under ``root``, and their paths.

    Parameters
    ----------
    root : pathlib.Path
        The folder the patterns are relative to (the book's root).
    patterns : list of str
        Glob patterns (``**`` allowed). Directories, ``__pycache__`` folders and ``.pyc``
        files are skipped.

    Returns
    -------
    digest : str
        Hex digest over each matched file's relative path and bytes, in sorted order.
    files : list of str
        The matched files, relative to ``root``, sorted.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.py").write_text("X = 1")
    ...     before, files = inputs_digest(Path(tmp), ["*.py"])
    ...     _ = (Path(tmp) / "a.py").write_text("X = 2")
    ...     after, _ = inputs_digest(Path(tmp), ["*.py"])
    >>> files, before != after
    (['a.py'], True)
    """
    files = sorted(
        {
            path.relative_to(root).as_posix()
            for pattern in patterns
            for path in root.glob(pattern)
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        }
    )
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256((root / name).read_bytes()).digest())
    return digest.hexdigest(), files


def cache_base(app: Sphinx, config: Config) -> Path:
    """The folder holding the per-input caches (myst-nb's default: next to the output folder)."""
    configured = config.nb_execution_cache_path
    if configured:
        return Path(app.srcdir, configured).resolve()
    return Path(app.outdir).parent.joinpath(".jupyter_cache").resolve()


def key_cache_on_inputs(app: Sphinx, config: Config) -> None:
    patterns = list(config.mlmath_execution_inputs)
    digest, files = inputs_digest(Path(app.srcdir), patterns)
    if not files:
        raise ExtensionError(
            f"mlmath_execution_inputs {patterns} matches no file under {app.srcdir}"
        )
    base = cache_base(app, config)
    cache = base / f"{PREFIX}{digest[:16]}"
    earlier = [p for p in base.glob(f"{PREFIX}*") if p.is_dir() and p != cache]
    if earlier and not cache.exists():
        logger.info(
            "The execution inputs (%s) changed since the last build: "
            "every notebook page is executed again.",
            ", ".join(patterns),
        )
    app.env_mlmath_cache = cache  # read back at build-finished
    config.nb_execution_cache_path = str(cache)


def drop_earlier_caches(app: Sphinx, exception: Exception | None) -> None:
    cache: Path | None = getattr(app, "env_mlmath_cache", None)
    if exception is not None or cache is None or not cache.is_dir():
        return
    for path in cache.parent.glob(f"{PREFIX}*"):
        if path.is_dir() and path != cache:
            shutil.rmtree(path, ignore_errors=True)


def setup(app: Sphinx) -> dict:
    app.add_config_value("mlmath_execution_inputs", DEFAULT_INPUTS, "env", [list])
    app.connect("config-inited", key_cache_on_inputs)
    app.connect("build-finished", drop_earlier_caches)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: the notebook pages a build must execute run side by side, one per core.

myst-nb executes a notebook page when Sphinx reads it, one page after the other (Jupyter Book 1
has no parallel read). On a cold build, or after a change in an execution input (which starts a
new, empty cache: ``book/_ext/execution_inputs.py``), executing the pages is nearly all of the
build's time, and one core sits idle.

This extension runs just before Sphinx reads the pages (``env-before-read-docs``). It reads each
notebook page about to be read the way myst-nb does (its own reader), looks its code up in the
execution cache, and executes the pages that have no match in a pool of worker processes, one
per available core, the longest page first. Each page is executed as myst-nb would execute it
(jupyter-cache's ``single_nb_execution``: nbclient, a fresh kernel, the page's folder as working
directory, the configured timeout and ``allow_errors``), and each success is stored in the cache
as myst-nb stores it, with its execution time. When Sphinx then reads the pages, myst-nb finds
every one of them cached.

A page that fails is not stored: myst-nb executes it again when it reads it, and the failure is
reported exactly as without this extension (``book/_ext/execution_report.py``). So the extension
changes how long a build takes, never what it produces or reports.

``mlmath_execution_workers`` (default 0: one per core available to the process) sets the pool's
size; 1 turns the extension off.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def execute(notebook, cwd: str, timeout: int | None, allow_errors: bool):
    """Run in a worker process: the executed notebook, its time, and the error text if it failed.

    The worker and its kernel write nothing to the build's log: a page that fails here runs
    again when Sphinx reads it, and is reported then.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)

    result = single_nb_execution(
        notebook, cwd=cwd, timeout=timeout, allow_errors=allow_errors, meta_override=True
    )
    error = None if result.err is None else result.exc_string or repr(result.err)
    return notebook, result.time, error


def pages_to_execute(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> list[tuple]:
    """The notebook pages among ``docnames`` with no match in the cache: (path, notebook)."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    nb_config = env.mystnb_config
    cache = get_cache(nb_config.execution_cache_path or ".jupyter_cache")
    pending = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.suffix != ".md" or not path.is_file():
            continue
        if any(path.match(pattern) for pattern in nb_config.execution_excludepatterns):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
        if reader is None:  # a plain Markdown page
            continue
        notebook = reader.read(text)
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            pending.append((path, notebook))
    return pending


def execute_ahead(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    nb_config = env.mystnb_config
    workers = app.config.mlmath_execution_workers or len(os.sched_getaffinity(0))
    if nb_config.execution_mode != "cache" or nb_config.execution_in_temp or workers < 2:
        return
    pending = pages_to_execute(app, env, docnames)
    if len(pending) < 2:
        return  # nothing to gain: myst-nb executes a single page as fast
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(nb_config.execution_cache_path)
    pending.sort(key=lambda item: item[0].stat().st_size, reverse=True)  # longest first
    workers = min(workers, len(pending))
    logger.info(f"executing {len(pending)} notebook pages on {workers} workers")
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            pool.submit(
                execute,
                notebook,
                str(path.parent),
                nb_config.execution_timeout,
                nb_config.execution_allow_errors,
            ): path
            for path, notebook in pending
        }
        for future in as_completed(futures):
            path = futures[future]
            notebook, seconds, error = future.result()
            if error is not None:  # myst-nb runs it again and reports it
                logger.info(f"{path}: failed ahead of reading; it runs again when read")
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
    logger.info(f"executed ahead in {time.perf_counter() - start:.1f} s")


def setup(app: Sphinx) -> dict:
    app.add_config_value("mlmath_execution_workers", 0, "env", [int])
    app.connect("env-before-read-docs", execute_ahead)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: keep the course site fully offline and free of console errors.

Jupyter Book 1 always loads sphinx-thebe, which registers its script twice per page (the browser
then reports "Identifier 'THEBE_JS_URL' has already been declared") and points it at a CDN.
The course runs its notebooks locally (JupyterLab) rather than on a remote kernel, so the thebe
scripts are dropped: its handler is disconnected before any document is read.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def drop_thebe_scripts(app: Sphinx) -> None:
    listeners = app.events.listeners.get("env-before-read-docs", [])
    for listener in list(listeners):
        if getattr(listener.handler, "__module__", "") == "sphinx_thebe" and (
            listener.handler.__name__ == "init_thebe_core"
        ):
            app.disconnect(listener.id)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", drop_thebe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The course's house style for figures, defined once.

Every page of the book calls :func:`use_house_style` in its first code cell, so that all figures
share one look (fonts, colours, line widths, grid) and are rendered as SVG: vector graphics stay
crisp at any zoom on high-resolution screens, and the SVG bytes are the same on every build
(fixed hash salt for element ids, no creation date).

Students can call it in their own notebooks too; it only changes matplotlib's settings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HOUSE_STYLE", "SVG_METADATA", "use_house_style"]

#: The rcParams of the house style. Colours are matplotlib's colour-blind-safe tableau cycle.
HOUSE_STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 8,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 1.6,
    "lines.markersize": 4,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
    # Byte-stable SVG: element ids from a fixed salt; glyphs as paths (no font needed to view).
    "svg.hashsalt": "mlmath",
    "svg.fonttype": "path",
}

#: Metadata written into every SVG: no date, so that rebuilding gives the same bytes.
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": "mlmath"}


def use_house_style() -> None:
    """Apply the house style to matplotlib, and render inline figures as SVG in a notebook.

    Outside IPython (a script, a test) only the rcParams are changed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> use_house_style()
    >>> plt.rcParams["svg.hashsalt"]
    'mlmath'
    """
    import matplotlib as mpl

    mpl.rcParams.update(HOUSE_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is absent only outside notebooks
        return
    shell = get_ipython()
    if shell is None or "IPKernelApp" not in shell.config:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", metadata=SVG_METADATA)

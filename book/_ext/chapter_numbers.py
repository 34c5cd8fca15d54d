"""Sphinx extension: chapters keep the number the course plan gives them.

The course has five chapters in a fixed order (1 linear algebra, 2 convergence rates,
3 optimality conditions, 4 neural networks, 5 optimizers), but they are written one at a time.
Sphinx numbers a toctree by position, so while chapters 2-4 are missing, the optimizers chapter
would be "2", and every section, theorem, exercise and figure number in it would change as the
others land.

The configuration value ``mlmath_chapters`` maps each chapter's folder under ``book/`` to its
number in the plan. After Sphinx has numbered sections and figures (``env-get-updated``), this
extension replaces the leading, positional component of every section number and every
theorem/definition/exercise/figure number (``numfig_secnum_depth = 1`` makes those
"chapter.counter") by the planned chapter number. Once every chapter exists, position and plan
agree and the mapping changes nothing.

A numbered page outside the listed folders, or chapters listed out of plan order, is an error.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError


def chapter_of(app: Sphinx, docname: str) -> int:
    """The planned chapter number of a numbered page, from its folder under ``book/``."""
    parts = docname.split("/")
    chapters: dict[str, int] = app.config.mlmath_chapters
    if len(parts) < 3 or parts[0] != "book" or parts[1] not in chapters:
        raise ExtensionError(
            f"{docname} is numbered but its folder is not in mlmath_chapters "
            f"({sorted(chapters)}); add the chapter's folder and number to _config.yml"
        )
    return chapters[parts[1]]


def renumber(number, chapter: int):
    """``number`` (a tuple or list, possibly empty or None) with its first component replaced."""
    if not number:
        return number
    return type(number)([chapter, *number[1:]])


def apply_plan(app: Sphinx, env: BuildEnvironment) -> list[str]:
    position_to_chapter: dict[int, int] = {}
    for docname, secnumbers in env.toc_secnumbers.items():
        chapter = chapter_of(app, docname)
        for anchor, number in list(secnumbers.items()):
            if number:
                known = position_to_chapter.setdefault(number[0], chapter)
                if known != chapter:
                    raise ExtensionError(f"{docname}: two chapters share toc position {number[0]}")
                secnumbers[anchor] = renumber(number, chapter)
    ordered = [position_to_chapter[p] for p in sorted(position_to_chapter)]
    if ordered != sorted(ordered):
        raise ExtensionError(f"chapters are listed in _toc.yml out of plan order: {ordered}")

    def plan(number):
        return renumber(number, position_to_chapter.get(number[0], number[0])) if number else number

    # The numbers shown in tables of contents and in next/previous links.
    for toc in env.tocs.values():
        for reference in toc.findall(nodes.reference):
            if reference.get("secnumber"):
                reference["secnumber"] = plan(reference["secnumber"])
    for title in env.titles.values():
        if title.get("secnumber"):
            title["secnumber"] = plan(title["secnumber"])
    # Theorems, definitions, exercises, figures, tables, equations: (chapter, counter).
    for figtypes in env.toc_fignumbers.values():
        for numbers in figtypes.values():
            for key, number in list(numbers.items()):
                numbers[key] = plan(number)
    return []


def setup(app: Sphinx) -> dict:
    app.add_config_value("mlmath_chapters", {}, "env", [dict])
    # After Sphinx's own toctree collector (priority 500) has assigned the positional numbers.
    app.connect("env-get-updated", apply_plan, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

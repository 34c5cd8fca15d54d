"""Sphinx extension: sphinx-proof's index page (``prf-prf.html``) lists titles, not labels.

sphinx-proof's own index lists every theorem, definition, ... by its raw label
(``la-thm-svd``), in alphabetical order of the labels. This extension replaces it with an index
that reads like a book's list of results: one group per kind (Definitions, Theorems, ...), each
in the book's numbering, an entry per statement as the book prints it, with the page it is on::

    Theorems
      Theorem 1.9 (Singular value decomposition)     1.4 The SVD and the four subspaces

The numbers are the ones the pages show (per chapter, see ``chapter_numbers.py``); the titles
are the directive arguments (``{prf:theorem} Singular value decomposition``), with inline math
turned into plain text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Index, IndexEntry
from sphinx.environment import BuildEnvironment
from sphinx_proof.domain import translate

#: The order of the groups; kinds not listed come after these, alphabetically.
KIND_ORDER = [
    "definition",
    "notation",
    "axiom",
    "assumption",
    "theorem",
    "lemma",
    "proposition",
    "corollary",
    "property",
    "criterion",
    "conjecture",
    "algorithm",
    "example",
    "observation",
    "remark",
]

#: Group headings whose plural is not the singular plus "s".
PLURALS = {"property": "Properties", "criterion": "Criteria", "axiom": "Axioms"}

#: LaTeX in a title, as plain text (anything else is shown as written, without backslashes).
LATEX_TEXT = {
    r"\infty": "∞",
    r"\|": "‖",
    r"\top": "ᵀ",
    r"\le": "≤",
    r"\leq": "≤",
    r"\ge": "≥",
    r"\geq": "≥",
    r"\preceq": "⪯",
    r"\succeq": "⪰",
    r"\ell": "\N{SCRIPT SMALL L}",
    r"\beta": "β",
    r"\mu": "μ",
    r"\eta": "η",
    r"\lambda": "λ",
    r"\sigma": "\N{GREEK SMALL LETTER SIGMA}",
    r"\nabla": "∇",
    r"\mathbb{R}": "\N{DOUBLE-STRUCK CAPITAL R}",
}


def latex_to_text(latex: str) -> str:
    r"""LaTeX from a title as plain text: known commands become symbols, others lose the backslash.

    >>> latex_to_text(r"\infty"), latex_to_text(r"A^\top A \succeq 0")
    ('∞', 'A^ᵀ A ⪰ 0')
    >>> latex_to_text(r"\operatorname{tr}(AB) \le \|A\|_F")
    'tr(AB) ≤ ‖A‖_F'
    """
    latex = re.sub(r"\\(?:operatorname|mathrm|text|mathbf|mathit)\{([^}]*)\}", r"\1", latex)
    text = re.sub(
        r"\\mathbb\{R\}|\\[A-Za-z]+|\\\|",
        lambda m: LATEX_TEXT.get(m.group(0), m.group(0).lstrip("\\")),
        latex,
    )
    return text.replace("{", "").replace("}", "")


def title_text(title: nodes.title, title_format: str) -> str:
    r"""The directive's argument, from the title node sphinx-proof made with ``title_format``.

    >>> title = nodes.title("", "", nodes.Text(" (Comparing the 1-, 2- and "),
    ...                     nodes.math("", r"\infty"), nodes.Text("-norms)"))
    >>> title_text(title, " (%t)")
    'Comparing the 1-, 2- and ∞-norms'
    """
    parts = []
    for child in title.children:
        if isinstance(child, nodes.math):
            parts.append(latex_to_text(child.astext()))
        else:
            parts.append(child.astext())
    text = "".join(parts)
    prefix, _, suffix = title_format.partition("%t")
    if text.startswith(prefix) and text.endswith(suffix):
        text = text[len(prefix) : len(text) - len(suffix)]
    return text.strip()


def collect_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Record the title of every labelled or numbered statement of the page just read."""
    env = app.env
    titles = getattr(env, "mlmath_proof_titles", {})
    env.mlmath_proof_titles = titles
    for node in doctree.findall(nodes.Element):
        if "realtype" not in node or "label" not in node:
            continue
        title = next(iter(node.findall(nodes.title)), None)
        text = title_text(title, app.config.proof_title_format) if title else ""
        titles[node["label"]] = {"docname": env.docname, "title": text}


def purge_titles(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    titles = getattr(env, "mlmath_proof_titles", {})
    for label in [label for label, info in titles.items() if info["docname"] == docname]:
        del titles[label]


def merge_titles(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    titles = getattr(env, "mlmath_proof_titles", {})
    titles.update(getattr(other, "mlmath_proof_titles", {}))
    env.mlmath_proof_titles = titles


class TitledProofIndex(Index):
    """The statements of the book by kind, in the book's numbering, with their titles."""

    name = "prf"
    localname = "Index of definitions and results"
    shortname = "Results"

    def generate(self, docnames: Any = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        env = self.domain.env
        proofs: dict[str, dict[str, Any]] = getattr(env, "proof_list", {})
        titles: dict[str, dict[str, str]] = getattr(env, "mlmath_proof_titles", {})
        groups: dict[str, list[tuple[tuple[int, ...], IndexEntry]]] = defaultdict(list)
        for label, info in proofs.items():
            docname, kind = info["docname"], info["realtype"]
            if docnames and docname not in docnames:
                continue
            number: tuple[int, ...] = ()
            if not info["nonumber"]:
                fignumbers = env.toc_fignumbers.get(docname, {})
                number = tuple(fignumbers.get(info["countertype"], {}).get(label, ()))
            name = translate(kind.title())
            if number:
                name += " " + ".".join(map(str, number))
            section = env.titles[docname].astext() if docname in env.titles else docname
            secnumber = env.toc_secnumbers.get(docname, {}).get("")
            if secnumber:
                section = ".".join(map(str, secnumber)) + " " + section
            title = titles.get(label, {}).get("title", "")
            entry = IndexEntry(name, 0, docname, info["ids"][0], title, "", section)
            groups[kind].append((number, entry))

        def kind_key(kind: str) -> tuple[int, str]:
            return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)

        content = [
            (
                PLURALS.get(kind, translate(kind.title()) + "s"),
                [entry for _, entry in sorted(groups[kind], key=lambda e: (e[0], e[1].extra))],
            )
            for kind in sorted(groups, key=kind_key)
        ]
        return content, False


def replace_index(app: Sphinx) -> None:
    """Swap sphinx-proof's index for :class:`TitledProofIndex` (same name, same page)."""
    domain = app.env.get_domain("prf")
    domain.indices = [
        TitledProofIndex if index.name == "prf" else index for index in domain.indices
    ]


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinx_proof")
    app.connect("doctree-read", collect_titles)
    app.connect("env-purge-doc", purge_titles)
    app.connect("env-merge-info", merge_titles)
    app.connect("builder-inited", replace_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}

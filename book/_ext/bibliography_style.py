"""Sphinx extension: the bibliography style of the course, author-year throughout.

The chapters cite with ``{cite:p}`` and ``{cite:t}`` in sphinxcontrib-bibtex's ``author_year``
reference style: "(Golub and Van Loan, 2013)", "Strang (2016)". pybtex's ``plain`` style would
label the list on the References page with numbers ([1], [2], ...) and print "3 edition". This
extension registers the pybtex formatting style ``mlmath`` (select it with
``bibtex_default_style: mlmath``), which is ``plain`` (entries sorted by author, year, title) with

- labels in the same author-year form as the citations in the text: ``Strang, 2016``,
  ``Golub and Van Loan, 2013``, ``Cormen et al., 2009`` (two works with the same label get
  ``2016a``, ``2016b``);
- editions as ordinals: ``edition = {3}`` prints "3rd edition"; a word (``{Third}``) is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import Entry, Person
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, optional, words
from sphinx.application import Sphinx


def ordinal(number: int) -> str:
    """The ordinal of a positive integer.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']
    """
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def plain_text(text: Text) -> str:
    r"""``text.render_as("text")`` without its plugin lookup.

    pybtex finds the backend named "text" among the entry points of every installed package on
    each call (40 ms here); the labels render a few hundred names, which cost every build, even
    one with nothing to do, seven seconds.

    >>> plain_text(Text.from_latex(r"K{\"o}pf"))
    'Köpf'
    """
    return text.render(PlainText())


def edition_text(value: Text | str) -> Text:
    """The edition as printed before the word "edition".

    >>> str(edition_text("3")), str(edition_text(Text("Third"))), str(edition_text(" 2 "))
    ('3rd', 'third', '2nd')
    """
    plain = (plain_text(value) if isinstance(value, Text) else str(value)).strip()
    return Text(ordinal(int(plain)) if plain.isdigit() else plain.lower())


def surname(person: Person) -> str:
    """A person's surname with its particles, LaTeX accents decoded: ``Van Loan``, ``Köpf``."""
    return plain_text(Text.from_latex(" ".join(person.prelast_names + person.last_names)))


def author_year(entry: Entry) -> str:
    r"""The label of an entry, in the form of the author-year citations in the text.

    >>> from pybtex.database import parse_string
    >>> bib = parse_string(
    ...     "@book{a, author={Strang, Gilbert}, year={2016}}"
    ...     "@book{b, author={Golub, Gene H. and Van Loan, Charles F.}, year={2013}}"
    ...     "@book{c, author={Cormen, T. and Leiserson, C. and Rivest, R.}, year={2009}}"
    ...     '@article{d, author={K{\\"o}pf, Andreas}, year={2019}}',
    ...     "bibtex",
    ... )
    >>> [author_year(entry) for entry in bib.entries.values()]
    ['Strang, 2016', 'Golub and Van Loan, 2013', 'Cormen et al., 2009', 'Köpf, 2019']
    """
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [surname(person) for person in persons]
    if not names:
        who = plain_text(Text.from_latex(entry.fields.get("title", entry.key)))
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels that read like the author-year citations in the text; equal ones get a, b, ...

    >>> from pybtex.database import parse_string
    >>> bib = parse_string(
    ...     "@book{x, author={Nesterov, Y.}, year={2018}}"
    ...     "@book{y, author={Nesterov, Y.}, year={2018}}"
    ...     "@book{z, author={Bubeck, S.}, year={2015}}",
    ...     "bibtex",
    ... )
    >>> list(AuthorYearLabelStyle().format_labels(bib.entries.values()))
    ['Nesterov, 2018a', 'Nesterov, 2018b', 'Bubeck, 2015']
    """

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        labels = [author_year(entry) for entry in sorted_entries]
        total = Counter(labels)
        seen: Counter[str] = Counter()
        for label in labels:
            if total[label] > 1:
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class Style(PlainStyle):
    """pybtex's ``plain`` with author-year labels and ordinal editions."""

    default_label_style = "mlmath_author_year"

    def format_edition(self, e: Entry):
        return optional[words[field("edition", apply_func=edition_text), "edition"]]


def setup(app: Sphinx) -> dict[str, object]:
    register_plugin("pybtex.style.labels", "mlmath_author_year", AuthorYearLabelStyle)
    register_plugin("pybtex.style.formatting", "mlmath", Style)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

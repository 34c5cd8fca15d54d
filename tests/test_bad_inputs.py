"""Every bad-input case of ``tests/bad_inputs.py`` fails as the table says, and the table covers
every public name of every ``mlmath`` module (a new module without cases fails here).

The same table drives the book's page ``book/api/errors.md``; ``test_the_page_shows_every_module``
checks that the page has a section for every module.
"""

from __future__ import annotations

import re

import pytest
from bad_inputs import CASES, NO_CASES, Case, modules, namespace, public_names, raised
from site_pages import ROOT

PAGE = ROOT / "book" / "api" / "errors.md"


@pytest.fixture(scope="module")
def names() -> dict:
    return namespace()


@pytest.mark.parametrize("case", CASES, ids=[case.call for case in CASES])
def test_bad_input_raises_the_stated_exception_with_the_stated_words(case: Case, names) -> None:
    with pytest.raises(case.exception) as info:
        eval(compile(case.call, "<bad input>", "eval"), names)
    assert type(info.value) is case.exception  # not a subclass: the page prints the class
    for word in case.words:
        assert word in str(info.value), f"{word!r} is not in the message {str(info.value)!r}"


def test_raised_reports_a_call_that_does_not_fail_or_fails_otherwise(names) -> None:
    with pytest.raises(AssertionError, match="did not raise ValueError"):
        raised(Case("mlmath.linalg.low_rank", "low_rank([[1.0]], r=1)", ValueError, ()), names)
    with pytest.raises(AssertionError, match="raised ValueError, not TypeError"):
        raised(Case("mlmath.linalg.low_rank", "low_rank([[1.0]], r=2)", TypeError, ()), names)
    with pytest.raises(AssertionError, match=r"lacks \['r must be <= 0'\]"):
        raised(Case("mlmath.linalg.low_rank", "low_rank([[1.0]], r=2)", ValueError,
                    ("r must be <= 0",)), names)  # fmt: skip


def test_every_public_name_has_a_case_or_a_reason() -> None:
    """A public name (of any module's ``__all__``) without a case fails, new modules included."""
    covered = {case.function for case in CASES}
    missing = [name for name in public_names() if name not in covered and name not in NO_CASES]
    assert not missing, f"add bad-input cases to tests/bad_inputs.py for {missing}"


def test_cases_and_reasons_name_existing_public_names() -> None:
    public = set(public_names())
    assert {case.function for case in CASES} <= public
    assert set(NO_CASES) <= public
    assert not {case.function for case in CASES} & set(NO_CASES), "a case or a reason, not both"
    assert all(reason.strip() for reason in NO_CASES.values())


def test_each_call_names_its_function() -> None:
    """The page groups the calls by function: a call must call (or build) the function itself."""
    for case in CASES:
        short = case.function.rpartition(".")[2]
        assert re.search(rf"\b{short}\(", case.call), f"{case.call} does not call {short}"


def test_each_call_fits_the_column_of_the_page() -> None:
    """The page prints ``>>> call``: at most 88 characters, as every line of book code."""
    long = [case.call for case in CASES if len(">>> " + case.call) > 88]
    assert not long, f"shorten these calls: {long}"


def test_every_module_is_found_and_has_an_all() -> None:
    found = [module.__name__ for module in modules()]
    assert {"mlmath.functions", "mlmath.linalg", "mlmath.plotting", "mlmath.rates"} <= set(found)
    assert all(isinstance(module.__all__, list | tuple) for module in modules())


def test_the_page_shows_every_module() -> None:
    text = PAGE.read_text("utf-8")
    for module in modules():
        assert f"\n## `{module.__name__}`\n" in text, f"{PAGE.name} has no section {module}"
        assert f'show("{module.__name__}")' in text

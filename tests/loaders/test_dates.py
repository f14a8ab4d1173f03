from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spacerace.store.dates import span, utc_time
from spacerace.store.text import fold, slugify


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1965", ("1965-01-01", "1965-12-31")),
        ("1965-03", ("1965-03-01", "1965-03-31")),
        ("1964-02", ("1964-02-01", "1964-02-29")),
        ("1965-03-18", ("1965-03-18", "1965-03-18")),
    ],
)
def test_a_partial_date_spans_the_days_it_can_mean(value: str, expected: tuple[str, str]) -> None:
    assert span(value) == expected


@pytest.mark.parametrize("value", ["1965-02-30", "1965-13", "65-03-18", "March 1965", ""])
def test_impossible_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"1965|date"):
        span(value)


def test_launch_times_are_utc() -> None:
    assert utc_time("1965-03-18T07:00:00Z") == datetime(1965, 3, 18, 7, tzinfo=UTC)
    with pytest.raises(ValueError, match="is not a UTC time"):
        utc_time("1965-03-18T10:00:00+03:00")


@pytest.mark.parametrize("text", ["Leonov", "LÉONOV", "Леонов", "leonov"])
def test_folding_ignores_case_accents_and_script(text: str) -> None:
    assert fold(text) == "leonov"


def test_slugify_joins_folded_words() -> None:
    assert slugify("Apollo–Soyuz Test Project") == "apollo-soyuz-test-project"
    assert slugify("Mercury-Atlas 6") == "mercury-atlas-6"

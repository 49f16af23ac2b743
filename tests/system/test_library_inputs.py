"""The library takes dates as people have them: EDTF text, date, datetime; known_at likewise."""

from __future__ import annotations

import datetime as dt

import pytest

import ledger
from ledger.errors import QueryError


@pytest.fixture(scope="module")
def book(article_db: str) -> ledger.Ledger:
    """The article's ledger, opened once for these tests."""
    return ledger.open(article_db)


def test_as_of_takes_a_date_or_a_datetime_like_its_text(book: ledger.Ledger) -> None:
    """A datetime.date and a datetime answer as the same day in EDTF text does."""
    text = book.state("ILRS", "2021-03-10")
    assert book.state("ILRS", dt.date(2021, 3, 10)) == text
    assert book.state("ILRS", dt.datetime(2021, 3, 10, 15, 30)) == text


def test_known_at_takes_text_a_date_or_a_datetime(book: ledger.Ledger) -> None:
    """known_at as ISO text, a date (its end in UTC) or an aware datetime agree; a naive
    datetime (which may hold local time) is refused."""
    aware = dt.datetime.combine(dt.date(2021, 3, 10), dt.time.max, tzinfo=dt.UTC)
    expected = book.state("ILRS", "2021-03-10", known_at=aware)
    assert book.state("ILRS", "2021-03-10", known_at="2021-03-10") == expected
    assert book.state("ILRS", "2021-03-10", known_at=dt.date(2021, 3, 10)) == expected
    assert book.state("ILRS", "2021-03-10", known_at="2021-03-10T23:59:59.999999") == expected
    with pytest.raises(QueryError):
        book.state("ILRS", "2021-03-10", known_at=aware.replace(tzinfo=None))


def test_timeline_and_conflicts_as_known_at_a_time(book: ledger.Ledger) -> None:
    """Before anything was recorded, the timeline and the conflicts are empty; now they are not."""
    assert len(book.timeline("ILRS")) > 0
    assert len(book.timeline("ILRS", known_at="1990-01-01")) == 0
    assert len(book.timeline(known_at=dt.date(1990, 1, 1))) == 0
    assert len(book.conflicts()) > 0
    assert len(book.conflicts(known_at="1990-01-01")) == 0
    later = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    assert book.timeline("ILRS", known_at=later) == book.timeline("ILRS")
    assert book.conflicts(known_at=later) == book.conflicts()


def test_timeline_bounds_take_dates(book: ledger.Ledger) -> None:
    """Timeline start and end take datetime.date as they take EDTF text."""
    assert book.timeline("ILRS", dt.date(2021, 1, 1), dt.date(2021, 12, 31)) == book.timeline(
        "ILRS", "2021-01-01", "2021-12-31"
    )

"""Dates as a caller of the ``Ledger`` may give them, made into what its questions take."""

from __future__ import annotations

import datetime as dt

from ledger.dates import HistoricalDate, parse_edtf
from ledger.dates.recorded import parse_known_at
from ledger.errors import InvalidDateError, QueryError

__all__ = ["HistoricalInput", "RecordedInput", "bound", "historical", "recorded"]

HistoricalInput = str | dt.date | HistoricalDate
"""A historical date as a caller may give it: EDTF text, a ``datetime.date`` (or datetime:
its day), or a ``HistoricalDate``."""

RecordedInput = str | dt.date | dt.datetime
"""A recorded time as a caller may give it: ISO text (without a zone: UTC), a date (its end,
UTC) or an aware datetime."""


def historical(value: HistoricalInput) -> str | HistoricalDate:
    """EDTF text or a ``HistoricalDate`` for any accepted historical date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def recorded(value: RecordedInput | None) -> dt.datetime | None:
    """An aware UTC datetime for any accepted recorded time (None stays None)."""
    if isinstance(value, dt.datetime) and value.utcoffset() is None:
        # A naive datetime object may hold local time: unlike text, it is not read as UTC.
        raise QueryError(f"known_at must be an aware datetime, not {value.isoformat()}")
    return None if value is None else parse_known_at(value)


def bound(value: HistoricalInput | None, end: bool) -> tuple[str, int] | None:
    """(EDTF, day) of a timeline bound: its first day for a start, its last for an end."""
    if value is None:
        return None
    value = historical(value)
    date = parse_edtf(value) if isinstance(value, str) else value
    day = date.latest if end else date.earliest
    if day is None:
        raise InvalidDateError(date.edtf, "a timeline bound needs a known first and last day")
    return date.edtf, day

"""Conditions for reading events: by subject, type, valid-time window and recorded time."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import TypeAlias, TypedDict

from sqlalchemy import ColumnElement, bindparam, or_, select

from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import Event
from ledger.errors import EventError, QueryError
from ledger.persistence.mapper import Mapper
from ledger.persistence.schema import event_subjects, events, to_utc

DateBound: TypeAlias = HistoricalDate | str | date | int
"""A bound of a valid-time window: a historical date, EDTF text, a date, or a day ordinal."""


class EventFilter(TypedDict, total=False):
    """Which events a read gives (``EventStore.iter_events``, and ``Ledger.events`` passing
    them on); each filter left out (or None) keeps every event."""

    after: int
    """Only events after this position (default 0: from the first)."""
    subject: str | Collection[str] | None
    """Only events about that entity or any of those entities (their stream or subjects)."""
    types: Iterable[str | type[Event]] | None
    """Only events of these types (names or classes)."""
    valid_from: DateBound | None
    """With ``valid_to``, a valid-time window: only events that certainly or possibly
    happened in it (open or unknown bounds count as possible)."""
    valid_to: DateBound | None
    known_at: datetime | None
    """Only what the ledger had recorded by then."""


def event_filters(mapper: Mapper, wanted: EventFilter) -> list[ColumnElement[bool]]:
    """WHERE conditions for a read of events (the ``after`` bound aside)."""
    subject, types = wanted.get("subject"), wanted.get("types")
    valid_from, valid_to = wanted.get("valid_from"), wanted.get("valid_to")
    known_at = wanted.get("known_at")
    conditions: list[ColumnElement[bool]] = []
    if subject is not None:
        names = [subject] if isinstance(subject, str) else sorted(set(subject))
        # The stream is found through its own index; the subject index holds the others.
        conditions.append(
            or_(
                events.c.stream.in_(names),
                events.c.position.in_(
                    select(event_subjects.c.position).where(
                        event_subjects.c.subject.in_(names),
                        event_subjects.c.position > bindparam("after"),
                    )
                ),
            )
        )
    if types is not None:
        try:
            names = sorted({mapper.type_name(t) for t in types})
        except EventError as e:
            raise QueryError(str(e)) from e
        conditions.append(events.c.type.in_(names))
    low = _day(valid_from, "earliest") if valid_from is not None else None
    high = _day(valid_to, "latest") if valid_to is not None else None
    if low is not None:
        conditions.append(or_(events.c.valid_latest.is_(None), events.c.valid_latest >= low))
    if high is not None:
        conditions.append(or_(events.c.valid_earliest.is_(None), events.c.valid_earliest <= high))
    if known_at is not None:
        conditions.append(events.c.recorded_at <= aware(known_at))
    return conditions


def aware(value: datetime) -> datetime:
    """``value`` in UTC; QueryError when it is naive (a time of no known zone)."""
    try:
        return to_utc(value)
    except (ValueError, TypeError, AttributeError) as e:
        raise QueryError(f"known_at must be an aware datetime: {e}") from e


def _day(value: DateBound, bound: str) -> int | None:
    if isinstance(value, bool):
        raise QueryError(f"{value!r} is not a date")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return value.date().toordinal()
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, str):
        value = parse_edtf(value)
    if isinstance(value, HistoricalDate):
        result: int | None = getattr(value, bound)
        return result
    raise QueryError(f"{value!r} is not a date")

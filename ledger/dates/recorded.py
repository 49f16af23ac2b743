"""Recorded times as people type them: an ISO 8601 instant, or a day meaning its end in UTC.

"Known at 2021-03-10" asks what the ledger held once that day was over, so a bare date is
the last microsecond of the day in UTC. An instant without a zone is read as UTC, since
recorded times are kept in UTC. Shared by the CLI and notebooks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ledger.errors import InvalidDateError

__all__ = ["CLOCK_SKEW", "beyond_now", "parse_known_at"]

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the clock a given recorded time may be (clocks of two machines differ)."""


def beyond_now(value: datetime, now: datetime | None = None) -> bool:
    """Whether ``value`` lies further in the future than clocks can disagree.

    A recorded time says when the ledger learned something: it cannot be later than now. One
    far ahead (a corpus stamped 9999-12-31) would hold every later append at that time.
    ``now`` defaults to the system clock; the later of the two counts when both are known.
    """
    real = datetime.now(UTC)
    latest = real if now is None or now < real else now
    return value > latest + CLOCK_SKEW


def parse_known_at(text: str | date | datetime) -> datetime:
    """An aware UTC datetime for a recorded time: ISO datetime, or a date (its end in UTC)."""
    if isinstance(text, datetime):
        value = text
    elif isinstance(text, date):
        return datetime.combine(text, time.max, tzinfo=UTC)
    else:
        stripped = text.strip()
        if len(stripped) == 10:
            try:
                day = date.fromisoformat(stripped)
            except ValueError as e:
                raise InvalidDateError(text, f"not an ISO date or datetime ({e})") from None
            return datetime.combine(day, time.max, tzinfo=UTC)
        try:
            value = datetime.fromisoformat(stripped)
        except ValueError:
            raise InvalidDateError(
                text,
                "a recorded time is an ISO date (2021-03-10) or datetime (2021-03-10T12:00:00Z)",
            ) from None
    if value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)

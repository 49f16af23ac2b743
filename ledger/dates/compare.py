"""Three-valued answers for "as of" questions, and sort keys for timelines.

A historical date is a range of possible days, so "did it happen by day D?" has three honest
answers: certainly (the whole range is on or before D), certainly not (the whole range is
after D), or possibly (D falls inside the range, or a bound is unknown).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ledger.dates.model import HistoricalDate

# Sort keys place unknown earliest bounds first and unknown latest bounds last, which is
# where an open or unknown end would fall on a timeline.
_BEFORE_ALL = float("-inf")
_AFTER_ALL = float("inf")


class Truth(enum.StrEnum):
    """Answer of a question over a range of possible days: yes, no, or maybe."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"

    def __bool__(self) -> bool:
        # A bare `if truth:` would be ambiguous for MAYBE; make callers say what they mean.
        raise TypeError("Truth is three-valued: compare with Truth.YES/NO/MAYBE explicitly")


def truth_by(earliest: int | None, latest: int | None, day: int) -> Truth:
    """Whether something dated between ``earliest`` and ``latest`` happened on or before ``day``.

    YES if ``latest <= day``, NO if ``earliest > day``, MAYBE otherwise. An unknown (None)
    bound never gives a YES or NO on its own side.
    """
    if latest is not None and latest <= day:
        return Truth.YES
    if earliest is not None and earliest > day:
        return Truth.NO
    return Truth.MAYBE


def truth_over_bounds(
    earliest: int | None,
    latest: int | None,
    first_day: int | None,
    last_day: int | None,
) -> Truth:
    """The "as of a period" answer: YES if YES at its first day, NO if NO at its last day.

    A period whose first (last) day is unknown can never give YES (NO).
    """
    if first_day is not None and truth_by(earliest, latest, first_day) is Truth.YES:
        return Truth.YES
    if last_day is not None and truth_by(earliest, latest, last_day) is Truth.NO:
        return Truth.NO
    return Truth.MAYBE


def truth_over(
    value: HistoricalDate,
    period: HistoricalDate,
    measure: Literal["happened", "began"] = "happened",
) -> Truth:
    """Whether ``value`` happened (or began) by a period such as an EDTF month or year.

    Certain only if certain for every day of the period (YES at its first day), certainly
    not if not even by its last day, otherwise possible.
    """
    if measure == "happened":
        low, high = value.earliest, value.latest
    elif measure == "began":
        low, high = value.start_earliest, value.start_latest
    else:
        raise ValueError(f"measure must be 'happened' or 'began', not {measure!r}")
    return truth_over_bounds(low, high, period.earliest, period.latest)


def happened_over(value: HistoricalDate, period: HistoricalDate) -> Truth:
    """``truth_over`` for the whole date: did it happen by the period?"""
    return truth_over(value, period, "happened")


def began_over(value: HistoricalDate, period: HistoricalDate) -> Truth:
    """``truth_over`` for the start: had it begun by the period?"""
    return truth_over(value, period, "began")


def sort_key(value: HistoricalDate) -> tuple[float, float, str]:
    """Timeline order: by earliest day, then latest day, then canonical string (stable)."""
    low = _BEFORE_ALL if value.earliest is None else value.earliest
    high = _AFTER_ALL if value.latest is None else value.latest
    return (low, high, value.edtf)


def latest_sort_key(value: HistoricalDate) -> tuple[float, float, str]:
    """Order by the latest possible day first (what is certainly over soonest comes first)."""
    low = _BEFORE_ALL if value.earliest is None else value.earliest
    high = _AFTER_ALL if value.latest is None else value.latest
    return (high, low, value.edtf)

"""Sub-year groupings of EDTF (codes 21-41): seasons, quarters, quadrimesters, semesters.

Seasons follow python-edtf's months, except that winter keeps its real length:
21 spring = March-May, 22 summer = June-August, 23 autumn = September-November,
24 winter = December of the year to February of the next. Codes 25-28 are the same four
seasons for the Northern Hemisphere; 29-32 are the Southern Hemisphere's spring
(September-November), summer (December to February of the next year), autumn (March-May)
and winter (June-August). 33-36 are quarters, 37-39 quadrimesters (four months each) and
40-41 semesters (six months each), all within the calendar year.
"""

from __future__ import annotations

from ledger.dates.calendar import month_end, month_start
from ledger.dates.model import Precision

# code: (first month, number of months); a span past December runs into the next year.
_SPANS: dict[int, tuple[int, int]] = {
    21: (3, 3), 22: (6, 3), 23: (9, 3), 24: (12, 3),
    25: (3, 3), 26: (6, 3), 27: (9, 3), 28: (12, 3),
    29: (9, 3), 30: (12, 3), 31: (3, 3), 32: (6, 3),
    33: (1, 3), 34: (4, 3), 35: (7, 3), 36: (10, 3),
    37: (1, 4), 38: (5, 4), 39: (9, 4),
    40: (1, 6), 41: (7, 6),
}  # fmt: skip

NAMES: dict[int, str] = {
    21: "spring", 22: "summer", 23: "autumn", 24: "winter",
    25: "spring (northern hemisphere)", 26: "summer (northern hemisphere)",
    27: "autumn (northern hemisphere)", 28: "winter (northern hemisphere)",
    29: "spring (southern hemisphere)", 30: "summer (southern hemisphere)",
    31: "autumn (southern hemisphere)", 32: "winter (southern hemisphere)",
    33: "quarter 1", 34: "quarter 2", 35: "quarter 3", 36: "quarter 4",
    37: "quadrimester 1", 38: "quadrimester 2", 39: "quadrimester 3",
    40: "semester 1", 41: "semester 2",
}  # fmt: skip
"""What each grouping code means, for display."""


def grouping_bounds(year: int, code: int) -> tuple[int, int]:
    """First and last day ordinal of grouping ``code`` (21-41) of ``year``."""
    first, length = _SPANS[code]
    last = first + length - 1
    last_year = year + (last - 1) // 12
    return month_start(year, first), month_end(last_year, (last - 1) % 12 + 1)


def grouping_precision(code: int) -> Precision:
    """The precision a grouping code gives a date."""
    if code <= 32:
        return Precision.SEASON
    if code <= 36:
        return Precision.QUARTER
    if code <= 39:
        return Precision.QUADRIMESTER
    return Precision.SEMESTER

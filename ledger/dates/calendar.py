"""Proleptic Gregorian day ordinals for any year: BCE, year 0 and years past 9999.

``datetime.date`` stops at years 1..9999, so the ledger counts days with plain integers
(Howard Hinnant's ``days_from_civil``), aligned with ``date.toordinal``: 0001-01-01 is day 1.
Years are astronomical (year 0 is 1 BCE, year -44 is 45 BCE), as in ISO 8601 and EDTF.
"""

from __future__ import annotations

# date(1970, 1, 1).toordinal(): shifts Hinnant's Unix-epoch day count to date.toordinal's.
_EPOCH_ORDINAL = 719163
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    """Whether ``year`` (astronomical numbering) has a 29 February."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days of ``month`` (1..12) in ``year``."""
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month]


def is_valid_day(year: int, month: int, day: int) -> bool:
    """Whether year-month-day exists in the proleptic Gregorian calendar."""
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)


def day_ordinal(year: int, month: int, day: int) -> int:
    """Day number of a date, 0001-01-01 == 1 like ``date.toordinal``, for any year.

    The arguments must name a valid day (see ``is_valid_day``); this is not checked here
    because the parser calls it on already validated parts.
    """
    # Hinnant's days_from_civil, with Python's floor division doing the negative-year work.
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468 + _EPOCH_ORDINAL


def ordinal_to_ymd(ordinal: int) -> tuple[int, int, int]:
    """The (year, month, day) of a day ordinal: the inverse of ``day_ordinal``."""
    z = ordinal - _EPOCH_ORDINAL + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


def format_year(year: int) -> str:
    """ISO 8601 year: four digits for 0..9999, else a sign and as many digits as needed."""
    if 0 <= year <= 9999:
        return f"{year:04d}"
    return f"-{-year:04d}" if year < 0 else f"+{year}"


def ordinal_to_iso(ordinal: int) -> str:
    """ISO 8601 day of an ordinal: ``2021-03-09``, ``-0044-03-15``, ``+12000-01-01``."""
    year, month, day = ordinal_to_ymd(ordinal)
    return f"{format_year(year)}-{month:02d}-{day:02d}"


def year_start(year: int) -> int:
    """Ordinal of 1 January of ``year``."""
    return day_ordinal(year, 1, 1)


def year_end(year: int) -> int:
    """Ordinal of 31 December of ``year``."""
    return day_ordinal(year, 12, 31)


def month_start(year: int, month: int) -> int:
    """Ordinal of the first day of a month."""
    return day_ordinal(year, month, 1)


def month_end(year: int, month: int) -> int:
    """Ordinal of the last day of a month."""
    return day_ordinal(year, month, days_in_month(year, month))

"""One EDTF date: qualifiers on parts, X digits anywhere, long years, groupings, times.

Bounds are exactly what the string allows, never padded: ``X`` digits widen to every day the
digits can name and that exists (``201X`` is 2010-01-01..2019-12-31, ``2004-02-XX`` ends on
the 29th, ``XXXX-12-XX`` runs from December of year 0 to December of 9999), and qualifiers
are recorded without moving bounds. The canonical string keeps the input's parts and puts
qualifiers in one normal form (``?2004-06-~11`` prints as ``2004?-06-~11``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from ledger.dates.calendar import (
    day_ordinal,
    days_in_month,
    is_valid_day,
    month_end,
    month_start,
    year_end,
    year_start,
)
from ledger.dates.groupings import grouping_bounds, grouping_precision
from ledger.dates.model import HistoricalDate, Precision, Qualifier
from ledger.errors import InvalidDateError

HINT = "expected EDTF such as 2021, 2021-03, 2021-03-09, 1984?, 201X, 2004-06/2006-08"
FLAGS: dict[str, tuple[bool, bool]] = {"?": (True, False), "~": (False, True), "%": (True, True)}
"""What each qualifier character means: (uncertain, approximate)."""

_MAX_YEAR_DIGITS = 15
"""Years up to 10**15 in magnitude: more than enough for cosmology, cheap to compute."""

_PARTS = ("year", "month", "day")
_DATE = re.compile(
    r"""
    (?P<q0>[?~%])?
    (?P<year>Y-?[0-9]+(?:E[0-9]+)?|-?[0-9X]{4})
    (?:S(?P<sig>[0-9]+))?
    (?P<q1>[?~%])?
    (?:-(?P<q2>[?~%])?(?P<month>[0-9X]{2})(?P<q3>[?~%])?
      (?:-(?P<q4>[?~%])?(?P<day>[0-9X]{2})(?P<q5>[?~%])?
        (?P<time>T(?P<hh>[0-9]{2}):(?P<mm>[0-9]{2}):(?P<ss>[0-9]{2})
          (?P<tz>Z|[+-](?P<tzh>[0-9]{2})(?::(?P<tzm>[0-9]{2}))?)?)?
      )?
    )?
    """,
    re.VERBOSE,
)

_TRAILING_PRECISION = {
    0: Precision.YEAR,
    1: Precision.DECADE,
    2: Precision.CENTURY,
    3: Precision.MILLENNIUM,
}


def fail(text: str, reason: str = HINT) -> InvalidDateError:
    """The error for ``text`` with ``reason`` (to be raised by the caller)."""
    return InvalidDateError(text, reason)


def parse_single(text: str) -> HistoricalDate:
    """General single date: qualifiers on parts, X digits, seasons, long years, times."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise fail(text, _explain(text))
    g = match.groupdict()
    ytext: str = g["year"]
    mtext: str | None = g["month"]
    dtext: str | None = g["day"]
    count = 1 if mtext is None else 2 if dtext is None else 3
    flags = [[False, False] for _ in range(count)]
    # A qualifier left of a part applies to that part; right of a part, to it and all before.
    for index, (before, after) in enumerate((("q0", "q1"), ("q2", "q3"), ("q4", "q5"))[:count]):
        if g[before]:
            uncertain, approximate = FLAGS[g[before]]
            flags[index][0] |= uncertain
            flags[index][1] |= approximate
        if g[after]:
            uncertain, approximate = FLAGS[g[after]]
            for earlier in flags[: index + 1]:
                earlier[0] |= uncertain
                earlier[1] |= approximate
    final = [(u, a) for u, a in flags]
    uncertain = any(u for u, _ in final)
    approximate = any(a for _, a in final)
    if g["time"] and (uncertain or approximate):
        raise fail(text, "a date-time cannot carry ? ~ or % qualifiers")

    low, high, precision = _bounds(text, ytext, g["sig"], mtext, dtext)
    if g["time"]:
        _check_time(text, g)
        precision = Precision.SECOND
    canonical = _render_single(ytext, g["sig"], mtext, dtext, g["time"] or "", final)
    return HistoricalDate(
        canonical,
        low,
        high,
        precision,
        uncertain=uncertain,
        approximate=approximate,
        qualified=qualified_pairs(final),
        start_earliest=low,
        start_latest=high,
    )


def _explain(text: str) -> str:
    """A reason for a string the date grammar refuses, as specific as cheaply possible."""
    if text.count("/") > 1:
        return "an interval has exactly one '/'"
    if "x" in text or "u" in text:
        return "unspecified digits are written with a capital X"
    if " " in text:
        return "spaces are not allowed in EDTF (only after commas in sets)"
    return HINT


def _check_time(text: str, g: dict[str, str | None]) -> None:
    """Reject impossible clock times and offsets."""
    hh, mm, ss = int(g["hh"] or 0), int(g["mm"] or 0), int(g["ss"] or 0)
    if hh > 23 or mm > 59 or ss > 59:
        raise fail(text, f"time {hh:02d}:{mm:02d}:{ss:02d} does not exist")
    if g["tzh"] is not None and (int(g["tzh"]) > 14 or int(g["tzm"] or 0) > 59):
        raise fail(text, "time zone offset out of range (-14:00..+14:00)")


def _year_range(text: str, ytext: str, sig: str | None) -> tuple[int, int, int]:
    """(lowest, highest, unknown trailing digits) of the years a year part allows."""
    if ytext[0] == "Y":
        negative = ytext[1] == "-"
        body = ytext[2:] if negative else ytext[1:]
        mantissa, _, exponent = body.partition("E")
        if mantissa.startswith("0"):
            raise fail(text, "a Y-year has no leading zeros")
        digits = len(mantissa) + (int(exponent) if exponent else 0)
        if digits > _MAX_YEAR_DIGITS:
            raise fail(text, f"years are limited to {_MAX_YEAR_DIGITS} digits")
        if not exponent and len(mantissa) <= 4:
            raise fail(text, "the Y prefix is for years of more than four digits")
        magnitude = int(mantissa) * 10 ** int(exponent or 0)
        width = len(str(magnitude))
    else:
        negative = ytext[0] == "-"
        body = ytext[1:] if negative else ytext
        if "X" in body:
            if sig is not None:
                raise fail(text, "significant digits cannot combine with X digits")
            if negative and body == "XXXX":
                raise fail(text, "-XXXX is not a year pattern (use XXXX)")
            low_mag, high_mag = int(body.replace("X", "0")), int(body.replace("X", "9"))
            trailing = len(body) - len(body.rstrip("X"))
            if negative:
                return -high_mag, -low_mag, trailing
            return low_mag, high_mag, trailing
        magnitude, width = int(body), 4
        if negative and magnitude == 0:
            raise fail(text, "-0000 is not a year (year 0 is written 0000)")
    if sig is None:
        year = -magnitude if negative else magnitude
        return year, year, 0
    significant = int(sig)
    if significant < 1:
        raise fail(text, "significant digits must be at least 1")
    # More significant digits than the year has (-1859S5) says the year is exact.
    significant = min(significant, width)
    unit = 10 ** (width - significant)
    low_mag = magnitude // unit * unit
    high_mag = low_mag + unit - 1
    if negative:
        return -high_mag, -low_mag, width - significant
    return low_mag, high_mag, width - significant


def _bounds(
    text: str, ytext: str, sig: str | None, mtext: str | None, dtext: str | None
) -> tuple[int, int, Precision]:
    """Earliest and latest day, and precision, of a single date's parts."""
    ylow, yhigh, trailing = _year_range(text, ytext, sig)
    year_x = "X" in ytext
    if sig is not None and mtext is not None:
        raise fail(text, "significant digits apply to a year alone")
    if ytext[0] == "Y" and mtext is not None:
        raise fail(text, "a Y-prefixed year stands alone (no month or day)")
    if mtext is None:
        if sig is not None:
            precision = _TRAILING_PRECISION.get(trailing, Precision.UNSPECIFIED)
        else:
            precision = _precision_of(ytext, trailing, None, None)
        return year_start(ylow), year_end(yhigh), precision
    if "X" not in mtext:
        month = int(mtext)
        if month > 12 or month == 0:
            if dtext is not None or not 21 <= month <= 41:
                raise fail(text, f"month {mtext} does not exist (01-12, or 21-41 groupings)")
            if year_x:
                raise fail(text, "a season or other grouping needs a known year")
            low, high = grouping_bounds(ylow, month)
            return low, high, grouping_precision(month)
    months = _matching(mtext, 1, 12)
    if not months:
        raise fail(text, f"no month matches {mtext}")
    if dtext is None:
        precision = _precision_of(ytext, trailing, mtext, None)
        return month_start(ylow, months[0]), month_end(yhigh, months[-1]), precision
    days = _matching(dtext, 1, 31)
    if not days:
        raise fail(text, f"no day matches {dtext}")
    if not year_x and "X" not in mtext and "X" not in dtext:
        year, month, day = ylow, months[0], days[0]
        if not is_valid_day(year, month, day):
            raise fail(text, bad_day_reason(year, month, day))
        ordinal = day_ordinal(year, month, day)
        return ordinal, ordinal, Precision.DAY
    first = _first_day(_years(ytext, ascending=True), months, days)
    last = _first_day(_years(ytext, ascending=False), months[::-1], days[::-1])
    if first is None or last is None:
        raise fail(text, f"no day of the calendar matches {ytext}-{mtext}-{dtext}")
    return first, last, _precision_of(ytext, trailing, mtext, dtext)


def _precision_of(ytext: str, trailing: int, mtext: str | None, dtext: str | None) -> Precision:
    """Precision of a date from its parts, some possibly with unspecified (X) digits."""
    parts = [p for p in (ytext.lstrip("-"), mtext, dtext) if p is not None]
    while len(parts) > 1 and set(parts[-1]) == {"X"}:
        parts.pop()
    year = parts[0]
    if "X" in year:
        if len(parts) == 1 and year.rstrip("X") and "X" not in year.rstrip("X"):
            return _TRAILING_PRECISION.get(trailing, Precision.UNSPECIFIED)
        return Precision.UNSPECIFIED
    if len(parts) == 1:
        return Precision.YEAR
    if "X" in parts[1]:
        return Precision.YEAR
    if len(parts) == 2:
        return Precision.MONTH
    return Precision.MONTH if "X" in parts[2] else Precision.DAY


def _matching(pattern: str, low: int, high: int) -> list[int]:
    """Numbers in low..high whose two digits match a pattern with X digits, ascending."""
    return [
        n
        for n in range(low, high + 1)
        if all(p in ("X", c) for p, c in zip(pattern, f"{n:02d}", strict=True))
    ]


def _years(ytext: str, *, ascending: bool) -> Iterator[int]:
    """Years matched by a 4-character pattern with X digits, in calendar order."""
    negative = ytext.startswith("-")
    body = ytext.lstrip("-")
    # Negative years run the other way: the largest magnitude is the earliest year.
    rising = ascending != negative
    choices = ["0123456789" if c == "X" else c for c in body]
    if not rising:
        choices = [c[::-1] for c in choices]
    for digits in itertools.product(*choices):
        magnitude = int("".join(digits))
        yield -magnitude if negative else magnitude


def _first_day(years: Iterator[int], months: list[int], days: list[int]) -> int | None:
    """Ordinal of the first valid (year, month, day) in the given orders, if any."""
    for year in years:
        for month in months:
            for day in days:
                if is_valid_day(year, month, day):
                    return day_ordinal(year, month, day)
    return None


def _render_single(
    ytext: str,
    sig: str | None,
    mtext: str | None,
    dtext: str | None,
    time: str,
    flags: list[tuple[bool, bool]],
) -> str:
    """Canonical text of a single date: the shortest natural placement of its qualifiers."""
    texts = [ytext + (f"S{int(sig)}" if sig is not None else "")]
    if mtext is not None:
        texts.append(mtext)
    if dtext is not None:
        texts.append(dtext)
    # A qualifier after part k covers parts 0..k, so each flag's leading run goes after its
    # last part; parts qualified outside that run get the qualifier in front.
    run_u = _run(flags, 0)
    run_a = _run(flags, 1)
    out: list[str] = []
    for index, body in enumerate(texts):
        front_u = flags[index][0] and index >= run_u
        front_a = flags[index][1] and index >= run_a
        after_u = index == run_u - 1
        after_a = index == run_a - 1
        out.append(_symbol(front_u, front_a) + body + _symbol(after_u, after_a))
    return "-".join(out) + time


def _run(flags: list[tuple[bool, bool]], which: int) -> int:
    """Length of the leading run of parts carrying flag ``which``."""
    length = 0
    for flag in flags:
        if not flag[which]:
            break
        length += 1
    return length


def _symbol(uncertain: bool, approximate: bool) -> str:
    if uncertain and approximate:
        return "%"
    if uncertain:
        return "?"
    return "~" if approximate else ""


def bad_day_reason(year: int, month: int, day: int) -> str:
    """Why year-month-day is not a day, in words a historian can act on."""
    if not 1 <= month <= 12:
        return f"month {month:02d} does not exist (months are 01-12)"
    length = days_in_month(year, month)
    shown = f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"day {day:02d} does not exist in {shown}-{month:02d} (it has {length} days)"


def qualified_pairs(flags: list[tuple[bool, bool]]) -> tuple[tuple[str, Qualifier], ...]:
    """Per-part qualifier pairs, e.g. (("year", UNCERTAIN), ("month", APPROXIMATE))."""
    pairs: list[tuple[str, Qualifier]] = []
    for part, (uncertain, approximate) in zip(_PARTS, flags, strict=False):
        if uncertain:
            pairs.append((part, Qualifier.UNCERTAIN))
        if approximate:
            pairs.append((part, Qualifier.APPROXIMATE))
    return tuple(pairs)

"""EDTF (Library of Congress, 2019) parser and printer for ``HistoricalDate``.

Covers Level 0 and Level 1, and from Level 2: qualifiers on single parts, ``X`` in any
position, sub-year groupings 21-41, exponential and significant-digit years, and "one of"
(``[...]``) and "all of" (``{...}``) sets. The common shapes (``2021``, ``2021-03``,
``2021-03-09``, optionally qualified, and intervals of them) take a precompiled fast path;
everything goes through an LRU cache because a ledger repeats the same dates many times.
The grammar of one date lives in ``single``, intervals and sets in ``spans``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import attrs

from ledger.dates.calendar import (
    day_ordinal,
    is_valid_day,
    month_end,
    month_start,
    ordinal_to_ymd,
    year_end,
    year_start,
)
from ledger.dates.model import HistoricalDate, Precision
from ledger.dates.single import FLAGS, bad_day_reason, fail, parse_single, qualified_pairs
from ledger.dates.spans import parse_interval, parse_set
from ledger.deferred import defer
from ledger.errors import InvalidDateError

MAX_LENGTH = 256
"""Longest string the parser reads: far above any real EDTF value, far below a slow one."""

_SIMPLE = re.compile(r"(-?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([?~%]?)")


def parse_edtf(text: str) -> HistoricalDate:
    """Parse an EDTF string into a ``HistoricalDate`` (cached).

    Raises:
        InvalidDateError: the string is not EDTF or names a day that does not exist.
    """
    if type(text) is not str:
        raise InvalidDateError(repr(text), f"expected a string, got {type(text).__name__}")
    return _parse_cached(text)


def bounded(text: str, earliest: int | None, latest: int | None) -> HistoricalDate:
    """The date ``text`` whose bounds were stored beside it: the rest is parsed when first read.

    A replay folds every event's bounds but few of its dates' other parts; parsing each
    distinct text cost a replay a third of its time. The equality, hash and text of the
    date need only ``text``; its bounds are taken as stored (the hash chain covers them).
    When another part is first read the text is parsed, and bounds that disagree with it
    raise InvalidDateError there.
    """
    date: HistoricalDate = _new(HistoricalDate)
    _EDTF(date, text)
    _EARLIEST(date, earliest)
    _LATEST(date, latest)
    defer(date, (_fill_bounded, None))
    return date


def _fill_bounded(date: HistoricalDate, _: None, name: str) -> None:
    text: str = date.edtf
    parsed = parse_edtf(text)
    if (parsed.earliest, parsed.latest) != (date.earliest, date.latest):
        raise InvalidDateError(
            text,
            f"its stored bounds {date.earliest}..{date.latest} are not its days "
            f"{parsed.earliest}..{parsed.latest}",
        )
    for field, put in _REST:
        put(date, getattr(parsed, field))


_new = object.__new__
_SLOTS = {f.name: getattr(HistoricalDate, f.name).__set__ for f in attrs.fields(HistoricalDate)}
_EDTF, _EARLIEST, _LATEST = _SLOTS.pop("edtf"), _SLOTS.pop("earliest"), _SLOTS.pop("latest")
_REST = tuple(_SLOTS.items())


def parse_edtf_uncached(text: str) -> HistoricalDate:
    """``parse_edtf`` bypassing every cache, also for interval ends (benchmarks, tests)."""
    if type(text) is not str:
        raise InvalidDateError(repr(text), f"expected a string, got {type(text).__name__}")
    return _parse(text, parse_edtf_uncached)


def clear_cache() -> None:
    """Forget every cached parse (benchmarks measure the cold path with it)."""
    _parse_cached.cache_clear()


def _parse(text: str, part: Callable[[str], HistoricalDate]) -> HistoricalDate:
    """Dispatch on the shape of ``text``: fast path, interval, set, or general date."""
    simple = _SIMPLE.fullmatch(text)
    if simple is not None:
        return _simple_date(text, simple)
    _check_characters(text)
    if "/" in text:
        return parse_interval(text, part)
    if text[:1] in "[{":
        return parse_set(text, part)
    return parse_single(text)


def _parse_with_cache(text: str) -> HistoricalDate:
    return _parse(text, _parse_cached)


_parse_cached = functools.lru_cache(maxsize=1 << 16)(_parse_with_cache)


def format_year(year: int) -> str:
    """EDTF text of a year: four digits (signed if negative), or Y-prefixed beyond 9999."""
    if -9999 <= year <= 9999:
        return f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"Y{year}"


def format_month(year: int, month: int) -> str:
    """EDTF text of a month; years beyond four digits cannot carry a month in EDTF."""
    if not -9999 <= year <= 9999:
        raise InvalidDateError(f"{year}-{month:02d}", "EDTF months need a four-digit year")
    return f"{format_year(year)}-{month:02d}"


def format_day(ordinal: int) -> str:
    """EDTF text of a day ordinal; years beyond four digits cannot carry a day in EDTF."""
    year, month, day = ordinal_to_ymd(ordinal)
    return f"{format_month(year, month)}-{day:02d}"


def _check_characters(text: str) -> None:
    """Reject empty, huge, non-ASCII and control-character input with a precise reason."""
    if not text:
        raise InvalidDateError(text, "empty string")
    if len(text) > MAX_LENGTH:
        raise InvalidDateError(text, f"longer than {MAX_LENGTH} characters ({len(text)})")
    if not text.isascii():
        bad = next(c for c in text if not c.isascii())
        raise InvalidDateError(
            text,
            f"non-ASCII character {bad!r} (U+{ord(bad):04X}); EDTF uses ASCII digits "
            "(relative phrases and other scripts go through ledger.dates.resolve_phrase)",
        )
    for char in text:
        if not char.isprintable() or (char.isspace() and char != " "):
            raise InvalidDateError(text, f"control character U+{ord(char):04X}")


def _simple_date(text: str, match: re.Match[str]) -> HistoricalDate:
    """Fast path: ``[-]YYYY[-MM[-DD]][?~%]`` with plain digits."""
    sign, ytext, mtext, dtext, qual = match.groups()
    year = int(ytext)
    if sign:
        if year == 0:
            raise fail(text, "-0000 is not a year (year 0 is written 0000)")
        year = -year
    if mtext is None:
        low, high, precision = year_start(year), year_end(year), Precision.YEAR
    else:
        month = int(mtext)
        if dtext is None:
            if 1 <= month <= 12:
                low, high = month_start(year, month), month_end(year, month)
                precision = Precision.MONTH
            else:
                return parse_single(text)  # seasons and invalid months take the general path
        else:
            day = int(dtext)
            if not is_valid_day(year, month, day):
                raise fail(text, bad_day_reason(year, month, day))
            low = high = day_ordinal(year, month, day)
            precision = Precision.DAY
    if not qual:
        return HistoricalDate(text, low, high, precision, start_earliest=low, start_latest=high)
    uncertain, approximate = FLAGS[qual]
    parts = 1 if mtext is None else 2 if dtext is None else 3
    qualified = qualified_pairs([(uncertain, approximate)] * parts)
    return HistoricalDate(
        text,
        low,
        high,
        precision,
        uncertain=uncertain,
        approximate=approximate,
        qualified=qualified,
        start_earliest=low,
        start_latest=high,
    )

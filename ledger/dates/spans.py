"""EDTF intervals (``start/end``) and sets (``[a, b..c]`` one of, ``{a, b}`` all of).

Interval ends are dates, unknown (empty) or open (``..``); the two stay distinct and neither
invents a bound. The start's bounds (for ``began_by``) are only what the string implies.
"""

from __future__ import annotations

from collections.abc import Callable

from ledger.dates.model import End, HistoricalDate, Kind, Precision
from ledger.dates.single import fail

Parse = Callable[[str], HistoricalDate]
"""The parser used for ends and members (cached or not, as the caller chooses)."""


def _end(text: str, part: str, parse: Parse) -> tuple[End, HistoricalDate | None]:
    """One end of an interval or set range: unknown (empty), open (``..``) or a date."""
    if part == "":
        return End.UNKNOWN, None
    if part == "..":
        return End.OPEN, None
    if "/" in part or part[:1] in "[{" or ".." in part:
        raise fail(text, f"{part!r} is not a single date")
    value = parse(part)
    if value.kind is not Kind.DATE:
        raise fail(text, f"{part!r} is not a single date")
    return End.KNOWN, value


def parse_interval(text: str, parse: Parse) -> HistoricalDate:
    """``start/end`` where each end is a date, empty (unknown) or ``..`` (open)."""
    if text[:1] in "[{":
        raise fail(text, "sets cannot contain intervals (use .. for ranges)")
    head, _, tail = text.partition("/")
    if "/" in tail:
        raise fail(text, "an interval has exactly one '/'")
    start_kind, start = _end(text, head, parse)
    end_kind, end = _end(text, tail, parse)
    if start is None and end is None:
        raise fail(text, "an interval needs at least one known end")
    return _span(text, Kind.INTERVAL, "/", start_kind, start, end_kind, end)


def _span(
    text: str,
    kind: Kind,
    separator: str,
    start_kind: End,
    start: HistoricalDate | None,
    end_kind: End,
    end: HistoricalDate | None,
) -> HistoricalDate:
    """An interval or set range from its ends, checking that it does not run backwards."""
    low = start.earliest if start is not None else None
    high = end.latest if end is not None else None
    if low is not None and high is not None and low > high:
        raise fail(text, "the interval ends before it starts")
    # The start is no later than the end: a sound bound even when the start is unknown.
    start_low = low
    start_high = start.latest if start is not None else high
    if start_high is not None and high is not None:
        start_high = min(start_high, high)
    # In a set range the '..' separator itself marks an open side.
    open_text = "" if kind is Kind.RANGE else ".."
    head = str(start) if start is not None else open_text if start_kind is End.OPEN else ""
    tail = str(end) if end is not None else open_text if end_kind is End.OPEN else ""
    ends = [e for e in (start, end) if e is not None]
    return HistoricalDate(
        head + separator + tail,
        low,
        high,
        Precision.INTERVAL,
        kind=kind,
        uncertain=any(e.uncertain for e in ends),
        approximate=any(e.approximate for e in ends),
        start=start,
        end=end,
        start_kind=start_kind,
        end_kind=end_kind,
        start_earliest=start_low,
        start_latest=start_high,
    )


def parse_set(text: str, parse: Parse) -> HistoricalDate:
    """``[a, b, c..d]`` (one of) or ``{a, b}`` (all of), members dates or ``..`` ranges."""
    closing = "]" if text[0] == "[" else "}"
    if text[-1] != closing:
        raise fail(text, f"a set opened with {text[0]!r} must close with {closing!r}")
    body = text[1:-1]
    if not body.strip():
        raise fail(text, "a set needs at least one member")
    members = tuple(_member(text, item.strip(), parse) for item in body.split(","))
    kind = Kind.ONE_OF if closing == "]" else Kind.ALL_OF
    lows = [m.earliest for m in members]
    highs = [m.latest for m in members]
    low = None if None in lows else min(x for x in lows if x is not None)
    high = None if None in highs else max(x for x in highs if x is not None)
    if kind is Kind.ONE_OF:
        start_low, start_high = low, high
    else:
        # All happened: the first of them began no later than any member's latest day.
        known = [x for x in highs if x is not None]
        start_low, start_high = low, (min(known) if known else None)
    inner = ",".join(m.edtf for m in members)
    return HistoricalDate(
        text[0] + inner + closing,
        low,
        high,
        Precision.SET,
        kind=kind,
        uncertain=any(m.uncertain for m in members),
        approximate=any(m.approximate for m in members),
        members=members,
        start_earliest=start_low,
        start_latest=start_high,
    )


def _member(text: str, item: str, parse: Parse) -> HistoricalDate:
    """One set member: a single date or a range ``a..b``, ``..b``, ``a..``."""
    if not item:
        raise fail(text, "empty set member")
    if ".." not in item:
        start_kind, value = _end(text, item, parse)
        assert value is not None  # item is not empty and has no '..'
        return value
    head, _, tail = item.partition("..")
    if ".." in tail:
        raise fail(text, f"member {item!r} has more than one '..'")
    start_kind, start = _end(text, head, parse)
    end_kind, end = _end(text, tail, parse)
    if start is None and end is None:
        raise fail(text, f"member {item!r} needs at least one date")
    # Inside a set a missing side of '..' means open-ended (earlier/later), never unknown.
    return _span(
        text,
        Kind.RANGE,
        "..",
        End.OPEN if start is None else start_kind,
        start,
        End.OPEN if end is None else end_kind,
        end,
    )

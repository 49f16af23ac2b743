"""A timeline as TimelineJS (Knight Lab) JSON: ``{"title", "events", "eras"}``.

Each claim is a slide, its text HTML-escaped (TimelineJS renders it as HTML).
``start_date``/``end_date`` are date objects with only the parts the source gives
(``{"year": 2020, "month": 12}`` for "December 2020", never an invented day), ``display_date``
says in words what is uncertain or approximate, ``group`` is the program (one row per program
in TimelineJS), and ``unique_id`` the event id. Claims dated by a period (an interval with
both ends known) also mark that period as an era.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from ledger.dates import HistoricalDate, Kind, Precision
from ledger.dates.calendar import ordinal_to_ymd
from ledger.domain.timeline import Timeline, TimelineEntry

__all__ = ["date_object", "display_date", "required_problems", "timelinejs"]

JSON = dict[str, Any]

_PARTS = {Precision.DAY: 3, Precision.SECOND: 3, Precision.MONTH: 2}


def _ymd(day: int, parts: int) -> JSON:
    year, month, dom = ordinal_to_ymd(day)
    found: JSON = {"year": year}
    if parts >= 2:
        found["month"] = month
    if parts >= 3:
        found["day"] = dom
    return found


def date_object(value: HistoricalDate, end: bool = False) -> JSON | None:
    """A TimelineJS date object for the start (or end) of ``value``, as precise as it is.

    A day gives year, month and day; a month, year and month; anything coarser (a year, a
    decade, a season) its year only. None when that end is unknown or open.
    """
    if value.kind is Kind.INTERVAL:
        part = value.end if end else value.start
        return None if part is None else date_object(part, end)
    day = value.latest if end else value.earliest
    if day is None:
        return None
    if value.kind is not Kind.DATE:
        # A choice of dates ([..2021-03-09], [a..b]) is known to the day at its ends.
        return _ymd(day, 3)
    return _ymd(day, _PARTS.get(value.precision, 1))


def display_date(value: HistoricalDate) -> str | None:
    """The date in words when the date objects alone would overstate it, else None."""
    text = value.edtf
    if value.kind is Kind.ONE_OF:
        first, last = value.earliest, value.latest
        if first is None and last is not None:
            return f"on or before {_iso(last)} ({text})"
        if last is None and first is not None:
            return f"on or after {_iso(first)} ({text})"
        return f"one of the days {text}"
    if value.kind is Kind.INTERVAL:
        start, end = value.start, value.end
        if end is None:
            return f"from {start.edtf if start else '?'} on ({text})"
        if start is None:
            return f"until {end.edtf} ({text})"
        qualified = any(p.qualifiers for p in (start, end))
        return f"{start.edtf} to {end.edtf}" + (" (uncertain)" if qualified else "")
    words = []
    if value.uncertain or any(q.value == "uncertain" for q in value.qualifiers):
        words.append("uncertain")
    if value.approximate or any(q.value == "approximate" for q in value.qualifiers):
        words.append("approximate")
    if value.precision in (Precision.DECADE, Precision.CENTURY, Precision.MILLENNIUM):
        return f"some time in {_iso(value.earliest)} to {_iso(value.latest)} ({text})"
    if value.precision is Precision.UNSPECIFIED:
        words.append("unspecified digits")
    return f"{text} ({', '.join(words)})" if words else None


def _iso(day: int | None) -> str:
    if day is None:
        return "?"
    year, month, dom = ordinal_to_ymd(day)
    return f"{year:04d}-{month:02d}-{dom:02d}"


def _slide(entry: TimelineEntry, group: str) -> JSON | None:
    value = entry.date
    start = date_object(value) or date_object(value, end=True)
    if start is None:
        return None  # no known day at either end: nothing TimelineJS can place
    slide: JSON = {
        "start_date": start,
        # TimelineJS renders these as HTML: corpus text goes in escaped.
        "text": {
            "headline": escape(entry.summary or entry.event_type),
            "text": escape(entry.quote),
        },
        "group": group,
        "unique_id": entry.event_id,
    }
    end = date_object(value, end=True)
    if end is not None and end != start:
        slide["end_date"] = end
    shown = display_date(value)
    if shown:
        slide["display_date"] = shown
    return slide


def timelinejs(
    timelines: Iterable[tuple[str, Timeline]],
    title: str = "Ledger timeline",
    names: Mapping[str, str] | None = None,
) -> JSON:
    """TimelineJS JSON for (program id, timeline) pairs; ``names`` gives each group's label."""
    names = names or {}
    events: list[JSON] = []
    eras: list[JSON] = []
    seen: set[tuple[str, str]] = set()
    for program, timeline in timelines:
        group = escape(names.get(program, program))
        for entry in timeline:
            if (program, entry.event_id) in seen:
                continue
            seen.add((program, entry.event_id))
            slide = _slide(entry, group)
            if slide is None:
                continue
            events.append(slide)
            value = entry.date
            if value.kind is Kind.INTERVAL and "end_date" in slide and date_object(value):
                eras.append(
                    {
                        "start_date": slide["start_date"],
                        "end_date": slide["end_date"],
                        "text": {"headline": slide["text"]["headline"]},
                    }
                )
    found: JSON = {"title": {"text": {"headline": escape(title)}}, "events": events}
    if eras:
        found["eras"] = eras
    return found


def required_problems(document: Mapping[str, Any]) -> Sequence[str]:
    """What a TimelineJS document lacks of the format's required fields (empty: nothing)."""
    problems = []
    if not isinstance(document.get("events"), list):
        problems.append("events must be a list")
    for index, slide in enumerate(document.get("events") or []):
        start = slide.get("start_date")
        if not isinstance(start, dict) or not isinstance(start.get("year"), int):
            problems.append(f"events[{index}].start_date needs a numeric year")
    for index, era in enumerate(document.get("eras") or []):
        if "start_date" not in era or "end_date" not in era:
            problems.append(f"eras[{index}] needs start_date and end_date")
    return problems

"""Timeline lanes as of a day, a month or a year, read as honestly as a state is.

``ledger.reports.plot.lane_of`` styles each mark as of one day. As of a month or a year, a
mark is certain only if it is certain on the period's first day, not yet only if it has not
begun by its last day, and possible otherwise, as ``state`` answers for a period.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ledger.domain.asof import Period
from ledger.domain.names import Names
from ledger.domain.timeline import Timeline
from ledger.reports.marks import CONFLICT, NOT_YET, POSSIBLE, Lane, TimelineEntryLike, lane_of

__all__ = ["lane_over", "timeline_lanes"]


def _style_over(first: str, last: str) -> str:
    """A mark's style over a period, from its styles on the first and on the last day."""
    if first in (CONFLICT, last):
        return first
    return NOT_YET if last == NOT_YET else POSSIBLE


def lane_over(
    label: str, entries: Iterable[TimelineEntryLike], as_of: str | Period | None = None
) -> Lane:
    """A program's lane, its marks styled as of ``as_of`` (an EDTF day, month or year)."""
    entries = list(entries)
    if as_of is None:
        return lane_of(label, entries)
    period = Period.of(as_of)
    first = lane_of(label, entries, period.first)
    if period.first == period.last:
        return first
    last = lane_of(label, entries, period.last)
    marks = tuple(
        attrs.evolve(a, certainty=_style_over(a.style, b.style))
        for a, b in zip(first.items, last.items, strict=True)
    )
    return Lane(label, marks)


def timeline_lanes(
    timelines: Iterable[Timeline], names: Names, as_of: str | Period | None = None
) -> list[Lane]:
    """One lane per program's timeline, labelled with its names ("English / Arabic"), its
    marks styled as of ``as_of``: what ``ledger plot`` and the report draw."""
    return [lane_over(names.both(t.program or ""), t.entries, as_of) for t in timelines]

"""What a timeline picture shows, as plain values: lanes of marks with day bounds and certainty.

No drawing here (and no matplotlib): ``ledger.reports.plot`` draws these values, and
``ledger.reports.placement`` decides where each mark and its label go.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import attrs

from ledger.dates import HistoricalDate, Precision, Truth, parse_edtf
from ledger.errors import ReportError

__all__ = [
    "CERTAIN",
    "CONFLICT",
    "NOT_YET",
    "POSSIBLE",
    "Lane",
    "Mark",
    "TimelineEntryLike",
    "lane_of",
    "mark_for",
]

CERTAIN = "certain"
POSSIBLE = "possible"
CONFLICT = "conflict"
NOT_YET = "not yet"
# The projection's words (Truth values) and the picture's words for the same thing.
_CERTAINTY_ALIASES = {
    "yes": CERTAIN,
    "certain": CERTAIN,
    "maybe": POSSIBLE,
    "possible": POSSIBLE,
    "conflict": CONFLICT,
    "disputed": CONFLICT,
    "no": NOT_YET,
    "not yet": NOT_YET,
}
_TRUTH_STYLE = {Truth.YES: CERTAIN, Truth.MAYBE: POSSIBLE, Truth.NO: NOT_YET}


@attrs.frozen
class Mark:
    """One dated thing in a lane: bounds as day ordinals (None: unknown or open end).

    ``exact`` marks a single known day (drawn as a point). ``certainty`` is the projection's
    word for it as of the picture's date: certain/yes, possible/maybe, conflict, not yet/no.
    ``label`` is whole (the picture shortens it where room is short, the legend and the
    tooltip do not); ``date`` is the EDTF the source gives, ``note`` anything else worth a
    tooltip (sources, confidence).
    """

    label: str
    earliest: int | None
    latest: int | None
    exact: bool = False
    certainty: str = CERTAIN
    date: str = ""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise ReportError(
                f"mark {self.label!r}: earliest day {self.earliest} is after latest {self.latest}"
            )
        if self.exact and (self.earliest is None or self.earliest != self.latest):
            raise ReportError(
                f"mark {self.label!r}: an exact date needs earliest == latest, "
                f"got {self.earliest}..{self.latest}"
            )

    @property
    def style(self) -> str:
        """The certainty as one of the picture's four styles (unknown words read as possible)."""
        return _CERTAINTY_ALIASES.get(self.certainty.strip().lower(), POSSIBLE)

    def sort_key(self) -> tuple[float, float, str]:
        """Historical order: earliest bound first (open starts before all), then latest."""
        low = float("-inf") if self.earliest is None else float(self.earliest)
        high = float("inf") if self.latest is None else float(self.latest)
        return (low, high, self.label)

    def overlaps(self, first: int | None, last: int | None) -> bool:
        """Whether the mark's days may fall within [first, last] (None: unbounded)."""
        if first is not None and self.latest is not None and self.latest < first:
            return False
        return not (last is not None and self.earliest is not None and self.earliest > last)


@attrs.frozen
class Lane:
    """One program's row of marks, drawn in the order of their dates."""

    label: str
    items: tuple[Mark, ...] = ()

    def ordered(self) -> tuple[Mark, ...]:
        """The marks in historical order (stable for equal dates)."""
        return tuple(sorted(self.items, key=Mark.sort_key))

    def within(self, first: int | None, last: int | None) -> Lane:
        """The lane with only the marks that may fall within [first, last]."""
        return Lane(self.label, tuple(m for m in self.items if m.overlaps(first, last)))


def mark_for(label: str, value: HistoricalDate, certainty: str = CERTAIN, note: str = "") -> Mark:
    """The mark of a historical date: a point when it names one day without qualifier."""
    exact = (
        value.precision == Precision.DAY
        and value.earliest is not None
        and value.earliest == value.latest
        and not value.qualifiers
    )
    return Mark(label, value.earliest, value.latest, exact, certainty, value.edtf, note)


class TimelineEntryLike(Protocol):
    """What ``lane_of`` reads from a timeline entry (``ledger.domain.timeline.TimelineEntry``)."""

    @property
    def date(self) -> HistoricalDate: ...
    @property
    def summary(self) -> str: ...
    @property
    def event_type(self) -> str: ...
    @property
    def conflict(self) -> bool: ...
    @property
    def fact(self) -> str: ...
    @property
    def fact_date(self) -> str: ...
    @property
    def source(self) -> str: ...


def lane_of(
    label: str,
    entries: Iterable[TimelineEntryLike],
    as_of: int | None = None,
    *,
    merge_facts: bool = True,
) -> Lane:
    """A program's lane from its timeline: one mark per happening, sure or not as of ``as_of``.

    Claims that share a fact key and agree are one mark at their merged (narrowest) date, its
    label counting the claims; claims that disagree stay separate marks, drawn as conflicts.
    A mark is certain if it had begun by ``as_of``, possible if its dates allow it, not yet
    otherwise (every claim is drawn as stated when no ``as_of`` is given).
    """
    groups: dict[str, list[TimelineEntryLike]] = {}
    for index, entry in enumerate(entries):
        key = entry.fact if merge_facts and entry.fact else f"#{index}"
        groups.setdefault(key, []).append(entry)
    marks = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1 and not first.conflict:
            text = f"{_text(first)} ({len(group)} sources)"
            sources = ", ".join(dict.fromkeys(e.source for e in group if e.source))
            when = parse_edtf(first.fact_date) if first.fact_date else first.date
            marks.append(_mark(text, when, False, as_of, sources))
            continue
        for entry in group:
            marks.append(_mark(_text(entry), entry.date, entry.conflict, as_of, entry.source))
    return Lane(label, tuple(marks))


def _text(entry: TimelineEntryLike) -> str:
    return " ".join((entry.summary or entry.event_type).split())


def _mark(
    label: str, value: HistoricalDate, conflict: bool, as_of: int | None, sources: str
) -> Mark:
    if conflict:
        certainty = CONFLICT
    elif as_of is None:
        certainty = CERTAIN
    else:
        certainty = _TRUTH_STYLE[value.began_by(as_of)]
    return mark_for(label, value, certainty, f"source: {sources}" if sources else "")

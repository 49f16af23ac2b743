"""The answers as people and other tools read them: each question asked of a ``Ledger`` and
its answer made into a view with the names it shows, so that a notebook renders exactly what
the ``ledger`` command prints (``Ledger.state_view`` and the others call these).

``names``: the language entities are shown in ("en", "ar", or "id"); None reads no names,
for the data formats (csv, json, jsonl), which give entity ids whatever the names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.domain.names import Lang, Names
from ledger.views.state import state_ids, state_view

# The other views are imported by the functions that show them: `ledger state`, the
# command asked most, then loads no module for timelines, differences or explanations.

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ledger.application.inputs import HistoricalInput, RecordedInput
    from ledger.application.ledger import Ledger
    from ledger.dates import HistoricalDate
    from ledger.domain.asof import Period
    from ledger.reports.marks import Lane
    from ledger.views.layout import View

__all__ = ["conflicts_shown", "diff_shown", "lanes", "state_shown", "timeline_shown", "why_shown"]


def _names(book: Ledger, ids: Iterable[str], lang: Lang | None) -> Names:
    """The names of ``ids`` in ``lang`` (read just for them); none at all for None."""
    return Names() if lang is None else book.names(ids, lang)


def state_shown(
    book: Ledger,
    program: str,
    as_of: HistoricalInput | Period,
    known_at: RecordedInput | None,
    names: Lang | None,
    why: bool,
) -> View:
    """``ledger state``: the program's facts, its disagreements and, with ``why``, quotes."""
    state = book.state(program, as_of, known_at)
    return state_view(state, _names(book, state_ids(state), names), why=why)


def why_shown(
    book: Ledger,
    program: str,
    as_of: HistoricalInput | Period,
    fact: str,
    known_at: RecordedInput | None,
    names: Lang | None,
) -> View:
    """``ledger why``: the steps behind the lines about ``fact``, then their quotes."""
    from ledger.views.why import why_ids, why_view

    explanation = book.why(program, as_of, fact, known_at)
    return why_view(explanation, _names(book, why_ids(explanation), names))


def timeline_shown(
    book: Ledger,
    program: str | None,
    start: HistoricalInput | None,
    end: HistoricalInput | None,
    known_at: RecordedInput | None,
    names: Lang | None,
    why: bool,
) -> View:
    """``ledger timeline``: the claims in historical order."""
    from ledger.views.listings import timeline_ids, timeline_view

    timeline = book.timeline(program, start, end, known_at)
    return timeline_view(timeline, _names(book, timeline_ids(timeline), names), why=why)


def diff_shown(
    book: Ledger,
    program: str,
    from_date: str | HistoricalDate | Period,
    to_date: str | HistoricalDate | Period,
    names: Lang | None,
    why: bool,
) -> View:
    """``ledger diff``: what changed between the two dates, with the events that changed it."""
    from ledger.views.listings import diff_ids, diff_view

    diff = book.diff(program, from_date, to_date)
    return diff_view(diff, _names(book, diff_ids(diff), names), why=why)


def conflicts_shown(
    book: Ledger, known_at: RecordedInput | None, names: Lang | None, why: bool
) -> View:
    """``ledger conflicts``: every side of every disagreement."""
    from ledger.views.listings import conflicts_ids, conflicts_view

    conflicts = book.conflicts(known_at)
    return conflicts_view(conflicts, _names(book, conflicts_ids(conflicts), names), why=why)


def lanes(
    book: Ledger,
    programs: Iterable[str],
    known_at: RecordedInput | None,
    as_of: str | Period | None,
) -> list[Lane]:
    """``ledger plot``'s lanes: one per program (each named once; none named: every one),
    labelled "English / Arabic", its marks styled as of ``as_of``."""
    from ledger.views.pictures import timeline_lanes

    timelines = book.timelines(programs, known_at)
    names = book.names([t.program for t in timelines if t.program])
    return timeline_lanes(timelines, names, as_of)

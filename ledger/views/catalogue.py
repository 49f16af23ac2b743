"""The listings of what a ledger holds: its events, its programs and its sources, as views.

Each view's table and its data rows are the same rows (ids, not names): these listings are
for finding things to ask about, in any format, the same in a terminal and in a notebook.
"""

from __future__ import annotations

from collections.abc import Iterable

from ledger.domain.events import Event
from ledger.domain.report import SourceInfo
from ledger.domain.state import Row
from ledger.views.layout import Table, View

__all__ = [
    "EVENT_COLUMNS",
    "event_row",
    "events_view",
    "programs_view",
    "source_row",
    "sources_view",
]

EVENT_COLUMNS = ("position", "date", "stream", "type", "summary", "source", "recorded_at", "id")
PROGRAM_COLUMNS = ("id", "name_en", "name_ar", "kind", "part_of")
SOURCE_COLUMNS = ("id", "title", "publisher", "date", "url", "language")
NOTHING = "(nothing)"


def event_row(event: Event) -> Row:
    """An event as one listing line."""
    return {
        "position": event.position,
        "date": event.valid_time.edtf,
        "stream": event.stream,
        "type": event.type_name,
        "summary": event.summary,
        "source": event.citation.source,
        "recorded_at": event.recorded_at.isoformat() if event.recorded_at else None,
        "id": str(event.id),
    }


def source_row(source: SourceInfo) -> Row:
    """A source as one listing line."""
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "date": source.date,
        "url": source.url,
        "language": source.language,
    }


def _listing(rows: Iterable[Row], columns: tuple[str, ...]) -> View:
    found = tuple(rows)
    # Every column may wrap, so that the listing fits the terminal as the others do.
    table = Table("", columns, found, frozenset(columns), empty=NOTHING)
    return View((table,), found, columns)


def events_view(events: Iterable[Event]) -> View:
    """The events in ledger order: position, valid time, stream, type, summary, source,
    recorded time and id."""
    return _listing((event_row(e) for e in events), EVENT_COLUMNS)


def programs_view(programs: Iterable[Row]) -> View:
    """The catalogue of programs, one line each (``Programs.rows()``)."""
    return _listing(programs, PROGRAM_COLUMNS)


def sources_view(sources: Iterable[SourceInfo]) -> View:
    """The registered sources: id, title, publisher, date, url, language."""
    return _listing((source_row(s) for s in sources), SOURCE_COLUMNS)

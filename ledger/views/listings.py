"""Views of the ledger's other answers for people: timelines, diffs and conflicts.

Each view has a titled table for people (names for ids, long cells wrapped) and the exact
rows for the data formats. ``why`` adds note numbers and a table of the quoted claims.
"""

from __future__ import annotations

from ledger.domain.diff import Diff
from ledger.domain.names import Names, id_tokens
from ledger.domain.state import Conflicts, Row
from ledger.domain.timeline import Timeline, TimelineEntry
from ledger.views.layout import Footnotes, Table, View
from ledger.views.records import (
    CONFLICT_COLUMNS,
    ENTRY_COLUMNS,
    conflict_side_rows,
    conflicts_document,
    entry_record,
)
from ledger.views.state import conflict_table

__all__ = [
    "conflicts_ids",
    "conflicts_view",
    "diff_ids",
    "diff_view",
    "timeline_ids",
    "timeline_view",
]

# Every text column may wrap (a date only after its "/", an id only after its hyphens).
_WRAP = frozenset(
    {"fact", "detail", "sources", "summary", "title", "remarks", "value", "about", "entity"}
    | {"date", "event", "source", "kind", "before", "after", "quote", "source, event"}
)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _remarks(entry: TimelineEntry) -> str:
    """What a historian should know beside the claim's own date."""
    found = []
    if entry.rank == "deprecated":
        found.append(f"deprecated: {entry.rank_reason}" if entry.rank_reason else "deprecated")
    if entry.conflict:
        found.append("sources disagree on the date")
    elif entry.fact_date and entry.fact_date != entry.date.edtf:
        found.append(f"other sources narrow it to {entry.fact_date}")
    if entry.corrected:
        found.append("corrected")
    if entry.phrase:
        found.append(f"«{entry.phrase}»" if not entry.phrase.isascii() else f'"{entry.phrase}"')
    return "; ".join(found)


def timeline_ids(timeline: Timeline) -> set[str]:
    """The ids of the timeline's program and of every entity its claims belong to."""
    ids = {e.entity for e in timeline}
    if timeline.program:
        ids.add(timeline.program)
    return ids


def timeline_view(timeline: Timeline, names: Names, *, why: bool = False) -> View:
    """The claims in historical order, each with its date as its source gives it."""
    notes = Footnotes() if why else None
    rows: list[Row] = []
    for entry in timeline:
        row: Row = {
            "date": entry.date.edtf,
            "entity": names.name(entry.entity),
            "event": entry.event_type,
            "summary": entry.summary,
            "source": entry.source
            if not entry.quote_in
            else f"{entry.source}, as cited by {entry.quote_in}",
            "remarks": _remarks(entry),
        }
        if notes is not None:
            row["notes"] = notes.refs([entry.evidence()])
        rows.append(row)
    whose = names.both(timeline.program) if timeline.program else "the whole ledger"
    span = "".join(
        f" {word} {value}"
        for word, value in (("from", timeline.start), ("to", timeline.end))
        if value
    )
    title = f"Timeline of {whose}{span}: {_plural(len(rows), 'claim')}"
    columns: tuple[str, ...] = ("date", "entity", "event", "summary", "source", "remarks")
    columns += ("notes",) if notes is not None else ()
    tables = [Table(title, columns, tuple(rows), _WRAP, "no claims in that span")]
    if notes is not None:
        tables.append(notes.table())
    records = tuple(entry_record(entry) for entry in timeline)
    return View(tuple(tables), records, ENTRY_COLUMNS)


def diff_ids(diff: Diff) -> set[str]:
    """The ids of the program and of the entities its changes mention."""
    ids = {diff.program}
    for change in diff:
        ids |= id_tokens(change.fact)
        if change.section != "attribute":
            ids |= id_tokens(change.detail)
    return ids


def diff_view(diff: Diff, names: Names, *, why: bool = False) -> View:
    """What appeared, went or changed certainty between the two dates, and which claims did."""
    notes = Footnotes() if why else None
    rows: list[Row] = []
    for change in diff:
        row: Row = {
            "section": change.section,
            "fact": names.in_text(change.fact),
            "detail": change.detail
            if change.section == "attribute"
            else names.in_text(change.detail),
            "change": f"{change.before} → {change.after}",
            "date": change.date,
            "sources": "; ".join(dict.fromkeys(e.cited for e in change.why)),
        }
        if notes is not None:
            row["notes"] = notes.refs(change.why)
        rows.append(row)
    title = (
        f"{names.both(diff.program)} — from {diff.from_date} to {diff.to_date}: "
        f"{_plural(len(rows), 'change')}"
    )
    columns: tuple[str, ...] = ("section", "fact", "detail", "change", "date", "sources")
    columns += ("notes",) if notes is not None else ()
    empty = "nothing changed: every fact stands as it stood"
    tables = [Table(title, columns, tuple(rows), _WRAP, empty)]
    if notes is not None and rows:
        tables.append(notes.table())
    return View(tuple(tables), tuple(diff.rows()))


def conflicts_ids(conflicts: Conflicts) -> set[str]:
    """The ids of the entities whose claims disagree."""
    ids: set[str] = set()
    for conflict in conflicts:
        ids |= {conflict.entity, *id_tokens(conflict.about)}
    return ids


def conflicts_view(conflicts: Conflicts, names: Names, *, why: bool = False) -> View:
    """Every disagreement between sources, each side with its date and sources."""
    notes = Footnotes() if why else None
    title = f"Where sources disagree: {_plural(len(conflicts), 'disagreement')}"
    table = conflict_table(list(conflicts), names, notes=notes, title=title, with_entity=True)
    table = Table(table.title, table.columns, table.rows, table.wrap, "no disagreements")
    tables = [table]
    if notes is not None and len(conflicts):
        tables.append(notes.table())
    rows = tuple(conflict_side_rows(conflicts))
    return View(tuple(tables), rows, CONFLICT_COLUMNS, conflicts_document(conflicts))

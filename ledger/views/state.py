"""A program's state for a historian: names instead of ids, one line per fact, sources merged.

The table has the section, the fact, its detail, its date and whether it is certain or only
possible (*when*), then how well it is attested (best confidence, number of sources, and the
rank when it is not normal) and the sources, each with the text that holds its quote when
that is another's ("tass-1263979, as cited by public-facts"). Disagreements between sources
follow in a table of their own.
``why`` numbers the claims behind each line, like footnotes, and lists each claim
once with its source, event id and exact quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time

from ledger.domain.names import Names, id_tokens
from ledger.domain.state import Conflict, Evidence, Fact, ProgramState, Row
from ledger.views.layout import Footnotes, Table, View, blank_repeats
from ledger.views.records import FACT_RECORD_COLUMNS, fact_records, state_document

__all__ = [
    "FACT_COLUMNS",
    "conflict_table",
    "describe_known_at",
    "state_ids",
    "state_title",
    "state_view",
]

FACT_COLUMNS = ("section", "fact", "detail", "date", "certainty", "attested", "sources")
# Every text column may wrap (a date only after its "/", an id only after its hyphens).
_WRAP = frozenset(
    {"fact", "detail", "attested", "sources", "value", "about", "entity", "date", "kind"}
)
_END_OF_DAY = time.max.replace(tzinfo=UTC)
# Sections whose detail is the source's own words (an attribute's value), not built from ids.
_FREE_DETAIL = frozenset({"attribute"})


def describe_known_at(value: datetime | None) -> str:
    """How a heading says which recorded time an answer is as of ("end of 2021-03-10 UTC")."""
    if value is None:
        return "everything recorded"
    moment = value.astimezone(UTC)
    if moment.timetz() == _END_OF_DAY:
        return f"end of {moment.date().isoformat()} UTC"
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec=spec) + " UTC"


def state_ids(state: ProgramState) -> set[str]:
    """Every entity id the state's view mentions (to look their names up in one read)."""
    ids = {state.program, *state.parts}
    for row in state.rows():
        ids |= id_tokens(str(row.get("fact") or ""))
        if row.get("section") not in _FREE_DETAIL:
            ids |= id_tokens(str(row.get("detail") or ""))
    ids |= {c.entity for c in state.conflicts}
    return ids


def state_title(state: ProgramState, names: Names) -> str:
    """One line saying whose state this is (both names and id), as of when, known at when."""
    known = describe_known_at(state.known_at)
    return f"{names.both(state.program)} ({state.program}) as of {state.as_of}, known at {known}"


def _merged(facts: Iterable[Fact], names: Names) -> list[tuple[Row, list[Evidence]]]:
    """One line per fact as shown, with the evidence of facts that show the same merged."""
    lines: dict[tuple[object, ...], tuple[Row, list[Evidence]]] = {}
    for fact in facts:
        shown: Row = {
            "section": fact.section,
            "fact": names.in_text(fact.label),
            "detail": fact.detail if fact.section in _FREE_DETAIL else names.in_text(fact.detail),
            "date": fact.date,
            "certainty": fact.certainty.value,
            "attested": attested(fact.confidence, len(fact.sources), fact.rank, fact.contested),
        }
        key = tuple(shown.values())
        if key in lines:
            lines[key][1].extend(e for e in fact.why if e not in lines[key][1])
        else:
            lines[key] = (shown, list(fact.why))
    for shown, why in lines.values():
        shown["sources"] = _sources(why)
    return list(lines.values())


def attested(confidence: str, sources: int, rank: str = "normal", contested: bool = False) -> str:
    """How well attested, in a few words: "high, 3 sources", "low, 1 source, deprecated"."""
    parts = [confidence or "unknown", f"{sources} source" + ("" if sources == 1 else "s")]
    if rank != "normal":
        parts.append(rank)
    if contested:
        parts.append("contested")
    return ", ".join(parts)


def _sources(why: Sequence[Evidence]) -> str:
    """The sources of the claims that make or support the fact, with the text quoted."""
    own = [e for e in why if e.role not in ("ends", "bounds", "start-conflict")] or list(why)
    return "; ".join(dict.fromkeys(e.cited for e in own))


def conflict_table(
    conflicts: Sequence[Conflict],
    names: Names,
    *,
    notes: Footnotes | None = None,
    title: str = "Where sources disagree",
    with_entity: bool = False,
) -> Table:
    """Every side of each disagreement, grouped under what is disputed; ``notes`` numbers
    the quotes behind each side."""
    group = ("entity", "about", "kind") if with_entity else ("about", "kind")
    columns = (
        *group,
        "value",
        "date",
        "attested",
        "sources",
        *(("notes",) if notes is not None else ()),
    )
    rows: list[Row] = []
    for conflict in conflicts:
        for claim in conflict.claims:
            value = f"{claim.value} (recorded)" if claim.derived else claim.value
            if conflict.kind == "date" and claim.value == claim.date:
                value = ""  # the side's value is its date, shown beside it
            row: Row = {
                "entity": names.name(conflict.entity),
                "about": names.in_text(conflict.about),
                "kind": conflict.kind,
                "value": value if conflict.kind == "value" else names.in_text(value),
                "date": claim.date,
                "attested": attested(claim.confidence, len(claim.sources), claim.rank),
                "sources": _sources(claim.why),
            }
            if notes is not None:
                row["notes"] = notes.refs(claim.why)
            rows.append(row)
    return Table(title, columns, tuple(blank_repeats(rows, group)), _WRAP)


def state_view(state: ProgramState, names: Names, *, why: bool = False) -> View:
    """The state as a view: the facts, the disagreements, and with ``why`` the quotes."""
    notes = Footnotes() if why else None
    rows: list[Row] = []
    for shown, evidence in _merged(state.facts(), names):
        if notes is not None:
            shown["notes"] = notes.refs(evidence)
        rows.append(shown)
    columns = (*FACT_COLUMNS, *(("notes",) if why else ()))
    empty = (
        f"not in force and nothing under way as of {state.as_of}: no recorded fact had "
        "begun by then, certainly or possibly"
        + "".join(f" ({e.summary or e.date}: {e.cited})" for e in state.began)
    )
    tables = [Table(state_title(state, names), columns, tuple(rows), _WRAP, empty)]
    if state.conflicts:
        tables.append(conflict_table(state.conflicts, names, notes=notes))
    if notes is not None:
        tables.append(notes.table())
    data_columns = (*FACT_RECORD_COLUMNS, *(("quotes", "events") if why else ()))
    records = tuple(fact_records(state))
    return View(tuple(tables), records, data_columns, state_document(state, why))

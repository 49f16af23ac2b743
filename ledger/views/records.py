"""Machine records of typed results, for json, jsonl and csv: lists stay lists, booleans stay
booleans, every date comes with its ISO bounds (``earliest``, ``latest``: the first and last
day it may be, null when open or unknown), and disagreements are kept apart from facts.

``docs/formats.md`` documents every field and csv column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ledger.dates import parse_edtf
from ledger.dates.calendar import ordinal_to_iso
from ledger.domain.state import Conflict, Conflicts, Evidence, Fact, ProgramState, Row
from ledger.errors import InvalidDateError

if TYPE_CHECKING:
    from ledger.domain.timeline import TimelineEntry

__all__ = [
    "CONFLICT_COLUMNS",
    "ENTRY_COLUMNS",
    "FACT_RECORD_COLUMNS",
    "bounds",
    "conflict_record",
    "conflict_side_rows",
    "conflicts_document",
    "entry_record",
    "fact_record",
    "fact_records",
    "state_document",
]

FACT_RECORD_COLUMNS = (
    "program", "as_of", "section", "fact", "detail", "date", "earliest", "latest",
    "certainty", "certain", "best_confidence", "source_count", "rank", "rank_reason",
    "rank_by", "contested", "confidence", "sources",
)  # fmt: skip
"""A state's fact records, in order (with --why also "quotes" and "events")."""

CONFLICT_COLUMNS = (
    "kind", "entity", "about", "resolved", "value", "date", "earliest", "latest", "derived",
    "rank", "rank_reason", "rank_by", "best_confidence", "source_count", "confidence",
    "sources", "quotes", "events",
)  # fmt: skip
"""One side of a disagreement per csv/jsonl row."""

ENTRY_COLUMNS = (
    "date", "earliest", "latest", "entity", "event", "summary", "source", "quote", "phrase",
    "confidence", "source_count", "sources", "fact_date", "conflict", "corrected", "quote_in",
    "role", "rank", "rank_reason", "rank_by", "remarks", "event_id",
)  # fmt: skip
"""A timeline's records, one per claim."""


def _iso(day: int | None) -> str | None:
    return None if day is None else ordinal_to_iso(day)


def bounds(edtf: str) -> dict[str, str | None]:
    """The first and last day an EDTF date may be, in ISO (None: open, unknown or no date)."""
    try:
        value = parse_edtf(edtf) if edtf else None
    except InvalidDateError:
        value = None
    if value is None:
        return {"earliest": None, "latest": None}
    return {"earliest": _iso(value.earliest), "latest": _iso(value.latest)}


def _evidence(why: Sequence[Evidence]) -> dict[str, list[str]]:
    return {
        "confidence": list(dict.fromkeys(e.confidence for e in why if e.confidence)),
        "sources": list(dict.fromkeys(e.source for e in why)),
        "quotes": list(dict.fromkeys(e.quote for e in why if e.quote)),
        "events": [e.event_id for e in why],
    }


def citations(why: Sequence[Evidence]) -> list[dict[str, Any]]:
    """Each claim behind an answer: where its quote is read, what it does, how it ranks."""
    return [
        {
            "event": e.event_id,
            "source": e.source,
            "quote_in": e.quote_in or e.source,
            "also_cited": list(e.also_cited),
            "date": "" if e.date is None else e.date.edtf,
            "confidence": e.confidence,
            "role": e.role,
            "rank": e.rank,
            "rank_reason": e.rank_reason,
            "rank_by": e.rank_by or None,
            "remarks": list(e.remarks),
        }
        for e in why
    ]


def attestation(fact: Fact) -> dict[str, Any]:
    """How well attested a fact is, apart from when: best confidence, sources, rank."""
    return {
        "confidence": fact.confidence,
        "sources": len(fact.sources),
        "source_ids": list(fact.sources),
        "rank": fact.rank,
        "rank_reason": fact.rank_reason,
        "rank_by": fact.rank_by or None,
        "contested": fact.contested,
    }


def fact_record(state: ProgramState, fact: Fact) -> dict[str, Any]:
    """One fact of a state as a record (entity ids, not names)."""
    return {
        "program": state.program,
        "as_of": state.as_of,
        "section": fact.section,
        "fact": fact.label,
        "detail": fact.detail,
        "date": fact.date,
        **bounds(fact.date),
        "certainty": fact.certainty.value,
        "certain": fact.certain,
        "attestation": attestation(fact),
        "best_confidence": fact.confidence,
        "source_count": len(fact.sources),
        "rank": fact.rank,
        "rank_reason": fact.rank_reason,
        "rank_by": fact.rank_by or None,
        "contested": fact.contested,
        **_evidence(fact.why),
        "citations": citations(fact.why),
    }


def fact_records(state: ProgramState) -> list[dict[str, Any]]:
    """A state's fact records, one per (section, fact, detail): facts that read the same are
    one record, their evidence joined, certain if any is, dated by every date they give."""
    merged: dict[tuple[object, ...], dict[str, Any]] = {}
    for fact in state.facts():
        record = fact_record(state, fact)
        key = (record["section"], record["fact"], record["detail"])
        found = merged.get(key)
        if found is None:
            merged[key] = record
            continue
        for column in ("confidence", "sources", "quotes", "events"):
            found[column] = list(dict.fromkeys([*found[column], *record[column]]))
        known = {c["event"] for c in found["citations"]}
        found["citations"].extend(c for c in record["citations"] if c["event"] not in known)
        if record["date"] not in str(found["date"]).split("; "):
            found["date"] = f"{found['date']}; {record['date']}"
            lows = [found["earliest"], record["earliest"]]
            highs = [found["latest"], record["latest"]]
            found["earliest"] = None if None in lows else min(lows)
            found["latest"] = None if None in highs else max(highs)
        if record["certain"]:
            found["certain"], found["certainty"] = True, record["certainty"]
    return list(merged.values())


def conflict_record(conflict: Conflict) -> dict[str, Any]:
    """A disagreement as one record, its sides as a list."""
    return {
        "kind": conflict.kind,
        "entity": conflict.entity,
        "about": conflict.about,
        "resolved": conflict.resolved,
        "sides": [
            {
                "value": side.value,
                "date": side.date,
                **bounds(side.date),
                "derived": side.derived,
                "rank": side.rank,
                "rank_reason": side.rank_reason,
                "rank_by": side.rank_by or None,
                "attestation": {"confidence": side.confidence, "sources": len(side.sources)},
                **_evidence(side.why),
                "citations": citations(side.why),
            }
            for side in conflict.claims
        ],
    }


def conflict_side_rows(conflicts: Iterable[Conflict]) -> list[Row]:
    """Every side of every disagreement as one flat row (csv, jsonl)."""
    rows: list[Row] = []
    for conflict in conflicts:
        record = conflict_record(conflict)
        head = {k: record[k] for k in ("kind", "entity", "about")}
        for side in record["sides"]:
            flat = {k: v for k, v in side.items() if k not in ("attestation", "citations")}
            flat["best_confidence"] = side["attestation"]["confidence"]
            flat["source_count"] = side["attestation"]["sources"]
            rows.append({**head, "resolved": record["resolved"], **flat})
    return rows


def state_document(state: ProgramState, why: bool = False) -> dict[str, Any]:
    """A state as one JSON document: what was asked, the facts, and the disagreements apart."""
    facts: list[dict[str, Any]] = [dict(r) for r in fact_records(state)]
    if not why:
        for record in facts:
            record.pop("quotes")
            record.pop("events")
            record.pop("citations")
    return {
        "program": state.program,
        "as_of": state.as_of,
        **{f"as_of_{k}": v for k, v in bounds(state.as_of).items()},
        "known_at": None if state.known_at is None else state.known_at.isoformat(),
        "parts": list(state.parts),
        "facts": facts,
        "conflicts": [conflict_record(c) for c in state.conflicts],
    }


def entry_record(entry: TimelineEntry) -> dict[str, Any]:
    """One claim of a timeline as a record."""
    return {
        "date": entry.date.edtf,
        "earliest": _iso(entry.earliest),
        "latest": _iso(entry.latest),
        "entity": entry.entity,
        "event": entry.event_type,
        "summary": entry.summary,
        "source": entry.source,
        "quote": entry.quote,
        "phrase": entry.phrase,
        "confidence": entry.confidence,
        "source_count": len(entry.sources),
        "sources": list(entry.sources),
        "fact_date": entry.fact_date,
        "conflict": entry.conflict,
        "corrected": entry.corrected,
        "quote_in": entry.quote_in or entry.source,
        "role": entry.role,
        "rank": entry.rank,
        "rank_reason": entry.rank_reason,
        "rank_by": entry.rank_by or None,
        "remarks": list(entry.remarks),
        "event_id": entry.event_id,
    }


def conflicts_document(conflicts: Conflicts) -> list[dict[str, Any]]:
    """Every disagreement as a record with its sides."""
    return [conflict_record(c) for c in conflicts]

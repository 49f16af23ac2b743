"""Fact tables as versioned JSON, so a store can keep them as checkpoints.

The encoding names its format and version. A snapshot of another format or version decodes to
None: a checkpoint is only a cache, and the caller then rebuilds from the events.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ledger.domain.claims import Answer, Claim
from ledger.domain.errata import Erratum
from ledger.domain.fold import FactTable

FORMAT = "ledger.fact-table"
VERSION = 3


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _claim_row(c: Claim) -> list[Any]:
    return [
        c.id,
        c.type,
        c.stream,
        list(c.subjects),
        c.fact,
        c.valid,
        c.low,
        c.high,
        c.earliest,
        c.latest,
        c.source,
        c.quote,
        c.phrase,
        c.summary,
        c.confidence,
        c.position,
        c.recorded_at,
        c.quote_in,
        list(c.also_cited),
        # Last, as in every version: a table's claims are as recorded, before any answer, so
        # their rank and corrections are the defaults and are not stored.
        [[k, v] for k, v in c.payload],
    ]


def _shared(value: Any) -> Any:
    """Short strings that recur across claims (ids of entities, dates, names) stored once."""
    if isinstance(value, str):
        return sys.intern(value) if len(value) <= 64 else value
    if isinstance(value, list):
        return tuple(_shared(v) for v in value)
    return value


def _claim(row: list[Any]) -> Claim:
    (cid, kind, stream, subjects, fact, valid, low, high, earliest, latest) = row[:10]
    (source, quote, phrase, summary, confidence, position, recorded_at) = row[10:17]
    (quote_in, also_cited, payload) = row[17:]
    # Decoded JSON makes a new string for every occurrence; interning the recurring ones
    # keeps a table of many claims small in memory.
    intern = sys.intern
    return Claim(
        id=cid,
        type=intern(kind),
        stream=intern(stream),
        subjects=tuple(intern(s) for s in subjects),
        fact=_shared(fact),
        valid=intern(valid),
        low=low,
        high=high,
        earliest=earliest,
        latest=latest,
        source=intern(source),
        quote=_shared(quote),
        phrase=_shared(phrase),
        summary=_shared(summary),
        confidence=intern(confidence),
        position=position,
        recorded_at=recorded_at,
        payload=tuple((intern(k), _shared(v)) for k, v in payload),
        quote_in=intern(quote_in),
        also_cited=tuple(intern(s) for s in also_cited),
    )


def _answer_row(a: Answer) -> list[Any]:
    return [
        a.id,
        a.kind,
        a.target,
        a.valid,
        [[k, v] for k, v in a.changes],
        a.reason,
        a.source,
        a.quote,
        a.position,
        a.recorded_at,
    ]


def _answer(row: list[Any]) -> Answer:
    aid, kind, target, valid, changes, reason, source, quote, position, recorded_at = row
    return Answer(
        id=aid,
        kind=kind,
        target=target,
        valid=valid,
        changes=tuple((k, _plain(v)) for k, v in changes),
        reason=reason,
        source=source,
        quote=quote,
        position=position,
        recorded_at=recorded_at,
    )


def encode(table: FactTable) -> bytes:
    """The table as UTF-8 JSON bytes."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "program": table.program,
        "scope": sorted(table.scope),
        "parts": table.parts,
        "position": table.position,
        "recorded_at": table.recorded_at,
        "name_en": table.name_en,
        "name_ar": table.name_ar,
        "kind": table.kind,
        "stale": table.stale,
        "claims": [_claim_row(c) for c in table.claims()],
        "answers": [_answer_row(a) for a in table.answers],
        "errata": {
            source: [[e.words, e.note] for e in found] for source, found in table.errata.items()
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def decode(data: bytes) -> FactTable | None:
    """A table from :func:`encode`'s bytes, or None if they are of another format or version."""
    try:
        document = json.loads(data)
    except ValueError:
        return None
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or document.get("version") != VERSION
    ):
        return None
    claims = [_claim(row) for row in document["claims"]]
    answers = [_answer(row) for row in document["answers"]]
    table = FactTable(
        program=document["program"],
        scope=set(document["scope"]),
        position=document["position"],
        recorded_at=document["recorded_at"],
        name_en=document["name_en"],
        name_ar=document["name_ar"],
        kind=document["kind"],
        parts=list(document["parts"]),
        stale=document["stale"],
    )
    table.errata.update(
        (source, tuple(Erratum(words, note) for words, note in found))
        for source, found in document["errata"].items()
    )
    table.items.update((c.id, c) for c in claims)
    table.answers.extend(answers)
    table.answer_ids.update(a.id for a in answers)
    table.restrictions.update(
        str(c.get("restriction")) for c in claims if c.type == "RestrictionEnacted"
    )
    return table

"""Timelines: effective claims in historical order, filtered by program and span."""

from __future__ import annotations

from projection_builders import Recorder

from ledger.dates import day_ordinal
from ledger.domain.claims import answer_of, claim_of
from ledger.domain.events import (
    Corrected,
    EntityRegistered,
    MilestoneReached,
    Retracted,
    SourceRegistered,
    StatusChanged,
)
from ledger.domain.fold import build
from ledger.domain.lines import compile_table
from ledger.domain.timeline import ledger_claims, timeline_of


def _recorded() -> Recorder:
    rec = Recorder()
    rec.add(SourceRegistered, "source:a", "2021-03-09", title="A")
    rec.add(EntityRegistered, "p", "2020", kind="program", name_en="P")
    rec.add(StatusChanged, "p", "2021-03-09", status="agreed", fact="agree")
    rec.add(StatusChanged, "p", "2020-07/2021-03", status="in_talks")
    wrong = rec.add(MilestoneReached, "p", "1999", milestone="oops")
    moved = rec.add(MilestoneReached, "p", "2025", milestone="launch")
    rec.add(Retracted, "p", "2021", target=wrong.id, reason="no")
    rec.add(Corrected, "p", "2024-05", target=moved.id, reason="earlier")
    rec.add(StatusChanged, "q", "2019", status="proposed")
    return rec


def test_timeline_orders_by_date_and_applies_answers() -> None:
    """Entries run in date order; retracted claims are gone, corrected ones flagged."""
    compiled = compile_table(build("p", _recorded().events))
    timeline = timeline_of(compiled.claims, program="p", dates=compiled.dates)
    assert [(e.date.edtf, e.event_type) for e in timeline] == [
        ("2020-07/2021-03", "StatusChanged"),
        ("2021-03-09", "StatusChanged"),
        ("2024-05", "MilestoneReached"),
    ]
    assert [e.corrected for e in timeline] == [False, False, True]


def test_timeline_span_keeps_entries_that_may_fall_inside() -> None:
    """A span keeps every claim whose days may overlap it."""
    rec = _recorded()
    claims = ledger_claims(
        [claim_of(e) for e in rec.events if not isinstance(e, Corrected | Retracted)],
        [answer_of(e) for e in rec.events if isinstance(e, Corrected | Retracted)],
    )
    timeline = timeline_of(
        claims, start=("2021", day_ordinal(2021, 1, 1)), end=("2021", day_ordinal(2021, 12, 31))
    )
    assert [e.date.edtf for e in timeline] == ["2020-07/2021-03", "2021-03-09"]
    assert (timeline.start, timeline.end, timeline.program) == ("2021", "2021", None)
    everything = timeline_of(claims)
    assert {e.entity for e in everything} == {"p", "q"}
    assert all(e.event_type not in ("SourceRegistered", "EntityRegistered") for e in everything)


def test_timeline_rows_are_plain() -> None:
    """Timeline rows hold only str/int/None."""
    compiled = compile_table(build("p", _recorded().events))
    rows = timeline_of(compiled.claims).rows()
    assert rows
    assert all(v is None or isinstance(v, str | int) for r in rows for v in r.values())

"""The report's values gathered from a ledger: the one place the HTML report reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.dates import parse_edtf
from ledger.dates.recorded import parse_known_at
from ledger.domain.names import id_tokens
from ledger.domain.report import ProgramReport, ReportData

if TYPE_CHECKING:
    from ledger.application.ledger import Ledger


def gather(ledger: Ledger, as_of: str, known_at: str | None = None) -> ReportData:
    """The report's values: every program as of ``as_of``, as recorded by ``known_at``."""
    programs = tuple(
        ProgramReport(
            entity,
            ledger.state(entity, as_of, known_at),
            ledger.timeline(entity, known_at=known_at),
        )
        for entity in ledger.programs().ids()
    )
    conflicts = ledger.conflicts(known_at)
    sources = {info.id: info for info in ledger.sources()}
    ids: set[str] = set()
    for program in programs:
        ids |= {program.id, *program.state.parts}
        for fact in program.state.facts():
            ids |= id_tokens(fact.label) | id_tokens(fact.detail)
        ids |= {e.entity for e in program.timeline}
    for conflict in conflicts:
        ids |= {conflict.entity, *id_tokens(conflict.about)}
    return ReportData(
        as_of=parse_edtf(as_of).edtf,
        known_at=None if known_at is None else parse_known_at(known_at),
        programs=programs,
        conflicts=conflicts,
        sources=sources,
        names=ledger.names(ids),
    )

"""Evaluating a compiled fact table as of a day or a period: the cheap, per-question step.

A period (an EDTF month or year) is answered for the whole of it: a fact is certain only if
it holds on every day of the period, absent if it holds on none, possible otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from ledger.dates import HistoricalDate, Truth, parse_edtf
from ledger.domain.conflicts import conflicts_of, count_period, derived_members, disputed_claims
from ledger.domain.events import Confidence
from ledger.domain.line_data import LineData
from ledger.domain.lines import Compiled, Line
from ledger.domain.state import (
    AgreementFact,
    AttributeFact,
    Certainty,
    CountFact,
    Evidence,
    Fact,
    InvitationFact,
    MemberFact,
    MilestoneFact,
    ProgramState,
    RestrictionFact,
    StatusFact,
    TalksFact,
)
from ledger.errors import InvalidDateError


@attrs.frozen
class Period:
    """The days a question is asked about: one day, or every day of a month or a year."""

    edtf: str
    first: int
    last: int

    @classmethod
    def of(cls, value: str | HistoricalDate | Period) -> Period:
        """The period an EDTF string or date names; it must have known first and last days."""
        if isinstance(value, Period):
            return value
        date = parse_edtf(value) if isinstance(value, str) else value
        if date.earliest is None or date.latest is None:
            raise InvalidDateError(date.edtf, "an 'as of' date needs a known first and last day")
        return cls(date.edtf, date.earliest, date.latest)


Key = tuple[str, tuple[str, ...]]
"""A fact's identity in a state: its section and what it is a case of."""


def in_view(line: Line, compiled: Compiled) -> bool:
    """Whether a line belongs in the program's own state (not just a neighbour's)."""
    program = compiled.program
    section = line.section
    if section in ("restriction",):
        return True
    if section == "milestone":
        return line.entity in compiled.scope or line.data.mission in compiled.scope
    if section == "agreement":
        return line.entity == program or program in line.data.parties
    return line.entity == program


def held_lines(compiled: Compiled, period: Period) -> dict[Key, list[tuple[Line, Truth]]]:
    """The lines that hold (surely or maybe) over the period, grouped by fact identity.

    A party to an agreement is filed under the role it joined in, when a joining of its own
    may have happened by then, and under "party" otherwise.
    """
    held: list[tuple[Line, Truth]] = []
    joined: dict[tuple[str, str], str] = {}
    first, last = period.first, period.last
    view = compiled.memo.get("view")
    if view is None:
        view = compiled.memo["view"] = [line for line in compiled.lines if in_view(line, compiled)]
    no = Truth.NO
    for line in view:
        truth = line.holds_by(first) if first == last else line.holds_over(first, last)
        if truth is no:
            continue
        held.append((line, truth))
        if line.section == "member" and not line.data.via:
            joined.setdefault((line.entity, line.data.member), line.data.role)
    groups: dict[Key, list[tuple[Line, Truth]]] = {}
    for line, truth in held:
        identity = line.identity
        if line.section == "member" and line.data.via:
            role = joined.get((line.entity, line.data.member))
            if role is not None:
                identity = (line.data.member, role)
        groups.setdefault((line.section, identity), []).append((line, truth))
    return groups


def _end_truth(line: Line, period: Period) -> list[tuple[str, str]]:
    """(date, claim id) of the ends that may have come during the period."""
    found = []
    for end in line.ends:
        if end.date.began_by(period.last) is Truth.NO:
            continue
        if end.date.began_by(period.first) is Truth.YES:
            continue
        found.append((end.date.edtf, end.claim.id))
    return found


def _role(held: list[tuple[Line, Truth]]) -> str:
    """A member's role: from its own joining when one holds, else "party"."""
    for line, _ in held:
        if not line.data.via:
            return line.data.role
    return held[0][0].data.role


def _union(
    held: list[tuple[Line, Truth]], field: Callable[[LineData], tuple[str, ...]]
) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for line, _ in held for v in field(line.data)))


_CONFIDENCE_ORDER = {c.value: i for i, c in enumerate(Confidence)}


def attestation(
    compiled: Compiled, lines: list[Line], last_day: int | None = None
) -> dict[str, Any]:
    """How well the claims behind a fact attest it: best confidence, sources, rank, contest.

    Deprecated claims count only when nothing else is left (then the fact is deprecated). It
    is contested as of ``last_day`` by the claims that may have begun by then, as the
    disagreements listed with the state are.
    """
    claims = [line.claim for line in lines]
    live = [c for c in claims if not c.deprecated] or claims
    confidence = max((c.confidence for c in live), key=lambda v: _CONFIDENCE_ORDER.get(v, -1))
    sources = tuple(dict.fromkeys(s for c in live for s in c.sources))
    if all(c.deprecated for c in claims):
        rank, reason, by = "deprecated", claims[0].rank_reason, claims[0].rank_by
    elif any(c.rank == "preferred" for c in live):
        first = next(c for c in live if c.rank == "preferred")
        rank, reason, by = "preferred", first.rank_reason, first.rank_by
    else:
        rank, reason, by = "normal", "", ""
    disputed = disputed_claims(compiled, last_day)
    contested = (
        any(line.date.conflict or line.date.before_start for line in lines)
        or any(
            line.section == "attribute" and _value_contested(compiled, line, last_day)
            for line in lines
        )
        or any(line.claim.id in disputed for line in lines)
    )
    return {
        "confidence": confidence,
        "sources": sources,
        "rank": rank,
        "rank_reason": reason,
        "rank_by": by,
        "contested": contested,
    }


def _value_contested(compiled: Compiled, line: Line, last_day: int | None) -> bool:
    """Whether live claims that may have begun by ``last_day`` give the line's attribute
    another value."""
    values = compiled.memo.get("attribute-values")
    if values is None:
        values = {}
        for other in compiled.lines:
            if other.section == "attribute" and not other.claim.deprecated:
                key = (other.entity, other.data.attribute)
                values.setdefault(key, []).append((repr(other.data.value), other.date))
        compiled.memo["attribute-values"] = values
    found = values.get((line.entity, line.data.attribute), [])
    own = repr(line.data.value)
    return any(value != own and date.admits(last_day) for value, date in found)


def _fact(compiled: Compiled, period: Period, key: Key, held: list[tuple[Line, Truth]]) -> Fact:
    """One fact from the lines that hold for it (deprecated claims shown, not deciding)."""
    held = sorted(held, key=lambda item: item[0].claim.deprecated)
    deciding = [item for item in held if not item[0].claim.deprecated] or held
    certain = [line for line, truth in deciding if truth is Truth.YES]
    # Only possible (something may have ended it): show the date of a line that surely had
    # begun, the one sure soonest, rather than a vaguer one that merely sorts first.
    begun = [line for line, _ in deciding if line.date.began_by(period.first) is Truth.YES]
    soonest = min(begun, key=lambda line: line.date.high or 0, default=deciding[0][0])
    best = certain[0] if certain else soonest
    ends = [end for line, _ in held if line.ends for end in _end_truth(line, period)]
    evidence = compiled.evidence
    if len(held) == 1 and not ends:
        why: tuple[Evidence, ...] = (evidence[best.claim.id],)
    else:
        own = [line.claim.id for line, _ in held]
        ending = [claim for _, claim in ends if claim not in own]
        why = (
            *(evidence[i] for i in dict.fromkeys(own)),
            *(attrs.evolve(evidence[i], role="ends") for i in dict.fromkeys(ending)),
        )
    # The entity's start that bounds (or contradicts) the date: cited, never a source.
    why = (
        *why,
        *(attrs.evolve(evidence[i], role="bounds") for i in best.date.bounded_by),
        *(attrs.evolve(evidence[i], role="start-conflict") for i in best.date.before_start),
    )
    common: dict[str, Any] = {
        "certainty": Certainty.CERTAIN if certain else Certainty.POSSIBLE,
        "date": best.date.edtf,
        "why": why,
        **attestation(compiled, [line for line, _ in held], period.last),
    }
    until = ends[0][0] if ends else None
    data = best.data
    section = key[0]
    maker = _FACTS[section]
    return maker(compiled, period, held, data, until, common)


_FactMaker = Callable[
    [Compiled, Period, list[tuple[Line, Truth]], LineData, str | None, dict[str, Any]],
    Fact,
]


def _count_fact(
    compiled: Compiled,
    period: Period,
    held: list[tuple[Line, Truth]],
    data: LineData,
    until: str | None,
    common: dict[str, Any],
) -> Fact:
    line = held[0][0]
    first, last = count_period(line, period.last)
    low, high, _ = derived_members(compiled, line.entity, data.role, data.excluding, first, last)
    return CountFact(
        count=data.count,
        excluding=data.excluding,
        role=data.role,
        derived_low=low,
        derived_high=high,
        **common,
    )


def _best_mode(held: list[tuple[Line, Truth]]) -> str:
    """How an agreement was signed, as its most trusted claim that says so puts it."""
    said = [line.claim for line, _ in held if line.data.mode and not line.claim.deprecated]
    if not said:
        return ""
    best = max(said, key=lambda c: _CONFIDENCE_ORDER.get(c.confidence, -1))
    return str(best.get("mode", ""))


_FACTS: dict[str, _FactMaker] = {
    "status": lambda c, p, h, d, u, common: StatusFact(status=d.status, **common),
    "member": lambda c, p, h, d, u, common: MemberFact(
        member=d.member, role=_role(h), until=u, **common
    ),
    "invitation": lambda c, p, h, d, u, common: InvitationFact(
        party=d.party,
        answer=d.answer,
        by=d.by,
        role=d.role,
        reason=d.reason,
        **common,
    ),
    "agreement": lambda c, p, h, d, u, common: AgreementFact(
        agreement=d.agreement,
        parties=_union(h, lambda d: d.parties),
        signatories=_union(h, lambda d: d.signatories),
        mode=_best_mode(h),
        **common,
    ),
    "milestone": lambda c, p, h, d, u, common: MilestoneFact(
        milestone=d.milestone, mission=d.mission, **common
    ),
    "restriction": lambda c, p, h, d, u, common: RestrictionFact(
        restriction=d.restriction,
        restricted=_union(h, lambda d: d.restricted),
        counterparties=_union(h, lambda d: d.counterparties),
        authority=d.authority,
        until=u,
        **common,
    ),
    "talks": lambda c, p, h, d, u, common: TalksFact(parties=d.parties, topic=d.topic, **common),
    "attribute": lambda c, p, h, d, u, common: AttributeFact(
        attribute=d.attribute, value=d.value, **common
    ),
    "count": _count_fact,
}


def facts_as_of(compiled: Compiled, period: Period) -> dict[Key, Fact]:
    """Every fact of the program's state over the period, by identity, in time order."""
    return {
        key: _fact(compiled, period, key, held)
        for key, held in held_lines(compiled, period).items()
    }


def _status_history(compiled: Compiled, period: Period) -> tuple[StatusFact, ...]:
    history = []
    for line in compiled.lines:
        if line.section != "status" or line.entity != compiled.program:
            continue
        if line.date.began_by(period.last) is Truth.NO:
            continue
        sure = line.date.began_by(period.first) is Truth.YES
        history.append(
            StatusFact(
                status=line.data.status,
                certainty=Certainty.CERTAIN if sure else Certainty.POSSIBLE,
                date=line.date.edtf,
                why=(compiled.evidence[line.claim.id],),
                **attestation(compiled, [line], period.last),
            )
        )
    return tuple(history)


def state_as_of(
    compiled: Compiled, as_of: str | HistoricalDate | Period, known_at: datetime | None = None
) -> ProgramState:
    """The program's state over a day or period, from a compiled fact table."""
    period = Period.of(as_of)
    facts = facts_as_of(compiled, period)
    by_section: dict[str, list[Fact]] = {}
    for (name, _), fact in facts.items():
        by_section.setdefault(name, []).append(fact)

    def section(name: str) -> tuple[Any, ...]:
        return tuple(by_section.get(name, ()))

    return ProgramState(
        program=compiled.program,
        as_of=period.edtf,
        known_at=known_at,
        name=compiled.name,
        parts=compiled.parts,
        statuses=section("status"),
        status_history=_status_history(compiled, period),
        members=section("member"),
        invitations=section("invitation"),
        agreements=section("agreement"),
        milestones=section("milestone"),
        restrictions=section("restriction"),
        talks=section("talks"),
        attributes=section("attribute"),
        counts=section("count"),
        conflicts=tuple(conflicts_of(compiled, period.last)),
        began=_began(compiled),
    )


def _began(compiled: Compiled) -> tuple[Evidence, ...]:
    """The claims of the program's own earliest possible start (none when it is unknown)."""
    start = compiled.starts.get(compiled.program)
    if start is None:
        return ()
    return tuple(attrs.evolve(compiled.evidence[i], role="bounds") for i in start.claims)


def evidence_ids(why: tuple[Evidence, ...]) -> tuple[str, ...]:
    """The event ids a fact cites."""
    return tuple(e.event_id for e in why)

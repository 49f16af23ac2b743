"""A fact table compiled into lines: each a thing that holds from a date until something ends it.

Compiling does the work that does not depend on the as-of day (answers applied, claims of one
fact merged, what ends what), once per change of the table; evaluating a line as of a day is
then a few integer comparisons. A status line ends when a later, different status begins; a
membership when the member leaves; a restriction when it is lifted; an invitation stage when
the party's answer moves on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ledger.dates import Truth
from ledger.domain.claims import Claim, FactDate, fact_dates
from ledger.domain.fold import FactTable
from ledger.domain.state import Evidence

_NEVER = float("-inf")
_ALWAYS = float("inf")


@attrs.frozen(kw_only=True)
class End:
    """Something that ends a line from its date on (a departure, a later status...)."""

    date: FactDate
    claim: Claim


@attrs.frozen(kw_only=True)
class Line:
    """One claim's contribution to a state, with the merged date of its fact."""

    section: str
    identity: tuple[str, ...]
    """What the line is a case of: lines with one identity are shown as one fact."""
    entity: str
    """The entity the claim is about (the event's stream)."""
    claim: Claim
    date: FactDate
    data: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    ends: tuple[End, ...] = ()
    order: tuple[float, float, int] = (_NEVER, _ALWAYS, 0)

    def holds_by(self, day: int | None) -> Truth:
        """Whether the line holds on ``day``: begun, and not ended."""
        began = self.date.began_by(day)
        if began is Truth.NO:
            return Truth.NO
        ended = Truth.NO
        for end in self.ends:
            truth = end.date.began_by(day)
            if truth is Truth.YES:
                return Truth.NO
            if truth is Truth.MAYBE:
                ended = Truth.MAYBE
        return Truth.YES if began is Truth.YES and ended is Truth.NO else Truth.MAYBE

    def holds_over(self, first: int | None, last: int | None) -> Truth:
        """Whether it holds over a period: YES on every day, NO on none, else MAYBE."""
        if first == last:
            return self.holds_by(first)
        at_first = self.holds_by(first)
        at_last = self.holds_by(last)
        if at_first is Truth.YES and at_last is Truth.YES:
            return Truth.YES
        if at_first is not Truth.NO or at_last is not Truth.NO:
            return Truth.MAYBE
        # Begun and ended are each monotone in the day, so the only other day on which it
        # can hold is the first day on which it may have begun.
        low = self.date.low
        if low is not None and (first is None or low > first) and (last is None or low < last):
            return Truth.NO if self.holds_by(low) is Truth.NO else Truth.MAYBE
        return Truth.NO

    def possible_ends(self, day: int | None) -> tuple[End, ...]:
        """The ends that may (not surely) have come by ``day``."""
        return tuple(e for e in self.ends if e.date.began_by(day) is Truth.MAYBE)


@attrs.frozen(kw_only=True)
class Compiled:
    """A fact table ready to answer "as of" questions."""

    program: str
    name: str
    parts: tuple[str, ...]
    scope: frozenset[str]
    claims: tuple[Claim, ...]
    dates: Mapping[str, FactDate] = attrs.field(hash=False)
    lines: tuple[Line, ...]
    evidence: Mapping[str, Evidence] = attrs.field(hash=False)


def evidence_of(claim: Claim) -> Evidence:
    """The citation a claim gives in a fact's ``why``."""
    return Evidence(
        event_id=claim.id,
        event_type=claim.type,
        source=claim.source,
        quote=claim.quote,
        date=claim.valid,
        phrase=claim.phrase,
        confidence=claim.confidence,
        recorded_at=claim.recorded_at,
        summary=claim.summary,
        corrected_by=claim.corrections,
    )


def order_of(date: FactDate, claim: Claim) -> tuple[float, float, int]:
    """Sort key of a line: by its earliest then latest possible start, then position."""
    low = _NEVER if date.low is None else date.low
    high = _ALWAYS if date.high is None else date.high
    return (low, high, claim.position)


_Maker = Callable[[Claim, FactDate], Iterable[Line]]
_MAKERS: dict[str, _Maker] = {}


def _maker(*type_names: str) -> Callable[[_Maker], _Maker]:
    def register(fn: _Maker) -> _Maker:
        for name in type_names:
            _MAKERS[name] = fn
        return fn

    return register


def _line(
    section: str, identity: tuple[str, ...], claim: Claim, date: FactDate, **data: Any
) -> Line:
    return Line(
        section=section,
        identity=identity,
        entity=claim.stream,
        claim=claim,
        date=date,
        data=data,
        order=order_of(date, claim),
    )


@_maker("StatusChanged")
def _status(claim: Claim, date: FactDate) -> Iterable[Line]:
    status = str(claim.get("status", ""))
    yield _line("status", (status,), claim, date, status=status)


@_maker("TalksHeld")
def _talks(claim: Claim, date: FactDate) -> Iterable[Line]:
    parties = tuple(claim.get("parties", ()))
    topic = str(claim.get("topic", ""))
    yield _line("status", ("in_talks",), claim, date, status="in_talks")
    yield _line("talks", (*sorted(parties), topic), claim, date, parties=parties, topic=topic)


@_maker("AgreementSigned")
def _agreement(claim: Claim, date: FactDate) -> Iterable[Line]:
    parties = tuple(claim.get("parties", ()))
    yield _line("status", ("agreed",), claim, date, status="agreed")
    yield _line(
        "agreement",
        (str(claim.get("agreement", "")),),
        claim,
        date,
        agreement=str(claim.get("agreement", "")),
        parties=parties,
        signatories=tuple(claim.get("signatories", ())),
        mode=str(claim.get("mode", "")),
    )
    for party in parties:
        # The role is "party" unless the member also joined in a role of its own: the
        # evaluation re-files this line under that role once the joining may have happened.
        yield _line(
            "member", (party, "party"), claim, date, member=party, role="party", via="agreement"
        )


@_maker("MemberJoined")
def _joined(claim: Claim, date: FactDate) -> Iterable[Line]:
    member, role = str(claim.get("member", "")), str(claim.get("role", ""))
    yield _line("member", (member, role), claim, date, member=member, role=role)


@_maker("Invited", "InvitationConsidered", "InvitationDeclined")
def _invitation(claim: Claim, date: FactDate) -> Iterable[Line]:
    answer = {"Invited": "invited", "InvitationConsidered": "considering"}.get(
        claim.type, "declined"
    )
    party = str(claim.get("party", ""))
    yield _line(
        "invitation",
        (party, answer),
        claim,
        date,
        party=party,
        answer=answer,
        by=str(claim.get("by", "")),
        role=str(claim.get("role", "")),
        reason=str(claim.get("reason", "")),
    )


@_maker("MilestoneReached")
def _milestone(claim: Claim, date: FactDate) -> Iterable[Line]:
    milestone = str(claim.get("milestone", ""))
    mission = str(claim.get("mission", "")) or claim.stream
    yield _line(
        "milestone", (mission, milestone), claim, date, milestone=milestone, mission=mission
    )


@_maker("RestrictionEnacted")
def _restriction(claim: Claim, date: FactDate) -> Iterable[Line]:
    restriction = str(claim.get("restriction", ""))
    yield _line(
        "restriction",
        (restriction,),
        claim,
        date,
        restriction=restriction,
        restricted=tuple(claim.get("restricted", ())),
        counterparties=tuple(claim.get("counterparties", ())),
        authority=str(claim.get("authority", "")),
    )


@_maker("ClaimMade")
def _attribute(claim: Claim, date: FactDate) -> Iterable[Line]:
    attribute, value = str(claim.get("attribute", "")), claim.get("value", "")
    yield _line(
        "attribute", (attribute, repr(value)), claim, date, attribute=attribute, value=value
    )


@_maker("MembersCounted")
def _count(claim: Claim, date: FactDate) -> Iterable[Line]:
    count = int(claim.get("count", 0))
    excluding = tuple(claim.get("excluding", ()))
    role = str(claim.get("role", ""))
    yield _line(
        "count",
        (role, *excluding, str(count)),
        claim,
        date,
        count=count,
        excluding=excluding,
        role=role,
    )


def _ender(claim: Claim) -> tuple[str, str] | None:
    """What kind of line a claim ends, and the key it ends lines of."""
    if claim.type == "MemberLeft":
        return ("member", f"{claim.stream}\0{claim.get('member', '')}")
    if claim.type == "RestrictionLifted":
        return ("restriction", str(claim.get("restriction", "")))
    return None


def _end_key(line: Line) -> tuple[str, str]:
    """The key under which the enders of a line are found."""
    if line.section == "member":
        return ("member", f"{line.entity}\0{line.data['member']}")
    return ("restriction", str(line.data.get("restriction", "")))


def _with_ends(lines: list[Line], enders: Mapping[tuple[str, str], list[End]]) -> list[Line]:
    """Attach to each line what ends it: later enders, later different statuses/answers."""
    out: list[Line] = []
    progressions: dict[tuple[str, ...], list[Line]] = {}
    for line in lines:
        if line.section == "status":
            progressions.setdefault(("status", line.entity), []).append(line)
        elif line.section == "invitation":
            key = ("invitation", line.entity, str(line.data["party"]))
            progressions.setdefault(key, []).append(line)
    for line in lines:
        ends: list[End] = []
        if line.section in ("member", "restriction"):
            for end in enders.get(_end_key(line), ()):
                if order_of(end.date, end.claim) > line.order:
                    ends.append(end)
        elif line.section == "status":
            ends = _later_different(line, progressions[("status", line.entity)])
        elif line.section == "invitation":
            key = ("invitation", line.entity, str(line.data["party"]))
            ends = _later_different(line, progressions[key])
        out.append(attrs.evolve(line, ends=tuple(ends)) if ends else line)
    return out


def _later_different(line: Line, peers: list[Line]) -> list[End]:
    """The peers that come after ``line`` in time and say something else."""
    return [
        End(date=peer.date, claim=peer.claim)
        for peer in peers
        if peer.order > line.order and peer.identity != line.identity
    ]


def compile_table(table: FactTable) -> Compiled:
    """The table's lines (cached on the table until it changes)."""
    found = table.cache.get("compiled")
    if isinstance(found, Compiled):
        return found
    claims = table.effective_claims()
    dates = fact_dates(claims)
    lines: list[Line] = []
    enders: dict[tuple[str, str], list[End]] = {}
    for claim in claims:
        date = dates[claim.fact]
        maker = _MAKERS.get(claim.type)
        if maker is not None:
            lines.extend(maker(claim, date))
        ends = _ender(claim)
        if ends is not None:
            enders.setdefault(ends, []).append(End(date=date, claim=claim))
    lines = sorted(_with_ends(lines, enders), key=lambda line: line.order)
    name = table.name_en or table.program
    compiled = Compiled(
        program=table.program,
        name=name,
        parts=tuple(table.parts),
        scope=frozenset(table.scope),
        claims=tuple(claims),
        dates=dates,
        lines=tuple(lines),
        evidence={c.id: evidence_of(c) for c in claims},
    )
    table.cache["compiled"] = compiled
    return compiled

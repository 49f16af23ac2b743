"""A fact table compiled into lines: each a thing that holds from a date until something ends it.

Compiling does the work that does not depend on the as-of day (answers applied, claims of one
fact merged, what ends what), once per change of the table; evaluating a line as of a day is
then a few integer comparisons. A status line ends when a different status begins that surely
began after it; a membership when the member leaves; a restriction when it is lifted; an
invitation stage when the party's answer moves on. A different status whose dates overlap
this one's (neither surely first, as a "202X" beside a 2020 event) only *may* end it: both
stay possible, and neither cancels the other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ledger.dates import Truth, parse_edtf
from ledger.dates.calendar import ordinal_to_iso
from ledger.domain.claims import Claim, FactDate, fact_dates
from ledger.domain.errata import Erratum, remarks_for
from ledger.domain.fold import FactTable
from ledger.domain.line_data import LineData
from ledger.domain.starts import START, Start, bounded, starts_of
from ledger.domain.state import Evidence

_NEVER = float("-inf")
_ALWAYS = float("inf")


@attrs.frozen(kw_only=True)
class End:
    """Something that ends a line from its date on (a departure, a later status...)."""

    date: FactDate
    claim: Claim
    identity: tuple[str, ...] = ()
    """For a later status or answer: what it says (it ends only lines that say otherwise)."""
    sure: bool = True
    """False for a status whose dates overlap the line's: it may have come after the line
    began (and ended it) or before (and been followed by it), so it never ends it surely."""
    until: int | None = None
    """For such an overlapping status dated as an interval: the last day it can have held.
    Once that day has passed it can no longer be what ended the line."""


@attrs.frozen(kw_only=True, cache_hash=False)
class Line:
    """One claim's contribution to a state, with the merged date of its fact."""

    section: str
    identity: tuple[str, ...]
    """What the line is a case of: lines with one identity are shown as one fact."""
    entity: str
    """The entity the claim is about (the event's stream)."""
    claim: Claim
    date: FactDate
    data: LineData = attrs.field(factory=LineData, hash=False)
    ends: tuple[End, ...] = ()
    order: tuple[float, float, int] = (_NEVER, _ALWAYS, 0)

    @functools.cached_property
    def _bounds(self) -> tuple[float, float, float, float, bool]:
        """(begin low, begin high, soonest end low, soonest end high, has ends) as numbers.

        The ends are folded into two numbers: the line surely ended once the earliest known
        latest day of any end has passed, and may have ended from the earliest possible day
        of any end on.
        """
        low = _NEVER if self.date.low is None else self.date.low
        high = _ALWAYS if self.date.high is None else self.date.high
        end_low, end_high = _ALWAYS, _ALWAYS
        for end in self.ends:
            if end.until is not None:
                continue  # taken into account day by day (``_end_low``)
            end_low = min(end_low, _NEVER if end.date.low is None else end.date.low)
            if end.sure:
                end_high = min(end_high, _ALWAYS if end.date.high is None else end.date.high)
        return low, high, end_low, end_high, bool(self.ends)

    def _end_low(self, day: int, fixed: float) -> float:
        """The soonest possible end on ``day``, counting lapsing ends only while they hold."""
        for end in self.ends:
            if end.until is not None and end.until >= day:
                fixed = min(fixed, _NEVER if end.date.low is None else end.date.low)
        return fixed

    def holds_by(self, day: int | None) -> Truth:
        """Whether the line holds on ``day`` (None: the end of time): begun, and not ended."""
        low, high, end_low, end_high, has_ends = self._bounds
        if day is None:
            # By the end of time whatever has a known date has happened; nothing else is sure.
            if end_high < _ALWAYS:
                return Truth.NO
            return Truth.YES if high < _ALWAYS and not has_ends else Truth.MAYBE
        if low > day or end_high <= day:
            return Truth.NO
        if has_ends:
            end_low = self._end_low(day, end_low)
        if high <= day and not (has_ends and end_low <= day):
            return Truth.YES
        return Truth.MAYBE

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
    members: Mapping[str, tuple[Line, ...]] = attrs.field(factory=dict, hash=False)
    """Membership lines by the entity they are memberships of."""
    starts: Mapping[str, Start] = attrs.field(factory=dict, hash=False)
    """Earliest possible starts of the entities in scope (``ledger.domain.starts``)."""
    memo: dict[Any, Any] = attrs.field(factory=dict, eq=False, hash=False, repr=False)
    """Answers worth keeping between questions (derived member counts)."""


def evidence_of(
    claim: Claim, date: FactDate | None = None, errata: Iterable[Erratum] = ()
) -> Evidence:
    """The citation a claim gives in a fact's ``why`` (its role read from its fact's date,
    with the known errors of the text its quote is in)."""
    return Evidence(
        event_id=claim.id,
        event_type=claim.type,
        source=claim.source,
        quote=claim.quote,
        date=claim.date,
        phrase=claim.phrase,
        confidence=claim.confidence,
        recorded_at=claim.recorded_at,
        summary=claim.summary,
        corrected_by=claim.corrections,
        quote_in=claim.quote_in,
        also_cited=claim.also_cited,
        rank=claim.rank,
        rank_reason=claim.rank_reason,
        rank_by=claim.rank_by,
        role="deprecated" if claim.deprecated else (date.role_of(claim.id) if date else "decides"),
        remarks=(
            *remarks_for(claim.quote, errata),
            *(reason for _, reason in claim.remarks if reason),
            *((str(claim.get("reason")),) if claim.type == START and claim.get("reason") else ()),
        ),
    )


def surely_after(later: Line, line: Line) -> bool:
    """Whether ``later`` surely began after ``line`` did (both on one same day: the one
    recorded later, a tie-break that ``why`` names)."""
    low = _NEVER if later.date.low is None else later.date.low
    high = _ALWAYS if line.date.high is None else line.date.high
    if low != high:
        return low > high
    same_day = later.date.low == later.date.high == line.date.low == line.date.high
    return same_day and line.order < later.order


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
    section: str, identity: tuple[str, ...], claim: Claim, date: FactDate, data: LineData
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
    yield _line("status", (status,), claim, date, LineData(status=status))


@_maker("TalksHeld")
def _talks(claim: Claim, date: FactDate) -> Iterable[Line]:
    parties = tuple(claim.get("parties", ()))
    topic = str(claim.get("topic", ""))
    yield _line("status", ("in_talks",), claim, date, LineData(status="in_talks"))
    said = LineData(parties=parties, topic=topic)
    yield _line("talks", (*sorted(parties), topic), claim, date, said)


@_maker("AgreementSigned")
def _agreement(claim: Claim, date: FactDate) -> Iterable[Line]:
    parties = tuple(claim.get("parties", ()))
    yield _line("status", ("agreed",), claim, date, LineData(status="agreed"))
    yield _line(
        "agreement",
        (str(claim.get("agreement", "")),),
        claim,
        date,
        LineData(
            agreement=str(claim.get("agreement", "")),
            parties=parties,
            signatories=tuple(claim.get("signatories", ())),
            mode=str(claim.get("mode", "")),
        ),
    )
    for party in parties:
        # The role is "party" unless the member also joined in a role of its own: the
        # evaluation re-files this line under that role once the joining may have happened.
        said = LineData(member=party, role="party", via="agreement")
        yield _line("member", (party, "party"), claim, date, said)


@_maker("MemberJoined")
def _joined(claim: Claim, date: FactDate) -> Iterable[Line]:
    member, role = str(claim.get("member", "")), str(claim.get("role", ""))
    yield _line("member", (member, role), claim, date, LineData(member=member, role=role))


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
        LineData(
            party=party,
            answer=answer,
            by=str(claim.get("by", "")),
            role=str(claim.get("role", "")),
            reason=str(claim.get("reason", "")),
        ),
    )


@_maker("MilestoneReached")
def _milestone(claim: Claim, date: FactDate) -> Iterable[Line]:
    milestone = str(claim.get("milestone", ""))
    mission = str(claim.get("mission", "")) or claim.stream
    said = LineData(milestone=milestone, mission=mission)
    yield _line("milestone", (mission, milestone), claim, date, said)


@_maker("RestrictionEnacted")
def _restriction(claim: Claim, date: FactDate) -> Iterable[Line]:
    restriction = str(claim.get("restriction", ""))
    yield _line(
        "restriction",
        (restriction,),
        claim,
        date,
        LineData(
            restriction=restriction,
            restricted=tuple(claim.get("restricted", ())),
            counterparties=tuple(claim.get("counterparties", ())),
            authority=str(claim.get("authority", "")),
        ),
    )


@_maker("ClaimMade")
def _attribute(claim: Claim, date: FactDate) -> Iterable[Line]:
    attribute, value = str(claim.get("attribute", "")), claim.get("value", "")
    said = LineData(attribute=attribute, value=value)
    yield _line("attribute", (attribute, repr(value)), claim, date, said)


@_maker("Stated")
def _statement(claim: Claim, date: FactDate) -> Iterable[Line]:
    # A generic claim shows as an attribute of its subject; unlike ClaimMade, several values
    # of one predicate are not rivals (see the conflict rules), so each is its own line.
    predicate, value = str(claim.get("predicate", "")), claim.get("value", "")
    shown = claim.get("object", "") or value
    if claim.get("object") and value != "":
        shown = f"{claim.get('object')} ({value})"
    said = LineData(attribute=predicate, value=shown)
    yield _line("attribute", (predicate, repr(shown)), claim, date, said)


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
        LineData(count=count, excluding=excluding, role=role),
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
        return ("member", f"{line.entity}\0{line.data.member}")
    return ("restriction", line.data.restriction)


def _with_ends(lines: list[Line], enders: Mapping[tuple[str, str], list[End]]) -> list[Line]:
    """Attach to each line what ends it: later enders, later different statuses/answers.

    ``lines`` must be in time order. Only ends that can matter are kept: once one end is
    surely over by some day, a later end that cannot begin before that day adds nothing.
    """
    out: list[Line] = []
    progressions: dict[tuple[str, ...], list[Line]] = {}
    for line in lines:
        if line.section in ("status", "invitation"):
            group = (line.section, line.entity, line.data.party)
            progressions.setdefault(group, []).append(line)
    ordered = {
        key: sorted(found, key=lambda e: order_of(e.date, e.claim)) for key, found in enders.items()
    }
    for line in lines:
        if line.section in ("member", "restriction"):
            later: Iterable[End] = (
                e for e in ordered.get(_end_key(line), ()) if order_of(e.date, e.claim) > line.order
            )
        elif line.section in ("status", "invitation"):
            group = (line.section, line.entity, line.data.party)
            later = _peer_ends(line, progressions[group])
        else:
            out.append(line)
            continue
        ends = _needed(later)
        out.append(attrs.evolve(line, ends=ends) if ends else line)
    return out


def _peer_ends(line: Line, peers: list[Line]) -> list[End]:
    """What may end a status (or invitation stage): each different one not surely before it.

    One that surely began after it ends it; one whose dates overlap it may, but never surely.
    """
    found: list[End] = []
    for peer in peers:
        if peer is line or peer.identity == line.identity:
            continue
        if surely_after(peer, line):
            found.append(End(date=peer.date, claim=peer.claim, identity=peer.identity))
        elif not surely_after(line, peer):
            found.append(
                End(
                    date=peer.date,
                    claim=peer.claim,
                    identity=peer.identity,
                    sure=False,
                    until=interval_end(peer.claim),
                )
            )
    own_end = interval_end(line.claim)
    if own_end is not None:
        # A status dated as an interval (talks "from July 2020 to the signing") ends with it.
        date = FactDate(low=own_end, high=own_end, edtf=ordinal_to_iso(own_end))
        found.append(End(date=date, claim=line.claim, identity=("",)))

    # On one same day a status that followed is the cause to cite, before the interval's end.
    def key(end: End) -> tuple[float, float, bool, int]:
        low, high, position = order_of(end.date, end.claim)
        return (low, high, end.claim is line.claim, position)

    return sorted(found, key=key)


def interval_end(claim: Claim) -> int | None:
    """The last day a claim dated as an interval (start/end) says it held; None otherwise."""
    if "/" not in claim.valid:
        return None
    end = parse_edtf(claim.valid).end
    return None if end is None else end.latest


def _needed(ends: Iterable[End]) -> tuple[End, ...]:
    """The ends, in time order, up to the first that cannot begin before an earlier one ends."""
    kept: list[End] = []
    soonest_over = _ALWAYS
    for end in ends:
        low = _NEVER if end.date.low is None else end.date.low
        if low >= soonest_over:
            break
        kept.append(end)
        if end.sure and end.date.high is not None:
            soonest_over = min(soonest_over, end.date.high)
    return tuple(kept)


def compile_table(table: FactTable) -> Compiled:
    """The table's lines (cached on the table until it changes)."""
    found = table.cache.get("compiled")
    if isinstance(found, Compiled):
        return found
    claims = table.effective_claims()
    starts = starts_of(claims)
    dates = bounded(fact_dates(claims), claims, starts)
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
    lines = _with_ends(sorted(lines, key=lambda line: line.order), enders)
    name = table.name_en or table.program
    members: dict[str, list[Line]] = {}
    for line in lines:
        if line.section == "member":
            members.setdefault(line.entity, []).append(line)
    compiled = Compiled(
        program=table.program,
        name=name,
        parts=tuple(table.parts),
        scope=frozenset(table.scope),
        claims=tuple(claims),
        dates=dates,
        lines=tuple(lines),
        evidence={
            c.id: evidence_of(c, dates[c.fact], table.errata.get(c.quote_in or c.source, ()))
            for c in claims
        },
        members={entity: tuple(found) for entity, found in members.items()},
        starts=starts,
    )
    table.cache["compiled"] = compiled
    return compiled

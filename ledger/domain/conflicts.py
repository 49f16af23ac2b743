"""Where sources disagree: one happening given disjoint dates, one attribute given different
values, two counts of one thing, a stated count below the members recorded, and a party's
answer to an invitation said to hold over a span in which it surely gave another, and a
happening dated wholly before the earliest possible start of what it is about.

Disagreements are shown, never resolved by hand: every side is kept with its evidence, its
best confidence and its rank. A claim that a correction deprecated still shows as a side
(the conflict is then *resolved*); a vaguer claim that agrees with a precise one is support,
not a side; and a count above the members recorded is no conflict (the record may be
incomplete), while a count below the members recorded is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ledger.dates import Truth
from ledger.domain.claims import Claim
from ledger.domain.evidence import Conflict, ConflictingClaim, Evidence
from ledger.domain.lines import Compiled, Line, interval_end, surely_after

_CONFIDENCE = ("low", "medium", "medium-high", "high")


def best_confidence(claims: Sequence[Claim]) -> str:
    """The highest confidence among claims (deprecated ones aside, unless all are)."""
    live = [c for c in claims if not c.deprecated] or list(claims)
    return max(
        (c.confidence for c in live),
        key=lambda v: _CONFIDENCE.index(v) if v in _CONFIDENCE else -1,
        default="",
    )


def side_of(compiled: Compiled, value: str, date: str, claims: Sequence[Claim]) -> ConflictingClaim:
    """One side of a disagreement: its claims' evidence, best confidence and rank."""
    deprecated = bool(claims) and all(c.deprecated for c in claims)
    return ConflictingClaim(
        value=value,
        date=date,
        why=tuple(compiled.evidence[c.id] for c in claims),
        confidence=best_confidence(claims),
        rank="deprecated" if deprecated else "normal",
        rank_reason=claims[0].rank_reason if deprecated else "",
        rank_by=claims[0].rank_by if deprecated else "",
    )


_RANK = {Truth.NO: 0, Truth.MAYBE: 1, Truth.YES: 2}


def derived_members(
    compiled: Compiled,
    entity: str,
    role: str,
    excluding: Iterable[str],
    first: int | None,
    last: int | None,
) -> tuple[int, int, tuple[Evidence, ...]]:
    """How many members ``entity`` had over a period: (certain, possible, their evidence).

    Only members in ``role`` count when a role is given and someone holds it; a role that no
    recorded member holds is read as "any role" so that a source's wording ("countries",
    "signatories") does not empty the count.
    """
    key = ("derived", entity, role, tuple(excluding), first, last)
    found = compiled.memo.get(key)
    if found is None:
        found = compiled.memo[key] = _derived(compiled, entity, role, key[3], first, last)
    result: tuple[int, int, tuple[Evidence, ...]] = found
    return result


def _derived(
    compiled: Compiled,
    entity: str,
    role: str,
    excluding: tuple[str, ...],
    first: int | None,
    last: int | None,
) -> tuple[int, int, tuple[Evidence, ...]]:
    skip = set(excluding)
    lines = [
        line
        for line in compiled.members.get(entity, ())
        if line.data.member not in skip and not line.claim.deprecated
    ]
    if role and any(line.data.role == role for line in lines):
        lines = [line for line in lines if line.data.role == role]
    best: dict[str, Truth] = {}
    support: dict[str, Line] = {}
    for line in lines:
        member = line.data.member
        truth = line.holds_over(first, last)
        if _RANK[truth] > _RANK[best.get(member, Truth.NO)]:
            best[member] = truth
            support[member] = line
    low = sum(1 for t in best.values() if t is Truth.YES)
    high = sum(1 for t in best.values() if t is not Truth.NO)
    why = tuple(compiled.evidence[support[m].claim.id] for m in best if best[m] is not Truth.NO)
    return low, high, why


def count_period(line: Line, last_day: int | None) -> tuple[int | None, int | None]:
    """The days a count claim speaks of, cut at ``last_day`` (what was known by the as-of)."""
    last = line.date.high if line.date.high is not None else last_day
    if last is not None and last_day is not None:
        last = min(last, last_day)
    first = line.date.low if line.date.low is not None else last
    if first is not None and last is not None:
        first = min(first, last)
    return first, last


def _date_conflicts(compiled: Compiled, last_day: int | None) -> list[Conflict]:
    groups: dict[str, list[Claim]] = {}
    for claim in compiled.claims:
        date = compiled.dates[claim.fact]
        if (date.conflict or date.deprecated) and date.admits(last_day):
            groups.setdefault(claim.fact, []).append(claim)
    conflicts = []
    for fact, claims in groups.items():
        date = compiled.dates[fact]
        by_id = {c.id: c for c in claims}
        sides = [
            side_of(
                compiled,
                side.edtf,
                side.edtf,
                [by_id[i] for i in (*side.claims, *side.support) if i in by_id],
            )
            for side in date.sides
        ]
        deprecated: dict[str, list[Claim]] = {}
        for claim in claims:
            deciding = any(claim.id in s.claims for s in date.sides)
            if claim.deprecated and not deciding and _disjoint(claim, date.low, date.high):
                deprecated.setdefault(claim.valid, []).append(claim)
        sides.extend(side_of(compiled, valid, valid, same) for valid, same in deprecated.items())
        if len(sides) > 1:
            conflicts.append(
                Conflict(kind="date", entity=claims[0].stream, about=fact, claims=tuple(sides))
            )
    return conflicts


def _start_conflicts(compiled: Compiled, last_day: int | None) -> list[Conflict]:
    """Happenings dated wholly before the earliest possible start of what they are about:
    the happening's claims on one side, the start's on the other (one of them is wrong)."""
    by_fact: dict[str, list[Claim]] = {}
    for claim in compiled.claims:
        if compiled.dates[claim.fact].before_start:
            by_fact.setdefault(claim.fact, []).append(claim)
    by_id = {c.id: c for c in compiled.claims}
    found = []
    for fact, claims in by_fact.items():
        date = compiled.dates[fact]
        if not date.admits(last_day):
            continue
        starts = [by_id[i] for i in date.before_start if i in by_id]
        sides = (
            side_of(compiled, date.edtf, date.edtf, claims),
            *(side_of(compiled, f"began not before {s.valid}", s.valid, [s]) for s in starts),
        )
        about = f"{fact}, before the start of {starts[0].stream}" if starts else fact
        found.append(Conflict(kind="date", entity=claims[0].stream, about=about, claims=sides))
    return found


def _disjoint(claim: Claim, low: int | None, high: int | None) -> bool:
    """Whether a claim's start cannot fall within [low, high]."""
    if low is not None and claim.high is not None and claim.high < low:
        return True
    return high is not None and claim.low is not None and claim.low > high


def _value_conflicts(compiled: Compiled, last_day: int | None) -> list[Conflict]:
    groups: dict[tuple[str, str], dict[str, list[Claim]]] = {}
    for claim in compiled.claims:
        if claim.type != "ClaimMade" or not compiled.dates[claim.fact].admits(last_day):
            continue
        key = (claim.stream, str(claim.get("attribute", "")))
        groups.setdefault(key, {}).setdefault(str(claim.get("value", "")), []).append(claim)
    conflicts = []
    for (entity, attribute), by_value in groups.items():
        if len(by_value) < 2:
            continue
        sides = tuple(
            side_of(compiled, value, claims[0].valid, claims) for value, claims in by_value.items()
        )
        conflicts.append(Conflict(kind="value", entity=entity, about=attribute, claims=sides))
    return conflicts


def _about_count(line: Line) -> str:
    about = "members" + (f" ({line.data.role})" if line.data.role else "")
    if line.data.excluding:
        about += " excluding " + ", ".join(line.data.excluding)
    return about


def _count_conflicts(compiled: Compiled, last_day: int | None) -> list[Conflict]:
    conflicts = []
    stated: dict[str, dict[int, list[Line]]] = {}
    for line in compiled.lines:
        if line.section != "count" or not line.date.admits(last_day):
            continue
        count = line.data.count
        stated.setdefault(line.claim.fact, {}).setdefault(count, []).append(line)
        if line.claim.deprecated:
            continue
        first, last = count_period(line, last_day)
        low, high, why = derived_members(
            compiled, line.entity, line.data.role, line.data.excluding, first, last
        )
        if count >= low:
            # Fewer members recorded than stated is no disagreement: the record may lack
            # some; more members certainly recorded than stated is one.
            continue
        derived = str(low) if low == high else f"{low}-{high}"
        conflicts.append(
            Conflict(
                kind="count",
                entity=line.entity,
                about=_about_count(line),
                claims=(
                    side_of(compiled, str(count), line.date.edtf, [line.claim]),
                    ConflictingClaim(
                        value=derived,
                        date=line.date.edtf,
                        why=why,
                        derived=True,
                        confidence=best_confidence([compiled_claim(compiled, e) for e in why]),
                    ),
                ),
            )
        )
    for by_count in stated.values():
        if len(by_count) < 2:
            continue
        first_line = next(iter(by_count.values()))[0]
        sides = tuple(
            side_of(compiled, str(count), lines[0].date.edtf, [line.claim for line in lines])
            for count, lines in by_count.items()
        )
        conflicts.append(
            Conflict(
                kind="count", entity=first_line.entity, about=_about_count(first_line), claims=sides
            )
        )
    return conflicts


_ANSWERS = frozenset({"considering", "declined"})
"""A party's own answers to an invitation: it holds one at a time. (Being invited is the
inviter's act: an invitation may stand while the party weighs or declines it.)"""


def answer_disputes(compiled: Compiled) -> tuple[tuple[Line, tuple[Line, ...]], ...]:
    """Each answer said to hold over a span (a claim dated start/end), with the other answers
    of the same party that surely began within that span: after it began, before its end.

    Both cannot be right: the party cannot have been weighing the invitation up to the end
    of the span and have declined it before then.
    """
    found = compiled.memo.get("answer-disputes")
    if found is not None:
        disputes: tuple[tuple[Line, tuple[Line, ...]], ...] = found
        return disputes
    groups: dict[tuple[str, str], list[Line]] = {}
    for line in compiled.lines:
        if line.section == "invitation" and line.data.answer in _ANSWERS:
            groups.setdefault((line.entity, line.data.party), []).append(line)
    result = []
    for lines in groups.values():
        for line in lines:
            end = interval_end(line.claim)
            if end is None:
                continue
            rivals = tuple(
                other
                for other in lines
                if other.data.answer != line.data.answer
                and surely_after(other, line)
                and other.date.high is not None
                and other.date.high < end
            )
            if rivals:
                result.append((line, rivals))
    disputes = compiled.memo["answer-disputes"] = tuple(result)
    return disputes


def disputed_claims(compiled: Compiled, last_day: int | None = None) -> frozenset[str]:
    """The ids of the claims on either side of an answer dispute that may have arisen by
    ``last_day`` (they are contested)."""
    found: set[str] = set()
    for held, rivals in answer_disputes(compiled):
        begun = [r for r in rivals if r.date.admits(last_day)]
        if begun and held.date.admits(last_day):
            found.update(line.claim.id for line in (held, *begun))
    return frozenset(found)


def _answer_conflicts(compiled: Compiled, last_day: int | None) -> list[Conflict]:
    sides: dict[tuple[str, str], dict[str, list[Line]]] = {}
    for held, rivals in answer_disputes(compiled):
        begun = [r for r in rivals if r.date.admits(last_day)]
        if not begun or not held.date.admits(last_day):
            continue
        key = (held.entity, held.data.party)
        by_answer = sides.setdefault(key, {})
        for line in (held, *begun):
            same = by_answer.setdefault(line.data.answer, [])
            if line not in same:
                same.append(line)
    conflicts = []
    for (entity, party), by_answer in sides.items():
        claims = []
        for answer, lines in by_answer.items():
            lines.sort(key=lambda line: line.order)
            # An answer said to hold over a span is dated by that span; one that surely came
            # within it, by the day it surely began at the latest (its earliest claim's).
            date = lines[0].claim.valid if interval_end(lines[0].claim) else lines[0].date.edtf
            claims.append(side_of(compiled, answer, date, [line.claim for line in lines]))
        conflicts.append(
            Conflict(
                kind="value",
                entity=entity,
                about=f"answer to the invitation: {party}",
                claims=tuple(claims),
            )
        )
    return conflicts


def compiled_claim(compiled: Compiled, evidence: Evidence) -> Claim:
    """The claim an evidence entry cites."""
    found = compiled.memo.get("claims-by-id")
    if found is None:
        found = compiled.memo["claims-by-id"] = {c.id: c for c in compiled.claims}
    claim: Claim = found[evidence.event_id]
    return claim


def conflicts_of(
    compiled: Compiled, last_day: int | None = None, entities: frozenset[str] | None = None
) -> list[Conflict]:
    """Every disagreement among claims that may have begun by ``last_day`` (None: any time).

    ``entities`` keeps only disagreements about those entities.
    """
    found = [
        *_date_conflicts(compiled, last_day),
        *_start_conflicts(compiled, last_day),
        *_value_conflicts(compiled, last_day),
        *_count_conflicts(compiled, last_day),
        *_answer_conflicts(compiled, last_day),
    ]
    if entities is not None:
        found = [c for c in found if c.entity in entities]
    return found

"""Where sources disagree: one happening given disjoint dates, one attribute given different
values, and a stated count of members that the recorded memberships do not bear out.

Disagreements are shown, never resolved: every side is kept with its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable

from ledger.dates import Truth
from ledger.domain.claims import Claim
from ledger.domain.lines import Compiled, Line
from ledger.domain.state import Conflict, ConflictingClaim, Evidence

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
    lines = [line for line in compiled.members.get(entity, ()) if line.data["member"] not in skip]
    if role and any(line.data["role"] == role for line in lines):
        lines = [line for line in lines if line.data["role"] == role]
    best: dict[str, Truth] = {}
    support: dict[str, Line] = {}
    for line in lines:
        member = str(line.data["member"])
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
        if date.conflict and date.admits(last_day):
            groups.setdefault(claim.fact, []).append(claim)
    conflicts = []
    for fact, claims in groups.items():
        by_date: dict[str, list[Claim]] = {}
        for claim in claims:
            by_date.setdefault(claim.valid, []).append(claim)
        sides = tuple(
            ConflictingClaim(
                value=valid, date=valid, why=tuple(compiled.evidence[c.id] for c in same)
            )
            for valid, same in by_date.items()
        )
        conflicts.append(Conflict(kind="date", entity=claims[0].stream, about=fact, claims=sides))
    return conflicts


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
            ConflictingClaim(
                value=value,
                date=claims[0].valid,
                why=tuple(compiled.evidence[c.id] for c in claims),
            )
            for value, claims in by_value.items()
        )
        conflicts.append(Conflict(kind="value", entity=entity, about=attribute, claims=sides))
    return conflicts


def _count_conflicts(compiled: Compiled, last_day: int | None) -> list[Conflict]:
    conflicts = []
    for line in compiled.lines:
        if line.section != "count" or not line.date.admits(last_day):
            continue
        first, last = count_period(line, last_day)
        low, high, why = derived_members(
            compiled, line.entity, str(line.data["role"]), line.data["excluding"], first, last
        )
        count = int(line.data["count"])
        if low <= count <= high:
            continue
        derived = str(low) if low == high else f"{low}-{high}"
        about = "members" + (f" ({line.data['role']})" if line.data["role"] else "")
        if line.data["excluding"]:
            about += " excluding " + ", ".join(line.data["excluding"])
        conflicts.append(
            Conflict(
                kind="count",
                entity=line.entity,
                about=about,
                claims=(
                    ConflictingClaim(
                        value=str(count),
                        date=line.date.edtf,
                        why=(compiled.evidence[line.claim.id],),
                    ),
                    ConflictingClaim(value=derived, date=line.date.edtf, why=why, derived=True),
                ),
            )
        )
    return conflicts


def conflicts_of(
    compiled: Compiled, last_day: int | None = None, entities: frozenset[str] | None = None
) -> list[Conflict]:
    """Every disagreement among claims that may have begun by ``last_day`` (None: any time).

    ``entities`` keeps only disagreements about those entities.
    """
    found = [
        *_date_conflicts(compiled, last_day),
        *_value_conflicts(compiled, last_day),
        *_count_conflicts(compiled, last_day),
    ]
    if entities is not None:
        found = [c for c in found if c.entity in entities]
    return found

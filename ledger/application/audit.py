"""What ``verify`` checks beyond the chain: every saved projection refolded from the events.

An answer may come from a checkpoint (a program's fact table, or the reach index that says
what reaches a program from elsewhere). Each is checked as loading checks it (its seal, and
the hash of the position it was folded up to), then folded again from the events alone, as far
as that position, and compared. A difference is named; nothing is repaired here (the next
question discards a checkpoint that fails and saves a sound one).
"""

from __future__ import annotations

import random
from itertools import takewhile
from typing import TYPE_CHECKING, Any

import attrs

from ledger.domain.fold import FactTable
from ledger.domain.reach import ReachIndex
from ledger.persistence.checkpoints import SealedCheckpoints
from ledger.persistence.snapshots import decode_reach, decode_table
from ledger.persistence.store import EventStore

if TYPE_CHECKING:
    from ledger.application.projections import Projections

QUICK_SAMPLE = 8
"""Program tables refolded by ``verify --quick`` (every seal is still checked)."""

_REACH = "index:reach"
_PREFIX = "projection:"


@attrs.frozen
class CheckpointAudit:
    """Saved projections checked, those refolded, and each one found wrong with why."""

    checked: int = 0
    refolded: int = 0
    problems: tuple[tuple[str, str], ...] = ()
    sealed: bool = True
    """False when some were not this user's (no key, or another's): their contents were
    refolded but their seals could not be checked."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One clause for verify's line: what was checked, or what is wrong."""
        if self.problems:
            return "; ".join(f"saved projection {name!r}: {why}" for name, why in self.problems)
        if not self.checked:
            return ""
        seals = "" if self.sealed else " (seals of other keys' not checked)"
        count = (
            f"{self.refolded}"
            if self.refolded == self.checked
            else (f"{self.refolded} of {self.checked}")
        )
        return f"{count} saved projections refolded, the same as from the events{seals}"


def _table_view(table: FactTable) -> dict[str, Any]:
    """What of a table decides answers, in a form two folds of the same events share."""
    return {
        "program": table.program,
        "position": table.position,
        "scope": sorted(table.scope),
        "parts": sorted(table.parts),
        "names": (table.name_en, table.name_ar, table.kind),
        "claims": sorted(table.claims(), key=lambda c: (c.position, c.id)),
        "answers": sorted(table.answers, key=lambda a: (a.position, a.id)),
    }


def _reach_view(reach: ReachIndex) -> dict[str, Any]:
    return {
        "position": reach.position,
        "children": {k: sorted(v) for k, v in sorted(reach.children.items()) if v},
        "answers": {k: sorted(v) for k, v in sorted(reach.answers.items()) if v},
        "restrictions": sorted(reach.restrictions),
    }


def _differs(saved: dict[str, Any], fresh: dict[str, Any]) -> str | None:
    wrong = [key for key in fresh if saved.get(key) != fresh[key]]
    return None if not wrong else f"differs from the events ({', '.join(wrong)})"


def audit_checkpoints(
    service: Projections,
    store: EventStore,
    points: SealedCheckpoints,
    quick: bool = False,
) -> CheckpointAudit:
    """Check every saved checkpoint of ``store`` against the events (see the module)."""
    stored = points.stored()
    refold = {row for row, _name, _mine in stored}
    tables = [row for row, name, _mine in stored if name.startswith(_PREFIX)]
    if quick and len(tables) > QUICK_SAMPLE:
        refold = {row for row, name, _ in stored if name == _REACH}
        refold.update(random.sample(tables, QUICK_SAMPLE))
    reaches: dict[int, ReachIndex] = {}

    def reach_at(position: int) -> ReachIndex:
        found = reaches.get(position)
        if found is None:
            events = store.iter_events(types=ReachIndex.types)
            found = ReachIndex()
            found.fold(takewhile(lambda e: e.position <= position, events))
            found.position = position
            reaches[position] = found
        return found

    problems: list[tuple[str, str]] = []
    refolded = 0
    unsealed = not points.sealed
    for row, name, mine in stored:
        examined = points.examine(row)
        if examined is None:
            continue  # removed since listed
        unsealed = unsealed or not mine
        if examined.problem is not None:
            problems.append((name, examined.problem))
            continue
        if row not in refold:
            continue
        refolded += 1
        problem = _compare(service, name, examined.position, examined.payload, reach_at)
        if problem is not None:
            problems.append((name, problem))
    return CheckpointAudit(
        checked=len(stored), refolded=refolded, problems=tuple(problems), sealed=not unsealed
    )


def _compare(
    service: Projections,
    name: str,
    position: int,
    payload: bytes,
    reach_at: Any,
) -> str | None:
    try:
        if name == _REACH:
            reach = decode_reach(payload)
            if reach is None or reach.position != position:
                return "cannot be read as a reach index of its position"
            return _differs(_reach_view(reach), _reach_view(reach_at(position)))
        if not name.startswith(_PREFIX):
            return "is of no kind this ledger saves"
        table = decode_table(payload)
        entity = name[len(_PREFIX) :]
        if table is None or table.program != entity or table.position != position:
            return "cannot be read as that program's table at its position"
        fresh = service.refold(entity, reach_at(position))
        return _differs(_table_view(table), _table_view(fresh))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        return f"cannot be read ({type(e).__name__})"

"""What changed in a program between two dates, and the events that changed it."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ledger.dates import HistoricalDate
from ledger.domain.asof import Key, Period, facts_as_of, held_lines
from ledger.domain.lines import Compiled, Line
from ledger.domain.state import Evidence, Fact, Row

ABSENT = "absent"


@attrs.frozen(kw_only=True)
class Change:
    """One fact that appeared, disappeared or changed certainty between the two dates."""

    section: str
    fact: str
    detail: str
    before: str
    """"absent", "possible" or "certain" as of the first date."""
    after: str
    date: str
    why: tuple[Evidence, ...] = ()
    """The events whose dates fall between the two dates and so made the difference."""

    def row(self) -> Row:
        """The change as one report line."""
        return {
            "section": self.section,
            "fact": self.fact,
            "detail": self.detail,
            "before": self.before,
            "after": self.after,
            "date": self.date,
            "sources": "; ".join(dict.fromkeys(e.source for e in self.why)),
            "quotes": " | ".join(dict.fromkeys(e.quote for e in self.why if e.quote)),
            "events": " ".join(e.event_id for e in self.why),
        }


@attrs.frozen(kw_only=True)
class Diff:
    """The changes in a program's state from one date to another."""

    program: str
    from_date: str
    to_date: str
    changes: tuple[Change, ...] = ()

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def rows(self) -> list[Row]:
        """One line per change."""
        return [{"program": self.program, **change.row()} for change in self.changes]


def _standing(fact: Fact | None) -> str:
    return ABSENT if fact is None else fact.certainty.value


def _movers(lines: list[Line], compiled: Compiled, before: Period, after: Period) -> list[str]:
    """Ids of the claims (and ends) of these lines whose own truth differs between the dates."""
    found: list[str] = []
    for line in lines:
        dated = [(line.date, line.claim.id)] + [(e.date, e.claim.id) for e in line.ends]
        for date, claim_id in dated:
            then = (date.began_by(before.first), date.began_by(before.last))
            now = (date.began_by(after.first), date.began_by(after.last))
            if then != now and claim_id not in found:
                found.append(claim_id)
    return found


def diff_of(
    compiled: Compiled,
    from_date: str | HistoricalDate | Period,
    to_date: str | HistoricalDate | Period,
) -> Diff:
    """The facts whose standing differs between two dates (days or periods), with the cause."""
    before, after = Period.of(from_date), Period.of(to_date)
    then, now = facts_as_of(compiled, before), facts_as_of(compiled, after)
    lines: dict[Key, list[Line]] = {}
    for period in (before, after):
        for key, held in held_lines(compiled, period).items():
            known = lines.setdefault(key, [])
            known.extend(line for line, _ in held if line not in known)
    changes = []
    for key in [*then, *(k for k in now if k not in then)]:
        old, new = then.get(key), now.get(key)
        if _standing(old) == _standing(new):
            continue
        shown = new if new is not None else old
        assert shown is not None
        movers = _movers(lines.get(key, []), compiled, before, after)
        changes.append(
            Change(
                section=key[0],
                fact=shown.label,
                detail=shown.detail,
                before=_standing(old),
                after=_standing(new),
                date=shown.date,
                why=tuple(compiled.evidence[i] for i in movers),
            )
        )
    return Diff(
        program=compiled.program, from_date=before.edtf, to_date=after.edtf, changes=tuple(changes)
    )

"""The fold: events, in recorded order, into one program's fact table.

A :class:`FactTable` holds every claim that bears on a program (its own events, those naming
it as a subject, those of its parts, restrictions naming it) and the answers (corrections,
retractions) to them, as known after the last event folded. It does not depend on the day a
state is asked for: evaluating it as of a day is a separate, cheap step (``ledger.domain.asof``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import attrs

from ledger.domain.claims import Answer, Claim, answer_of, claim_of, effective
from ledger.domain.errata import Erratum, errata_of
from ledger.domain.events import (
    Corrected,
    EntityAliased,
    EntityNamed,
    EntityRegistered,
    Event,
    Identified,
    RestrictionEnacted,
    RestrictionLifted,
    Retracted,
    SourceRegistered,
)


@attrs.define(eq=False, kw_only=True)
class FactTable:
    """Everything recorded so far that bears on one program, independent of the as-of day.

    ``position`` is the last ledger position folded in (relevant or not), so a table can be
    brought up to date by folding only the events after it.
    """

    program: str
    scope: set[str] = attrs.field(factory=set)
    """The program and its parts (entities registered as part of it, transitively)."""
    position: int = 0
    recorded_at: datetime | None = None
    """Recorded time of the last event folded."""
    name_en: str = ""
    name_ar: str = ""
    kind: str = ""
    parts: list[str] = attrs.field(factory=list)
    items: dict[str, Claim | Event] = attrs.field(factory=dict)
    """Claims by event id, in recorded order; events are turned into claims when first read."""
    answers: list[Answer] = attrs.field(factory=list)
    answer_ids: set[str] = attrs.field(factory=set)
    restrictions: set[str] = attrs.field(factory=set)
    """Names of the restrictions held, so that their liftings are taken in too."""
    errata: dict[str, tuple[Erratum, ...]] = attrs.field(factory=dict)
    """Known errors of sources' texts, by source id (from their registrations' notes)."""
    stale: bool = False
    """Set when a part joined the scope after its own events may have been passed over:
    the table must then be rebuilt from the events (``build``) to include them."""
    cache: dict[str, Any] = attrs.field(factory=dict, repr=False)
    """Derived views (compiled lines, states); emptied whenever the table changes."""

    def __attrs_post_init__(self) -> None:
        self.scope.add(self.program)

    def claims(self) -> list[Claim]:
        """Every claim folded in, in recorded order, before answers are applied."""
        out: list[Claim] = []
        for key, item in self.items.items():
            if isinstance(item, Event):
                item = claim_of(item)
                self.items[key] = item
            out.append(item)
        return out

    def effective_claims(self) -> list[Claim]:
        """The claims that count as known now: corrections applied, retractions removed."""
        found = self.cache.get("effective")
        if found is None:
            found = self.cache["effective"] = effective(self.claims(), self.answers)
        result: list[Claim] = found
        return result

    def saved(self) -> SavedTable:
        """The table as a frozen value (what a checkpoint keeps)."""
        return SavedTable(
            program=self.program,
            scope=tuple(sorted(self.scope)),
            parts=tuple(self.parts),
            position=self.position,
            recorded_at=self.recorded_at,
            name_en=self.name_en,
            name_ar=self.name_ar,
            kind=self.kind,
            stale=self.stale,
            claims=tuple(self.claims()),
            answers=tuple(self.answers),
            errata=tuple(self.errata.items()),
        )

    @classmethod
    def restored(cls, saved: SavedTable) -> FactTable:
        """The table a :meth:`saved` value was taken from."""
        table = cls(
            program=saved.program,
            scope=set(saved.scope),
            parts=list(saved.parts),
            position=saved.position,
            recorded_at=saved.recorded_at,
            name_en=saved.name_en,
            name_ar=saved.name_ar,
            kind=saved.kind,
            stale=saved.stale,
        )
        table.items.update((c.id, c) for c in saved.claims)
        table.answers.extend(saved.answers)
        table.answer_ids.update(a.id for a in saved.answers)
        table.errata.update(saved.errata)
        table.restrictions.update(
            str(c.get("restriction")) for c in saved.claims if c.type == "RestrictionEnacted"
        )
        return table

    def involves(self, event: Event) -> bool:
        """Whether the event is about the program or one of its parts."""
        scope = self.scope
        return event.stream in scope or any(s in scope for s in event.subjects)

    def add_claim(self, event: Event) -> None:
        """Keep a claim-making event (turned into a claim lazily)."""
        self.items[str(event.id)] = event
        self.cache.clear()

    def add_answer(self, event: Corrected | Retracted) -> None:
        """Keep a correction or retraction if it answers something this table holds."""
        target = str(event.target)
        if str(event.id) in self.answer_ids:
            return  # folded already (a catch-up may read an event twice)
        if target in self.items or target in self.answer_ids:
            answer = answer_of(event)
            self.answers.append(answer)
            self.answer_ids.add(answer.id)
            self.cache.clear()

    def add_part(self, entity: str, first_in_stream: bool) -> None:
        """Widen the scope to a part; if it may already have had events, mark stale."""
        if entity in self.scope:
            return
        self.scope.add(entity)
        self.parts.append(entity)
        if not first_in_stream:
            self.stale = True
        self.cache.clear()


@attrs.frozen(kw_only=True)
class SavedTable:
    """A fact table as a value: its claims as recorded (before any answer), the answers, the
    scope and the position it covers. Claims keep their default rank and corrections, so
    applying the answers again gives the same effective claims."""

    program: str
    scope: tuple[str, ...]
    parts: tuple[str, ...]
    position: int
    recorded_at: datetime | None
    name_en: str
    name_ar: str
    kind: str
    stale: bool
    claims: tuple[Claim, ...]
    answers: tuple[Answer, ...]
    errata: tuple[tuple[str, tuple[Erratum, ...]], ...]


@functools.singledispatch
def fold(event: Event, table: FactTable) -> None:
    """Fold one claim-making event into ``table`` if it bears on the table's program."""
    if table.involves(event):
        table.add_claim(event)


@fold.register
def _restriction(event: RestrictionEnacted, table: FactTable) -> None:
    # A restriction shows in the state of everyone it restricts or shields, not only the
    # entities the curator listed as subjects.
    scope = table.scope
    if (
        table.involves(event)
        or any(e in scope for e in event.restricted)
        or any(e in scope for e in event.counterparties)
    ):
        table.restrictions.add(event.restriction)
        table.add_claim(event)


@fold.register
def _lifted(event: RestrictionLifted, table: FactTable) -> None:
    if table.involves(event) or event.restriction in table.restrictions:
        table.add_claim(event)


@fold.register
def _registered(event: EntityRegistered, table: FactTable) -> None:
    if event.stream == table.program:
        table.name_en, table.name_ar, table.kind = event.name_en, event.name_ar, event.kind
        table.cache.clear()
    elif any(p in table.scope for p in event.part_of):
        table.add_part(event.stream, first_in_stream=event.sequence <= 1)


@fold.register
def _aliased(event: EntityAliased, table: FactTable) -> None:
    # Names are the entity index's business; a projection only shows ids.
    return None


@fold.register
def _named(event: EntityNamed, table: FactTable) -> None:
    return None


@fold.register
def _identified(event: Identified, table: FactTable) -> None:
    return None


@fold.register
def _source(event: SourceRegistered, table: FactTable) -> None:
    # Only a source's known errors bear on a program: quotes of those words say so.
    found = errata_of(event.notes)
    source = event.stream.removeprefix("source:")
    if found or source in table.errata:
        table.errata[source] = found
        table.cache.clear()


@fold.register
def _corrected(event: Corrected, table: FactTable) -> None:
    table.add_answer(event)


@fold.register
def _retracted(event: Retracted, table: FactTable) -> None:
    table.add_answer(event)


def fold_into(table: FactTable, events: Iterable[Event]) -> FactTable:
    """Fold events (in recorded order) into ``table`` and advance its position."""
    for event in events:
        fold(event, table)
        if event.position > table.position:
            table.position = event.position
        if event.recorded_at is not None:
            table.recorded_at = event.recorded_at
    return table


def parts_of(program: str, events: Iterable[Event]) -> list[str]:
    """Every entity registered as part of ``program``, directly or through other parts."""
    children: dict[str, list[str]] = {}
    for event in events:
        if isinstance(event, EntityRegistered):
            for parent in event.part_of:
                children.setdefault(parent, []).append(event.stream)
    return descendants(program, lambda parent: children.get(parent, ()))


def descendants(root: str, children: Callable[[str], Iterable[str]]) -> list[str]:
    """Everything below ``root`` in a part-of graph given by ``children`` (in registration
    order), each once, in the order a depth-first walk meets them; cycles are harmless."""
    found: list[str] = []
    todo = [root]
    seen = {root}
    while todo:
        for child in children(todo.pop()):
            if child not in seen:
                seen.add(child)
                found.append(child)
                todo.append(child)
    return found


def build(program: str, events: Iterable[Event]) -> FactTable:
    """A program's fact table rebuilt from the events alone (any events; in recorded order).

    Parts are found first, so that a part registered after some of its own events still
    brings them in.
    """
    events = list(events)
    table = FactTable(program=program)
    for part in parts_of(program, events):
        table.scope.add(part)
        table.parts.append(part)
    return fold_into(table, events)

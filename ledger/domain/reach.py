"""What can reach a program from outside its own events, indexed by ledger position.

A program's table is folded from the events about it and its parts, plus three kinds of events
that may be filed anywhere: the registrations that make an entity one of its parts, the
restrictions naming it (and their liftings), and the corrections and retractions answering its
claims. Finding those by reading every such event of the ledger costs seconds on a large
ledger, at every first question of a process. This index keeps only what is needed to find
them (who is part of what, which positions answer which event, which positions name which
entities) and is small enough to save as a checkpoint and load in milliseconds; the events
themselves are then read by position.

Every lookup returns a superset of what the fold will take in: the fold still decides, so
a table built through the index is the table built from all the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import attrs

from ledger.domain.errata import errata_of
from ledger.domain.events import (
    Corrected,
    EntityRegistered,
    Event,
    RestrictionEnacted,
    RestrictionLifted,
    Retracted,
    SourceRegistered,
)
from ledger.domain.fold import descendants


@attrs.define
class ReachIndex:
    """Parts, answers and restrictions of the ledger, as far as ``position``."""

    types: ClassVar[tuple[type[Event], ...]] = (
        EntityRegistered,
        RestrictionEnacted,
        RestrictionLifted,
        Corrected,
        Retracted,
        SourceRegistered,
    )
    """The event types the index is folded from."""

    position: int = 0
    children: dict[str, list[tuple[str, datetime | None]]] = attrs.field(factory=dict)
    """Parent entity -> (child entity, recorded time) of each registration naming it."""
    answers: dict[str, list[tuple[int, str]]] = attrs.field(factory=dict)
    """Event id -> (position, id) of each correction or retraction of it."""
    restrictions: list[tuple[int, str, tuple[str, ...]]] = attrs.field(factory=list)
    """(position, restriction name, entities named) of each enactment and lifting."""
    errata: list[int] = attrs.field(factory=list)
    """Positions of the source registrations that list known errors of their text."""

    def fold(self, events: Iterable[Event]) -> int:
        """Take in events (in ledger order; other types are passed over); returns how many
        entries were added."""
        added = 0
        for event in events:
            if isinstance(event, EntityRegistered):
                for parent in event.part_of:
                    child = (event.stream, event.recorded_at)
                    self.children.setdefault(parent, []).append(child)
                    added += 1
            elif isinstance(event, Corrected | Retracted):
                entry = (event.position, str(event.id))
                self.answers.setdefault(str(event.target), []).append(entry)
                added += 1
            elif isinstance(event, RestrictionEnacted):
                named = (event.stream, *event.subjects, *event.restricted, *event.counterparties)
                self.restrictions.append((event.position, event.restriction, named))
                added += 1
            elif isinstance(event, RestrictionLifted):
                named = (event.stream, *event.subjects)
                self.restrictions.append((event.position, event.restriction, named))
                added += 1
            elif isinstance(event, SourceRegistered) and errata_of(event.notes):
                self.errata.append(event.position)
                added += 1
            self.position = max(self.position, event.position)
        return added

    def parts(self, program: str, known_at: datetime | None = None) -> list[str]:
        """Every entity registered as part of ``program``, directly or through other parts
        (by ``known_at``, if given), in the order ``ledger.domain.fold.parts_of`` finds them."""

        def children(parent: str) -> list[str]:
            return [
                child
                for child, recorded in self.children.get(parent, ())
                if known_at is None or (recorded is not None and recorded <= known_at)
            ]

        return descendants(program, children)

    def answer_positions(self, event_ids: Iterable[str]) -> set[int]:
        """Positions of the answers to these events, and of the answers to those answers."""
        found: set[int] = set()
        todo = list(event_ids)
        while todo:
            for position, answer in self.answers.get(todo.pop(), ()):
                if position not in found:
                    found.add(position)
                    todo.append(answer)
        return found

    def restriction_positions(self, scope: set[str]) -> set[int]:
        """Positions of the restrictions and liftings naming an entity of ``scope``, and of
        every lifting of a restriction so found (a lifting need not name anyone)."""
        found: set[int] = set()
        names: set[str] = set()
        for position, name, named in self.restrictions:
            if any(entity in scope for entity in named):
                found.add(position)
                names.add(name)
        for position, name, _named in self.restrictions:
            if name in names:
                found.add(position)
        return found

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

import json
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

FORMAT = "ledger-reach-index/2"
"""Format name of an encoded index; an index in any other format is rebuilt from the events."""


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
    children: dict[str, list[tuple[str, str]]] = attrs.field(factory=dict)
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
                recorded = "" if event.recorded_at is None else event.recorded_at.isoformat()
                for parent in event.part_of:
                    self.children.setdefault(parent, []).append((event.stream, recorded))
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
                if known_at is None or _recorded_by(recorded, known_at)
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

    def encode(self) -> bytes:
        """The index as versioned JSON."""
        data = {
            "format": FORMAT,
            "position": self.position,
            "children": self.children,
            "answers": self.answers,
            "restrictions": self.restrictions,
            "errata": self.errata,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, data: bytes) -> ReachIndex | None:
        """The index encoded in ``data``, or None if it is of another format."""
        try:
            loaded = json.loads(data)
        except ValueError:
            return None
        if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
            return None
        return cls(
            position=int(loaded["position"]),
            children={
                parent: [(str(child), str(recorded)) for child, recorded in entries]
                for parent, entries in loaded["children"].items()
            },
            answers={
                target: [(int(position), str(answer)) for position, answer in entries]
                for target, entries in loaded["answers"].items()
            },
            restrictions=[
                (int(position), str(name), tuple(named))
                for position, name, named in loaded["restrictions"]
            ],
            errata=[int(position) for position in loaded["errata"]],
        )


def _recorded_by(recorded: str, known_at: datetime) -> bool:
    return bool(recorded) and datetime.fromisoformat(recorded) <= known_at

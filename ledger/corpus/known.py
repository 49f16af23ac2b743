"""What a ledger already holds, as a corpus being checked needs it: entities and sources.

A corpus imported beside others may refer to entities and sources the ledger already has,
and may register an entity again (same id) to add names or identifiers. ``Known`` is that
catalogue, folded from the ledger's catalogue events, so the corpus checks need no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ledger.dates import HistoricalDate
from ledger.domain.entities import names_in
from ledger.domain.events import (
    EntityAliased,
    EntityNamed,
    EntityRegistered,
    Event,
    Identified,
    SourceRegistered,
)


@attrs.frozen
class KnownEntity:
    """An entity the ledger holds: its kind, every name and identifier, where it came from."""

    id: str
    kind: str
    names: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...]
    origin: str
    """How an error names the registration: position, recorded time and source."""
    registration: EntityRegistered | None = attrs.field(default=None, eq=False)
    """The event that registered it (a corpus imported again builds the same one)."""


@attrs.frozen
class KnownSource:
    """A source the ledger holds, with its text when it has one."""

    id: str
    title: str
    url: str
    text: str
    date: HistoricalDate
    identifiers: tuple[tuple[str, str], ...]
    origin: str


def _origin(event: Event) -> str:
    when = event.recorded_at.date().isoformat() if event.recorded_at else "?"
    cited = f", cited to {event.citation.source!r}" if event.citation.source else ""
    return f"the ledger, position {event.position} (recorded {when}{cited})"


@attrs.define
class Known:
    """The entities and sources of a ledger, by id (empty for a new ledger)."""

    entities: dict[str, KnownEntity] = attrs.field(factory=dict)
    sources: dict[str, KnownSource] = attrs.field(factory=dict)
    event_ids: frozenset[str] = frozenset()
    """Ids of every catalogue event, so a re-import finds its registrations present."""
    find_claim: Callable[[str], Event | None] = attrs.field(default=lambda _: None, eq=False)
    """The recorded claim a corpus id or event id names (for corrections of the ledger's
    claims), or None."""

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> Known:
        """Fold the catalogue events (others are skipped) in ledger order."""
        known = cls()
        ids: set[str] = set()
        for event in events:
            ids.add(str(event.id))
            if isinstance(event, SourceRegistered):
                sid = event.stream.removeprefix("source:")
                known.sources[sid] = KnownSource(
                    id=sid,
                    title=event.title,
                    url=event.url,
                    text=event.text,
                    date=event.valid_time,
                    identifiers=(("url", event.url),) if event.url else (),
                    origin=_origin(event),
                )
            elif isinstance(event, Identified) and event.stream.startswith("source:"):
                sid = event.stream.removeprefix("source:")
                if sid in known.sources:
                    source = known.sources[sid]
                    merged = _merge(source.identifiers, event.identifiers)
                    known.sources[sid] = attrs.evolve(source, identifiers=merged)
            elif isinstance(event, EntityRegistered):
                named = names_in(event)
                assert named is not None
                known.entities[event.stream] = KnownEntity(
                    id=event.stream,
                    kind=event.kind,
                    names=named[1],
                    identifiers=(),
                    origin=_origin(event),
                    registration=event,
                )
            elif isinstance(event, EntityAliased | EntityNamed | Identified):
                entity = known.entities.get(event.stream)
                if entity is None:
                    continue
                if isinstance(event, Identified):
                    merged = _merge(entity.identifiers, event.identifiers)
                    entity = attrs.evolve(entity, identifiers=merged)
                else:
                    named = names_in(event)
                    assert named is not None
                    entity = attrs.evolve(entity, names=(*entity.names, *named[1]))
                known.entities[event.stream] = entity
        known.event_ids = frozenset(ids)
        return known

    def entity_with(self, scheme: str, value: str) -> KnownEntity | None:
        """The entity holding an external identifier (``wikidata``, ``Q23548``), if any."""
        for entity in self.entities.values():
            if (scheme, value) in entity.identifiers:
                return entity
        return None

    def source_with(self, identifier: str) -> KnownSource | None:
        """The source an id, DOI, URL or other identifier names, if any."""
        if identifier in self.sources:
            return self.sources[identifier]
        wanted = identifier.strip().casefold()
        for source in self.sources.values():
            for scheme, value in source.identifiers:
                if wanted in (value.casefold(), f"{scheme}:{value}".casefold()):
                    return source
        return None


def same_event(one: Event, other: Event) -> bool:
    """Whether two events say the same, wherever and whenever the ledger recorded them."""
    return attrs.evolve(one, sequence=0, position=0, recorded_at=None) == attrs.evolve(
        other, sequence=0, position=0, recorded_at=None
    )


def _merge(
    old: tuple[tuple[str, str], ...], new: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    return old + tuple(pair for pair in new if pair not in old)

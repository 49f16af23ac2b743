"""Name resolution: which entity a name, alias or id stands for, and the catalogue of programs.

The catalogue (registrations and aliases) is read only when a question needs it: a question by
entity id that has events needs none of it, and normalising every name of a large catalogue
costs seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

import attrs

from ledger.domain.entities import names_in
from ledger.domain.events import (
    EntityAliased,
    EntityNamed,
    EntityRegistered,
    Event,
    Identified,
)
from ledger.domain.names import Lang, Names
from ledger.domain.state import Row
from ledger.errors import UnknownEntityError
from ledger.persistence.store import EventStore

if TYPE_CHECKING:
    from ledger.corpus.names import EntityIndex

PROGRAM_KINDS = frozenset({"program", "mission", "agreement", "law", "station", "project"})
"""Entity kinds listed by ``programs()``: what has a history of its own to ask about."""


@attrs.frozen(kw_only=True)
class ProgramSummary:
    """One entry of the catalogue of programs: id, names, kind and what it is part of."""

    id: str
    name_en: str = ""
    name_ar: str = ""
    kind: str = ""
    part_of: tuple[str, ...] = ()

    def row(self) -> Row:
        """The entry as one report line."""
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "kind": self.kind,
            "part_of": ", ".join(self.part_of),
        }


@attrs.frozen(kw_only=True)
class Programs:
    """The programs (and missions, agreements, laws) the ledger knows, by id."""

    programs: tuple[ProgramSummary, ...] = ()

    def __iter__(self) -> Iterator[ProgramSummary]:
        return iter(self.programs)

    def __len__(self) -> int:
        return len(self.programs)

    def ids(self) -> tuple[str, ...]:
        """The programs' entity ids."""
        return tuple(p.id for p in self.programs)

    def rows(self) -> list[Row]:
        """One line per program."""
        return [p.row() for p in self.programs]


def _entity_index() -> EntityIndex:
    # Imported when first needed: a question by entity id never reads the catalogue, and
    # the corpus package costs a noticeable part of a cold `ledger state`.
    from ledger.corpus.names import EntityIndex

    return EntityIndex()


@attrs.define
class _Catalogue:
    """Registered entities, their names and what they are part of, as far as ``position``."""

    types: ClassVar[tuple[type[Event], ...]] = (
        EntityRegistered,
        EntityAliased,
        EntityNamed,
        Identified,
    )
    position: int = 0
    registered: dict[str, EntityRegistered] = attrs.field(factory=dict)
    unindexed: list[tuple[str, tuple[str, ...]]] = attrs.field(factory=list)
    """Names folded in but not yet added to the index, in ledger order."""
    built: EntityIndex | None = None

    @property
    def index(self) -> EntityIndex:
        """The name index, brought up to date when asked: normalising every name of a large
        catalogue costs seconds, and finding a program's parts needs none of it."""
        if self.built is None:
            self.built = _entity_index()
        for entity, names in self.unindexed:
            self.built.add(entity, names)
        self.unindexed.clear()
        return self.built

    def fold(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, EntityRegistered):
                self.registered[event.stream] = event
            named = names_in(event)
            if named is not None:
                self.unindexed.append(named)
            self.position = max(self.position, event.position)


class NameResolver:
    """The entity ids behind names, and the programs, of one store (the ``Ledger``'s part)."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self._catalogue: _Catalogue | None = None
        self._ids: set[str] = set()

    def forget(self) -> None:
        """Drop what was read (the ledger was replaced under us)."""
        self._catalogue = None
        self._ids.clear()

    def resolve(self, program: str, head: int) -> str:
        """The entity id ``program`` stands for (an id, English or Arabic name, or alias)."""
        if program in self._ids:
            return program
        if self._catalogue is None and self._store.stream_version(program) > 0:
            self._ids.add(program)
            return program  # an entity id with events: no need to read the catalogue
        catalogue = self._now(head)
        if program in catalogue.registered:
            self._ids.add(program)
            return program
        found = catalogue.index.find(program)
        if found is not None:
            return found
        if not catalogue.registered or self._mentioned(program):
            # An id that events are about, registered or not, is still that entity.
            self._ids.add(program)
            return program
        raise UnknownEntityError(program, catalogue.index.suggest(program), kind="program")

    def names(self, ids: Iterable[str], lang: Lang) -> Names:
        """The names of these ids as registered (read for them alone, not the catalogue)."""
        wanted = sorted(set(ids))
        english: dict[str, str] = {}
        arabic: dict[str, str] = {}
        if wanted:
            found = self._store.iter_events(subject=wanted, types=(EntityRegistered, EntityNamed))
            for event in found:
                if isinstance(event, EntityRegistered) and event.stream in wanted:
                    if event.name_en:
                        english[event.stream] = event.name_en
                    if event.name_ar:
                        arabic[event.stream] = event.name_ar
                elif isinstance(event, EntityNamed) and event.stream in wanted:
                    # Names another corpus gave an entity registered without them.
                    for tag, name in event.names:
                        if tag == "en":
                            english.setdefault(event.stream, name)
                        elif tag == "ar":
                            arabic.setdefault(event.stream, name)
        return Names(english, arabic, lang)

    def programs(self, head: int) -> Programs:
        """Every registered program, mission, agreement or law, by id."""
        found = [
            ProgramSummary(
                id=e.stream,
                name_en=e.name_en,
                name_ar=e.name_ar,
                kind=e.kind,
                part_of=e.part_of,
            )
            for e in self._now(head).registered.values()
            if e.kind in PROGRAM_KINDS
        ]
        return Programs(programs=tuple(sorted(found, key=lambda p: p.id)))

    def _now(self, head: int) -> _Catalogue:
        """The catalogue, read (or brought up to the head) on first need."""
        catalogue = self._catalogue or _Catalogue()
        if catalogue.position < head:
            catalogue.fold(self._store.iter_events(after=catalogue.position, types=catalogue.types))
            catalogue.position = max(catalogue.position, head)
        self._catalogue = catalogue
        return catalogue

    def _mentioned(self, entity: str) -> bool:
        """Whether any recorded event is about ``entity`` (its stream or a subject)."""
        found = self._store.iter_events(subject=entity, page_size=1)
        try:
            return next(found, None) is not None
        finally:
            close = getattr(found, "close", None)
            if close is not None:
                close()

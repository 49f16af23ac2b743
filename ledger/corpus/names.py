"""Entity names in any language: one normal form, and an index from names to ids.

A historian types «روسكوزموس», "Roscosmos" or "roscosmos" and means the same entity. Names
are compared after normalisation: Unicode compatibility forms, case folding, Arabic without
harakat and tatweel and with one form of alef, yaa and taa marbuta, Arabic-Indic digits as
ASCII, and punctuation as spaces. The index also knows each name without spaces ("U.S." and
"US") and, as a weaker form, without a leading Arabic definite article («الصين» / «صين»).
Weaker forms never override a full name and are dropped where two entities share them.
Other scripts are folded by Unicode case folding (Cyrillic also reads ё as е). External
identifiers (a Wikidata QID, ``wikidata:Q23548``) find their entity like a name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

import attrs

from ledger.dates.folding import fold_text
from ledger.domain.entities import names_in
from ledger.domain.events import Event
from ledger.errors import UnknownEntityError


def normalize_name(name: str) -> str:
    """The form two spellings of one name share (see the module docstring)."""
    text = fold_text(name).replace("ё", "е")
    # Letters and digits stay, everything else (dots, hyphens, apostrophes, «», §) separates.
    spaced = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(spaced.split())


def _compact(form: str) -> str:
    return form.replace(" ", "")


def _without_article(form: str) -> str:
    """The form with «ال» dropped from each word that starts with it (a weaker alias)."""
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in form.split()]
    return " ".join(words)


@attrs.frozen
class NameClash:
    """Two entities share a full name form: the index cannot tell them apart."""

    form: str
    name: str
    entity: str
    other: str


@attrs.define
class EntityIndex:
    """Names and aliases of entities, to resolve what a person or a fixture writes to an id."""

    _full: dict[str, str] = attrs.field(factory=dict)
    _weak: dict[str, str | None] = attrs.field(factory=dict)
    _names: dict[str, list[str]] = attrs.field(factory=dict)
    """Every name given for each entity (as written), for suggestions and display."""
    clashes: list[NameClash] = attrs.field(factory=list)

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EntityIndex:
        """The index of every entity registered or aliased in ``events`` (in order)."""
        index = cls()
        for event in events:
            named = names_in(event)
            if named is not None:
                index.add(*named)
        return index

    def add(self, entity: str, names: Iterable[str]) -> list[NameClash]:
        """Add names for ``entity``; returns (and keeps) the full forms another entity holds."""
        found: list[NameClash] = []
        written = self._names.setdefault(entity, [])
        for name in names:
            form = normalize_name(name)
            if not form:
                continue
            if name not in written:
                written.append(name)
            owner = self._full.setdefault(form, entity)
            if owner != entity:
                found.append(NameClash(form, name, entity, owner))
                continue
            for weak in {_compact(form), _without_article(form)} - {form}:
                if self._weak.get(weak, entity) != entity:
                    self._weak[weak] = None  # shared by two entities: useless
                else:
                    self._weak[weak] = entity
        self.clashes.extend(found)
        return found

    def __contains__(self, entity: object) -> bool:
        return entity in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def names_of(self, entity: str) -> tuple[str, ...]:
        """Every name recorded for ``entity``, as written."""
        return tuple(self._names.get(entity, ()))

    def find(self, name: str) -> str | None:
        """The id ``name`` stands for, or None."""
        if name in self._names:
            return name
        form = normalize_name(name)
        if not form:
            return None
        found = self._full.get(form)
        if found is not None:
            return found
        for weak in (_compact(form), _without_article(form)):
            # A weak form may match a full form of another spelling ("US" -> "u s").
            candidate = self._full.get(weak) or self._weak.get(weak)
            if candidate is not None:
                return candidate
        return None

    def resolve(self, name: str, kind: str = "entity") -> str:
        """The id ``name`` stands for; ``UnknownEntityError`` with the closest names if none."""
        found = self.find(name)
        if found is None:
            raise UnknownEntityError(name, self.suggest(name), kind=kind)
        return found

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Names (as written) of the entities closest to ``name``: one per entity, best first."""
        form = normalize_name(name)
        owners: dict[str, tuple[str, str]] = {}
        for entity, names in self._names.items():
            # Names as people write them first, so "Lunar Gateway" is shown before its id.
            for written in (*(n for n in names if n != entity), entity):
                owners.setdefault(normalize_name(written), (entity, written))
        close = difflib.get_close_matches(form, list(owners), n=limit * 4, cutoff=0.6)
        shown: dict[str, str] = {}
        for match in close:
            entity, written = owners[match]
            if entity not in shown:
                shown[entity] = written
        return list(shown.values())[:limit]

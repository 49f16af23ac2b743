"""Stored events rebuilt by filling their slots, not through their keyword ``__init__``.

A replay rebuilds hundreds of thousands of frozen events. attrs' generated ``__init__`` takes
keywords (so the mapper built dictionaries to unpack into it) and sets each field through
``object.__setattr__``; filling each slot through its descriptor costs half as much. The
result equals what the class's ``__init__`` builds, because every field is given (no default
is taken) and each field's converter is applied; a class whose ``__init__`` could do more (a
validator, a ``__attrs_pre_init__`` or ``__attrs_post_init__``, a field it does not take)
is not rebuilt this way: :func:`slots_of` returns None for it and the mapper calls the class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from ledger.persistence.schema import to_utc

Setter = Callable[[object, Any], None]
"""A slot's ``member_descriptor.__set__``: it writes the slot past a frozen ``__setattr__``."""

Converter = Callable[[Any], Any]

Filled = tuple[tuple[Setter, Any], ...]
"""A payload ready to set: each field's setter and its converted value."""


@attrs.frozen
class Slots:
    """How to fill an attrs class's slots: a setter (and a converter) for each field."""

    cls: type[Any]
    """An event class (or Citation: its fields are all "envelope", none "payload")."""
    envelope: Mapping[str, Setter]
    converters: Mapping[str, Converter]
    """The envelope fields that have a converter (the lists of names)."""
    payload: tuple[tuple[str, Setter, Converter | None], ...]

    def fill(self, payload: Mapping[str, Any]) -> Filled | None:
        """The payload's setters with their converted values; None if a field is missing."""
        if len(payload) != len(self.payload):
            return None
        filled = []
        for name, setter, converter in self.payload:
            if name not in payload:
                return None
            value = payload[name]
            filled.append((setter, value if converter is None else converter(value)))
        return tuple(filled)


def _setter(cls: type, name: str) -> Setter | None:
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if slot is not None:
            if type(slot).__name__ != "member_descriptor":
                return None
            setter: Setter = slot.__set__
            return setter
    return None


def slots_of(cls: type[Any], payload_fields: tuple[str, ...]) -> Slots | None:
    """How to fill ``cls`` slot by slot, or None when only its ``__init__`` builds it alike."""
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return None
    fields = attrs.fields(cls)
    if any(f.validator is not None or not f.init for f in fields):
        return None
    setters: dict[str, Setter] = {}
    converters: dict[str, Converter | None] = {}
    for f in fields:
        setter = _setter(cls, f.name)
        if setter is None:
            return None
        setters[f.name] = setter
        converters[f.name] = f.converter
    return Slots(
        cls,
        {name: s for name, s in setters.items() if name not in payload_fields},
        {n: c for n, c in converters.items() if c is not None and n not in payload_fields},
        tuple((name, setters[name], converters[name]) for name in payload_fields),
    )


def recorded_time(value: Any) -> datetime:
    """A stored recorded time as an aware UTC datetime (SQLite gives its text)."""
    recorded: datetime = datetime.fromisoformat(value) if type(value) is str else value
    return recorded if recorded.tzinfo is UTC else to_utc(recorded)


__all__ = ["Filled", "Setter", "Slots", "recorded_time", "slots_of"]

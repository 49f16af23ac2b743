"""Events to stored rows quickly: one generated function per event class.

A bulk import maps every event it is given, and mapping field by field through loops over
the layout, ``getattr`` by name and a dictionary per payload cost about 20 us an event,
more than SQLite takes to insert the row. The mapper instead generates, for each class on
its first write, one function that reads the event's fields into locals, checks what some
backend could not store alike, and returns the row in :data:`EVENT_COLUMNS` order: the way
attrs generates an ``__init__`` from a class's fields. The source is built here from the
envelope layout (:mod:`ledger.persistence.envelope`) and the class's payload field names
only, so it places exactly the columns the field-by-field mapping would.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ledger.dates import HistoricalDate
from ledger.domain.events import Citation, Confidence, Event
from ledger.errors import EventError
from ledger.persistence import canonical as k
from ledger.persistence.envelope import (
    ASSIGNED,
    CITATION_AT,
    CITATION_TEXTS,
    NAMES_AT,
    TEXT_AT,
)
from ledger.persistence.jsontext import dumps, encoder, names_text, plain, raw_payload
from ledger.persistence.schema import EVENT_COLUMNS

Write = Callable[[Event], list[Any]]


def bound(value: Any) -> int | None:
    """A date's day bound as stored: an integer or null."""
    if value is not None and type(value) is not int:
        raise TypeError(f"date bound {value!r} is not an integer")
    return value


def offsets(event_id: uuid.UUID, start: Any, end: Any) -> None:
    """Refuse a citation span that is not a pair of offsets, or that ends before it starts."""
    for number in (start, end):
        if number is not None and (type(number) is not int or not 0 <= number < 2**31):
            raise EventError(f"event {event_id}: citation offset {number!r} is not an offset")
    if start is not None and end is not None and end < start:
        raise EventError(f"event {event_id}: citation span ends ({end}) before it starts")


def _names(var: str) -> str:
    # Most lists of names are empty: their text needs no encoder call (a list, which is not
    # equal to the empty tuple, still goes to names_text and is refused there).
    return f'("[]" if {var} == () else names_text({var}))'


# The generated function's locals holding each envelope field, by field name.
_TEXT_VARS = {name: f"e_{name}" for name, _ in TEXT_AT}
_CITE_VARS = {name: f"c_{name}" for name, _ in CITATION_AT}
_NAME_VARS = {name: f"n_{name}" for name, _ in NAMES_AT}


def _columns(type_name: str, version: int) -> dict[int, str]:
    """The expression of each column the writer fills, by column index (see source_of)."""
    column: dict[int, str] = {
        k.ID: "str(event_id)",
        k.TYPE: repr(type_name),
        k.VERSION: repr(version),
        k.VALID_EDTF: "valid.edtf",
        k.VALID_EARLIEST: "bound(valid.earliest)",
        k.VALID_LATEST: "bound(valid.latest)",
        k.CONFIDENCE: "confidence.value",
        k.PAYLOAD: "payload",
    }
    column.update((at, _TEXT_VARS[name]) for name, at in TEXT_AT)
    column.update((at, _names(_NAME_VARS[name])) for name, at in NAMES_AT)
    for name, at in CITATION_AT:
        var = _CITE_VARS[name]
        column[at] = _names(var) if name == "also_cited" else var
    return column


# A column added to the table without its place here must fail at import, not stay null.
_LEFT = {name for i, name in enumerate(EVENT_COLUMNS) if i not in _columns("", 0)}
if {*ASSIGNED, "prev_hash", "hash"} != _LEFT:  # pragma: no cover - a layout edit
    raise ImportError(f"the writer places no value in {sorted(_LEFT)}")


def source_of(type_name: str, version: int, payload: tuple[str, ...]) -> str:
    """The source of the writer of a class stored as ``type_name``, version ``version``."""
    lines = [
        "def write(event):",
        "    event_id = event.id",
        "    if type(event_id) is not UUID:",
        '        raise EventError(f"event id {event_id!r} is not a UUID")',
        "    valid = event.valid_time",
        "    if not isinstance(valid, HistoricalDate):",
        '        raise EventError(f"event {event_id}: valid_time must be a HistoricalDate")',
        "    citation = event.citation",
        "    if type(citation) is not Citation:",
        '        raise EventError(f"event {event_id}: citation must be a Citation")',
        "    confidence = event.confidence",
        "    if type(confidence) is not Confidence:",
        '        raise EventError(f"event {event_id}: confidence must be a Confidence")',
    ]
    lines += [f"    {var} = event.{name}" for name, var in _TEXT_VARS.items()]
    lines += [f"    {var} = citation.{name}" for name, var in _CITE_VARS.items()]
    lines += [f"    {var} = event.{name}" for name, var in _NAME_VARS.items()]
    # One join proves every piece is text and finds NUL, which PostgreSQL cannot store.
    texts = [*_TEXT_VARS.values(), *(_CITE_VARS[name] for name in CITATION_TEXTS)]
    texts += [f"*{var}" for var in (*_NAME_VARS.values(), _CITE_VARS["also_cited"])]
    lines += [
        f'    if "\\x00" in "".join([{", ".join(texts)}]):',
        '        raise EventError(f"event {event_id}: text contains a NUL character")',
        f"    if not {_TEXT_VARS['stream']}.strip():",
        '        raise EventError(f"event {event_id}: stream must not be empty")',
        f"    offsets(event_id, {_CITE_VARS['start']}, {_CITE_VARS['end']})",
    ]
    locals_ = [f"p{i}" for i in range(len(payload))]
    lines += [f"    {var} = event.{name}" for var, name in zip(locals_, payload, strict=True)]
    raw = " and ".join(f"raw_payload({var})" for var in locals_) or "True"
    pairs = list(zip(payload, locals_, strict=True))
    as_is = ", ".join(f"{name!r}: {var}" for name, var in pairs)
    plained = ", ".join(f"{name!r}: plain({var})" for name, var in pairs)
    lines += [
        f"    if {raw}:",
        f"        payload = encode({{{as_is}}}).decode()",
        "    else:",
        f"        payload = dumps({{{plained}}})",
    ]
    column = _columns(type_name, version)
    values = ", ".join(column.get(i, "None") for i in range(len(EVENT_COLUMNS)))
    lines.append(f"    return [{values}]")
    return "\n".join(lines) + "\n"


_SCOPE: dict[str, Any] = {
    "UUID": uuid.UUID,
    "HistoricalDate": HistoricalDate,
    "Citation": Citation,
    "Confidence": Confidence,
    "EventError": EventError,
    "offsets": offsets,
    "bound": bound,
    "names_text": names_text,
    "raw_payload": raw_payload,
    "plain": plain,
    "dumps": dumps,
    "encode": encoder.encode,
}


def writer(cls: type[Event], payload: tuple[str, ...]) -> Write:
    """The generated writer of ``cls``, whose payload fields are ``payload``."""
    source = source_of(cls.type_name, cls.version, payload)
    scope = dict(_SCOPE)
    code = compile(source, f"<ledger writer of {cls.type_name}>", "exec")
    exec(code, scope)  # the source is built here from attrs fields and column indexes only
    write: Write = scope["write"]
    return write


__all__ = ["Write", "bound", "offsets", "source_of", "writer"]

"""A record of a JSON Lines export checked field by field before it becomes an event.

The mapper rebuilds an event from a record and the store checks what it may hold, but their
errors name the event, not where it came from, and some wrong types would be stored as they
are (a number where a name belongs, a string where a list of names does, read letter by
letter). Here every field of the record is checked against what an export writes, and a
problem names its field (``citation.start``, ``payload.attribute``); the reader adds the
file and the line.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

import attrs

from ledger.dates import parse_edtf
from ledger.dates.recorded import beyond_now
from ledger.domain.events import EVENT_TYPES, Citation, Confidence, Event
from ledger.errors import InvalidDateError
from ledger.persistence.mapper import CITATION, ENVELOPE

__all__ = ["RecordProblem", "check_record"]

_LARGEST = 2**63  # what every backend's BIGINT holds
_OFFSET_LIMIT = 2**31
_TOP = frozenset(("type", "version", *ENVELOPE, "payload"))
_CITATION_FIELDS = frozenset(CITATION)
_CONFIDENCES = tuple(c.value for c in Confidence)


class RecordProblem(ValueError):
    """What is wrong with one field of a record."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"field {field!r}: {message}")


def _required(cls: type[Any], skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(
        f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING and f.name not in skip
    )


_TOP_REQUIRED = ("type", *_required(Event), "payload")
_CITATION_REQUIRED = _required(Citation)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise RecordProblem(field, f"expected text, got {_shown(value)}")
    if "\x00" in value:
        raise RecordProblem(field, "text contains a NUL character")
    return value


def _names(field: str, value: Any) -> None:
    if not isinstance(value, list):
        raise RecordProblem(field, f"expected a list of names, got {_shown(value)}")
    for n, item in enumerate(value):
        _text(f"{field}[{n}]", item)


def _whole(field: str, value: Any, low: int, high: int) -> int:
    if type(value) is not int or not low <= value < high:
        bound = f"2^{high.bit_length() - 1}"
        raise RecordProblem(
            field, f"expected a whole number from {low} up to {bound}, got {_shown(value)}"
        )
    return value


def _uuid(field: str, value: Any) -> None:
    try:
        uuid.UUID(_text(field, value))
    except ValueError:
        raise RecordProblem(field, f"not a UUID: {_shown(value)}") from None


def _object(field: str, value: Any, known: frozenset[str], required: tuple[str, ...]) -> None:
    if not isinstance(value, dict):
        raise RecordProblem(field, f"expected an object, got {_shown(value)}")
    if not known.issuperset(value):
        name = next(n for n in value if n not in known)
        raise RecordProblem(f"{field}.{name}" if field else name, "not a field an export holds")
    for name in required:
        if name not in value:
            raise RecordProblem(f"{field}.{name}" if field else name, "missing")


def _recorded(value: Any, now: datetime | None) -> None:
    if value is None:
        return
    try:
        stamp = datetime.fromisoformat(_text("recorded_at", value))
    except ValueError:
        raise RecordProblem("recorded_at", f"not an ISO 8601 time: {_shown(value)}") from None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise RecordProblem("recorded_at", f"{value} has no time zone")
    if beyond_now(stamp, now):
        raise RecordProblem(
            "recorded_at", f"{value} is in the future: a ledger cannot have learned it yet"
        )


def _citation(value: Any) -> None:
    _object("citation", value, _CITATION_FIELDS, _CITATION_REQUIRED)
    for name in ("source", "quote", "quote_in"):
        if name in value:
            _text(f"citation.{name}", value[name])
    for name in ("start", "end"):
        if value.get(name) is not None:
            _whole(f"citation.{name}", value[name], 0, _OFFSET_LIMIT)
    if "also_cited" in value:
        _names("citation.also_cited", value["also_cited"])
    start, end = value.get("start"), value.get("end")
    if start is not None and end is not None and end < start:
        raise RecordProblem("citation.end", f"the quoted span ends ({end}) before it starts")


@cache
def _payload_hints(type_name: str) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    cls = EVENT_TYPES[type_name]
    hints = typing.get_type_hints(cls)
    fields = {f.name: hints[f.name] for f in attrs.fields(cls) if f.name not in ENVELOPE}
    return fields, frozenset(fields), _required(cls, ENVELOPE)


def _payload_value(field: str, hint: Any, value: Any) -> None:
    if hint is str:
        _text(field, value)
    elif hint is int:
        # Any size: the canonical encoding keeps integers past 2^64 exactly.
        if type(value) is not int:
            raise RecordProblem(field, f"expected a whole number, got {_shown(value)}")
    elif hint is uuid.UUID:
        _uuid(field, value)
    elif typing.get_args(hint) == (str, ...):
        _names(field, value)
    elif isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if not isinstance(value, str | int | float | bool):
            raise RecordProblem(
                field, f"expected text, a number or true/false, got {_shown(value)}"
            )
        if isinstance(value, str):
            _text(field, value)
    elif typing.get_origin(hint) is tuple:  # pairs: (language, name), (field, new value)
        both = typing.get_args(typing.get_args(hint)[0]) == (str, str)
        if isinstance(value, dict) and not both:
            return  # Corrected.changes: field name -> new value, exported as an object
        if not isinstance(value, list) or not all(
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and (isinstance(pair[1], str) or not both)
            for pair in value
        ):
            raise RecordProblem(
                field, f"expected a list of [name, value] pairs, got {_shown(value)}"
            )


def _payload(type_name: str, value: Any) -> None:
    fields, known, required = _payload_hints(type_name)
    _object("payload", value, known, required)
    for name, item in value.items():
        _payload_value(f"payload.{name}", fields[name], item)


@lru_cache(maxsize=4096)
def _date_problem(text: str) -> str | None:
    # An export repeats the same few dates: each is read once.
    try:
        parse_edtf(text)
    except InvalidDateError as error:
        return str(error)
    return None


def check_record(record: Mapping[str, Any], now: datetime | None = None) -> None:
    """Raise ``RecordProblem`` naming the first field of ``record`` that an export of this
    ledger could not have written; ``now`` bounds recorded times (default: the clock)."""
    _object("", record, _TOP, _TOP_REQUIRED)
    type_name = _text("type", record["type"])
    if type_name not in EVENT_TYPES:
        raise RecordProblem("type", f"{type_name!r} is not a registered event type")
    if "version" in record:
        newest = EVENT_TYPES[type_name].version
        if _whole("version", record["version"], 1, _LARGEST) > newest:
            raise RecordProblem(
                "version",
                f"{type_name} version {record['version']} was written by a newer ledger (this "
                f"one reads up to version {newest})",
            )
    _uuid("id", record["id"])
    if not _text("stream", record["stream"]).strip():
        raise RecordProblem("stream", "must not be empty")
    problem = _date_problem(_text("valid_time", record["valid_time"]))
    if problem is not None:
        raise RecordProblem("valid_time", problem)
    _citation(record["citation"])
    for name in ("subjects", "participants"):
        if name in record:
            _names(name, record[name])
    for name in ("fact", "phrase", "summary"):
        if name in record:
            _text(name, record[name])
    if "confidence" in record and _text("confidence", record["confidence"]) not in _CONFIDENCES:
        raise RecordProblem(
            "confidence", f"{record['confidence']!r} is not one of {', '.join(_CONFIDENCES)}"
        )
    for name in ("sequence", "position"):
        if name in record:
            _whole(name, record[name], 0, _LARGEST)
    _recorded(record.get("recorded_at"), now)
    _payload(type_name, record["payload"])

"""JSON as the ledger writes it: msgspec's sorted compact text, the standard library's for floats.

msgspec writes exactly what ``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` writes for text, integers, booleans and null (every control character,
separators, non-BMP text, integers past 2**64 included); it writes some floats otherwise
(``1e16`` for ``1e+16``, NaN as null), so a value holding a float goes through ``json``.
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from ledger.dates import HistoricalDate
from ledger.persistence.schema import format_utc, to_utc

encoder = msgspec.json.Encoder(order="sorted")


def dumps(value: dict[str, Any]) -> str:
    """Canonical JSON text: msgspec, or ``json`` where the two could differ (floats)."""
    if not has_float(value):
        return encoder.encode(value).decode()
    # msgspec writes 1e16 where json writes 1e+16, and NaN as null: keep json's text.
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


_SAME_TEXT = frozenset((str, int, bool, type(None), uuid.UUID))
"""Types whose values msgspec and json write alike (ids as their canonical text)."""


def has_float(value: Any) -> bool:
    kind = type(value)
    if kind in _SAME_TEXT:
        return False
    if kind is float:
        return True
    if kind is tuple or kind is list:
        return any(has_float(v) for v in value)
    if kind is dict:
        return any(has_float(v) for v in value.values())
    return False


def raw_payload(value: Any) -> bool:
    """Whether msgspec can encode this payload value as it is (no conversion, no float)."""
    kind = type(value)
    if kind in _SAME_TEXT:
        return True
    return kind is tuple and all(type(v) is str for v in value)


def plain(value: Any) -> Any:
    """A payload value as JSON data: ids and enums as text, dates as EDTF, times as UTC text."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, HistoricalDate):
        return value.edtf
    if isinstance(value, datetime):
        return format_utc(to_utc(value))
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    raise TypeError(f"a payload cannot hold a value of type {type(value).__name__}")


def thaw(value: Any) -> Any:
    """JSON arrays back to tuples, deeply: events hold tuples, never lists."""
    if isinstance(value, list):
        return tuple([thaw(v) for v in value])
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    return value


def names_text(values: tuple[str, ...]) -> str:
    # The writer (writing.py) has joined every name before: each is text.
    if type(values) is not tuple:
        raise TypeError(f"{values!r} is not a tuple of names")
    return encoder.encode(values).decode()


def names(text: str) -> tuple[str, ...]:
    values = msgspec.json.decode(text)
    if type(values) is not list or not all(type(v) is str for v in values):
        raise ValueError(f"{text[:80]!r} is not a JSON list of names")
    return tuple(values)


__all__ = ["dumps", "encoder", "has_float", "names", "names_text", "plain", "raw_payload", "thaw"]

"""Saved projections as bytes: a fact table or the reach index, versioned JSON.

The values are the domain's own frozen types (``SavedTable`` with its claims and answers,
``ReachIndex``); cattrs turns them into plain data and back, driven by their attrs fields and
type hints, and msgspec writes and reads the JSON. Dates travel as their EDTF text, recorded
times as ISO 8601: nothing here knows what a claim holds, so a field added to a domain type
is saved without touching this module (and a saved projection of an older shape fails to
decode, so it is folded again from the events: a checkpoint is only a cache).
"""

from __future__ import annotations

import sys
from typing import TypeVar

import cattrs
import msgspec
from cattrs.preconf.msgspec import make_converter

from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.claims import PayloadValue, plain
from ledger.domain.fold import FactTable, SavedTable
from ledger.domain.reach import ReachIndex

TABLE_FORMAT = "ledger.fact-table/4"
"""Format of an encoded fact table; one in any other format is rebuilt from the events."""

REACH_FORMAT = "ledger.reach-index/3"
"""Format of an encoded reach index."""


_T = TypeVar("_T")


def _shared(value: str, _: object) -> str:
    # Decoded JSON makes a new string for every occurrence; interning the short recurring
    # ones (entity ids, types, sources) keeps a table of many claims small in memory.
    return sys.intern(value) if len(value) <= 64 else value


def _converter() -> cattrs.Converter:
    converter = make_converter()
    converter.register_unstructure_hook(HistoricalDate, lambda date: date.edtf)
    converter.register_structure_hook(HistoricalDate, lambda text, _: parse_edtf(text))
    # A payload value is any plain JSON value; claims hold lists as tuples (hashable).
    converter.register_structure_hook(PayloadValue, lambda value, _: plain(value))
    converter.register_structure_hook(str, _shared)
    return converter


_CONVERTER = _converter()
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder()


def _encode(format: str, value: object) -> bytes:
    return _ENCODER.encode({"format": format, "value": _CONVERTER.unstructure(value)})


def _decode(format: str, data: bytes, cls: type[_T]) -> _T | None:
    try:
        document = _DECODER.decode(data)
    except msgspec.DecodeError:
        return None
    if not isinstance(document, dict) or document.get("format") != format:
        return None
    try:
        return _CONVERTER.structure(document.get("value"), cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError):
        return None


def encode_table(table: FactTable) -> bytes:
    """A fact table as UTF-8 JSON bytes."""
    return _encode(TABLE_FORMAT, table.saved())


def decode_table(data: bytes) -> FactTable | None:
    """A table from :func:`encode_table`'s bytes, or None if of another format or shape."""
    saved = _decode(TABLE_FORMAT, data, SavedTable)
    return None if saved is None else FactTable.restored(saved)


def encode_reach(index: ReachIndex) -> bytes:
    """The reach index as UTF-8 JSON bytes."""
    return _encode(REACH_FORMAT, index)


def decode_reach(data: bytes) -> ReachIndex | None:
    """A reach index from :func:`encode_reach`'s bytes, or None if of another format."""
    return _decode(REACH_FORMAT, data, ReachIndex)

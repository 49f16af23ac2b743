"""The canonical bytes the hash chain covers, and the positional layout of a stored row.

The canonical encoding of a stored event is the JSON object of every column of ``events``
except ``hash``: sorted keys, no spaces, ``ensure_ascii=False``, UTF-8; the id and the
recorded time as text (``YYYY-MM-DDTHH:MM:SS.ffffffZ``). Anyone can recompute it from the
database with ``json.dumps``. ``hash = sha256(bytes.fromhex(prev_hash) + canonical)``; the
first event's ``prev_hash`` is 32 zero bytes. The bytes are the same on every backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any, Final

from ledger.persistence.schema import EVENT_COLUMNS, format_utc, to_utc

GENESIS_HASH: Final = "0" * 64
"""The ``prev_hash`` of the first event: 32 zero bytes, in hex."""

GENESIS_BYTES: Final = bytes(32)

# Row layout (schema.EVENT_COLUMNS); rows are built and read positionally for speed.
(
    POSITION,
    ID,
    TYPE,
    VERSION,
    STREAM,
    SEQUENCE,
    VALID_EDTF,
    RECORDED_AT,
    CITATION_SOURCE,
    CITATION_QUOTE,
    CITATION_START,
    CITATION_END,
    CITATION_QUOTE_IN,
    CITATION_ALSO_CITED,
    SUBJECTS,
    PARTICIPANTS,
    FACT,
    CONFIDENCE,
    PHRASE,
    SUMMARY,
    PAYLOAD,
    VALID_EARLIEST,
    VALID_LATEST,
    PREV_HASH,
    HASH,
) = range(25)

_LAYOUT = {name: index for index, name in enumerate(EVENT_COLUMNS)}
# A schema edit without a codec edit must fail at import, not store columns in the wrong place.
if {name: globals()[name.upper()] for name in EVENT_COLUMNS} != _LAYOUT:  # pragma: no cover
    raise ImportError("ledger.persistence.codec: row layout does not match the events table")


def _num(value: int | None) -> str:
    return "null" if value is None else str(_int(value))


def _text_list(values: tuple[str, ...]) -> str:
    return "[" + ",".join(map(encode_basestring, values)) + "]" if values else "[]"


def _head(row: Sequence[Any]) -> str:
    """Canonical JSON of the stored columns that sort before ``position``, through its key."""
    return (
        f'{{"citation_also_cited":{encode_basestring(row[CITATION_ALSO_CITED])},'
        f'"citation_end":{_num(row[CITATION_END])},'
        f'"citation_quote":{encode_basestring(row[CITATION_QUOTE])},'
        f'"citation_quote_in":{encode_basestring(row[CITATION_QUOTE_IN])},'
        f'"citation_source":{encode_basestring(row[CITATION_SOURCE])},'
        f'"citation_start":{_num(row[CITATION_START])},'
        f'"confidence":{encode_basestring(row[CONFIDENCE])},'
        f'"fact":{encode_basestring(row[FACT])},'
        f'"id":{encode_basestring(str(row[ID]))},'
        f'"participants":{encode_basestring(row[PARTICIPANTS])},'
        f'"payload":{encode_basestring(row[PAYLOAD])},'
        f'"phrase":{encode_basestring(row[PHRASE])},'
        '"position":'
    )


def _middle(position: int, prev_hash: str, recorded: str, sequence: int) -> str:
    """Canonical JSON of the columns the store assigns, from the value of ``position`` on."""
    return (
        f'{position},"prev_hash":{encode_basestring(prev_hash)},'
        f'"recorded_at":{encode_basestring(recorded)},"sequence":{sequence}'
    )


def _tail(row: Sequence[Any]) -> str:
    """Canonical JSON of the stored columns that sort after ``sequence``."""
    return (
        f',"stream":{encode_basestring(row[STREAM])},'
        f'"subjects":{encode_basestring(row[SUBJECTS])},'
        f'"summary":{encode_basestring(row[SUMMARY])},'
        f'"type":{encode_basestring(row[TYPE])},'
        f'"valid_earliest":{_num(row[VALID_EARLIEST])},'
        f'"valid_edtf":{encode_basestring(row[VALID_EDTF])},'
        f'"valid_latest":{_num(row[VALID_LATEST])},'
        f'"version":{_num(row[VERSION])}}}'
    )


def recorded_text(value: Any) -> str:
    """The canonical text of a stored recorded time (SQLite already stores that text)."""
    if isinstance(value, str):
        return value
    return format_utc(to_utc(value))


def canonical(row: Sequence[Any]) -> bytes:
    """The canonical bytes of a stored row (:data:`EVENT_COLUMNS` order), as its hash covers.

    Equal to ``json.dumps({column: value for each column but hash}, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False).encode()`` with the id and the recorded time
    as text; built by hand because import and verification do it for every event.
    """
    middle = _middle(
        _int(row[POSITION]), row[PREV_HASH], recorded_text(row[RECORDED_AT]), _int(row[SEQUENCE])
    )
    return (_head(row) + middle + _tail(row)).encode("utf-8")


def chain_hash(prev: bytes, canonical_bytes: bytes) -> bytes:
    """An event's hash: SHA-256 of the previous event's hash bytes, then its canonical bytes."""
    return sha256(prev + canonical_bytes).digest()


def content_of_row(row: Sequence[Any]) -> str:
    """What an event says, apart from where and when the ledger recorded it.

    Two appends of one id are the same event when these agree: the canonical encoding with
    position, sequence, recorded time and the chain links left out.
    """
    return _head(row) + _tail(row)


def _int(value: Any) -> int:
    # Stored integers must be integers: a tampered "7" in SQLite must not pass for 7.
    if type(value) is not int:
        raise TypeError(f"{value!r} is not an integer")
    return value

"""Every recorded event as a plain record (JSON Lines or CSV), written one at a time, and back.

A record holds the whole event: its type and schema version, the envelope (id, stream, valid
time, subjects, participants, fact, confidence, phrase, summary, sequence, position, recorded
time), the citation and the payload. ``event_from_record`` rebuilds the identical event, so a
JSON Lines export appended in order to an empty ledger reproduces the ledger's digest. CSV has
one row per event: list cells and the payload as JSON text.
"""

from __future__ import annotations

import csv
import enum
import json
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import IO, Any

import attrs

from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import EVENT_TYPES, Citation, Confidence, Event, payload_of
from ledger.errors import EventError, UnknownFormatError

__all__ = [
    "CITATION",
    "CSV_COLUMNS",
    "ENVELOPE",
    "EXPORT_FORMATS",
    "csv_row",
    "event_from_record",
    "event_record",
    "plain",
    "read_jsonl",
    "write_events",
]

EXPORT_FORMATS = ("jsonl", "csv")

# Derived from the event classes, so a field added there is exported without a second list.
ENVELOPE = tuple(f.name for f in attrs.fields(Event) if f.name != "citation")
CITATION = tuple(f.name for f in attrs.fields(Citation))
CSV_COLUMNS = (
    "type",
    "version",
    *ENVELOPE,
    *(f"citation_{name}" for name in CITATION),
    "payload",
)


def plain(value: Any) -> Any:
    """``value`` as JSON data that keeps its information (dates as EDTF, times as ISO)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, HistoricalDate):
        return value.edtf
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return str(value)


def _payload(event: Event) -> dict[str, Any]:
    payload = payload_of(event)
    if "changes" in payload:
        # Corrected.changes, pairs of field name and new value, reads back as an object.
        payload["changes"] = dict(payload["changes"])
    return {name: plain(value) for name, value in payload.items()}


def event_record(event: Event) -> dict[str, Any]:
    """Every field of an event (envelope, citation, payload) as JSON data."""
    record: dict[str, Any] = {"type": event.type_name, "version": event.version}
    for name in ENVELOPE:
        record[name] = plain(getattr(event, name))
    record["citation"] = {name: plain(getattr(event.citation, name)) for name in CITATION}
    record["payload"] = _payload(event)
    return record


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def csv_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as one CSV row: lists as JSON arrays, the payload as one JSON object."""
    row: dict[str, Any] = {name: _cell(record[name]) for name in ("type", "version", *ENVELOPE)}
    for name, value in record["citation"].items():
        row[f"citation_{name}"] = _cell(value)
    row["payload"] = json.dumps(record["payload"], ensure_ascii=False, sort_keys=True)
    return row


def write_events(
    events: Iterable[Event],
    out: IO[str],
    fmt: str = "jsonl",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the events to ``out`` one at a time, as JSON Lines or CSV; returns the count.

    Memory stays flat however large the ledger. ``progress`` is called with the number
    written so far, every thousand events and at the end.
    """
    if fmt not in EXPORT_FORMATS:
        raise UnknownFormatError(fmt, EXPORT_FORMATS)
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
    count = 0
    for event in events:
        record = event_record(event)
        if writer is not None:
            writer.writerow(csv_row(record))
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count


# --- reading back -------------------------------------------------------------------------


def _thaw(value: Any) -> Any:
    """JSON arrays back to tuples, deeply: events hold tuples, never lists."""
    if isinstance(value, list):
        return tuple(_thaw(v) for v in value)
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _decoder(hint: Any) -> Callable[[Any], Any]:
    """How to rebuild a payload field of type ``hint`` from its JSON value."""
    if hint is uuid.UUID:
        return uuid.UUID
    if hint is HistoricalDate:
        return parse_edtf
    if hint is datetime:
        return datetime.fromisoformat
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    return _thaw


def event_from_record(record: Mapping[str, Any]) -> Event:
    """The event a record of ``event_record`` (or a JSON line of it) describes.

    Raises ``EventError`` naming the event for an unknown type, another schema version, or a
    field that does not fit.
    """
    name = str(record.get("type"))
    where = f"event {record.get('id', '?')}"
    cls = EVENT_TYPES.get(name)
    if cls is None:
        raise EventError(f"{where}: {name!r} is not a registered event type")
    if record.get("version", cls.version) != cls.version:
        raise EventError(
            f"{where}: exported as {name} version {record.get('version')}; this ledger "
            f"reads version {cls.version}"
        )
    try:
        hints = typing.get_type_hints(cls)
        payload = {
            field: None if value is None else _decoder(hints[field])(value)
            for field, value in dict(record.get("payload") or {}).items()
        }
        citation = dict(record["citation"])
        recorded = record.get("recorded_at")
        return cls(
            id=uuid.UUID(str(record["id"])),
            stream=record["stream"],
            valid_time=parse_edtf(record["valid_time"]),
            citation=Citation(
                source=citation["source"],
                quote=citation.get("quote", ""),
                start=citation.get("start"),
                end=citation.get("end"),
                quote_in=citation.get("quote_in", ""),
                also_cited=tuple(citation.get("also_cited", ())),
            ),
            subjects=tuple(record.get("subjects", ())),
            participants=tuple(record.get("participants", ())),
            fact=record.get("fact", ""),
            confidence=Confidence(record.get("confidence", Confidence.MEDIUM.value)),
            phrase=record.get("phrase", ""),
            summary=record.get("summary", ""),
            sequence=int(record.get("sequence", 0)),
            position=int(record.get("position", 0)),
            recorded_at=None if recorded is None else datetime.fromisoformat(recorded),
            **payload,
        )
    except EventError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise EventError(f"{where}: {type(error).__name__}: {error}") from None


def read_jsonl(lines: Iterable[str], name: str = "<jsonl>") -> Iterator[Event]:
    """The events of a JSON Lines export, in order; EventError names the line that fails."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EventError(f"{name}:{number}: not a JSON line ({error})") from None
        except RecursionError:  # the decoder recurses once per level of nesting
            raise EventError(f"{name}:{number}: not an exported event: nested too deeply") from None
        if not isinstance(record, dict):
            raise EventError(f"{name}:{number}: a line must hold one JSON object")
        try:
            yield event_from_record(record)
        except EventError as error:
            raise EventError(f"{name}:{number}: {error}") from None

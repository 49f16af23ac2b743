"""Every recorded event as a plain record (JSON Lines or CSV), written one at a time, and back.

A record holds the whole event: its type and schema version, the envelope (id, stream, valid
time, subjects, participants, fact, confidence, phrase, summary, sequence, position, recorded
time), the citation and the payload. ``event_from_record`` rebuilds the identical event, so a
JSON Lines export appended in order to an empty ledger reproduces the ledger's digest. CSV has
one row per event: list cells and the payload as JSON text.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

import attrs

from ledger.dates.hostile import spreadsheet_safe
from ledger.domain.events import Event
from ledger.errors import EventError, UnknownFormatError
from ledger.persistence.mapper import CITATION, DEFAULT_MAPPER, ENVELOPE
from ledger.persistence.records import RecordProblem, check_record

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "RecordError",
    "csv_row",
    "event_from_record",
    "event_record",
    "read_jsonl",
    "write_events",
]

EXPORT_FORMATS = ("jsonl", "csv", "csv-raw")
"""``csv`` marks text a spreadsheet would run as a formula with a leading ``'``
(``ledger.dates.hostile``); ``csv-raw`` writes every cell exactly as recorded."""

# The mapper's own field lists, so a field added to the events is exported without a second list.
_FLAT = tuple(name for name in ENVELOPE if name != "citation")
CSV_COLUMNS = (
    "type",
    "version",
    *_FLAT,
    *(f"citation_{name}" for name in CITATION),
    "payload",
)

event_record = DEFAULT_MAPPER.to_record
"""Every field of an event (type, version, envelope, citation, payload) as JSON data."""

event_from_record = DEFAULT_MAPPER.from_record
"""The event a record of ``event_record`` (or a JSON line of it) describes."""


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def csv_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as one CSV row: lists as JSON arrays, the payload as one JSON object."""
    row: dict[str, Any] = {name: _cell(record[name]) for name in ("type", "version", *_FLAT)}
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
    guard = fmt == "csv"
    if fmt in ("csv", "csv-raw"):
        writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
    count = 0
    for event in events:
        record = event_record(event)
        if writer is not None:
            row = csv_row(record)
            if guard:
                row = {k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()}
            writer.writerow(row)
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count


# --- reading back -------------------------------------------------------------------------


class _NonFinite(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in a line: Python reads them, JSON has none."""


def _no_constant(constant: str) -> Any:
    raise _NonFinite(f"{constant} is not a JSON number (an exported event never holds one)")


def _content(event: Event) -> Event:
    """The event without what the store assigns when it appends: what a duplicate must match."""
    return attrs.evolve(event, sequence=0, position=0, recorded_at=None)


class RecordError(EventError):
    """A line of a JSON Lines export that is not an event, located by file, line and field."""

    def __init__(self, file: str, line: int, field: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        what = f" field {field!r}:" if field else ""
        super().__init__(f"{file}:{line}:{what} {message}")


def read_jsonl(lines: Iterable[str], name: str = "<jsonl>") -> Iterator[Event]:
    """The events of a JSON Lines export, in order, each checked as the store would check
    it; ``RecordError`` (an ``EventError``) names the file, line and field that fail."""
    seen: dict[uuid.UUID, tuple[int, Event]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant)
        except _NonFinite as error:
            raise RecordError(name, number, None, str(error)) from None
        except json.JSONDecodeError as error:
            raise RecordError(name, number, None, f"not a JSON line ({error})") from None
        except RecursionError:  # the decoder recurses once per level of nesting
            raise RecordError(
                name, number, None, "not an exported event: nested too deeply"
            ) from None
        if not isinstance(record, dict):
            raise RecordError(name, number, None, "a line must hold one JSON object")
        try:
            check_record(record)
        except RecordProblem as problem:
            raise RecordError(name, number, problem.field or None, problem.message) from None
        try:
            event = event_from_record(record)
        except EventError as error:
            raise RecordError(name, number, None, str(error)) from None
        line_before, before = seen.setdefault(event.id, (number, event))
        if line_before != number and _content(before) != _content(event):
            raise RecordError(
                name, number, "id", f"{event.id} is the id of another event, on line {line_before}"
            )
        yield event

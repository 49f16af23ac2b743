"""``ledger events`` and ``ledger export``: the recorded events themselves, filtered or all."""

from __future__ import annotations

import argparse
import difflib
import enum
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import add_format, add_parser, emit, write_file
from ledger.dates import HistoricalDate
from ledger.domain.events import EVENT_TYPES, Event, payload_of
from ledger.domain.state import Row
from ledger.errors import QueryError
from ledger.reports.tables import render
from ledger.timeparse import parse_known_at

EVENT_COLUMNS = ("position", "date", "stream", "type", "summary", "source", "recorded_at", "id")
EXPORT_FORMATS = ("jsonl", "csv")
ENVELOPE = (
    "id",
    "type",
    "version",
    "stream",
    "valid_time",
    "subjects",
    "participants",
    "fact",
    "confidence",
    "phrase",
    "summary",
    "sequence",
    "position",
    "recorded_at",
)
CITATION = ("source", "quote", "start", "end", "quote_in", "also_cited")


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``events`` and ``export`` commands."""
    events = add_parser(
        sub,
        common,
        "events",
        summary="list recorded events, filtered by program, type, dates and recorded time",
        description="List the recorded events in ledger order: position, valid time, stream, "
        "type, summary, source, recorded time and id. Filters combine: events about a "
        "program or entity (any name), of one or more types, whose dates may fall between "
        "--from and --to, recorded by --known-at; --limit keeps the first N.",
        example="ledger events --program ILRS --type AgreementSigned --limit 5",
    )
    events.add_argument(
        "--program",
        "--subject",
        dest="subject",
        metavar="X",
        default=None,
        help="only events about this entity (id, name or alias, English or Arabic)",
    )
    events.add_argument(
        "--type",
        dest="types",
        action="append",
        metavar="T",
        default=None,
        help="only events of this type (repeatable), e.g. AgreementSigned",
    )
    events.add_argument("--from", dest="start", metavar="DATE", help="EDTF: may end on or after")
    events.add_argument("--to", dest="end", metavar="DATE", help="EDTF: may begin on or before")
    events.add_argument(
        "--known-at",
        metavar="TIME",
        default=None,
        help="recorded by then: ISO datetime, or a date meaning the end of that day UTC",
    )
    events.add_argument("--limit", type=_positive, metavar="N", default=None, help="at most N")
    add_format(events)
    events.set_defaults(handler=handle_events)

    export = add_parser(
        sub,
        common,
        "export",
        summary="write every event (envelope, citation, payload) as jsonl or csv",
        description="Write every recorded event in ledger order with its envelope, citation "
        "and payload. jsonl is lossless: one JSON object per event, with every field. csv has "
        "one row per event, the payload as a JSON object in one column.",
        example="ledger export --format jsonl --out ledger.jsonl",
    )
    export.add_argument(
        "--format", choices=EXPORT_FORMATS, default="jsonl", help="jsonl (default) or csv"
    )
    export.add_argument(
        "--out", metavar="FILE", default=None, help="write to FILE (default: standard output)"
    )
    export.set_defaults(handler=handle_export)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def event_types(names: Iterable[str]) -> list[str]:
    """The event type names asked for; QueryError naming the closest known ones otherwise."""
    known = {name.lower(): name for name in EVENT_TYPES}
    found = []
    for name in names:
        match = known.get(name.lower())
        if match is None:
            close = difflib.get_close_matches(name, list(EVENT_TYPES), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise QueryError(f"unknown event type {name!r}{hint}")
        found.append(match)
    return found


def event_row(event: Event) -> Row:
    """An event as one listing line."""
    return {
        "position": event.position,
        "date": event.valid_time.edtf,
        "stream": event.stream,
        "type": event.type_name,
        "summary": event.summary,
        "source": event.citation.source,
        "recorded_at": event.recorded_at.isoformat() if event.recorded_at else None,
        "id": str(event.id),
    }


def handle_events(args: argparse.Namespace, out: TextIO) -> int:
    """Print the events that pass the filters."""
    types = event_types(args.types) if args.types else None
    known_at = parse_known_at(args.known_at) if args.known_at is not None else None
    with open_ledger(args) as opened:
        subject = None if args.subject is None else opened.projections.resolve(args.subject)
        found: Iterator[Event] = opened.events(
            subject=subject,
            types=types,
            valid_from=args.start,
            valid_to=args.end,
            known_at=known_at,
        )
        rows = [event_row(e) for e in itertools.islice(found, args.limit)]
    emit(out, rows, args.format, EVENT_COLUMNS)
    return 0


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
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        if all(isinstance(v, tuple) and len(v) == 2 for v in value) and value:
            # Pairs (Corrected.changes) read back as an object.
            return {str(k): plain(v) for k, v in value}
        return [plain(v) for v in value]
    return str(value)


def event_record(event: Event) -> dict[str, Any]:
    """Every field of an event: envelope, citation and payload, as JSON data."""
    record: dict[str, Any] = {"type": event.type_name, "version": event.version}
    for name in ENVELOPE:
        if name not in record:
            record[name] = plain(getattr(event, name))
    record["citation"] = {name: plain(getattr(event.citation, name)) for name in CITATION}
    record["payload"] = {name: plain(value) for name, value in payload_of(event).items()}
    return record


def _csv_row(record: dict[str, Any]) -> dict[str, object]:
    row: dict[str, object] = {}
    for name in ENVELOPE:
        value = record[name]
        row[name] = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
    for name, value in record["citation"].items():
        cell = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
        row[f"citation_{name}"] = cell
    row["payload"] = json.dumps(record["payload"], ensure_ascii=False, sort_keys=True)
    return row


def handle_export(args: argparse.Namespace, out: TextIO) -> int:
    """Write every event as jsonl or csv, to --out or standard output."""
    with open_ledger(args) as opened:
        records = [event_record(e) for e in opened.events()]
    if args.format == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    else:
        text = render([_csv_row(r) for r in records], "csv") + "\r\n"
    if args.out is None:
        out.write(text)
    else:
        write_file(args.out, text)
        print(f"{len(records)} events -> {args.out}", file=out)
    return 0

"""``ledger events`` and ``ledger export``: the recorded events themselves, filtered or all."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands, add_format, add_parser, print_view
from ledger.cli.progress import Progress

EXPORT_FORMATS = ("jsonl", "csv", "csv-raw")


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
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
        handler=handle_events,
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
    events.add_argument(
        "--source",
        metavar="ID",
        default=None,
        help="only events citing this source (as their source, the text quoted, or also "
        "cited); ids as 'ledger sources' lists them",
    )
    events.add_argument("--limit", type=_positive, metavar="N", default=None, help="at most N")
    add_format(events)

    export = add_parser(
        sub,
        common,
        "export",
        summary="write every event (envelope, citation, payload) as jsonl or csv",
        description="Write every recorded event in ledger order with its envelope, citation "
        "and payload. jsonl is lossless: one JSON object per event, with every field. csv has "
        "one row per event, the payload as a JSON object in one column.",
        example="ledger export --format jsonl --out ledger.jsonl",
        handler=handle_export,
    )
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="jsonl",
        help="jsonl (default), csv (text a spreadsheet would run as a formula is marked with a "
        "leading apostrophe) or csv-raw (every cell as recorded)",
    )
    export.add_argument(
        "--out", metavar="FILE", default=None, help="write to FILE (default: standard output)"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    # itertools.islice takes at most sys.maxsize; more than that is "no limit" in practice.
    return min(value, sys.maxsize)


def handle_events(args: argparse.Namespace, out: TextIO) -> int:
    """Print the events that pass the filters."""
    from ledger.views.catalogue import events_view

    with open_ledger(args) as opened:
        found = opened.find(
            about=args.subject,
            types=args.types,
            valid_from=args.start,
            valid_to=args.end,
            known_at=args.known_at,
            source=args.source,
            limit=args.limit,
        )
    return print_view(events_view(found), args, out)


def handle_export(args: argparse.Namespace, out: TextIO) -> int:
    """Write every event as jsonl or csv, to --out or standard output, one at a time."""
    from ledger.persistence.export import write_events
    from ledger.reports.files import replacing

    with open_ledger(args) as opened:
        total = opened.digest().position
        with Progress("exporting", total) as bar:

            def shown(done: int) -> None:
                bar.advance(done - bar.done)

            if args.out is None:
                write_events(opened.events(), out, args.format, shown)
                return 0
            with replacing(args.out) as target:
                count = write_events(opened.events(), target, args.format, shown)
    print(f"{count} events -> {args.out}", file=out)
    return 0

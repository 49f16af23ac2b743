"""``ledger exchange``: the ledger in formats other tools read (TimelineJS, CSL-JSON, W3C Web
Annotation)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import add_parser, write_file
from ledger.dates.recorded import parse_known_at
from ledger.domain.events import SourceRegistered

FORMATS = ("timelinejs", "csl-json", "annotations")


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``exchange`` command."""
    parser = add_parser(
        sub,
        common,
        "exchange",
        summary="write the timeline for TimelineJS, the sources as CSL-JSON (Zotero), or every "
        "citation as W3C Web Annotations",
        description="Write the ledger in a standard format. timelinejs: TimelineJS JSON, one "
        "slide per claim with dates as precise as the sources give them, display_date for "
        "uncertain ones, a group per program and eras for periods. csl-json: every source as a "
        "CSL-JSON item (Zotero: File > Import). annotations: a W3C AnnotationCollection, one "
        "annotation per quote on the source text that holds it (TextQuoteSelector and "
        "TextPositionSelector, the text named by its SHA-256).",
        example="ledger exchange timelinejs ILRS 'Lunar Gateway' --out timeline.json",
    )
    parser.add_argument("format", choices=FORMATS, help="timelinejs, csl-json or annotations")
    parser.add_argument(
        "programs",
        metavar="PROGRAM",
        nargs="*",
        help="programs to include, any name or alias (default: every program)",
    )
    parser.add_argument(
        "--known-at",
        metavar="WHEN",
        default=None,
        help="only what the ledger had recorded by then: an ISO date (its end, UTC) or datetime",
    )
    parser.add_argument(
        "--out", metavar="FILE", default=None, help="write to FILE (default: standard output)"
    )
    parser.set_defaults(handler=handle)


def _recorded(text: str | None) -> datetime | None:
    return None if text is None else parse_known_at(text)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Write the chosen format."""
    from ledger.views.annotations import annotate
    from ledger.views.csl import csl_items
    from ledger.views.timelinejs import timelinejs

    with open_ledger(args) as opened:
        ids = [opened.resolve(p) for p in args.programs] or list(opened.programs().ids())
        ids = list(dict.fromkeys(ids))
        sources = [
            e for e in opened.events(types=[SourceRegistered], known_at=_recorded(args.known_at))
            if isinstance(e, SourceRegistered)
        ]  # fmt: skip
        if args.format == "csl-json":
            document: object = csl_items(sources)
            summary = f"{len(sources)} sources"
        else:
            timelines = [(p, opened.timeline(p, known_at=args.known_at)) for p in ids]
            if args.format == "timelinejs":
                names = opened.names(ids)
                slides = timelinejs(timelines, names={p: names.both(p) for p in ids})
                document, summary = slides, f"{len(slides['events'])} events"
            else:
                wanted = set(ids)
                cited = [
                    e for e in opened.events(known_at=_recorded(args.known_at))
                    if not args.programs or wanted & set(e.about)
                ]  # fmt: skip
                found = annotate(cited, sources)
                document = found.collection()
                summary = f"{len(found.items)} annotations, {len(found.unplaced)} unplaced"
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        out.write(text)
    else:
        write_file(args.out, text)
        print(f"{summary} -> {args.out}", file=out)
    return 0

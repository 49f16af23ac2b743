"""``ledger exchange``: the ledger in formats other tools read (TimelineJS, CSL-JSON, W3C Web
Annotation)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.application.exchange import EXCHANGE_FORMATS
from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands, add_known_at, add_parser, write_file


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
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
        handler=handle,
    )
    parser.add_argument(
        "format", choices=EXCHANGE_FORMATS, help="timelinejs, csl-json or annotations"
    )
    parser.add_argument(
        "programs",
        metavar="PROGRAM",
        nargs="*",
        help="programs to include, any name or alias (default: every program)",
    )
    add_known_at(parser)
    parser.add_argument(
        "--out", metavar="FILE", default=None, help="write to FILE (default: standard output)"
    )


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Write the chosen format."""
    with open_ledger(args) as opened:
        exchanged = opened.exchange(args.format, args.programs, args.known_at)
    if args.out is None:
        out.write(exchanged.text())
    else:
        write_file(args.out, exchanged.text())
        print(f"{exchanged.summary} -> {args.out}", file=out)
    return 0

"""``ledger date EXPR``: show how the ledger reads a date or a relative phrase."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ledger.cli.output import Subcommands
from ledger.dates import describe, resolve_phrase

EPILOG = """Example:
  ledger date "في شهر ديسمبر" --reference 2021-03-09
  ledger date "2004-06~/2006-08" --format json"""


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``date`` command."""
    parser = sub.add_parser(
        "date",
        parents=[common],
        help="show how a date or a relative phrase is read: EDTF, bounds, precision",
        description="Read an EDTF date, or an English or Arabic phrase resolved against "
        "--reference, and print its canonical EDTF, earliest and latest possible day, "
        "precision and qualifiers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "expr", metavar="EXPR", help='EDTF ("2020-12", "1984?/2004~") or a phrase ("last year")'
    )
    parser.add_argument(
        "--reference",
        metavar="DATE",
        default=None,
        help="day that relative phrases are resolved against, e.g. a source's publication "
        "day (EDTF day: 2021-03-09)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Print the description of ``args.expr``; library errors reach the CLI frame."""
    resolved = resolve_phrase(args.expr, args.reference)
    if resolved.rule == "edtf":
        record = describe(resolved.date)
    else:
        record = describe(resolved.date, phrase=resolved.phrase, reference=resolved.reference)
    if args.format == "json":
        print(json.dumps(record, ensure_ascii=False), file=out)
        return 0
    for key, value in record.items():
        if isinstance(value, list):
            value = ", ".join(value) or "none"
        print(f"{key:<11} {value if value is not None else 'unknown'}", file=out)
    return 0

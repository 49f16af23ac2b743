"""``ledger date EXPR``: show how the ledger reads a date or a relative phrase."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ledger.dates import describe, parse_edtf

EPILOG = """Example:
  ledger date 2004-06~/2006-08
  ledger date "1984?" --format json"""


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``date`` command."""
    parser = sub.add_parser(
        "date",
        parents=[common],
        help="show the canonical EDTF, bounds, precision and qualifiers of a date or phrase",
        description="Read an EDTF date (or a relative phrase, resolved against --reference) "
        "and print its canonical form, earliest and latest day, precision and qualifiers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("expr", metavar="EXPR", help="an EDTF date, e.g. 2020-12 or 1984?/2004~")
    parser.add_argument(
        "--reference",
        metavar="DATE",
        default=None,
        help="day that relative phrases are resolved against (EDTF day, e.g. 2021-03-09)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Print the description of ``args.expr``."""
    record = describe(parse_edtf(args.expr))
    if args.format == "json":
        print(json.dumps(record, ensure_ascii=False), file=out)
        return 0
    for key, value in record.items():
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        print(f"{key:<11} {value if value is not None else 'unknown'}", file=out)
    return 0

"""``ledger state PROGRAM --as-of DATE``: a program as of a date, each fact with its sources."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import add_format, add_names, add_parser, add_why, print_view, shown_names


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``state`` command."""
    parser = add_parser(
        sub,
        common,
        "state",
        summary="a program as of a date: status, members, agreements... with certainty and sources",
        description="Show what a program (any English or Arabic name or alias) looked like as "
        "of an EDTF day, month or year: each fact certain or only possible, with the sources "
        "that support it. With --known-at, only what the ledger had recorded by then. "
        "Conflicting claims are listed last.",
        example="ledger state ILRS --as-of 2021-03-10\n"
        '  ledger state "بوابة القمر" --as-of 2021-03 --why\n'
        '  ledger state "Wolf Amendment" --as-of 2011-03-01 --known-at 2021-03-10',
    )
    parser.add_argument("program", metavar="PROGRAM", help="a program's id, name or alias")
    parser.add_argument(
        "--as-of", required=True, metavar="DATE", help="EDTF day, month or year (2021-03-10)"
    )
    parser.add_argument(
        "--known-at",
        metavar="TIME",
        default=None,
        help="recorded time: ISO datetime, or a date meaning the end of that day UTC",
    )
    add_why(parser)
    add_names(parser)
    add_format(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Print the merged fact table: entity ids for programs, names and footnotes for people."""
    with open_ledger(args) as opened:
        view = opened.state_view(
            args.program, args.as_of, args.known_at, names=shown_names(args), why=args.why
        )
    return print_view(view, args, out)

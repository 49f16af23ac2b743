"""``ledger state PROGRAM --as-of DATE``: a program as of a date, each fact with its sources."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import add_format, add_names, add_parser, add_why, print_view, uses_ids
from ledger.dates.recorded import parse_known_at
from ledger.domain.names import Names


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
    known_at = parse_known_at(args.known_at) if args.known_at is not None else None
    from ledger.views.state import state_ids, state_view

    with open_ledger(args) as opened:
        state = opened.state(args.program, args.as_of, known_at)
        # The data formats give entity ids: no names to look up.
        names = Names() if uses_ids(args) else opened.names(state_ids(state), args.names)
    return print_view(state_view(state, names, why=args.why), args, out)

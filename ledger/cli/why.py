"""``ledger why PROGRAM --as-of DATE FACT``: the events, quotes, rules and tie-breaks of a line."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import add_format, add_names, add_parser, print_view, shown_names


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``why`` command."""
    parser = add_parser(
        sub,
        common,
        "why",
        summary="why one line of a state says what it says: claims, quotes, rules, tie-breaks",
        description="Explain the lines of a program's state (as `ledger state` gives it) that "
        "are about FACT (an entity's name or id, a status, an agreement's title, words of a "
        "line's detail): which claims decide its date and which only support it, which are "
        "deprecated and why, why it is certain or only possible, what may have ended it, how "
        "well it is attested, the corrections and known errors of the quoted texts, and the "
        "tie-breaks used.",
        example='ledger why "Lunar Gateway" --as-of 2020-11-20 Canada\n'
        "  ledger why ILRS --as-of 2021-03-10 agreed --known-at 2021-03-10",
    )
    parser.add_argument("program", metavar="PROGRAM", help="a program's id, name or alias")
    parser.add_argument("fact", metavar="FACT", help="what the line is about")
    parser.add_argument(
        "--as-of", required=True, metavar="DATE", help="EDTF day, month or year (2021-03-10)"
    )
    parser.add_argument(
        "--known-at",
        metavar="TIME",
        default=None,
        help="recorded time: ISO datetime, or a date meaning the end of that day UTC",
    )
    add_names(parser)
    add_format(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Print the steps behind the matching lines, then the quotes they rest on."""
    with open_ledger(args) as opened:
        view = opened.why_view(
            args.program, args.as_of, args.fact, args.known_at, names=shown_names(args)
        )
    return print_view(view, args, out)

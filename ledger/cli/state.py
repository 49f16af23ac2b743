"""``ledger state PROGRAM --as-of DATE``: a program as of a date, each fact with its sources;
``ledger why PROGRAM --as-of DATE FACT``: the events, quotes, rules and tie-breaks of a line."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import (
    Subcommands,
    add_as_of,
    add_parser,
    add_shown,
    print_view,
    shown_names,
)


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``state`` and ``why`` commands."""
    state = add_parser(
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
        handler=handle_state,
    )
    state.add_argument("program", metavar="PROGRAM", help="a program's id, name or alias")
    add_as_of(state)
    add_shown(state)

    why = add_parser(
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
        handler=handle_why,
    )
    why.add_argument("program", metavar="PROGRAM", help="a program's id, name or alias")
    why.add_argument("fact", metavar="FACT", help="what the line is about")
    add_as_of(why)
    add_shown(why, why=False)


def handle_state(args: argparse.Namespace, out: TextIO) -> int:
    """Print the merged fact table: entity ids for programs, names and footnotes for people."""
    with open_ledger(args) as opened:
        view = opened.state_view(
            args.program, args.as_of, args.known_at, names=shown_names(args), why=args.why
        )
    return print_view(view, args, out)


def handle_why(args: argparse.Namespace, out: TextIO) -> int:
    """Print the steps behind the matching lines, then the quotes they rest on."""
    with open_ledger(args) as opened:
        view = opened.why_view(
            args.program, args.as_of, args.fact, args.known_at, names=shown_names(args)
        )
    return print_view(view, args, out)

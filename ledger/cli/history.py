"""``ledger timeline``, ``ledger diff`` and ``ledger conflicts``: claims over time, compared."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import (
    Subcommands,
    add_known_at,
    add_parser,
    add_shown,
    print_view,
    shown_names,
)


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``timeline``, ``diff`` and ``conflicts`` commands."""
    timeline = add_parser(
        sub,
        common,
        "timeline",
        summary="claims in historical order, of one program or of the whole ledger",
        description="List the claims in historical order, each dated as its source dates it, "
        "of one program (with its missions) or, without PROGRAM, of the whole ledger. "
        "--from and --to keep the claims that may fall between two EDTF dates. "
        "csv, json and jsonl give every column (quotes, merged dates, event ids).",
        example="ledger timeline ILRS --from 2020 --to 2021-03",
        handler=handle_timeline,
    )
    timeline.add_argument(
        "program", metavar="PROGRAM", nargs="?", default=None, help="a program (default: all)"
    )
    timeline.add_argument("--from", dest="start", metavar="DATE", help="EDTF start (inclusive)")
    timeline.add_argument("--to", dest="end", metavar="DATE", help="EDTF end (inclusive)")
    add_known_at(timeline)
    add_shown(timeline)

    diff = add_parser(
        sub,
        common,
        "diff",
        summary="what changed in a program between two dates, and which events changed it",
        description="Compare a program's state as of two EDTF dates: every fact that "
        "appeared, disappeared or changed certainty, with the sources of the change.",
        example="ledger diff ILRS 2021-03-08 2021-03-10",
        handler=handle_diff,
    )
    diff.add_argument("program", metavar="PROGRAM", help="a program's id, name or alias")
    diff.add_argument("from_date", metavar="FROM", help="EDTF date before")
    diff.add_argument("to_date", metavar="TO", help="EDTF date after")
    add_shown(diff)

    conflicts = add_parser(
        sub,
        common,
        "conflicts",
        summary="every disagreement between sources, one line per side",
        description="List every disagreement in the ledger: disjoint dates for one happening, "
        "different values for one attribute, a stated count against the recorded members, "
        "a party's answer to an invitation said to last past another it gave. Both sides "
        "are kept, each with its confidence, sources and rank; 'derived' marks a value the "
        "ledger computed. With --known-at, only what the ledger had recorded by then.",
        example="ledger conflicts --known-at 2021-03-10",
        handler=handle_conflicts,
    )
    add_known_at(conflicts)
    add_shown(conflicts)


def handle_timeline(args: argparse.Namespace, out: TextIO) -> int:
    """Print the timeline."""
    with open_ledger(args) as opened:
        view = opened.timeline_view(
            args.program,
            args.start,
            args.end,
            args.known_at,
            names=shown_names(args),
            why=args.why,
        )
    return print_view(view, args, out)


def handle_diff(args: argparse.Namespace, out: TextIO) -> int:
    """Print the changes between the two dates."""
    with open_ledger(args) as opened:
        view = opened.diff_view(
            args.program, args.from_date, args.to_date, names=shown_names(args), why=args.why
        )
    return print_view(view, args, out)


def handle_conflicts(args: argparse.Namespace, out: TextIO) -> int:
    """Print every side of every disagreement."""
    with open_ledger(args) as opened:
        view = opened.conflicts_view(args.known_at, names=shown_names(args), why=args.why)
    return print_view(view, args, out)

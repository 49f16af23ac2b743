"""``ledger timeline``, ``ledger diff`` and ``ledger conflicts``: claims over time, compared."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import (
    add_format,
    add_names,
    add_parser,
    add_why,
    print_view,
    uses_ids,
)
from ledger.cli.picture import add_known_at
from ledger.domain.names import Names


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
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
    )
    timeline.add_argument(
        "program", metavar="PROGRAM", nargs="?", default=None, help="a program (default: all)"
    )
    timeline.add_argument("--from", dest="start", metavar="DATE", help="EDTF start (inclusive)")
    timeline.add_argument("--to", dest="end", metavar="DATE", help="EDTF end (inclusive)")
    add_known_at(timeline)
    add_why(timeline)
    add_names(timeline)
    add_format(timeline)
    timeline.set_defaults(handler=handle_timeline)

    diff = add_parser(
        sub,
        common,
        "diff",
        summary="what changed in a program between two dates, and which events changed it",
        description="Compare a program's state as of two EDTF dates: every fact that "
        "appeared, disappeared or changed certainty, with the sources of the change.",
        example="ledger diff ILRS 2021-03-08 2021-03-10",
    )
    diff.add_argument("program", metavar="PROGRAM", help="a program's id, name or alias")
    diff.add_argument("from_date", metavar="FROM", help="EDTF date before")
    diff.add_argument("to_date", metavar="TO", help="EDTF date after")
    add_why(diff)
    add_names(diff)
    add_format(diff)
    diff.set_defaults(handler=handle_diff)

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
    )
    add_known_at(conflicts)
    add_why(conflicts)
    add_names(conflicts)
    add_format(conflicts)
    conflicts.set_defaults(handler=handle_conflicts)


def handle_timeline(args: argparse.Namespace, out: TextIO) -> int:
    """Print the timeline."""
    with open_ledger(args) as opened:
        timeline = opened.timeline(args.program, args.start, args.end, args.known_at)
        from ledger.views.listings import timeline_ids, timeline_view

        names = Names() if uses_ids(args) else opened.names(timeline_ids(timeline), args.names)
    return print_view(timeline_view(timeline, names, why=args.why), args, out)


def handle_diff(args: argparse.Namespace, out: TextIO) -> int:
    """Print the changes between the two dates."""
    with open_ledger(args) as opened:
        diff = opened.diff(args.program, args.from_date, args.to_date)
        from ledger.views.listings import diff_ids, diff_view

        names = Names() if uses_ids(args) else opened.names(diff_ids(diff), args.names)
    return print_view(diff_view(diff, names, why=args.why), args, out)


def handle_conflicts(args: argparse.Namespace, out: TextIO) -> int:
    """Print every side of every disagreement."""
    with open_ledger(args) as opened:
        conflicts = opened.conflicts(args.known_at)
        from ledger.views.listings import conflicts_ids, conflicts_view

        names = Names() if uses_ids(args) else opened.names(conflicts_ids(conflicts), args.names)
    return print_view(conflicts_view(conflicts, names, why=args.why), args, out)

"""``ledger rebuild [PROGRAM...]``: refold the projections of programs from their events."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands, add_parser
from ledger.cli.progress import Progress


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``rebuild`` command."""
    parser = add_parser(
        sub,
        common,
        "rebuild",
        summary="refold programs' projections from the recorded events and save them",
        description="Forget the saved projection of each program (default: every program) "
        "and fold it again from the recorded events, saving a fresh checkpoint. Answers do "
        "not change; use it after an upgrade or to time a cold build. Shows a progress bar "
        "when stderr is a terminal.",
        example="ledger rebuild ILRS",
        handler=handle,
    )
    parser.add_argument(
        "programs", metavar="PROGRAM", nargs="*", help="programs to rebuild (default: all)"
    )


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Rebuild each program's projection, with a progress bar on a terminal."""
    with open_ledger(args) as opened:
        ids = [opened.resolve(p) for p in args.programs] or list(opened.programs().ids())
        ids = list(dict.fromkeys(ids))
        opened.rebuild_index()  # what reaches each program, found again from the events
        with Progress("rebuilding", len(ids)) as bar:
            for entity in ids:
                opened.rebuild(entity)
                bar.advance(label=f"rebuilding {entity}")
    print(f"rebuilt {len(ids)} projections", file=out)
    return 0

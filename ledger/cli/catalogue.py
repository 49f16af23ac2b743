"""``ledger programs`` and ``ledger sources``: what the ledger knows about and whom it cites."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands, add_format, add_parser, print_view


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``programs`` and ``sources`` commands."""
    programs = add_parser(
        sub,
        common,
        "programs",
        summary="list the programs, missions, agreements and laws, in English and Arabic",
        description="List every program, mission, agreement and law the ledger knows: its "
        "id (usable wherever a PROGRAM is asked), English and Arabic names, kind, and the "
        "program it is part of.",
        example="ledger programs --format github",
        handler=handle_programs,
    )
    add_format(programs)
    sources = add_parser(
        sub,
        common,
        "sources",
        summary="list the sources the ledger cites: title, publisher, date, url, language",
        description="List every registered source with its id (as cited by 'ledger state' "
        "and 'ledger events'), title, publisher, date, url and language.",
        example="ledger sources --format csv",
        handler=handle_sources,
    )
    add_format(sources)


def handle_programs(args: argparse.Namespace, out: TextIO) -> int:
    """Print the catalogue of programs."""
    from ledger.views.catalogue import programs_view

    with open_ledger(args) as opened:
        programs = opened.programs()
    return print_view(programs_view(programs.rows()), args, out)


def handle_sources(args: argparse.Namespace, out: TextIO) -> int:
    """Print every registered source."""
    from ledger.views.catalogue import sources_view

    with open_ledger(args) as opened:
        found = opened.sources()
    return print_view(sources_view(found), args, out)

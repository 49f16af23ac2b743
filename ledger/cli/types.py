"""``ledger types [TYPE]``: the event types and entity kinds a corpus may use, with their fields."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.output import Subcommands

EPILOG = """Example:
  ledger types
  ledger types Stated"""


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``types`` command."""
    parser = sub.add_parser(
        "types",
        parents=[common],
        help="list the event types and entity kinds, with their fields and meaning",
        description="Print the vocabulary of a corpus: the fields every claim has, each event "
        "type with its fields (required or not, the shape of the value, what it means), and "
        "the documented entity kinds. Generated from the classes; docs/types.md is the same "
        "page. With TYPE, only that event type.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("type", metavar="TYPE", nargs="?", help="one event type (any case)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Print the whole page, or one type."""
    from ledger.corpus.vocabulary import find_type, render_type, render_types

    out.write(render_type(find_type(args.type)) if args.type else render_types())
    return 0

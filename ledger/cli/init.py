"""``ledger init PATH``: make a new ledger of your own (a SQLite file, or a database URL)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.application.bootstrap import init
from ledger.cli.output import Subcommands, add_parser


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``init`` command."""
    parser = add_parser(
        sub,
        common,
        "init",
        summary="make a new, empty ledger of your own (optionally seeded with the article's)",
        description="Create a ledger at PATH (a SQLite file; or a database URL such as "
        "postgresql://...) and print the --db URL that names it. Commands that write "
        "(import, add, correct, retract, source add) refuse the default ledger, which holds "
        "the article's corpus, unless asked with --into-default: they write into a ledger "
        "named with --db or $LEDGER_DATABASE_URL. A ledger that already holds events is left "
        "as it is.",
        example="ledger init my-ledger.sqlite --with-article",
        handler=handle,
    )
    parser.add_argument("path", metavar="PATH", help="a SQLite file to create, or a URL")
    parser.add_argument(
        "--with-article",
        action="store_true",
        help="record the article's corpus in it first (as the default ledger holds it)",
    )


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Create the ledger and say how to name it."""
    made = init(args.path, with_article=args.with_article)
    seeded = f", holding the article's corpus ({made.seeded} events)" if made.seeded else ""
    print(f"new ledger: {made.url}{seeded}", file=out)
    print(f"  use it with --db {made.url} (or set LEDGER_DATABASE_URL)", file=out)
    return 0

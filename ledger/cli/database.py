"""Which ledger a command opens: ``--db URL``, else ``$LEDGER_DATABASE_URL``, else the default."""

from __future__ import annotations

import argparse
import os

from ledger.application import Ledger, open, open_default
from ledger.errors import DefaultLedgerError
from ledger.persistence.urls import ENV_VAR, default_path


def open_ledger(args: argparse.Namespace) -> Ledger:
    """Open the ledger named by the command line (see ``ledger.application.bootstrap``).

    Without ``--db`` this is the default ledger, seeded with the packaged corpus on first use.
    """
    url = getattr(args, "db", None)
    return open_default() if url is None else open(url)


def add_into_default(parser: argparse.ArgumentParser) -> None:
    """The flag a writing command needs to write into the default ledger."""
    parser.add_argument(
        "--into-default",
        action="store_true",
        help="write into the default ledger (the article's) when no --db is given",
    )


def open_for_writing(args: argparse.Namespace) -> Ledger:
    """The ledger a writing command records into: ``--db`` or ``$LEDGER_DATABASE_URL``.

    The default ledger (the article's, in the data directory) is refused unless the command
    line says ``--into-default``, so that nobody writes into it by accident.
    """
    url = getattr(args, "db", None)
    if url is None and not os.environ.get(ENV_VAR) and not getattr(args, "into_default", False):
        raise DefaultLedgerError(args.command, str(default_path()))
    return open_ledger(args)

"""Which ledger a command opens: ``--db URL``, else ``$LEDGER_DATABASE_URL``, else the default."""

from __future__ import annotations

import argparse

import ledger
from ledger.app import Ledger


def open_ledger(args: argparse.Namespace) -> Ledger:
    """Open the ledger named by the command line (see ``ledger.persistence.urls``)."""
    return ledger.open(getattr(args, "db", None))

"""Which ledger a command opens: ``--db URL``, else ``$LEDGER_DATABASE_URL``, else the default."""

from __future__ import annotations

import argparse

from ledger.application import Ledger, open, open_default


def open_ledger(args: argparse.Namespace) -> Ledger:
    """Open the ledger named by the command line (see ``ledger.application.bootstrap``).

    Without ``--db`` this is the default ledger, seeded with the packaged corpus on first use.
    """
    url = getattr(args, "db", None)
    return open_default() if url is None else open(url)

"""``ledger where``: which ledger the commands open, and where its file is, without opening it."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from ledger.cli.output import Subcommands, add_parser
from ledger.persistence.urls import ENV_VAR, default_path


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``where`` command."""
    add_parser(
        sub,
        common,
        "where",
        summary="show which ledger the commands open, and where its file is",
        description="Print the ledger the other commands open: the --db URL, else "
        f"${ENV_VAR}, else the default ledger in your data directory (the article's, built on "
        "first use). Nothing is opened or created.",
        example="ledger where",
        handler=handle,
    )


def describe(db: str | None) -> str:
    """Which ledger ``db`` (or the environment, or the default) names, in one or two lines."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if db:
        chosen, origin = db, "--db"
    elif os.environ.get(ENV_VAR):
        chosen, origin = os.environ[ENV_VAR], f"${ENV_VAR}"
    else:
        path = default_path()
        state = "exists" if path.exists() else "not created yet: built on first use"
        return f"default ledger: {path} ({state})"
    try:
        shown = make_url(chosen).render_as_string(hide_password=True)
    except ArgumentError:
        shown = chosen
    return f"{origin}: {shown}"


def handle(args: argparse.Namespace, out: TextIO) -> int:
    """Print where the ledger is."""
    print(describe(getattr(args, "db", None)), file=out)
    return 0

"""Which database a ledger opens: an explicit URL, ``LEDGER_DATABASE_URL``, or the default file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ledger.errors import StoreError

ENV_VAR = "LEDGER_DATABASE_URL"
DEFAULT_FILENAME = "ledger.sqlite"


def default_path() -> Path:
    """The default ledger file in the user's data directory (not created here)."""
    return Path(platformdirs.user_data_dir("ledger")) / DEFAULT_FILENAME


def resolve_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """The URL to open: ``url``, else ``$LEDGER_DATABASE_URL``, else the default SQLite file.

    ``postgresql://`` and ``postgres://`` mean psycopg 3. A SQLite file's folder is created.
    """
    env = os.environ if environ is None else environ
    text = url or env.get(ENV_VAR) or ""
    if not text:
        path = default_path()
        text = "sqlite:///" + str(path)
    try:
        parsed = make_url(text)
    except ArgumentError as e:
        raise StoreError(f"not a database URL: {text!r} (expected e.g. sqlite:///file.db)") from e
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)!r}:"
            " the ledger runs on SQLite and PostgreSQL"
        )
    if is_sqlite_file(parsed):
        assert parsed.database is not None
        try:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except (OSError, ValueError) as e:  # ValueError: a NUL byte in the path
            raise StoreError(f"cannot create the folder of {parsed.database!r}: {e}") from e
    return parsed


def is_sqlite_memory(url: URL) -> bool:
    """Whether ``url`` names a private in-memory SQLite database."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def is_sqlite_file(url: URL) -> bool:
    """Whether ``url`` names a SQLite database in a file (not memory, not a ``file:`` URI)."""
    return (
        url.get_backend_name() == "sqlite"
        and not is_sqlite_memory(url)
        and not (url.database or "").startswith("file:")
    )

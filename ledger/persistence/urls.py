"""Which database a ledger opens: an explicit URL, ``LEDGER_DATABASE_URL``, or the default file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

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
    except (ArgumentError, ValueError) as e:  # ValueError: a malformed host, [::1 or a port
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


_URI_OPTIONS = frozenset({"mode", "immutable", "cache", "vfs", "nolock", "psow"})
"""Options SQLite reads only from a ``file:`` URI: given on a plain path they would be lost."""


def sqlite_open_form(url: URL) -> URL:
    """The form in which to open a SQLite file so that reading works wherever it can.

    SQLite takes ``?mode=ro`` and its kin only from a ``file:`` URI opened with ``uri=true``;
    given on a plain path they are passed over and the file is opened read-write, so such a
    URL is turned into that URI. A file the process may not write (a read-only file system,
    another user's file) is opened ``mode=ro``; where not even SQLite's shared-memory file
    can be made beside it and no write-ahead log is pending, also ``immutable=1`` (nobody can
    change a file on a read-only file system), without which a WAL database cannot be read.
    """
    if not is_sqlite_file(url) or url.query.get("uri") == "true":
        return url
    assert url.database is not None
    options = {k: v for k, v in url.query.items() if k in _URI_OPTIONS}
    rest = {k: v for k, v in url.query.items() if k not in _URI_OPTIONS}
    path = Path(url.database).expanduser()
    try:
        exists = path.is_file()
        writable = os.access(path, os.W_OK) if exists else True
        folder_writable = os.access(path.parent, os.W_OK)
        wal = path.with_name(path.name + "-wal")
        pending = wal.is_file() and wal.stat().st_size > 0
    except (OSError, ValueError):
        return url
    if exists and not writable and "mode" not in options:
        options["mode"] = "ro"
        if not folder_writable and not pending:
            options.setdefault("immutable", "1")
    if not options:
        return url
    absolute = path if path.is_absolute() else Path.cwd() / path
    return url.set(
        database="file:" + quote(str(absolute)), query={**rest, **options, "uri": "true"}
    )

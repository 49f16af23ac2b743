"""Engines set up for the ledger: SQLite in WAL mode with a busy timeout, PostgreSQL in UTC."""

from __future__ import annotations

import random
import sqlite3
import time
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import StaticPool

from ledger.errors import MissingExtraError, StoreError
from ledger.persistence.urls import is_sqlite_file, is_sqlite_memory, sqlite_open_form

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite writer waits for another to finish before giving up."""

CHECKPOINT_HELD = "ledger_checkpoint_held"
"""Connection info set while a SQLite connection's auto-checkpoint is off (see the recorder's
``hold_checkpoint``): the pool turns it back on when the connection comes back."""
AUTOCHECKPOINT_PAGES = 1000
"""SQLite's own default auto-checkpoint, in pages of write-ahead log."""

WRITE_OPTION = "ledger_write"
"""Execution option marking a connection whose transaction will write (SQLite BEGIN IMMEDIATE)."""


CACHE_KIB = 64 << 10
"""A SQLite connection's page cache (a replay's and an import's working set at 10^6)."""


def create_ledger_engine(url: URL, *, cache_kib: int = CACHE_KIB) -> Engine:
    """An engine for ``url`` with the settings the store relies on; ``cache_kib``: each
    SQLite connection's page cache."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, int(cache_kib))
    try:
        engine = create_engine(url)
    except ImportError as error:  # the driver is an optional extra
        raise MissingExtraError("a PostgreSQL ledger", "postgres", "psycopg") from error
    event.listen(engine, "connect", _postgresql_connect)
    return engine


def _sqlite_engine(url: URL, cache_kib: int) -> Engine:
    url = sqlite_open_form(url)
    memory = is_sqlite_memory(url)
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False}
    }
    if memory:
        # One private database lives in one connection: every checkout must get that one.
        kwargs["poolclass"] = StaticPool
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as error:  # a driver named in the URL (sqlite+pysqlcipher://) is absent
        raise StoreError(
            f"the database driver of {url.drivername!r} is not installed "
            f"({getattr(error, 'name', None) or error}); plain sqlite:/// needs none"
        ) from None
    wal = is_sqlite_file(url)

    def connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling skips BEGIN before SELECT and cannot take the
        # write lock up front; the store emits BEGIN itself (see ``begin``).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA cache_size = -{cache_kib}")
            if wal:
                _enter_wal(cursor)
                # In WAL mode NORMAL survives a crashed process; only a power cut loses the tail.
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    def begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN: writers queue instead of failing mid-way.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    def checkin(dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.info.pop(CHECKPOINT_HELD, False):
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    event.listen(engine, "checkin", checkin)
    return engine


def _enter_wal(cursor: Any) -> None:
    """Switch a new database file to WAL, waiting for other processes doing the same.

    The switch needs the exclusive lock; when another connection holds the write lock,
    SQLite refuses at once instead of calling the busy handler (that wait could deadlock),
    so several processes creating one ledger together must retry here themselves.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
        time.sleep(pause * (0.5 + random.random()))
        pause = min(pause * 2, 0.25)


def _postgresql_connect(dbapi_connection: Any, _record: Any) -> None:
    # Timestamps come back in the session's zone; UTC makes them exact without conversion.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
    finally:
        dbapi_connection.autocommit = autocommit

"""The SQLite recorder: ``executemany`` inserts, VALUES lists, and its lock message."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table

from ledger.errors import LedgerError, StoreError
from ledger.persistence.engine import CHECKPOINT_HELD
from ledger.persistence.recorder import SECONDARY_INDEXES, Recorder, chunks
from ledger.persistence.schema import SQLITE_REPLACE_TRIGGER, SQLITE_REPLACE_TRIGGER_DDL

_ID_CHUNK = 2000  # ids per existence query on the append path
_BUILD_CACHE_KIB = -8192  # the page cache while indexes are built after a bulk import (8 MiB)


def _in_wal(conn: Connection) -> bool:
    return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "wal"


class _Checkpoint:
    """The write-ahead log copied into the database file by a second connection, in a
    thread: SQLite lets go of the GIL while it copies, so this runs beside the caller's
    own statements (a bulk import's index builds)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._thread = threading.Thread(target=self._copy, name="ledger checkpoint", daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # a later commit's auto-checkpoint copies it
            pass

    def join(self) -> None:
        """Wait for the copy (the indexes built meanwhile are copied by their own commit,
        once their log is long, like any other commit's)."""
        self._thread.join()


class SqliteRecorder(Recorder):
    """SQLite: the writers' lock is ``BEGIN IMMEDIATE`` (see ``engine``), rows go by
    ``executemany``."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        marks = ", ".join("?" for _ in self.columns.split(", "))
        self._insert_events = f"INSERT INTO events ({self.columns}) VALUES ({marks})"
        self._insert_subjects = "INSERT INTO event_subjects (subject, position) VALUES (?, ?)"

    def insert(
        self, conn: Connection, rows: list[list[Any]], subject_rows: list[tuple[str, int]]
    ) -> None:
        driver = conn.connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            cursor.executemany(self._insert_events, rows)
            cursor.executemany(self._insert_subjects, subject_rows)
        finally:
            cursor.close()

    def stream_versions(self, conn: Connection, streams: Collection[str]) -> dict[str, int]:
        # One index seek per stream: a correlated max() is answered from the end of the
        # (stream, sequence) key, where GROUP BY would scan every event of the stream.
        found: dict[str, int] = {}
        for params in chunks(sorted(streams)):
            values = ",".join("(?)" for _ in params)
            query = (
                f"WITH s(stream) AS (VALUES {values}) SELECT s.stream, "
                "(SELECT max(e.sequence) FROM events e WHERE e.stream = s.stream) FROM s"
            )
            for stream, version in conn.exec_driver_sql(query, tuple(params)):
                if version is not None:
                    found[stream] = int(version)
        return found

    def present_ids(self, conn: Connection, ids: Sequence[str]) -> list[str]:
        present: list[str] = []
        for chunk in chunks(ids, _ID_CHUNK):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id FROM events WHERE id IN ({marks})"
            present += [r[0] for r in conn.exec_driver_sql(query, tuple(chunk))]
        return present

    def hold_checkpoint(self, conn: Connection) -> None:
        # A commit copies the write-ahead log into the database file once it is long (the
        # auto-checkpoint): after a bulk import's last batch that is a pass over every page
        # it wrote, which can run beside the index builds instead of before them. The
        # engine puts the setting back when the connection returns to the pool.
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
        conn.connection.info[CHECKPOINT_HELD] = True

    def restore_indexes(self, conn: Connection) -> None:
        # CREATE INDEX sorts in memory up to the page cache's size (64 MiB here, see engine),
        # on top of the cache itself; a smaller cache while building keeps the peak RSS of a
        # large import down, the sorter spilling to temporary files instead.
        size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
        conn.exec_driver_sql(f"PRAGMA cache_size = {_BUILD_CACHE_KIB}")
        copying = _Checkpoint(conn.engine) if _in_wal(conn) else None
        try:
            super().restore_indexes(conn)
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size = {size}")
            if copying is not None:
                copying.join()

    def suspend_insert_guard(self, conn: Connection) -> str | None:
        # Any BEFORE INSERT trigger makes SQLite run a sub-program per row: 1.5-3 us of the
        # 12-18 us a bulk import's row takes to insert (8 us with a small page cache and
        # foreign keys on). The trigger is there for other writers' REPLACE
        # INTO; inside this transaction only this store writes, with plain INSERTs whose
        # conflicts the unique keys refuse. Dropped and created again (as it was stored) in
        # one transaction, it is never missing for any other connection, and a rollback
        # brings it back.
        query = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?"
        stored = conn.exec_driver_sql(query, (SQLITE_REPLACE_TRIGGER,)).scalar()
        if stored is None:
            return None
        conn.exec_driver_sql(f"DROP TRIGGER {SQLITE_REPLACE_TRIGGER}")
        return str(stored)

    def restore_insert_guard(self, conn: Connection, lifted: str) -> None:
        conn.exec_driver_sql(lifted)

    def indexes_missing(self, conn: Connection) -> bool:
        marks = ", ".join("?" for _ in SECONDARY_INDEXES)
        query = f"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ({marks})"
        found = conn.exec_driver_sql(query, tuple(str(i.name) for i in SECONDARY_INDEXES))
        return int(found.scalar_one()) < len(SECONDARY_INDEXES)

    def guards_missing(self, conn: Connection) -> bool:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?"
        found = conn.exec_driver_sql(query, (SQLITE_REPLACE_TRIGGER,))
        return int(found.scalar_one()) == 0

    def install_guards(self, conn: Connection) -> None:
        conn.exec_driver_sql(SQLITE_REPLACE_TRIGGER_DDL)

    def upsert(self, table: Table) -> Any:
        # Imported here: a dialect's insert module costs every start a few ms.
        from sqlalchemy.dialects.sqlite import insert

        return insert(table)

    def translate(self, message: str) -> LedgerError:
        if "database is locked" in message:
            return StoreError(
                "the database stayed locked by another writer for too long; try again"
            )
        return super().translate(message)

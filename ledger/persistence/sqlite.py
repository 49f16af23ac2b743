"""The SQLite recorder: ``executemany`` inserts, VALUES lists, and its lock message."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table

from ledger.errors import LedgerError, StoreError
from ledger.persistence.recorder import SECONDARY_INDEXES, Recorder, chunks
from ledger.persistence.schema import SQLITE_REPLACE_TRIGGER, SQLITE_REPLACE_TRIGGER_DDL

_ID_CHUNK = 2000  # ids per existence query on the append path
_BUILD_CACHE_KIB = -8192  # the page cache while indexes are built after a bulk import (8 MiB)


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

    def defer_indexes(self, conn: Connection) -> bool:
        # Four indexes of scattered keys kept up row by row cost a bulk import into an empty
        # ledger about a fifth of its time; built once at the end they cost a sort each.
        # Inside the first batch's transaction: if that batch fails, they come back with it.
        for index in SECONDARY_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
        return True

    def restore_indexes(self, conn: Connection) -> None:
        # CREATE INDEX sorts in memory up to the page cache's size (64 MiB here, see engine),
        # on top of the cache itself; a smaller cache while building keeps the peak RSS of a
        # large import down, the sorter spilling to temporary files instead.
        size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
        conn.exec_driver_sql(f"PRAGMA cache_size = {_BUILD_CACHE_KIB}")
        try:
            super().restore_indexes(conn)
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size = {size}")

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

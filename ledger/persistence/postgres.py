"""The PostgreSQL recorder: an explicit table lock, COPY, arrays, planner statistics."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, text

from ledger.persistence.pgguard import can_guard, install_guard, is_guarded
from ledger.persistence.recorder import SECONDARY_INDEXES, Recorder, chunks

_ID_CHUNK = 2000  # ids per array parameter
ANALYZE_AFTER = 10_000
"""A bulk import recording this many events refreshes the planner statistics."""
FILTERED = (
    "position",
    "id",
    "stream",
    "sequence",
    "type",
    "valid_earliest",
    "valid_latest",
    "recorded_at",
)
"""The columns of ``events`` that reads select or order by (see ``queries.event_filters``)."""


class PostgresRecorder(Recorder):
    """PostgreSQL: ``LOCK TABLE ... IN EXCLUSIVE MODE`` serialises writers, rows go by COPY."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._copy_events = f"COPY events ({self.columns}) FROM STDIN"
        self._copy_subjects = "COPY event_subjects (subject, position) FROM STDIN"

    def lock(self, conn: Connection) -> None:
        conn.exec_driver_sql("LOCK TABLE events IN EXCLUSIVE MODE")

    def before_create(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))

    def insert(
        self, conn: Connection, rows: list[list[Any]], subject_rows: list[tuple[str, int]]
    ) -> None:
        driver = conn.connection.driver_connection
        assert driver is not None
        # COPY is several times faster than executemany on PostgreSQL.
        with driver.cursor() as cursor:
            with cursor.copy(self._copy_events) as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.copy(self._copy_subjects) as copy:
                for subject_row in subject_rows:
                    copy.write_row(subject_row)

    def stream_versions(self, conn: Connection, streams: Collection[str]) -> dict[str, int]:
        query = (
            "SELECT s.stream, (SELECT max(e.sequence) FROM events e WHERE e.stream = s.stream)"
            " FROM unnest(%s::text[]) AS s(stream)"
        )
        found: dict[str, int] = {}
        params: Iterator[Sequence[str]] = chunks(sorted(streams), _ID_CHUNK)
        for chunk in params:
            for stream, version in conn.exec_driver_sql(query, (list(chunk),)):
                if version is not None:
                    found[stream] = int(version)
        return found

    def present_ids(self, conn: Connection, ids: Sequence[str]) -> list[str]:
        query = "SELECT id::text FROM events WHERE id = ANY(%s::uuid[])"
        present: list[str] = []
        for chunk in chunks(ids, _ID_CHUNK):
            present += [r[0] for r in conn.exec_driver_sql(query, (list(chunk),))]
        return present

    def indexes_missing(self, conn: Connection) -> bool:
        query = (
            "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = 'events' AND indexname = ANY(%s)"
        )
        found = conn.exec_driver_sql(query, ([str(i.name) for i in SECONDARY_INDEXES],))
        return int(found.scalar_one()) < len(SECONDARY_INDEXES)

    def guards_missing(self, conn: Connection) -> bool:
        # Only a superuser can make the guard; for anyone else nothing is missing they could add.
        return can_guard(conn) and not is_guarded(conn)

    def install_guards(self, conn: Connection) -> None:
        if can_guard(conn):
            install_guard(conn)

    def upsert(self, table: Table) -> Any:
        # Imported here: loading the PostgreSQL dialect costs every start ~20 ms.
        from sqlalchemy.dialects.postgresql import insert

        return insert(table)

    def after_import(self, conn: Connection, recorded: int) -> None:
        if recorded >= ANALYZE_AFTER:
            # Without fresh statistics PostgreSQL plans the paged reads of a just-imported
            # table as small bitmap scans, rereading every remaining row for each page. Only
            # the columns reads filter or order by are sampled (the row count is refreshed
            # whatever the columns): the quotes and payloads took two thirds of the time.
            conn.exec_driver_sql(f"ANALYZE events ({', '.join(FILTERED)}), event_subjects")

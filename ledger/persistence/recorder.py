"""What the store asks of a database, with one recorder per backend where they differ.

The store keeps the chain's logic (placing events, checking versions and duplicates); a
recorder does the backend's part: taking the writers' lock, inserting rows the fastest way
the driver allows, the few queries whose best form differs, and naming its errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Index, Table

from ledger.errors import ImmutableError, LedgerError, StoreError
from ledger.persistence.schema import IMMUTABLE_MESSAGE, events

IN_CHUNK = 500
"""Values per IN (...) list: well under every backend's bind-parameter limit."""


SECONDARY_INDEXES: tuple[Index, ...] = tuple(
    sorted((i for i in events.indexes if not i.unique), key=lambda i: str(i.name))
)
"""The indexes no constraint depends on (reads by type, valid time and recorded time)."""


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` in slices of ``size``."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


class Recorder:
    """The backend's part of storing the chain (SQLite and PostgreSQL subclass it)."""

    def __init__(self, engine: Engine) -> None:
        quote = engine.dialect.identifier_preparer.quote
        self.columns = ", ".join(quote(col.name) for col in events.columns)
        self.dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error

    def lock(self, conn: Connection) -> None:
        """Take the writers' lock inside the open transaction (if ``begin`` did not)."""

    def before_create(self, conn: Connection) -> None:
        """Keep two processes creating a new ledger at once from both creating it."""

    def insert(
        self, conn: Connection, rows: list[list[Any]], subject_rows: list[tuple[str, int]]
    ) -> None:
        """Insert sealed event rows and their subject index entries."""
        raise NotImplementedError

    def stream_versions(self, conn: Connection, streams: Collection[str]) -> dict[str, int]:
        """The version (last sequence) of each of these streams that has events."""
        raise NotImplementedError

    def present_ids(self, conn: Connection, ids: Sequence[str]) -> list[str]:
        """Which of these event ids are recorded (usually none: kept cheap)."""
        raise NotImplementedError

    def upsert(self, table: Table) -> Any:
        """An INSERT into ``table`` that can take ``on_conflict_do_update``."""
        raise NotImplementedError

    def defer_indexes(self, conn: Connection) -> bool:
        """Drop the secondary indexes for a bulk import into an empty ledger (they are
        rebuilt in one pass by :meth:`restore_indexes`); returns whether it did."""
        # Four indexes of scattered keys kept up row by row cost a bulk import into an empty
        # ledger about a fifth of its time on SQLite, a seventh on PostgreSQL; built once at
        # the end they cost a sort each. Inside the first batch's transaction (both backends'
        # DDL is transactional): if that batch fails, they come back with it.
        for index in SECONDARY_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
        return True

    def hold_checkpoint(self, conn: Connection) -> None:
        """Let the commit of this transaction, a bulk import's last before its indexes are
        rebuilt, leave copying its log into the database to :meth:`restore_indexes`."""

    def restore_indexes(self, conn: Connection) -> None:
        """Create the secondary indexes that are missing (after a bulk import, or a crash)."""
        for index in SECONDARY_INDEXES:
            index.create(conn, checkfirst=True)

    def suspend_insert_guard(self, conn: Connection) -> str | None:
        """Lift, for this transaction only, a per-row check that only other writers' SQL
        needs (this store's own inserts never take a conflict clause). Returns what
        :meth:`restore_insert_guard` must put back before the transaction commits (None:
        nothing was lifted)."""
        return None

    def restore_insert_guard(self, conn: Connection, lifted: str) -> None:
        """Put back what :meth:`suspend_insert_guard` lifted, in the same transaction."""

    def indexes_missing(self, conn: Connection) -> bool:
        """Whether a bulk import left secondary indexes to rebuild (it was interrupted)."""
        return False

    def guards_missing(self, conn: Connection) -> bool:
        """Whether this ledger lacks a refusal later versions add (it was created before)."""
        return False

    def install_guards(self, conn: Connection) -> None:
        """Add the refusals :meth:`guards_missing` found absent (inside a write transaction)."""

    def after_import(self, conn: Connection, recorded: int) -> None:
        """Once a bulk import of ``recorded`` events has committed."""

    def translate(self, message: str) -> LedgerError:
        """The ledger error for a database error with this message."""
        first = message.splitlines()[0]
        if IMMUTABLE_MESSAGE in message:
            return ImmutableError(first)
        return StoreError(f"database error: {first}")


def recorder_for(engine: Engine) -> Recorder:
    """The recorder of the engine's backend."""
    if engine.dialect.name == "postgresql":
        from ledger.persistence.postgres import PostgresRecorder

        return PostgresRecorder(engine)
    from ledger.persistence.sqlite import SqliteRecorder

    return SqliteRecorder(engine)


__all__ = ["IN_CHUNK", "SECONDARY_INDEXES", "Recorder", "chunks", "recorder_for"]

"""The ledger's tables, as SQLAlchemy Core on one MetaData, the same for SQLite and PostgreSQL.

``events`` is the append-only chain; ``event_subjects`` indexes it by the entities each event
is about. Both refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) through triggers created
with the tables. ``checkpoints`` holds projection snapshots: mutable, outside the chain.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    UUID,
    BigInteger,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.types import TIMESTAMP, TypeDecorator, TypeEngine

SCHEMA_VERSION = 1
"""The layout this code reads and writes; stored in ``ledger_meta`` under ``schema_version``."""

IMMUTABLE_MESSAGE = "ledger: recorded events are immutable"
"""The start of the error a refusing trigger raises; the store recognises refusals by it."""


def format_utc(value: datetime) -> str:
    """A UTC instant as fixed-width ISO 8601 with microseconds and ``Z`` (sorts as it compares)."""
    if value.tzinfo is UTC:  # a bulk import's every event: "+00:00" read as "Z", no copy made
        return value.isoformat(timespec="microseconds")[:-6] + "Z"
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def to_utc(value: datetime) -> datetime:
    """The same instant as a plain ``datetime`` in UTC; naive values are refused (ambiguous)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"recorded time {value.isoformat()} has no time zone")
    u = value.astimezone(UTC)
    # Rebuild as a plain datetime: subclasses (pendulum) would not compare or hash the same.
    return datetime(u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant, exact to the microsecond on every backend.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no such type (it would drop the zone),
    so it keeps the fixed-width ISO text of :func:`format_utc`, which also orders correctly.
    """

    impl = String(27)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(String(27))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = to_utc(value)
        return utc if dialect.name == "postgresql" else format_utc(utc)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return to_utc(datetime.fromisoformat(value))
        return to_utc(value)


# SQLite makes an INTEGER primary key the rowid itself (no second index); PostgreSQL wants BIGINT.
Position = BigInteger().with_variant(Integer(), "sqlite")
# sqlalchemy.UUID is the very class the postgresql dialect exports: taken from the top level,
# it spares every start (SQLite's too) loading that dialect.
EventId = String(36).with_variant(UUID(as_uuid=False), "postgresql")
HashHex = String(64)

metadata = MetaData()

ledger_meta = Table(
    "ledger_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("position", Position, primary_key=True, autoincrement=False),
    Column("id", EventId, nullable=False),
    Column("type", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("stream", Text, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("valid_edtf", Text, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("citation_source", Text, nullable=False),
    Column("citation_quote", Text, nullable=False),
    Column("citation_start", Integer, nullable=True),
    Column("citation_end", Integer, nullable=True),
    Column("citation_quote_in", Text, nullable=False),
    Column("citation_also_cited", Text, nullable=False),
    Column("subjects", Text, nullable=False),
    Column("participants", Text, nullable=False),
    Column("fact", Text, nullable=False),
    Column("confidence", String(16), nullable=False),
    Column("phrase", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("payload", Text, nullable=False),
    # Derived from valid_edtf (the mapper rebuilds dates from it), kept for range queries.
    Column("valid_earliest", BigInteger, nullable=True),
    Column("valid_latest", BigInteger, nullable=True),
    Column("prev_hash", HashHex, nullable=False),
    Column("hash", HashHex, nullable=False),
    UniqueConstraint("id", name="uq_events_id"),
    # Also the stream index; a concurrent writer that slipped past the lock hits it.
    UniqueConstraint("stream", "sequence", name="uq_events_stream_sequence"),
    Index("ix_events_type", "type"),
    # No index on fact: facts are matched by the fold in memory, never looked up by a query,
    # and an index of random keys cost an import ~2 us per event at a million events.
    Index("ix_events_valid_earliest", "valid_earliest"),
    Index("ix_events_valid_latest", "valid_latest"),
    Index("ix_events_recorded_at", "recorded_at"),
)

EVENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in events.columns)
"""Column order of a stored event row, as the mapper reads and writes it."""

DECODED_COLUMNS: tuple[str, ...] = EVENT_COLUMNS[: EVENT_COLUMNS.index("prev_hash")]
"""The leading columns an event is rebuilt from (its valid time's stored bounds included, which
a replay reads instead of parsing each date); reads that only decode fetch just these."""

event_subjects = Table(
    "event_subjects",
    metadata,
    Column("subject", Text, nullable=False),
    Column("position", Position, ForeignKey("events.position"), nullable=False),
    PrimaryKeyConstraint("subject", "position", name="pk_event_subjects"),
    # The primary key is the lookup path; a rowid would only be a second copy.
    sqlite_with_rowid=False,
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("head_hash", HashHex, nullable=False),
    Column("state", LargeBinary, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

IMMUTABLE_TABLES = ("events", "event_subjects")


def sqlite_trigger_names(table: str) -> tuple[str, str]:
    """The names of the triggers that refuse UPDATE and DELETE on ``table`` in SQLite."""
    return (f"{table}_refuse_update", f"{table}_refuse_delete")


def postgresql_trigger_names(table: str) -> tuple[str, str]:
    """The names of the row and TRUNCATE triggers that refuse changes on ``table`` in PostgreSQL."""
    return (f"{table}_refuse_change", f"{table}_refuse_truncate")


# DDL text goes through %-formatting, hence the doubled %% of the RAISE format.
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{IMMUTABLE_MESSAGE}: %% on %% is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$
"""


def _attach_triggers(table: Table) -> None:
    name = table.name
    upd, dele = sqlite_trigger_names(name)
    for trigger, op in ((upd, "UPDATE"), (dele, "DELETE")):
        event.listen(
            table,
            "after_create",
            DDL(  # type: ignore[no-untyped-call]
                f"CREATE TRIGGER {trigger} BEFORE {op} ON {name} BEGIN "
                f"SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}: {op} on {name} is refused'); END"
            ).execute_if(dialect="sqlite"),
        )
    row, trunc = postgresql_trigger_names(name)
    for statement in (
        _PG_FUNCTION,
        f"CREATE TRIGGER {row} BEFORE UPDATE OR DELETE ON {name} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
        f"CREATE TRIGGER {trunc} BEFORE TRUNCATE ON {name} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
    ):
        ddl = DDL(statement)  # type: ignore[no-untyped-call]
        event.listen(table, "after_create", ddl.execute_if(dialect="postgresql"))


for _table in (events, event_subjects):
    _attach_triggers(_table)

SQLITE_REPLACE_TRIGGER = "events_refuse_replace"
"""SQLite's ``REPLACE INTO`` (``INSERT OR REPLACE``) deletes the row it conflicts with without
firing the DELETE trigger (unless ``recursive_triggers`` is on, which a writer need not set):
this trigger refuses any insert that would meet an existing position, id or stream sequence,
so no conflict clause can reach one. Normal appends never meet one (they check first).
Ledgers created before it get it when first opened by a process that may write them."""

REPLACE_REFUSAL = "an insert meeting a recorded event is refused (a unique key)"
"""What that trigger says; the store reads it as the unique key it stands in for."""

SQLITE_REPLACE_TRIGGER_DDL = (
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_REPLACE_TRIGGER} BEFORE INSERT ON events "
    "WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position) "
    "OR EXISTS (SELECT 1 FROM events WHERE id = NEW.id) "
    "OR EXISTS (SELECT 1 FROM events WHERE stream = NEW.stream AND sequence = NEW.sequence) "
    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}: {REPLACE_REFUSAL}'); END"
)

event.listen(
    events,
    "after_create",
    DDL(SQLITE_REPLACE_TRIGGER_DDL).execute_if(dialect="sqlite"),  # type: ignore[no-untyped-call]
)

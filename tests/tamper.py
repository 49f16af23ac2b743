"""Helpers for tamper tests: what a database superuser could do behind the ledger's back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, select, text, update

from ledger.persistence.pgguard import GUARDED_TABLE
from ledger.persistence.schema import (
    IMMUTABLE_TABLES,
    SQLITE_REPLACE_TRIGGER,
    event_subjects,
    events,
    postgresql_trigger_names,
    sqlite_trigger_names,
)
from ledger.persistence.store import EventStore


def lift_guard(store: EventStore) -> None:
    """PostgreSQL: strike this ledger off the event triggers' list, as a superuser could
    (the guard stays for every other schema of the database)."""
    if store.engine.dialect.name != "postgresql":
        return
    with store.engine.begin() as conn:
        conn.execute(
            text(
                f"DELETE FROM {GUARDED_TABLE} g USING pg_class c "
                "WHERE g.objid = c.oid AND g.classid = 'pg_class'::regclass "
                "AND c.relnamespace = to_regnamespace(quote_ident(current_schema()))"
            )
        )


def drop_immutability(store: EventStore) -> None:
    """Drop the triggers that refuse changes, as a database superuser could."""
    lift_guard(store)
    statements = []
    for table in IMMUTABLE_TABLES:
        if store.engine.dialect.name == "postgresql":
            statements += [f"DROP TRIGGER {t} ON {table}" for t in postgresql_trigger_names(table)]
        else:
            statements += [f"DROP TRIGGER {t}" for t in sqlite_trigger_names(table)]
    if store.engine.dialect.name == "sqlite":
        statements.append(f"DROP TRIGGER IF EXISTS {SQLITE_REPLACE_TRIGGER}")
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def set_columns(store: EventStore, position: int, values: Mapping[str, Any]) -> None:
    """Overwrite stored columns of the event at ``position`` (triggers must be dropped)."""
    with store.engine.begin() as conn:
        conn.execute(update(events).where(events.c.position == position).values(**values))


def stored_row(store: EventStore, position: int) -> dict[str, Any]:
    """The stored columns of the event at ``position``, as SQLAlchemy reads them."""
    with store.engine.connect() as conn:
        row = conn.execute(select(events).where(events.c.position == position)).one()
    return dict(row._mapping)


def delete_event(store: EventStore, position: int) -> None:
    """Remove the event at ``position`` and its subject index entries."""
    with store.engine.begin() as conn:
        conn.execute(delete(event_subjects).where(event_subjects.c.position == position))
        conn.execute(delete(events).where(events.c.position == position))


def swap_events(store: EventStore, first: int, second: int) -> None:
    """Exchange every stored value but the position between two events."""
    a, b = stored_row(store, first), stored_row(store, second)
    columns = [c.name for c in events.columns if c.name not in ("position", "id")]
    with store.engine.begin() as conn:
        # Ids and (stream, sequence) are unique: park the first event out of the way.
        conn.execute(
            update(events)
            .where(events.c.position == first)
            .values(id=bindparam("parked"), sequence=-1),
            {"parked": "00000000-0000-0000-0000-000000000000"},
        )
        conn.execute(
            update(events)
            .where(events.c.position == second)
            .values(id=a["id"], **{c: a[c] for c in columns})
        )
        conn.execute(
            update(events)
            .where(events.c.position == first)
            .values(id=b["id"], **{c: b[c] for c in columns})
        )


def move_event(store: EventStore, position: int, new_position: int) -> None:
    """Give the event at ``position`` another position (its subject index entries go)."""
    with store.engine.begin() as conn:
        conn.execute(delete(event_subjects).where(event_subjects.c.position == position))
        conn.execute(
            update(events).where(events.c.position == position).values(position=new_position)
        )

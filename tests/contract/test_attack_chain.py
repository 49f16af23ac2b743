"""Attacks on the chain that recompute every hash: the database refuses some, verify names the rest.

A forger who can write the database can append a row whose hash they computed themselves, or
rewrite a row through a path the triggers do not see. The chain's own rules (recorded times
never go back, gap-free stream sequences) and SQLite's own check of its file catch what the
hashes alone cannot. Runs on SQLite in memory, on disk and PostgreSQL where it applies.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, type_coerce
from sqlalchemy.types import NullType
from tamper import lift_guard, stored_row
from writers import corpus_events

from ledger.errors import ImmutableError
from ledger.persistence import canonical as c
from ledger.persistence.schema import events
from ledger.persistence.store import EventStore

EVENTS = 12


@pytest.fixture
def filled(store: EventStore) -> EventStore:
    """The store holding a few claims on several streams."""
    store.append(list(corpus_events(EVENTS)))
    return store


def raw_row(store: EventStore, position: int) -> list[Any]:
    """The stored row at ``position`` as the driver returns it (what verify hashes)."""
    columns = [type_coerce(col, NullType()).label(col.name) for col in events.columns]
    with store.engine.connect() as conn:
        found = conn.execute(select(*columns).where(events.c.position == position)).one()
    return list(found)


def append_forged(store: EventStore, change: dict[int, Any]) -> int:
    """Append, by raw SQL, a copy of the head event with ``change`` and a recomputed hash."""
    head = store.head()
    row = raw_row(store, head)
    row[c.POSITION] = head + 1
    row[c.ID] = str(uuid.uuid4())
    row[c.SEQUENCE] = 1
    row[c.STREAM] = "forged-stream"
    for column, value in change.items():
        row[column] = value
    row[c.PREV_HASH] = row[c.HASH]
    row[c.HASH] = c.chain_hash(bytes.fromhex(row[c.PREV_HASH]), c.canonical(row)).hex()
    names = ", ".join(col.name for col in events.columns)
    marks = ", ".join(f":p{i}" for i in range(len(row)))
    with store.engine.begin() as conn:
        conn.execute(
            text(f"INSERT INTO events ({names}) VALUES ({marks})"),
            {f"p{i}": value for i, value in enumerate(row)},
        )
    return head + 1


def test_a_back_dated_append_with_a_sound_hash_is_named(filled: EventStore) -> None:
    """A raw append recorded in 2021, after later events, fails verify at its position."""
    recorded = raw_row(filled, 1)[c.RECORDED_AT]
    back = (
        "2001-01-01T00:00:00.000000Z" if isinstance(recorded, str) else recorded.replace(year=2001)
    )
    position = append_forged(filled, {c.RECORDED_AT: back})
    result = filled.verify()
    assert (result.ok, result.first_bad) == (False, position)
    assert "back-dated" in result.reason


def test_a_stream_sequence_gap_with_a_sound_hash_is_named(filled: EventStore) -> None:
    """A raw append numbered 3 in a stream with no events fails verify at its position."""
    position = append_forged(filled, {c.SEQUENCE: 3})
    result = filled.verify()
    assert (result.ok, result.first_bad) == (False, position)
    assert "forged-stream" in result.reason
    assert "from sequence 0 to 3" in result.reason


def test_an_honest_ledger_keeps_the_chain_rules(filled: EventStore) -> None:
    """Appends through the store keep recorded times and sequences as verify expects."""
    filled.append(list(corpus_events(EVENTS + 5))[EVENTS:])
    assert filled.verify().ok


def _sqlite_file(store: EventStore) -> str:
    database = store.engine.url.database
    if store.engine.dialect.name != "sqlite" or not database or database == ":memory:":
        pytest.skip("needs a SQLite file, opened by another connection")
    return database


def test_sqlite_refuses_replace_into_an_existing_position(filled: EventStore) -> None:
    """``REPLACE INTO events SELECT ... WHERE position = 5`` is refused; the row is intact."""
    before = stored_row(filled, 5)
    database = _sqlite_file(filled)
    conn = sqlite3.connect(database)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute(
                "REPLACE INTO events SELECT position, id, type, version, stream, sequence, "
                "valid_edtf, recorded_at, citation_source, citation_quote, citation_start, "
                "citation_end, citation_quote_in, citation_also_cited, subjects, participants, "
                "fact, confidence, phrase, 'forged summary', payload, valid_earliest, "
                "valid_latest, prev_hash, hash FROM events WHERE position = 5"
            )
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute("INSERT OR REPLACE INTO events SELECT * FROM events WHERE position = 6")
        conn.commit()
    finally:
        conn.close()
    assert stored_row(filled, 5) == before
    assert filled.verify().ok


def test_the_store_reports_a_refused_replace_as_immutable(filled: EventStore) -> None:
    """Through the store's own connection, a REPLACE is an ImmutableError (one clear line)."""
    if filled.engine.dialect.name != "sqlite":
        pytest.skip("REPLACE is SQLite's")
    with pytest.raises(ImmutableError), filled.begin() as conn:
        conn.exec_driver_sql("REPLACE INTO events SELECT * FROM events WHERE position = 2")


def test_a_swapped_sqlite_index_fails_verify(filled: EventStore, tmp_path: Path) -> None:
    """The type index replaced by a partial copy (as a file editor could) fails verify."""
    database = _sqlite_file(filled)
    filled.close()
    conn = sqlite3.connect(database)
    try:
        # writable_schema lets a file editor point the index's definition at a subset.
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_events_type ON events (type) "
            "WHERE position < 3' WHERE name = 'ix_events_type'"
        )
        conn.commit()
    finally:
        conn.close()
    reopened = EventStore.open(f"sqlite:///{database}")
    try:
        result = reopened.verify()
        assert not result.ok
        assert "integrity_check" in result.reason
    finally:
        reopened.close()


def test_postgresql_alter_column_type_using_past_the_guard_is_caught_by_verify(
    filled: EventStore,
) -> None:
    """With the event-trigger guard lifted (a superuser), ``ALTER TABLE events ALTER COLUMN
    summary TYPE text USING ...`` rewrites rows without an UPDATE trigger firing; verify
    names the first rewritten event."""
    if filled.engine.dialect.name != "postgresql":
        pytest.skip("ALTER ... USING is the PostgreSQL owner's path around the triggers")
    lift_guard(filled)
    with filled.engine.begin() as conn:
        conn.execute(
            text(
                "ALTER TABLE events ALTER COLUMN summary TYPE text "
                "USING CASE WHEN position = 7 THEN 'forged' ELSE summary END"
            )
        )
    result = filled.verify()
    assert (result.ok, result.first_bad) == (False, 7)

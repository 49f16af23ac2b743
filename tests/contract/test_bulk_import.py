"""A bulk import into an empty ledger: indexes built once at the end, and never left missing."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from test_store_contract import status

from ledger.domain.events import Event
from ledger.errors import EventError, ImmutableError
from ledger.persistence import appending
from ledger.persistence.recorder import SECONDARY_INDEXES
from ledger.persistence.schema import SQLITE_REPLACE_TRIGGER
from ledger.persistence.store import EventStore


def index_names(store: EventStore) -> set[str]:
    """The names of the indexes of the events table."""
    with store.connect() as conn:
        return {str(i["name"]) for i in inspect(conn).get_indexes("events")}


def secondary() -> set[str]:
    """The names of the secondary indexes a bulk import may defer."""
    return {str(i.name) for i in SECONDARY_INDEXES}


def test_bulk_import_into_an_empty_ledger_keeps_every_index(store: EventStore) -> None:
    """After extend into an empty ledger (several batches), every index is there again."""
    events = [status(stream=f"s{i % 7}") for i in range(25)]
    assert store.extend(events, batch_size=10) == 25
    assert secondary() <= index_names(store)
    assert store.verify().ok
    assert [e.id for e in store.iter_events(types=["StatusChanged"])] == [e.id for e in events]


def test_a_failed_bulk_import_leaves_every_index(store: EventStore) -> None:
    """A bulk import that fails half way still leaves every index."""

    def failing() -> list[Event]:
        return [status(), status(), status(id="not a uuid")]

    with pytest.raises(Exception, match="UUID"):
        store.extend(failing(), batch_size=2)
    assert secondary() <= index_names(store)


def test_an_interrupted_bulk_import_gets_its_indexes_back_on_open(tmp_path: Path) -> None:
    """Indexes dropped by a bulk import that never finished are rebuilt when the ledger opens."""
    url = f"sqlite:///{tmp_path / 'cut.sqlite'}"
    store = EventStore.open(url)
    store.append(status())
    with store.begin() as conn:
        assert store._recorder.defer_indexes(conn)
    assert not secondary() & index_names(store)
    store.close()
    reopened = EventStore.open(url)
    assert secondary() <= index_names(reopened)
    assert reopened.verify().ok
    with pytest.raises(ImmutableError), reopened.begin() as conn:
        conn.exec_driver_sql("DELETE FROM events")
    reopened.close()


def test_an_import_into_a_non_empty_ledger_keeps_its_indexes(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only an empty ledger has its indexes deferred: a later import keeps them up as it goes."""
    store.append(status())
    calls: list[object] = []
    monkeypatch.setattr(store._recorder, "defer_indexes", lambda conn: calls.append(conn))
    store.extend([status(id=uuid.uuid4()) for _ in range(3)])
    assert calls == []


def _replace_trigger(database: str) -> str | None:
    """The REPLACE trigger's stored SQL as another connection sees it (None: missing)."""
    conn = sqlite3.connect(database)
    try:
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (SQLITE_REPLACE_TRIGGER,),
        ).fetchone()
    finally:
        conn.close()
    return None if found is None else str(found[0])


def test_a_bulk_import_lifts_the_replace_trigger_only_inside_its_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other connections see the REPLACE trigger all through a bulk import; it is back as it
    was stored after the import and after a batch that failed, and REPLACE is refused."""
    database = str(tmp_path / "bulk.sqlite")
    store = EventStore.open(f"sqlite:///{database}")
    stored = _replace_trigger(database)
    assert stored is not None
    monkeypatch.setattr(appending, "ENCODE_CHUNK", 3)
    seen: list[str | None] = []

    def watched(count: int, bad_at: int | None = None) -> Iterator[Event]:
        for i in range(count):
            seen.append(_replace_trigger(database))
            yield status(id="not a uuid") if i == bad_at else status(stream=f"s{i % 4}")

    assert store.extend(watched(20), batch_size=8) == 20
    with pytest.raises(EventError, match="UUID"):
        store.extend(watched(12, bad_at=10), batch_size=8)
    assert seen
    assert all(sql == stored for sql in seen)
    assert _replace_trigger(database) == stored
    with pytest.raises(ImmutableError), store.begin() as conn:
        conn.exec_driver_sql("REPLACE INTO events SELECT * FROM events WHERE position = 2")
    assert store.head() == 28
    assert store.verify().ok
    store.close()

"""A bulk import into an empty ledger: indexes built once at the end, and never left missing."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect
from test_store_contract import status

from ledger.domain.events import Event
from ledger.errors import ImmutableError
from ledger.persistence.recorder import SECONDARY_INDEXES
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

"""A bulk import into an empty ledger: indexes built once at the end, and never left missing."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
import pytest
from sqlalchemy import URL, inspect
from test_store_contract import status

from ledger.domain.events import Event
from ledger.errors import DuplicateEventError, EventError, ImmutableError
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


@pytest.fixture(autouse=True)
def large_from_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import here counts as large (its indexes deferred), and stays in one process."""
    monkeypatch.setattr(appending, "OFFLOAD_MIN_CHUNK", 1)
    monkeypatch.setenv("LEDGER_IMPORT_WRITER", "0")


def test_a_small_import_into_an_empty_ledger_keeps_its_indexes_up(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first chunk that is not full (the whole import) defers nothing (building the
    indexes again would cost more than their upkeep); a full one defers them."""
    monkeypatch.setattr(appending, "OFFLOAD_MIN_CHUNK", 10)
    calls: list[object] = []
    real = store._recorder.defer_indexes

    def counted(conn: object) -> bool:
        calls.append(conn)
        return real(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(store._recorder, "defer_indexes", counted)
    assert store.extend([status() for _ in range(9)]) == 9
    assert calls == []
    assert secondary() <= index_names(store)
    large = EventStore.open("sqlite://")
    monkeypatch.setattr(large._recorder, "defer_indexes", counted)
    assert large.extend([status() for _ in range(25)], batch_size=10) == 25
    assert len(calls) == 1
    assert secondary() <= index_names(large)
    large.close()


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


def test_an_interrupted_bulk_import_gets_its_indexes_back_on_open(db_url: URL) -> None:
    """Indexes dropped by a bulk import that never finished (on either backend) are rebuilt
    when the ledger opens."""
    if db_url.database == ":memory:":
        pytest.skip("a private in-memory database does not outlive its store")
    url = db_url
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


# --- what a bulk import knows without asking ---------------------------------------------------


def _spy(store: EventStore, monkeypatch: pytest.MonkeyPatch, name: str) -> list[list[str]]:
    """Record the arguments of each call of the store's recorder method ``name``."""
    calls: list[list[str]] = []
    real = getattr(store._recorder, name)

    def spied(conn: object, keys: Iterable[str]) -> object:
        calls.append(sorted(keys))
        return real(conn, keys)

    monkeypatch.setattr(store._recorder, name, spied)
    return calls


def test_an_import_into_an_empty_ledger_asks_only_for_ids_it_may_have_written(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into an empty ledger, an import looks up only ids its own filter may hold (here the
    repeats), reads no stream version, and still skips a repeat and refuses a changed one."""
    monkeypatch.setattr(appending, "ENCODE_CHUNK", 3)
    asked = _spy(store, monkeypatch, "present_ids")
    versions = _spy(store, monkeypatch, "stream_versions")
    events = [status(stream=f"s{i % 3}") for i in range(10)]
    # The third and fourth events again, in a later chunk and in a later batch.
    assert store.extend([*events[:6], events[2], *events[6:], events[3]], batch_size=8) == 10
    repeats = {str(events[2].id), str(events[3].id)}
    looked_up = {key for call in asked for key in call}
    assert repeats <= looked_up
    assert len(looked_up) <= 4  # the repeats, and at most a false "maybe" or two
    assert versions == []
    assert [e.sequence for e in store.iter_events(subject="s0")] == [1, 2, 3, 4]
    assert store.verify().ok
    with pytest.raises(DuplicateEventError):
        store.extend([status(), attrs.evolve(events[5], fact="other")])


def test_an_import_into_a_non_empty_ledger_asks_for_every_id(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a ledger that held events, every id is looked up (another writer's included)."""
    store.append(status())
    asked = _spy(store, monkeypatch, "present_ids")
    events = [status() for _ in range(4)]
    assert store.extend(events) == 4
    assert {key for call in asked for key in call} == {str(e.id) for e in events}


def test_a_writer_between_two_batches_ends_what_the_import_knew(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When another writer appends between two batches of an import that began on an empty
    ledger, the import asks the ledger again: a repeat of the other writer's event is skipped
    as already recorded, and each stream's sequence follows the other writer's events."""
    monkeypatch.setattr(appending, "ENCODE_CHUNK", 2)
    theirs = status(stream="s0")

    def meanwhile() -> Iterator[Event]:
        yield status(stream="s0")
        yield status(stream="s1")
        store.append(theirs)  # between the batches: no transaction of the import is open
        yield status(stream="s0")
        yield theirs
        yield status(stream="s1")

    assert store.extend(meanwhile(), batch_size=2) == 4
    assert store.head() == 5
    assert [e.sequence for e in store.iter_events(subject="s0")] == [1, 2, 3]
    assert [e.sequence for e in store.iter_events(subject="s1")] == [1, 2]
    assert [e.id for e in store.iter_events()].count(theirs.id) == 1
    assert store.verify().ok

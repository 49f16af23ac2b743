"""A bulk import into a SQLite file written by a second process: same chain, same errors."""

from __future__ import annotations

import os
import signal
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from conftest import FakeClock
from sqlalchemy import URL
from test_bulk_import import index_names, secondary
from test_store_contract import status

from ledger.domain.events import Event, StatusChanged
from ledger.errors import DuplicateEventError, EventError, StoreError
from ledger.persistence import appending, offload
from ledger.persistence.mapper import Mapper
from ledger.persistence.store import EventStore

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="the import's writing process is given its pipe by POSIX fds"
)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[offload.ImportWriter]:
    """Chunks of 4 events, a writer for any import of a full first chunk, waited for before
    the first chunk (these imports would end before it is ready); the writers started."""
    monkeypatch.setattr(appending, "ENCODE_CHUNK", 4)
    monkeypatch.setattr(offload, "CHUNK", 4)
    monkeypatch.setattr(offload, "PENDING", 0)
    monkeypatch.setattr(appending, "OFFLOAD_MIN_CHUNK", 4)
    started: list[offload.ImportWriter] = []
    real = offload.ImportWriter.__init__

    def counted(self: offload.ImportWriter, store: appending.Appending) -> None:
        started.append(self)
        real(self, store)

    monkeypatch.setattr(offload.ImportWriter, "__init__", counted)
    return started


def opened(tmp_path: Path, name: str) -> EventStore:
    """A store on a new SQLite file, its clock fixed."""
    return EventStore.open(f"sqlite:///{tmp_path / name}", clock=FakeClock())


def assert_kept(store: EventStore, head: int) -> None:
    """The batches before a failed one are recorded, sound, and every index is back."""
    assert store.head() == head
    assert store.verify().ok
    assert secondary() <= index_names(store)


def history(count: int) -> list[StatusChanged]:
    """``count`` events over a few streams, half of them without a recorded time."""
    return [status(stream=f"s{i % 3}", when=f"2021-03-{1 + i % 28:02d}") for i in range(count)]


def one_process_digest(events: list[StatusChanged], batch_size: int) -> str:
    """The chain's digest of ``events`` imported in one process (a private in-memory ledger
    never has a writer), the clock fixed as in :func:`opened`."""
    one = EventStore.open("sqlite://", clock=FakeClock())
    try:
        assert one.extend(events, batch_size=batch_size) == len(events)
        return str(one.digest())
    finally:
        one.close()


def test_a_large_import_writes_the_chain_an_import_in_one_process_writes(
    tmp_path: Path, small_chunks: list[offload.ImportWriter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the writer, the chain (hashes, positions, sequences, clock stamps) is the one
    written in one process, every index is back, and a repeated import records nothing."""
    events = history(30)
    two = opened(tmp_path, "two.sqlite")
    assert two.extend(events, batch_size=8) == 30
    assert len(small_chunks) == 1
    assert small_chunks[0]._handed > 1  # written there, chunk by chunk
    monkeypatch.setenv("LEDGER_IMPORT_WRITER", "0")
    one = opened(tmp_path, "one.sqlite")
    assert one.extend(events, batch_size=8) == 30
    assert len(small_chunks) == 1
    assert two.digest() == one.digest()
    assert [e.recorded_at for e in two.iter_events()] == [e.recorded_at for e in one.iter_events()]
    assert two.verify().ok
    assert secondary() <= index_names(two)
    monkeypatch.delenv("LEDGER_IMPORT_WRITER")
    assert two.extend(events, batch_size=8) == 0
    assert two.head() == 30
    two.close()
    one.close()


def test_the_writer_s_error_is_raised_here_as_it_was_raised_there(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """A changed repeat found by the writer in a later batch raises DuplicateEventError here,
    with its id; the batches before it stay, its own batch is rolled back."""
    events = history(20)
    changed = attrs.evolve(events[1], status="cancelled")
    store = opened(tmp_path, "dup.sqlite")
    with pytest.raises(DuplicateEventError, match=str(events[1].id)) as raised:
        store.extend([*events[:16], changed, *events[16:]], batch_size=8)
    assert len(small_chunks) == 1
    assert raised.value.event_id == events[1].id
    assert_kept(store, 16)
    store.close()


def test_an_event_refused_here_rolls_back_the_batch_the_writer_was_writing(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """An event this process cannot encode stops the writer: the batches before stay."""
    events: list[Event] = list(history(14))
    events.insert(11, status(id="not a uuid"))
    store = opened(tmp_path, "bad.sqlite")
    with pytest.raises(EventError, match="UUID"):
        store.extend(events, batch_size=8)
    assert len(small_chunks) == 1
    assert_kept(store, 8)
    store.close()


def test_an_error_of_the_caller_s_iterator_rolls_back_the_writer_s_batch(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """The caller's iterator failing half way through a batch: that batch is not recorded."""

    def failing() -> Iterator[Event]:
        yield from history(13)
        raise RuntimeError("the source file ended mid-record")

    store = opened(tmp_path, "cut.sqlite")
    with pytest.raises(RuntimeError, match="mid-record"):
        store.extend(failing(), batch_size=8)
    assert len(small_chunks) == 1
    assert_kept(store, 8)
    store.close()


def test_a_writer_that_dies_leaves_its_batch_unwritten(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """A writer killed half way through a batch: a StoreError here, nothing of it stored."""

    def killing() -> Iterator[Event]:
        events = history(12)
        yield from events[:9]  # two chunks handed over, the third being read
        os.kill(small_chunks[0].pid, signal.SIGKILL)
        yield from events[9:]

    store = opened(tmp_path, "died.sqlite")
    with pytest.raises(StoreError, match="killed by signal 9"):
        store.extend(killing(), batch_size=100)
    assert store.head() == 0
    assert secondary() <= index_names(store)
    store.close()


def test_an_import_that_ends_before_its_writer_is_ready_is_written_here(
    tmp_path: Path, small_chunks: list[offload.ImportWriter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks kept while the writer starts; the import ending first is written by this
    process (the writer stopped, given nothing): the chain one process writes."""
    monkeypatch.setattr(offload, "PENDING", 64)
    events = history(30)
    two = opened(tmp_path, "early.sqlite")
    assert two.extend(events, batch_size=8) == 30
    assert len(small_chunks) == 1
    assert small_chunks[0]._handed == 0
    assert small_chunks[0]._process.returncode == -signal.SIGKILL
    assert str(two.digest()) == one_process_digest(events, 8)
    assert two.verify().ok
    two.close()


def test_an_error_before_the_writer_is_ready_keeps_the_batches_before_it(
    tmp_path: Path, small_chunks: list[offload.ImportWriter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event refused while every chunk still waits here: the batches before it are
    recorded here, its own batch is not, as in an import written in one process."""
    monkeypatch.setattr(offload, "PENDING", 64)
    events: list[Event] = list(history(14))
    events.insert(11, status(id="not a uuid"))
    store = opened(tmp_path, "early-bad.sqlite")
    with pytest.raises(EventError, match="UUID"):
        store.extend(events, batch_size=8)
    assert small_chunks[0]._handed == 0
    assert_kept(store, 8)
    store.close()


def test_a_writer_that_cannot_start_leaves_the_import_to_this_process(
    tmp_path: Path, small_chunks: list[offload.ImportWriter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that ends before it is ready (here no Python at all) was given nothing:
    this process writes the whole import."""
    monkeypatch.setattr(sys, "executable", "/bin/false")
    store = opened(tmp_path, "no-writer.sqlite")
    assert store.extend(history(20), batch_size=8) == 20
    assert len(small_chunks) == 1
    assert small_chunks[0]._handed == 0
    assert store.verify().ok
    store.close()


def test_an_error_is_made_again_with_its_attributes() -> None:
    """An error sent by the writer comes back with its class, message and attributes."""
    event_id = uuid.uuid4()
    error = DuplicateEventError(event_id)
    again = offload._rebuilt(offload._error_reply(error))
    assert type(again) is DuplicateEventError
    assert str(again) == str(error)
    assert again.event_id == event_id


def test_no_writer_for_a_memory_database_or_when_turned_off(
    tmp_path: Path, small_chunks: list[offload.ImportWriter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A private in-memory ledger, or LEDGER_IMPORT_WRITER=0, imports in one process."""
    memory = EventStore.open("sqlite://")
    assert not offload.available(memory)
    assert memory.extend(history(12)) == 12
    file = opened(tmp_path, "off.sqlite")
    assert offload.available(file)
    monkeypatch.setenv("LEDGER_IMPORT_WRITER", "0")
    assert not offload.available(file)
    assert file.extend(history(12)) == 12
    assert small_chunks == []
    memory.close()
    file.close()


@pytest.mark.parametrize("writer", ["1", "0"])
def test_an_import_leaves_its_log_copied_and_the_auto_checkpoint_back(
    tmp_path: Path,
    small_chunks: list[offload.ImportWriter],
    monkeypatch: pytest.MonkeyPatch,
    writer: str,
) -> None:
    """The last batch's commit leaves the copy of the log to run beside the index builds;
    after the import the pages are in the database file and connections copy again."""
    monkeypatch.setenv("LEDGER_IMPORT_WRITER", writer)
    store = opened(tmp_path, f"log-{writer}.sqlite")
    assert store.extend(history(400), batch_size=200) == 400  # ends with a batch's last chunk
    database = tmp_path / f"log-{writer}.sqlite"
    with store.connect() as first, store.connect() as second:
        pages, size = (
            first.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in ("page_count", "page_size")
        )
        settings = {
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() for conn in (first, second)
        }
    # The batches' pages are written back to the file; the indexes' few stay in the log
    # until it grows long, as any small commit's do.
    assert pages > 40
    assert database.stat().st_size >= pages * size * 2 // 3
    assert settings == {1000}
    assert len(small_chunks) == (1 if writer == "1" else 0)
    store.close()


def test_a_recorded_time_the_writer_cannot_store_is_refused_with_its_reason(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """An event's own recorded time without a zone, met by the writer in a later batch: the
    same EventError as in one process; the batch before it stays."""
    events: list[Event] = list(history(14))
    events[10] = attrs.evolve(events[10], recorded_at=datetime(2021, 3, 10, 12, 0))
    store = opened(tmp_path, "naive.sqlite")
    with pytest.raises(EventError, match="no time zone"):
        store.extend(events, batch_size=8)
    assert len(small_chunks) == 1
    assert store.head() == 8
    store.close()


def test_a_writer_while_another_thread_is_alive(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """The writer is a new interpreter, not a fork: a process with other threads alive (a
    notebook's kernel) has one too, and the chain is the one written in one process."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        events = history(20)
        two = opened(tmp_path, "threads.sqlite")
        assert offload.available(two)
        assert two.extend(events, batch_size=8) == 20
    finally:
        release.set()
        other.join()
    assert len(small_chunks) == 1
    assert small_chunks[0]._handed > 0
    assert str(two.digest()) == one_process_digest(events, 8)
    two.close()


def test_bytes_made_here_while_the_writer_is_behind_chain_alike(
    tmp_path: Path, small_chunks: list[offload.ImportWriter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one slot the writer is often behind and this process makes the canonical bytes
    of the chunks it waits with: the chain is still the one written in one process."""
    monkeypatch.setattr(offload, "SLOTS", 1)
    made: list[int] = []
    real = Mapper.content

    def counted(row: list[object]) -> bytes:
        made.append(os.getpid())
        return real(row)

    monkeypatch.setattr(Mapper, "content", staticmethod(counted))
    events = history(40)
    two = opened(tmp_path, "behind.sqlite")
    assert two.extend(events, batch_size=16) == 40
    # The first chunk (4 events) is always encoded whole here; later ones only when behind.
    assert made.count(os.getpid()) > 4
    assert str(two.digest()) == one_process_digest(events, 16)
    assert two.verify().ok
    two.close()


def _on_a_second_connection(db_url: URL) -> EventStore:
    """A store on ``db_url`` (skipping a private in-memory database: it has no writer)."""
    if db_url.database == ":memory:":
        pytest.skip("a private in-memory database has no second connection for a writer")
    return EventStore.open(db_url, clock=FakeClock())


def test_the_writer_records_the_chain_one_process_writes_on_every_backend(
    db_url: URL, small_chunks: list[offload.ImportWriter]
) -> None:
    """On a SQLite file and on PostgreSQL the writer records the chain (hashes, positions,
    sequences, clock stamps) an import in one process records."""
    events = history(30)
    two = _on_a_second_connection(db_url)
    assert two.extend(events, batch_size=8) == 30
    assert len(small_chunks) == 1
    assert small_chunks[0]._handed > 1
    assert str(two.digest()) == one_process_digest(events, 8)
    assert two.verify().ok
    assert secondary() <= index_names(two)
    two.close()


def test_the_writer_s_error_on_every_backend_keeps_the_batches_before_it(
    db_url: URL, small_chunks: list[offload.ImportWriter]
) -> None:
    """A changed repeat met by the writer (SQLite file or PostgreSQL): DuplicateEventError
    here, the batches before it recorded, its own rolled back, every index back."""
    events = history(20)
    changed = attrs.evolve(events[1], status="cancelled")
    store = _on_a_second_connection(db_url)
    with pytest.raises(DuplicateEventError, match=str(events[1].id)):
        store.extend([*events[:16], changed, *events[16:]], batch_size=8)
    assert small_chunks[0]._handed > 1
    assert_kept(store, 16)
    store.close()


def test_what_the_writer_is_told_is_not_on_its_command_line(
    tmp_path: Path, small_chunks: list[offload.ImportWriter]
) -> None:
    """The ledger's URL (a PostgreSQL one may hold a password) reaches the writer on its
    standard input: its command line, which any user of the machine may read, lacks it."""
    store = opened(tmp_path, "quiet.sqlite")
    assert store.extend(history(12), batch_size=8) == 12
    assert small_chunks[0]._handed > 0
    command = small_chunks[0]._process.args
    assert isinstance(command, list)
    assert command[1] == "-c"
    assert not any("quiet.sqlite" in str(arg) for arg in command)
    store.close()

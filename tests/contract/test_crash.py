"""An import killed with SIGKILL loses only uncommitted appends; rerunning it completes it."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest
from conftest import DatabaseFactory
from sqlalchemy import text
from writers import corpus_events

from ledger.domain.events import Event
from ledger.persistence.store import EventStore

pytestmark = pytest.mark.slow

WRITER = Path(__file__).parents[1] / "writers.py"
TOTAL = 30_000
TIMEOUT = 180.0

BACKENDS = ["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def importer(
    url: str, total: int, batch: int, hold: int | None = None
) -> Iterator[subprocess.Popen[str]]:
    """The importer script running on ``url``; killed if still running when the block ends."""
    argv = [sys.executable, str(WRITER), url, str(total), str(batch)]
    if hold is not None:
        argv.append(str(hold))
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(TIMEOUT, process.kill)
    watchdog.start()
    try:
        yield process
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        process.communicate()


def read_until(process: subprocess.Popen[str], prefix: str) -> str:
    """The first line the importer prints that starts with ``prefix``; fails if it dies first."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(prefix):
            return line.strip()
    assert process.stderr is not None
    pytest.fail(f"the importer ended without printing {prefix!r}: {process.stderr.read()[-2000:]}")


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL: no handler, no cleanup, no rollback from the process itself."""
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def complete_import(url: str, batch: int) -> int:
    """Run the import to the end; how many events it newly recorded."""
    with importer(url, TOTAL, batch) as process:
        done = read_until(process, "done ")
        assert process.wait(timeout=TIMEOUT) == 0
    return int(done.split()[1])


def without_stamps(event: Event) -> Event:
    """An event as the corpus holds it: before the store gave it a place and a time."""
    return attrs.evolve(event, sequence=0, position=0, recorded_at=None)


def assert_sound_prefix(store: EventStore, count: int) -> None:
    """The ledger verifies and holds exactly the corpus's first ``count`` events, once each."""
    result = store.verify()
    assert result.ok, str(result)
    assert result.checked == store.head() == count
    stored = list(store.iter_events())
    assert [e.position for e in stored] == list(range(1, count + 1))
    expected = corpus_events(TOTAL)
    assert all(without_stamps(e) == next(expected) for e in stored)
    if store.engine.dialect.name == "sqlite":
        with store.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("batch", "hold", "committed"),
    [
        pytest.param(TOTAL, 1, 0, id="one-big-append"),
        pytest.param(5_000, 4, 15_000, id="fourth-of-six-appends"),
    ],
)
def test_killed_inside_an_append_keeps_only_committed_appends(
    new_database: DatabaseFactory, batch: int, hold: int, committed: int
) -> None:
    """SIGKILL after an append wrote its rows but before it committed: the ledger reopens
    with only the earlier appends, verifies, and the import run again completes it once."""
    with new_database() as url:
        address = url.render_as_string(hide_password=False)
        with importer(address, TOTAL, batch, hold) as process:
            held = read_until(process, "held ")
            assert int(held.split()[1]) == committed + min(batch, TOTAL)
            kill(process)
        store = EventStore.open(url)
        try:
            assert_sound_prefix(store, committed)
            assert complete_import(address, batch) == TOTAL - committed
            assert_sound_prefix(store, TOTAL)
            assert complete_import(address, batch) == 0
            assert store.head() == TOTAL
        finally:
            store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_killed_at_any_moment_of_an_import_recovers(new_database: DatabaseFactory) -> None:
    """SIGKILL at whatever moment an import has reached after a few commits: whole appends
    only, the chain verifies, and the import run again (in other batches) completes it."""
    batch = 2_000
    with new_database() as url:
        address = url.render_as_string(hide_password=False)
        with importer(address, TOTAL, batch) as process:
            read_until(process, f"committed {3 * batch}")
            kill(process)
        store = EventStore.open(url)
        try:
            reached = store.head()
            assert reached % batch == 0
            assert 3 * batch <= reached < TOTAL
            assert_sound_prefix(store, reached)
            assert complete_import(address, 7_000) == TOTAL - reached
            assert_sound_prefix(store, TOTAL)
        finally:
            store.close()

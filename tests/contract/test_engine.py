"""SQLite engine set-up: what the store relies on from every new connection."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from ledger.persistence.store import EventStore


def test_opening_a_new_file_waits_for_a_writer_instead_of_failing_at_the_wal_switch(
    tmp_path: Path,
) -> None:
    """A ledger opened while another process holds the write lock on its new file waits for it
    (SQLite refuses the WAL switch at once instead of calling the busy handler)."""
    path = tmp_path / "ledger.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE other (x)")  # a file still in rollback-journal mode
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO other VALUES (1)")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    started = time.monotonic()
    release.start()
    try:
        store = EventStore.open(make_url(f"sqlite:///{path}"))
    finally:
        release.join()
        holder.close()
    try:
        assert time.monotonic() - started >= 0.5
        assert store.head() == 0
        with sqlite3.connect(path) as check:
            assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        store.close()

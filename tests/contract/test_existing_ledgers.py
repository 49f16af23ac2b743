"""Ledgers written before the mapper: still verified, read and re-appended byte for byte.

``data/ledger-before-mapper.sqlite`` was written by the previous hand-written codec (the
standard library's JSON encoder) with text and numbers at the edges of JSON: every control
character, DEL and C1 controls, line and paragraph separators, non-BMP characters, Arabic,
quotes and backslashes, integers past 2**63 and 2**64, and floats that JSON writes with an
exponent (1e+16, 1e-07), the smallest subnormal and the largest double.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import uuid
from pathlib import Path

import attrs
import pytest

from ledger.domain.events import ClaimMade
from ledger.errors import ImmutableError
from ledger.persistence import canonical as k
from ledger.persistence.export import read_jsonl, write_events
from ledger.persistence.mapper import DEFAULT_MAPPER
from ledger.persistence.schema import SQLITE_REPLACE_TRIGGER
from ledger.persistence.store import EventStore

FIXTURE = Path(__file__).parent / "data" / "ledger-before-mapper.sqlite"
DIGEST = "38:648f35426420373678cb3bc3095b1717f74e86702770bcc328720cb420d73f8a"


@pytest.fixture
def old_store(tmp_path: Path) -> EventStore:
    """A copy of the ledger written by the previous codec, opened by today's store."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    return EventStore.open(f"sqlite:///{path}")


def test_an_existing_ledger_still_verifies(old_store: EventStore) -> None:
    """verify recomputes the old canonical bytes exactly: the same head, every event sound."""
    result = old_store.verify(DIGEST)
    assert result.ok, result.reason
    assert str(result.head) == DIGEST


def test_events_map_back_to_the_very_rows_stored(old_store: EventStore) -> None:
    """Each stored event, read and mapped again, gives its stored payload and content."""
    with old_store.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM events ORDER BY position").fetchall()
    assert len(rows) == 38
    floats = 0
    for row in rows:
        event = DEFAULT_MAPPER.to_event(row)
        encoded = DEFAULT_MAPPER.to_row(event)
        assert encoded.row[k.PAYLOAD] == row[k.PAYLOAD]
        assert encoded.content == k.content_of_row(row)
        floats += isinstance(event, ClaimMade) and type(event.value) is float
    assert floats == 10


def test_re_appending_an_existing_ledger_is_a_no_op(old_store: EventStore) -> None:
    """Every old event appended again is found recorded with the same content."""
    events = list(old_store.iter_events())
    assert old_store.extend(events) == 0
    assert str(old_store.digest()) == DIGEST


def test_export_of_an_existing_ledger_rebuilds_its_digest(
    old_store: EventStore, tmp_path: Path
) -> None:
    """A JSON Lines export appended to an empty ledger reproduces the old ledger's head."""
    out = io.StringIO()
    write_events(old_store.iter_events(), out)
    fresh = EventStore.open(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    # Split as a file is read: at "\n" only (U+2028 and friends stay inside their strings).
    fresh.extend(read_jsonl(out.getvalue().split("\n")))
    assert str(fresh.digest()) == DIGEST


def _triggers(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    finally:
        conn.close()
    return {name for (name,) in found}


REPLACE_A_ROW = (
    "REPLACE INTO events SELECT position, id, type, version, stream, sequence, valid_edtf, "
    "recorded_at, citation_source, citation_quote, citation_start, citation_end, "
    "citation_quote_in, citation_also_cited, subjects, participants, fact, confidence, phrase, "
    "'forged summary', payload, valid_earliest, valid_latest, prev_hash, hash "
    "FROM events WHERE position = ?"
)


def test_an_existing_ledger_opened_for_writing_refuses_replace_into(tmp_path: Path) -> None:
    """A ledger made before the REPLACE guard gets it on open: after an append, ``REPLACE
    INTO events SELECT ... WHERE position = N`` is refused and the chain still verifies."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    assert SQLITE_REPLACE_TRIGGER not in _triggers(path)
    store = EventStore.open(f"sqlite:///{path}")
    try:
        event = next(iter(store.iter_events()))
        store.append([attrs.evolve(event, id=uuid.uuid4(), stream="a-new-stream", sequence=1)])
        assert store.head() == 39
        for position in (1, 20, 39):
            with pytest.raises(ImmutableError), store.begin() as conn:
                conn.exec_driver_sql(REPLACE_A_ROW, (position,))
        assert store.verify().ok
    finally:
        store.close()
    other = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            other.execute(REPLACE_A_ROW, (28,))
    finally:
        other.close()
    assert SQLITE_REPLACE_TRIGGER in _triggers(path)


def test_an_existing_ledger_opened_read_only_is_not_changed(tmp_path: Path) -> None:
    """Opened through ``?mode=ro``, a ledger made before the guard is read as it is: its
    bytes stay the same and the guard is left for a writer to add."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    store = EventStore.open(f"sqlite:///{path}?mode=ro")
    try:
        assert store.verify(DIGEST).ok
    finally:
        store.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert SQLITE_REPLACE_TRIGGER not in _triggers(path)

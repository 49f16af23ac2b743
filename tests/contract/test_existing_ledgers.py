"""Ledgers written before the mapper: still verified, read and re-appended byte for byte.

``data/ledger-before-mapper.sqlite`` was written by the previous hand-written codec (the
standard library's JSON encoder) with text and numbers at the edges of JSON: every control
character, DEL and C1 controls, line and paragraph separators, non-BMP characters, Arabic,
quotes and backslashes, integers past 2**63 and 2**64, and floats that JSON writes with an
exponent (1e+16, 1e-07), the smallest subnormal and the largest double.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from ledger.domain.events import ClaimMade
from ledger.persistence import canonical as k
from ledger.persistence.export import read_jsonl, write_events
from ledger.persistence.mapper import DEFAULT_MAPPER
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

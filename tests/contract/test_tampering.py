"""Tampering by a database superuser is found at its first position, by the library and the CLI.

The store contract (tests/contract/test_store_contract.py) and the chain properties
(tests/contract/test_chain_properties.py) pin single changed columns; this file adds whole-value
rewrites (a date with its bounds, a payload that still parses), tampering at the ends of the
chain, truncation and rewriting after a digest was published, and the ``ledger verify``
command on each, on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from tamper import delete_event, drop_immutability, set_columns, stored_row, swap_events

from ledger.cli import main
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, StatusChanged
from ledger.persistence.chain import Digest
from ledger.persistence.store import EventStore

EVENTS = 10


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Backends a command line can reach: a SQLite file and PostgreSQL (not memory)."""
    name: str = request.param
    return name


def _status(n: int) -> StatusChanged:
    """The n-th event of the test ledger: a cited status with a subject."""
    return StatusChanged(
        id=uuid.uuid4(),
        stream="ilrs" if n % 2 else "lunar-gateway",
        valid_time=parse_edtf(["2021-03-09", "2020-12", "2011", "[..2021-03-09]"][n % 4]),
        citation=Citation(source="article-ar", quote=f"اتفقت روسيا والصين {n}"),
        subjects=("russia", "china"),
        status=["proposed", "in_talks", "agreed"][n % 3],
    )


@pytest.fixture
def filled(store: EventStore) -> EventStore:
    """The store holding EVENTS events, its triggers dropped as a superuser could."""
    for start in range(0, EVENTS, 3):
        store.append([_status(n) for n in range(start, min(start + 3, EVENTS))])
    drop_immutability(store)
    return store


def _cli(url: URL, *args: str) -> tuple[int, str, str]:
    """Run ``ledger verify --db URL ARGS``; returns exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["verify", "--db", url.render_as_string(hide_password=False), *args], stdout=out, stderr=err
    )
    return code, out.getvalue(), err.getvalue()


def _change_payload(store: EventStore, position: int) -> None:
    payload = json.loads(stored_row(store, position)["payload"])
    payload["status"] = "declined" if payload["status"] != "declined" else "agreed"
    set_columns(store, position, {"payload": json.dumps(payload)})


def _change_date(store: EventStore, position: int) -> None:
    # A consistent forgery: the EDTF text and both derived bounds all say the next year.
    row = stored_row(store, position)
    later = parse_edtf(str(int(row["valid_edtf"].strip("[.]")[:4]) + 1))
    set_columns(
        store,
        position,
        {"valid_edtf": later.edtf, "valid_earliest": later.earliest, "valid_latest": later.latest},
    )


def _change_bounds(store: EventStore, position: int) -> None:
    row = stored_row(store, position)
    set_columns(
        store,
        position,
        {"valid_earliest": (row["valid_earliest"] or 0) - 400, "valid_latest": None},
    )


def _change_hash(store: EventStore, position: int) -> None:
    set_columns(store, position, {"hash": "0" * 64})


def _change_recorded_time(store: EventStore, position: int) -> None:
    row = stored_row(store, position)
    set_columns(store, position, {"recorded_at": row["recorded_at"] - timedelta(microseconds=1)})


def _change_quote(store: EventStore, position: int) -> None:
    row = stored_row(store, position)
    set_columns(store, position, {"citation_quote": row["citation_quote"] + "\u202e"})


def _delete(store: EventStore, position: int) -> None:
    delete_event(store, position)


def _swap(store: EventStore, position: int) -> None:
    swap_events(store, position, EVENTS if position != EVENTS else 1)


Tamper = Callable[[EventStore, int], None]
TAMPERS: dict[str, Tamper] = {
    "payload": _change_payload,
    "date": _change_date,
    "date-bounds": _change_bounds,
    "hash": _change_hash,
    "recorded-time": _change_recorded_time,
    "quote": _change_quote,
    "delete": _delete,
    "swap": _swap,
}


# Removing the last event is truncation, which only a published digest can reveal (below).
CASES = [
    pytest.param(kind, position, id=f"{kind}-{position}")
    for kind in TAMPERS
    for position in (1, 4, EVENTS)
    if (kind, position) != ("delete", EVENTS)
]


@pytest.mark.backend_sweep
@pytest.mark.parametrize(("kind", "position"), CASES)
def test_verify_names_the_first_tampered_position(
    filled: EventStore, db_url: URL, kind: str, position: int
) -> None:
    """Each kind of tampering, at the start, middle or end, is named at its position by
    EventStore.verify and by ``ledger verify`` (exit 1)."""
    # A swap with the first event is found at the first: the earliest bad position.
    expected = 1 if (kind, position) == ("swap", EVENTS) else position
    TAMPERS[kind](filled, position)
    result = filled.verify()
    assert (result.ok, result.first_bad) == (False, expected), result.reason
    assert result.checked == expected - 1
    code, out, err = _cli(db_url)
    assert code == 1, err
    assert f"FAILED at position {expected}:" in out


def test_truncated_tail_is_reported_against_the_published_digest(
    filled: EventStore, db_url: URL
) -> None:
    """Removing the newest events leaves a chain that verifies alone, but not against the
    digest published before: the library and ``ledger verify --against`` name the gap."""
    published = filled.digest()
    for position in (EVENTS, EVENTS - 1, EVENTS - 2):
        delete_event(filled, position)
    assert filled.verify().ok
    result = filled.verify(against=published)
    assert (result.ok, result.first_bad) == (False, EVENTS - 2)
    assert "removed" in result.reason
    code, out, _ = _cli(db_url, "--against", str(published))
    assert code == 1
    assert f"FAILED at position {EVENTS - 2}:" in out
    code, _, _ = _cli(
        db_url, "--against", str(Digest(EVENTS - 3, stored_row(filled, EVENTS - 3)["hash"]))
    )
    assert code == 0


def test_rewritten_history_is_reported_against_the_published_digest(
    filled: EventStore, db_url: URL
) -> None:
    """A tail removed and re-appended with other content (a self-consistent chain) verifies
    alone, but ``verify(against=digest)`` and the CLI say the ledger no longer extends it."""
    published = filled.digest()
    for position in range(EVENTS, 6, -1):
        delete_event(filled, position)
    filled.append([_status(100 + n) for n in range(EVENTS - 6 + 2)])
    assert filled.verify().ok
    result = filled.verify(against=str(published))
    assert (result.ok, result.first_bad) == (False, EVENTS)
    assert "rewritten" in result.reason
    code, out, _ = _cli(db_url, "--against", str(published))
    assert code == 1
    assert f"FAILED at position {EVENTS}:" in out


def test_cli_against_a_forged_digest_of_a_sound_ledger_fails(
    filled: EventStore, db_url: URL
) -> None:
    """A digest the ledger never had (same position, other hash) is reported, exit 1."""
    forged = Digest(5, "ab" * 32)
    code, out, _ = _cli(db_url, "--against", str(forged))
    assert code == 1
    assert "FAILED at position 5:" in out
    code, out, _ = _cli(db_url)
    assert (code, out.startswith(f"ok: {EVENTS} events verified")) == (0, True)


def test_sql_truncate_is_refused_while_triggers_stand(store: EventStore) -> None:
    """Before a superuser drops them, the triggers refuse removing rows on either backend."""
    store.append([_status(n) for n in range(3)])
    before = store.digest()
    sqlite = store.engine.dialect.name == "sqlite"
    statement = "DELETE FROM events" if sqlite else "TRUNCATE events CASCADE"
    with pytest.raises(DBAPIError, match="immutable"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert store.digest() == before
    assert store.verify().ok

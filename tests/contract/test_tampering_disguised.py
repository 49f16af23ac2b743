"""Disguised tampering: forgeries that keep the meaning, stay consistent, or cover their tracks.

``test_tampering`` pins each plain kind of tampering; this file tries harder to pass
unnoticed: the same JSON respelled, the same instant in other words, the same glyphs in other
code points, a subject removed from the row and the index alike, a deleted event with the
later ones renumbered, neighbours swapped, a rewrite with every later hash recomputed. The
superuser either drops the triggers or, on PostgreSQL, only disables them
(``ALTER TABLE ... DISABLE TRIGGER USER``). Each must fail ``verify`` at its first position
and no longer extend the digest published before.
"""

from __future__ import annotations

import io
import json
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest
from conftest import DatabaseFactory
from sqlalchemy import delete, select, text, type_coerce, update
from sqlalchemy.types import NullType
from strategies import sample_events
from tamper import (
    delete_event,
    drop_immutability,
    lift_guard,
    set_columns,
    stored_row,
    swap_events,
)

from ledger.cli import main
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, ClaimMade, Event
from ledger.errors import IntegrityError
from ledger.persistence import canonical as c
from ledger.persistence.chain import Digest
from ledger.persistence.schema import IMMUTABLE_TABLES, event_subjects, events
from ledger.persistence.store import EventStore

UNLOCKS = [
    pytest.param(("sqlite-file", "drop"), id="sqlite-drop-trigger"),
    pytest.param(("postgresql", "drop"), id="postgresql-drop-trigger", marks=pytest.mark.postgres),
    pytest.param(
        ("postgresql", "disable"), id="postgresql-disable-trigger", marks=pytest.mark.postgres
    ),
]


@pytest.fixture(params=UNLOCKS)
def unlock(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The backend and how the superuser silences its triggers."""
    value: tuple[str, str] = request.param
    return value


@pytest.fixture
def backend(unlock: tuple[str, str]) -> str:
    """The backend of the scenario (overrides the suite-wide parameter)."""
    return unlock[0]


def disable_triggers(store: EventStore) -> None:
    """PostgreSQL: keep the triggers but switch them off, as a superuser can (a table owner
    too where no superuser made the guard)."""
    lift_guard(store)
    with store.engine.begin() as conn:
        for table in IMMUTABLE_TABLES:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


def claims(start: int, count: int) -> list[Event]:
    """Claims in two streams, with subjects, Arabic quotes and SQL-looking text."""
    return [
        ClaimMade(
            id=uuid.UUID(int=1000 + n),
            stream=("ilrs", "lunar-gateway")[n % 2],
            valid_time=parse_edtf(("2021-03-09", "2020-12", "2011?")[n % 3]),
            citation=Citation(
                source="article", quote=f"أعلنت روسيا والصين {n}", start=n, end=n + 9
            ),
            subjects=("russia", "china")[: n % 3],
            summary=f"claim {n}'; DROP TABLE events; --",
            attribute="location",
            value=f"moon {n}",
        )
        for n in range(start, start + count)
    ]


@attrs.frozen
class Ledger:
    """A tampered-with ledger: its store, its URL for the CLI, and the digest published first."""

    store: EventStore
    url: str
    published: Digest


HEAD = 30
"""Events in the scenario ledger: every event type, then claims."""


@pytest.fixture
def book(new_database: DatabaseFactory, unlock: tuple[str, str]) -> Iterator[Ledger]:
    """A ledger of 30 events whose digest was published, with its triggers silenced."""
    with new_database() as url:
        store = EventStore.open(url)
        try:
            every_type = sample_events()
            store.append(every_type[:6])
            store.append(every_type[6:])
            store.append(claims(0, HEAD - len(every_type)))
            assert store.head() == HEAD
            published = store.digest()
            if unlock[1] == "drop":
                drop_immutability(store)
            else:
                disable_triggers(store)
            yield Ledger(store, url.render_as_string(hide_password=False), published)
        finally:
            store.close()


def payload_of(store: EventStore, position: int) -> dict[str, Any]:
    """The stored payload of an event, as JSON."""
    value: dict[str, Any] = json.loads(stored_row(store, position)["payload"])
    return value


def set_raw(store: EventStore, position: int, column: str, value: Any) -> None:
    """Store ``value`` as given, bypassing the column's type processing (raw driver value)."""
    with store.engine.begin() as conn:
        conn.execute(
            update(events)
            .where(events.c.position == position)
            .values({column: type_coerce(value, NullType())})
        )


def raw_rows(store: EventStore, start: int) -> list[list[Any]]:
    """The stored rows from ``start`` on, as the driver returns them (what verify hashes)."""
    columns = [type_coerce(col, NullType()).label(col.name) for col in events.columns]
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(*columns).where(events.c.position >= start).order_by(events.c.position)
        ).all()
    return [list(row) for row in rows]


def reseal_from(store: EventStore, start: int) -> None:
    """Recompute prev_hash and hash from ``start`` to the head: a forger covering their tracks."""
    prev = bytes.fromhex(stored_row(store, start - 1)["hash"]) if start > 1 else c.GENESIS_BYTES
    for row in raw_rows(store, start):
        row[c.PREV_HASH] = prev.hex()
        prev = c.chain_hash(prev, c.canonical(row))
        set_columns(store, row[c.POSITION], {"prev_hash": row[c.PREV_HASH], "hash": prev.hex()})


# --- the scenarios: each tampers and returns the first position verify must name -----------


def reformat_payload(store: EventStore) -> int:
    """The same JSON, written with spaces: same meaning, other bytes."""
    set_columns(store, 22, {"payload": json.dumps(payload_of(store, 22), indent=1)})
    return 22


def respell_recorded_time(store: EventStore) -> int:
    """The same instant in other words (SQLite keeps text); PostgreSQL keeps instants, so
    there the instant is read in a wrong zone, an hour off."""
    old = stored_row(store, 15)["recorded_at"]
    if store.engine.dialect.name == "sqlite":
        set_raw(store, 15, "recorded_at", old.isoformat())
    else:
        set_columns(store, 15, {"recorded_at": old - timedelta(hours=1)})
    return 15


def decompose_quote(store: EventStore) -> int:
    """The quote in another Unicode normal form: looks the same, other code points."""
    quote = stored_row(store, 24)["citation_quote"]
    decomposed = unicodedata.normalize("NFD", quote)  # أ becomes ا and a combining hamza
    assert decomposed != quote
    assert unicodedata.normalize("NFC", decomposed) == quote
    set_columns(store, 24, {"citation_quote": decomposed})
    return 24


def hide_a_subject(store: EventStore) -> int:
    """A subject removed from the event and from the subject index."""
    with store.engine.begin() as conn:
        conn.execute(
            delete(event_subjects).where(
                event_subjects.c.position == 26, event_subjects.c.subject == "russia"
            )
        )
    set_columns(store, 26, {"subjects": '["ilrs"]'})
    return 26


def delete_and_renumber(store: EventStore) -> int:
    """An event removed and the later ones moved down to close the gap."""
    delete_event(store, 8)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM event_subjects WHERE position > 8"))
        for position in range(9, HEAD + 1):
            conn.execute(
                update(events).where(events.c.position == position).values(position=position - 1)
            )
    return 8


def swap_neighbours(store: EventStore) -> int:
    """Two adjacent events exchanged."""
    swap_events(store, 27, 28)
    return 27


SCENARIOS: dict[str, Callable[[EventStore], int]] = {
    f.__name__: f
    for f in (
        reformat_payload,
        respell_recorded_time,
        decompose_quote,
        hide_a_subject,
        delete_and_renumber,
        swap_neighbours,
    )
}


def run_cli(*argv: str) -> tuple[int, str, str]:
    """The CLI's exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.backend_sweep
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_verify_names_the_first_tampered_position(book: Ledger, scenario: str) -> None:
    """Each disguised forgery fails verification at its position, alone and against the
    digest published before, in the library (IntegrityError when raised) and ``ledger verify``."""
    bad = SCENARIOS[scenario](book.store)
    result = book.store.verify()
    assert (result.ok, result.first_bad) == (False, bad), result.reason
    assert result.checked == bad - 1
    against = book.store.verify(against=book.published)
    assert (against.ok, against.first_bad) == (False, bad)
    with pytest.raises(IntegrityError, match=f"at position {bad}:"):
        result.raise_if_bad()
    for extra in ((), ("--against", str(book.published))):
        code, out, err = run_cli("verify", "--db", book.url, *extra)
        assert (code, err) == (1, "")
        assert out.startswith(f"FAILED at position {bad}: ")


def test_resealed_rewrite_is_caught_by_the_published_digest(book: Ledger) -> None:
    """A forger who recomputes every later hash gets a chain that verifies alone, but it no
    longer extends the published digest; a digest from before the rewrite still holds."""
    earlier = Digest(19, stored_row(book.store, 19)["hash"])
    set_columns(book.store, 20, {"summary": "never happened"})
    reseal_from(book.store, 20)
    assert book.store.verify().ok
    result = book.store.verify(against=book.published)
    assert (result.ok, result.first_bad) == (False, HEAD)
    assert "rewritten" in result.reason
    assert book.store.verify(against=earlier).ok
    code, out, _ = run_cli("verify", "--db", book.url, "--against", str(book.published))
    assert code == 1
    assert out.startswith(f"FAILED at position {HEAD}: ")


def test_index_entries_beyond_the_head_are_found(book: Ledger) -> None:
    """An entry in the subject index for a position past the newest event (no such event) is
    named at its position, while verifying under concurrent appends stays free of false
    alarms (entries past the walked chain are only counted when they have no event)."""
    orphan = HEAD + 5
    raw = book.store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if book.store.engine.dialect.name == "sqlite":  # autocommit: the pragma takes effect
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:  # a superuser's transaction that skips foreign keys and triggers alike
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"INSERT INTO event_subjects VALUES ('intruder', {orphan})")
        raw.commit()
        if book.store.engine.dialect.name == "sqlite":  # the connection goes back to the pool
            cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()
    result = book.store.verify()
    assert (result.ok, result.first_bad, result.checked) == (False, orphan, HEAD)
    assert "entries for no event" in result.reason

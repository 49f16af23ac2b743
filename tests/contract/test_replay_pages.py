"""A replay's pages, on every backend: the hot columns fetched at once, the rest of a page's
rows fetched once when one of its events first needs them, the same events as read whole."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from sqlalchemy import event as sqlalchemy_event
from strategies import sample_events

from ledger.dates import parse_edtf
from ledger.deferred import is_deferred
from ledger.domain.events import Citation, Event, MemberJoined, StatusChanged
from ledger.persistence.store import EventStore


def _corpus(n: int = 40) -> list[Event]:
    """Every type once, then ``n`` events over three streams with varied subjects and times."""
    events = sample_events()
    for i in range(n):
        common: dict[str, Any] = {
            "id": uuid.UUID(int=10_000 + i),
            "stream": ("ilrs", "gateway", "artemis")[i % 3],
            "valid_time": parse_edtf(("2021-03", "2019~", "2021-03/2021-06", "[..2020-12]")[i % 4]),
            "citation": Citation(source=f"src-{i % 5}", quote=f"«اقتباس {i}»"),
            "subjects": ("roscosmos",) if i % 2 else ("cnsa", "roscosmos"),
            "recorded_at": datetime(2021, 3, 11, 0, 0, i, tzinfo=UTC),
        }
        if i % 2:
            events.append(StatusChanged(**common, status=f"s{i % 4}"))
        else:
            events.append(MemberJoined(**common, member=f"m{i}"))
    return events


@contextmanager
def _queries(store: EventStore) -> Iterator[list[str]]:
    """The SQL statements ``store`` runs inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    sqlalchemy_event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sqlalchemy_event.remove(store.engine, "before_cursor_execute", record)


def _cold(statements: list[str]) -> int:
    """How many of ``statements`` fetched a page's cold columns (the citation's among them)."""
    return sum("citation_quote" in s for s in statements)


def test_a_fold_of_hot_fields_never_fetches_the_rest(store: EventStore) -> None:
    """Reading where events sit, when they happened and their payloads runs one query per
    page and none for the cold columns."""
    store.extend(_corpus())
    with _queries(store) as seen:
        for replayed in store.iter_events(page_size=10):
            _ = (replayed.stream, replayed.valid_time.latest, replayed.position)
            if isinstance(replayed, StatusChanged):
                _ = replayed.status
    assert seen
    assert _cold(seen) == 0


def test_a_page_fetches_its_cold_columns_once(store: EventStore) -> None:
    """The first event of a page whose citation is read fetches the page's cold columns; the
    page's other events need no query more, and each page does this once."""
    store.extend(_corpus())
    total = store.head()
    with _queries(store) as seen:
        replayed = list(store.iter_events(page_size=10))
        assert _cold(seen) == 0
        for one in replayed:
            _ = one.citation
    pages = -(-total // 10)
    assert _cold(seen) == pages


@pytest.mark.parametrize(
    "wanted",
    [
        {},
        {"types": [StatusChanged]},
        {"subject": ["cnsa"]},
        {"after": 7},
        {"known_at": datetime(2021, 3, 11, 0, 0, 20, tzinfo=UTC)},
        {"valid_from": "2021-01", "valid_to": "2021-12"},
    ],
)
def test_filtered_replays_equal_the_events_read_whole(
    store: EventStore, wanted: dict[str, Any]
) -> None:
    """Whatever the filter and however small the pages, each replayed event, its cold fields
    read from its page, equals the event read whole by id."""
    store.extend(_corpus())
    replayed = list(store.iter_events(page_size=4, **wanted))
    assert replayed
    for one in reversed(replayed):  # pages filled out of order
        whole = store.get(one.id)
        assert whole is not None
        assert not is_deferred(whole)
        assert attrs.asdict(one, recurse=False) == attrs.asdict(whole, recurse=False)
        assert one == whole


def test_replayed_events_outlive_their_store(store: EventStore) -> None:
    """Events replayed, kept and first read after their store closed (a private in-memory
    database included, which is gone by then) still give every field."""
    store.extend(_corpus())
    replayed = list(store.iter_events(page_size=6))
    assert all(is_deferred(e) for e in replayed)
    wholes = [attrs.evolve(e) for e in store.iter_events()]  # built by __init__, whole
    store.close()
    assert replayed == wholes


def test_a_page_lives_as_long_as_an_event_may_need_it(store: EventStore) -> None:
    """Pages whose events are all gone, or all made, are let go: a replay keeps no page."""
    store.extend(_corpus())
    for one in store.iter_events(page_size=5):
        _ = one.stream
    del one  # the last event read, whose page it keeps
    kept = list(store.iter_events(page_size=5))
    gc.collect()
    assert len(store._live) == -(-store.head() // 5)
    for one in kept:
        _ = (one.citation, one.summary)  # every field made, the page not needed
    gc.collect()
    assert len(store._live) == 0
    del kept
    gc.collect()
    assert len(store._live) == 0

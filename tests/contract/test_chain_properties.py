"""Properties of the stored chain, on every backend: exact round trips and tamper evidence."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from conftest import DatabaseFactory, FakeClock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import recorded_batches, store_texts
from tamper import drop_immutability, move_event, set_columns, stored_row

from ledger.domain.events import Event
from ledger.persistence.schema import EVENT_COLUMNS, events, to_utc
from ledger.persistence.store import EventStore

pytestmark = pytest.mark.slow

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    # Each example opens its own fresh database through the factory fixture.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def expected_records(batches: list[list[Event]], clock: FakeClock) -> list[Event]:
    """What the store should record: a model of sequences, positions and recorded times."""
    newest: datetime | None = None
    sequences: dict[str, int] = {}
    recorded: list[Event] = []
    for batch in batches:
        now = clock() if any(e.recorded_at is None for e in batch) else None
        for event in batch:
            if event.recorded_at is not None:
                stamp = to_utc(event.recorded_at)
            else:
                assert now is not None
                stamp = now if newest is None or now >= newest else newest
            newest = stamp
            sequences[event.stream] = sequences.get(event.stream, 0) + 1
            recorded.append(
                attrs.evolve(
                    event,
                    sequence=sequences[event.stream],
                    position=len(recorded) + 1,
                    recorded_at=stamp,
                )
            )
    return recorded


@PROPERTY_SETTINGS
@given(batches=recorded_batches())
def test_random_batches_round_trip_exactly_and_verify(
    new_database: DatabaseFactory, batches: list[list[Event]]
) -> None:
    """Any events appended in batches read back exactly (payloads, dates, UTC times), in
    order, by stream and by id, and the chain they form verifies."""
    with new_database() as url:
        store = EventStore.open(url, clock=FakeClock())
        try:
            returned = [e for batch in batches for e in store.append(batch)]
            expected = expected_records(batches, FakeClock())
            assert returned == expected
            assert list(store.iter_events(page_size=4)) == expected
            for event in expected[:3]:
                assert store.get(event.id) == event
                assert store.stream(event.stream) == [
                    e for e in expected if e.stream == event.stream
                ]
            result = store.verify()
            assert result.ok
            assert result.checked == len(expected)
            assert store.verify(against=store.digest()).ok
        finally:
            store.close()


def _changed_value(draw: Callable[[st.SearchStrategy[Any]], Any], column: str, old: Any) -> Any:
    """A value for ``column`` different from ``old``, of the type the column holds."""
    if column == "id":
        return str(draw(st.uuids().filter(lambda u: str(u) != str(old))))
    if column == "recorded_at":
        return old + timedelta(
            microseconds=draw(st.integers(1, 10**9)) * draw(st.sampled_from([-1, 1]))
        )
    if column in ("hash", "prev_hash"):
        return draw(
            st.text("0123456789abcdef", min_size=64, max_size=64).filter(lambda h: h != old)
        )
    if column in ("version", "sequence"):
        # Far from every stored sequence, so the (stream, sequence) key cannot collide.
        return old + draw(st.integers(10**6, 10**9))
    if column in ("valid_earliest", "valid_latest", "citation_start", "citation_end"):
        options = st.integers(-(10**6), 10**7).filter(lambda v: v != old)
        return draw(options if old is None else st.one_of(st.none(), options))
    # A value the column can hold: PostgreSQL refuses a text longer than its declared length.
    length = getattr(events.c[column].type, "length", None) or 20
    return draw(store_texts(min(20, length)).filter(lambda t: t != old))


@PROPERTY_SETTINGS
@given(batches=recorded_batches(max_batches=2), data=st.data())
def test_any_changed_value_is_found_at_its_position(
    new_database: DatabaseFactory, batches: list[list[Event]], data: st.DataObject
) -> None:
    """With the triggers dropped, changing any single stored value of any event (or moving
    it to another position) makes verify fail exactly at that event's position."""
    with new_database() as url:
        store = EventStore.open(url, clock=FakeClock())
        try:
            for batch in batches:
                store.append(batch)
            drop_immutability(store)
            head = store.head()
            position = data.draw(st.integers(1, head), label="position")
            column = data.draw(st.sampled_from(EVENT_COLUMNS), label="column")
            if column == "position":
                move_event(store, position, head + data.draw(st.integers(1, 1000)))
            else:
                old = stored_row(store, position)[column]
                set_columns(store, position, {column: _changed_value(data.draw, column, old)})
            result = store.verify()
            assert not result.ok
            assert result.first_bad == position, result.reason
            assert result.checked == position - 1
        finally:
            store.close()


def test_a_fresh_ledger_verifies_empty(new_database: DatabaseFactory) -> None:
    """An empty ledger verifies with nothing checked and the genesis digest."""
    with new_database() as url:
        store = EventStore.open(url)
        try:
            result = store.verify()
            assert (result.ok, result.checked, str(result.head)) == (True, 0, "0:" + "0" * 64)
            assert store.get(uuid.uuid4()) is None
        finally:
            store.close()

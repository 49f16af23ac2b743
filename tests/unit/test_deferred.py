"""Deferred fields: events replayed with some fields left to be made, and dates read back with
their stored bounds, are the values built whole, whichever field is read first."""

from __future__ import annotations

import copy
import pickle
import threading
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import edtf_strings, sample_events, stored_events, stored_rows
from test_dates_edtf_spec import SPEC_EXAMPLES

from ledger.dates import parse_edtf
from ledger.dates.edtf import bounded
from ledger.deferred import Deferred, defer, is_deferred, settle
from ledger.domain.events import Event, MemberJoined, StatusChanged
from ledger.errors import InvalidDateError, StoreError
from ledger.persistence import canonical as k
from ledger.persistence.columns import MADE_AT_ONCE
from ledger.persistence.mapper import Mapper
from ledger.persistence.store import EventStore

DEFERRED = [f.name for f in attrs.fields(Event) if f.name not in MADE_AT_ONCE]
"""The envelope fields a replay leaves to their first read."""


def _unset(value: Any, name: str) -> bool:
    """Whether the slot of field ``name`` is still empty (read past ``__getattr__``)."""
    for klass in type(value).__mro__:
        slot = klass.__dict__.get(name)
        if slot is not None:
            try:
                slot.__get__(value)
            except AttributeError:
                return True
            return False
    raise LookupError(name)


def _fields(value: Any) -> list[str]:
    return [f.name for f in attrs.fields(type(value))]


# --- events ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(events=st.lists(stored_events(), min_size=1, max_size=5), data=st.data())
def test_a_deferred_event_is_the_event_built_whole_whatever_is_read_first(
    events: list[Event], data: st.DataObject
) -> None:
    """Any stored event of any type, read deferring, then one of its fields read first (any
    of them), equals, hashes, prints and pickles as the row read whole, and stays frozen."""
    mapper = Mapper()
    for row in stored_rows(events, mapper):
        whole = mapper.to_event(row)
        lazy = mapper.deferring(row)
        first = data.draw(st.sampled_from(_fields(lazy)))
        assert getattr(lazy, first) == getattr(whole, first)
        assert lazy == whole
        assert hash(lazy) == hash(whole)
        assert repr(lazy) == repr(whole)
        assert attrs.asdict(lazy, recurse=False) == attrs.asdict(whole, recurse=False)
        assert not is_deferred(lazy)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            lazy.stream = "other"  # type: ignore[misc]


def test_reading_a_payload_field_makes_only_the_payload() -> None:
    """The payload and the rest of the envelope are two groups: reading the status leaves the
    id, citation, recorded time, names, fact and confidence unmade, and reading one of those
    makes the rest."""
    mapper = Mapper()
    event = next(e for e in sample_events() if isinstance(e, StatusChanged))
    row = stored_rows([event], mapper)[0]
    lazy = mapper.deferring(row)
    assert isinstance(lazy, StatusChanged)
    assert all(_unset(lazy, name) for name in [*DEFERRED, "status"])
    assert not any(_unset(lazy, name) for name in MADE_AT_ONCE)
    assert lazy.status == event.status
    assert all(_unset(lazy, name) for name in DEFERRED)
    assert is_deferred(lazy)
    assert lazy.citation == event.citation
    assert not any(_unset(lazy, name) for name in _fields(lazy))
    assert not is_deferred(lazy)  # the row is let go


def test_reading_an_envelope_field_first_leaves_the_payload() -> None:
    """Reading the id makes the envelope's deferred fields and leaves the payload's."""
    mapper = Mapper()
    event = next(e for e in sample_events() if isinstance(e, MemberJoined))
    lazy = mapper.deferring(stored_rows([event], mapper)[0])
    assert lazy.id == event.id
    assert not any(_unset(lazy, name) for name in DEFERRED)
    assert _unset(lazy, "member")
    assert _unset(lazy, "role")
    row = stored_rows([event], mapper)[0]
    assert settle(lazy) is lazy
    assert not _unset(lazy, "member")
    assert not is_deferred(lazy)
    assert lazy == mapper.to_event(row)


def test_a_deferred_event_copies_and_evolves_as_a_whole_one() -> None:
    """copy, deepcopy, pickle and attrs.evolve of an unmade event give whole, equal events."""
    mapper = Mapper()
    for row in stored_rows(sample_events(), mapper):
        whole = mapper.to_event(row)
        for made in (
            copy.copy(mapper.deferring(row)),
            copy.deepcopy(mapper.deferring(row)),
            pickle.loads(pickle.dumps(mapper.deferring(row))),
        ):
            assert made == whole
            assert not is_deferred(made)
        evolved = attrs.evolve(mapper.deferring(row), summary="changed")
        assert evolved == attrs.evolve(whole, summary="changed")


def test_an_unreadable_deferred_row_raises_when_its_fields_are_read() -> None:
    """A payload that cannot be decoded does not stop a replay that never reads it; reading
    it raises the StoreError naming the row, again on every read, and the envelope still
    reads."""
    mapper = Mapper()
    event = next(e for e in sample_events() if isinstance(e, StatusChanged))
    row = list(stored_rows([event], mapper)[0])
    row[k.PAYLOAD] = "[1, 2"
    lazy = mapper.deferring(tuple(row))
    assert lazy.stream == event.stream
    for _ in range(2):
        with pytest.raises(StoreError, match="position 1"):
            _ = lazy.status  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match="position 1"):
        mapper.to_event(tuple(row))  # read whole, it raises at once
    assert lazy.id == event.id


def test_a_missing_attribute_is_still_an_attribute_error() -> None:
    """A name that is no field raises AttributeError on deferred and whole events alike, and
    ``getattr`` with a default and ``hasattr`` keep working."""
    mapper = Mapper()
    row = stored_rows(sample_events()[:1], mapper)[0]
    for event in (mapper.deferring(row), mapper.to_event(row)):
        with pytest.raises(AttributeError, match="no attribute 'nothing'"):
            _ = event.nothing  # type: ignore[attr-defined]
        assert getattr(event, "nothing", 7) == 7
        assert not hasattr(event, "nothing")


def test_threads_reading_one_deferred_event_see_the_same_values() -> None:
    """Threads that each read another field of the same unmade events all see the values of
    the events built whole."""
    mapper = Mapper()
    rows = stored_rows(sample_events(), mapper)
    wholes = [mapper.to_event(row) for row in rows]
    for _ in range(20):
        lazies = [mapper.deferring(row) for row in rows]
        seen: list[bool] = []

        def read(name: str, lazies: list[Event] = lazies, seen: list[bool] = seen) -> None:
            for lazy, whole in zip(lazies, wholes, strict=True):
                seen.append(getattr(lazy, name, None) == getattr(whole, name, None))

        names = ["id", "citation", "recorded_at", "subjects", "participants", "summary"]
        threads = [threading.Thread(target=read, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(seen)
        assert len(seen) == len(names) * len(rows)
        assert lazies == wholes


def test_replays_defer_and_single_reads_do_not(store: EventStore) -> None:
    """iter_events, on every backend, gives events with fields left to make, equal to those
    ``stream`` and ``event`` give whole."""
    events = sample_events()
    store.extend(events)
    replayed = list(store.iter_events())
    assert replayed
    assert all(is_deferred(e) for e in replayed)
    streamed = store.stream(events[0].stream)
    assert streamed
    assert not any(is_deferred(e) for e in streamed)
    assert [e for e in replayed if e.stream == events[0].stream] == streamed


def test_a_builder_can_defer_any_deferred_value() -> None:
    """The mechanism knows nothing of rows: a fill is handed its data and the name read, and
    what it returns stays deferred until it returns None."""

    @attrs.frozen
    class Pair(Deferred):
        a: int
        b: int

    calls: list[str] = []
    a_slot, b_slot = Pair.__dict__["a"], Pair.__dict__["b"]

    def fill_b(value: Pair, data: dict[str, int], name: str) -> None:
        calls.append(name)
        b_slot.__set__(value, data["b"])

    def fill_a(value: Pair, data: dict[str, int], name: str) -> Any:
        calls.append(name)
        a_slot.__set__(value, data["a"])
        return (fill_b, data)

    pair = object.__new__(Pair)
    defer(pair, (fill_a, {"a": 1, "b": 2}))
    assert pair.a == 1
    assert calls == ["a"]
    assert is_deferred(pair)
    assert pair == Pair(1, 2)
    assert calls == ["a", "b"]
    assert not is_deferred(pair)


# --- dates read back with their stored bounds ---------------------------------------------


@pytest.mark.parametrize("text", sorted({canonical for _, canonical, *_ in SPEC_EXAMPLES}))
def test_a_bounded_date_is_its_parsed_date(text: str) -> None:
    """Every canonical example of the EDTF specification, read with its stored bounds, gives
    them without parsing and, once another part is read, every part of the parsed date."""
    parsed = parse_edtf(text)
    date = bounded(text, parsed.earliest, parsed.latest)
    assert (date.earliest, date.latest) == (parsed.earliest, parsed.latest)
    assert date == parsed
    assert hash(date) == hash(parsed)
    assert str(date) == text
    assert is_deferred(date)  # neither the bounds, equality, hash nor text parsed it
    assert date.precision == parsed.precision
    for field in attrs.fields(type(parsed)):
        assert getattr(date, field.name) == getattr(parsed, field.name), field.name
    assert not is_deferred(date)


@settings(max_examples=150, deadline=None)
@given(text=edtf_strings())
def test_any_bounded_date_reads_as_parsed(text: str) -> None:
    """Any EDTF value the parser reads, bounded by its own days, reads every part alike."""
    parsed = parse_edtf(text)
    date = bounded(parsed.edtf, parsed.earliest, parsed.latest)
    assert date.began_by(0) == parsed.began_by(0)
    assert {f.name: getattr(date, f.name) for f in attrs.fields(type(date))} == {
        f.name: getattr(parsed, f.name) for f in attrs.fields(type(parsed))
    }


def test_stored_bounds_that_are_not_the_dates_days_are_refused() -> None:
    """Bounds that disagree with the text raise InvalidDateError when the rest is first read,
    naming both."""
    parsed = parse_edtf("2016-11")
    date = bounded("2016-11", parsed.earliest, (parsed.latest or 0) + 1)
    with pytest.raises(InvalidDateError, match="stored bounds"):
        _ = date.precision
    with pytest.raises(InvalidDateError, match="stored bounds"):
        _ = date.start_latest


def test_a_replayed_row_takes_its_dates_bounds_from_the_row() -> None:
    """A replay reads the stored bounds, so a row whose bounds were changed (and rehashed)
    shows them, and its date refuses to be read further: what verify's chain covers is what
    the answer uses, and a disagreement is an error, not a silent mix."""
    mapper = Mapper()
    event = next(e for e in sample_events() if e.valid_time.latest is not None)
    row = list(stored_rows([event], mapper)[0])
    row[k.VALID_LATEST] = int(row[k.VALID_LATEST]) + 3
    lazy = mapper.deferring(tuple(row))
    assert lazy.valid_time.latest == row[k.VALID_LATEST]
    with pytest.raises(InvalidDateError, match="stored bounds"):
        _ = lazy.valid_time.precision

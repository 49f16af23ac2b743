"""The quick reader: each stored row read by its generated function is the event the class's
``__init__`` builds from the same row, whether its values come from the caches or not."""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import sample_events, stored_events, stored_rows

from ledger.dates import parse_edtf
from ledger.domain.events import EVENT_TYPES, Citation, Corrected, Event, Retracted, StatusChanged
from ledger.errors import StoreError
from ledger.persistence import canonical as k
from ledger.persistence.mapper import Mapper
from ledger.persistence.reading import Cache, Reader
from ledger.persistence.schema import DECODED_COLUMNS
from ledger.persistence.store import EventStore


def _counting(mapper: Mapper) -> tuple[Reader, list[Any]]:
    """A reader of ``mapper``'s types that records each row it leaves to ``__init__``."""
    fallbacks: list[Any] = []

    def fallback(row: Any) -> Event:
        fallbacks.append(row)
        return mapper._read(row)

    types = [(name, EVENT_TYPES[name]) for name in mapper.type_names]
    reader = Reader(
        types, lambda name, v, text: mapper._decoded(mapper._specs[name], v, text), fallback
    )
    return reader, fallbacks


def _same(quick: Event, built: Event) -> None:
    assert type(quick) is type(built)
    assert attrs.asdict(quick, recurse=False) == attrs.asdict(built, recurse=False)
    assert quick == built
    assert hash(quick) == hash(built)
    assert repr(quick) == repr(built)
    assert pickle.loads(pickle.dumps(quick)) == built
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        quick.stream = "other"  # type: ignore[misc]


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(events=st.lists(stored_events(), min_size=1, max_size=6), repeat=st.booleans())
def test_quick_reading_equals_reading_through_init(events: list[Event], repeat: bool) -> None:
    """Any events of any type (Arabic and control text, every EDTF shape, corrections), read
    cold and again from the caches, equal those built by ``__init__``, with no fallback."""
    mapper = Mapper()
    if repeat:  # rows sharing dates, citations, names and payloads with the rows before
        events = events + [attrs.evolve(e, id=uuid.uuid4()) for e in events]
    rows = stored_rows(events, mapper)
    reader, fallbacks = _counting(mapper)
    for _ in range(2):
        for row in rows:
            _same(reader.read(row), mapper._read(row))
    assert fallbacks == []


def _corpus() -> list[Event]:
    """One event of each type plus corrections and retractions with Arabic text and partial
    and interval dates, several sharing a citation or a payload."""
    events = sample_events()
    quote = Citation(source="wam-ar", quote="وقّعت الإمارات مذكرة تفاهم", start=3, end=29)
    for i, edtf in enumerate(("2021-03", "2019~", "2021-03/2021-06", "[..2020-12]", "-0044-03-15")):
        common: dict[str, Any] = {
            "id": uuid.UUID(int=1000 + i),
            "stream": "برنامج",
            "valid_time": parse_edtf(edtf),
            "citation": quote,
            "subjects": ("uae", "ilrs"),
        }
        events.append(StatusChanged(**common, status="في المفاوضات"))
        events.append(
            Corrected(
                **{**common, "id": uuid.UUID(int=2000 + i)},
                target=events[i].id,
                reason="تصحيح",
                changes={"status": "agreed"},
            )
        )
        events.append(
            Retracted(
                **{**common, "id": uuid.UUID(int=3000 + i)}, target=events[i].id, reason="خطأ"
            )
        )
    return events


def test_replay_equals_the_rows_read_through_init(store: EventStore) -> None:
    """What iter_events replays, on every backend (ids and times as its driver gives them),
    equals each stored row read through ``__init__``; the chain still verifies."""
    store.extend(_corpus())
    with store.connect() as conn:
        query = f"SELECT {', '.join(DECODED_COLUMNS)} FROM events ORDER BY position"
        rows = conn.exec_driver_sql(query).all()
    replayed = list(store.iter_events(page_size=7))
    assert len(replayed) == len(rows) > 30
    mapper = Mapper()
    for event, row in zip(replayed, rows, strict=True):
        _same(event, mapper._read(tuple(row)))
    assert store.verify().ok


def test_rows_the_quick_path_cannot_read_go_through_init() -> None:
    """An older version, a payload without a defaulted field and an unknown confidence are
    read (or refused) exactly as through ``__init__``."""
    mapper = Mapper()
    row = list(stored_rows([sample_events()[0]], mapper)[0])
    reader, fallbacks = _counting(mapper)
    reader.read(tuple(row))
    assert fallbacks == []
    for column, value in ((k.VERSION, 0), (k.CONFIDENCE, "certain")):
        changed = list(row)
        changed[column] = value
        with pytest.raises(StoreError) as quick:
            reader.read(tuple(changed))
        with pytest.raises(StoreError) as built:
            mapper._read(tuple(changed))
        assert str(quick.value) == str(built.value)
    assert len(fallbacks) == 2


def test_cache_keeps_two_generations() -> None:
    """A full cache moves its entries to an older generation, found and brought back when met
    again; at most twice its bound is kept."""
    cache = Cache(2)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("c") == "C"
    assert cache.get("a") is None
    assert cache.found("a") == "A"
    assert cache.get("a") == "A"
    assert cache.found("z") is None
    for key in "defgh":
        cache.put(key, key)
    assert len(cache.new) + len(cache.old) <= 4

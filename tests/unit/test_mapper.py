"""The mapper: events to rows and records and back, upcasting, and the bytes the chain hashes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings
from strategies import sample_events, stored_events

from ledger.dates import parse_edtf
from ledger.domain.events import EVENT_TYPES, Citation, ClaimMade, Event, StatusChanged
from ledger.errors import EventError, StoreError
from ledger.persistence import canonical as k
from ledger.persistence.canonical import GENESIS_BYTES, canonical, chain_hash
from ledger.persistence.mapper import DEFAULT_MAPPER, Mapper
from ledger.persistence.schema import EVENT_COLUMNS

STAMP = "2021-03-10T12:00:00.000000Z"


def sealed(event: Event, mapper: Mapper = DEFAULT_MAPPER, position: int = 1) -> list[Any]:
    """The row a store would write for ``event`` as the first event of an empty ledger."""
    encoded = mapper.to_row(event)
    mapper.seal(encoded, position, 1, STAMP, GENESIS_BYTES)
    return encoded.row


def reference_canonical(row: list[Any]) -> bytes:
    """The canonical encoding as its documentation states it, computed with json.dumps."""
    values = {name: value for name, value in zip(EVENT_COLUMNS, row, strict=True)}
    del values["hash"]
    values["id"] = str(values["id"])
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_every_registered_type_round_trips() -> None:
    """Each event type decodes to the very event encoded, plus its assigned fields."""
    events = sample_events()
    assert {type(e) for e in events} == set(EVENT_TYPES.values())
    for event in events:
        decoded = DEFAULT_MAPPER.to_event(sealed(event))
        expected = attrs.evolve(
            event, sequence=1, position=1, recorded_at=datetime(2021, 3, 10, 12, tzinfo=UTC)
        )
        assert decoded == expected
        assert type(decoded) is type(event)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(event=stored_events())
def test_sealed_hash_covers_the_documented_canonical_bytes(event: Event) -> None:
    """The hash sealed from the prepared encoding is SHA-256 of json.dumps of the row."""
    encoded = DEFAULT_MAPPER.to_row(event)
    digest = DEFAULT_MAPPER.seal(encoded, 7, 3, STAMP, GENESIS_BYTES)
    row = encoded.row
    assert encoded.content == k.content_of_row(row)
    assert digest == chain_hash(GENESIS_BYTES, reference_canonical(row))


def test_driver_values_decode_like_text() -> None:
    """Ids and times given as driver objects (PostgreSQL) decode and hash like SQLite's text."""
    row = sealed(sample_events()[0])
    native = list(row)
    native[k.ID] = uuid.UUID(row[k.ID])
    native[k.RECORDED_AT] = datetime(2021, 3, 10, 12, tzinfo=UTC)
    assert DEFAULT_MAPPER.to_event(native) == DEFAULT_MAPPER.to_event(row)
    assert canonical(native) == canonical(row)


# --- upcasting -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StatusChangedV3(Event):
    """A later StatusChanged: ``status`` renamed ``state`` (v2), then a ``note`` added (v3)."""

    type_name: ClassVar[str] = "StatusChanged"
    version: ClassVar[int] = 3
    state: str
    note: str

    @staticmethod
    def upcast_v1_v2(payload: dict[str, Any]) -> dict[str, Any]:
        """v2 renamed ``status`` to ``state``."""
        return {"state": payload.pop("status")}

    @staticmethod
    def upcast_v2_v3(payload: dict[str, Any]) -> dict[str, Any]:
        """v3 added a ``note``."""
        return {**payload, "note": "upcast"}


@attrs.frozen(kw_only=True)
class StatusChangedGap(Event):
    """A later StatusChanged whose class lacks the step from v1."""

    type_name: ClassVar[str] = "StatusChanged"
    version: ClassVar[int] = 2
    state: str


def test_old_versions_are_upcast_step_by_step() -> None:
    """A v1 row read by a mapper whose class is at v3 passes through each upcast method."""
    old_row = sealed(StatusChanged(**_envelope(), status="agreed"))
    mapper = Mapper(types={"StatusChanged": StatusChangedV3})
    decoded = mapper.to_event(old_row)
    assert isinstance(decoded, StatusChangedV3)
    assert (decoded.state, decoded.note) == ("agreed", "upcast")
    assert mapper.to_event(old_row) == decoded, "the second read (cached path) agrees"


def test_old_records_are_upcast_too() -> None:
    """An exported v1 record read back by a mapper at v3 is upcast like a stored row."""
    record = DEFAULT_MAPPER.to_record(StatusChanged(**_envelope(), status="agreed"))
    event = Mapper(types={"StatusChanged": StatusChangedV3}).from_record(record)
    assert isinstance(event, StatusChangedV3)
    assert (event.state, event.note, event.id) == ("agreed", "upcast", uuid.UUID(int=3))


def test_missing_upcaster_and_newer_versions_are_errors() -> None:
    """Without an upcast method for a version, or for a newer version, reading fails."""
    old_row = sealed(StatusChanged(**_envelope(), status="agreed"))
    gap = Mapper(types={"StatusChanged": StatusChangedGap})
    with pytest.raises(StoreError, match="no upcaster"):
        gap.to_event(old_row)
    newer = list(old_row)
    newer[k.VERSION] = 4
    with pytest.raises(StoreError, match="newer ledger"):
        Mapper(types={"StatusChanged": StatusChangedV3}).to_event(newer)


# --- refusals ------------------------------------------------------------------------------


def _envelope() -> dict[str, Any]:
    return {
        "id": uuid.UUID(int=3),
        "stream": "ilrs",
        "valid_time": parse_edtf("2021"),
        "citation": Citation(source="s"),
    }


@attrs.frozen(kw_only=True)
class Unregistered(StatusChanged):
    """A subclass that was never added to EVENT_TYPES."""


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (Unregistered(**_envelope(), status="x"), "not a registered event type"),
        (StatusChanged(**{**_envelope(), "stream": " "}, status="x"), "stream"),
        (StatusChanged(**_envelope(), summary="a\x00b", status="x"), "NUL"),
        (ClaimMade(**_envelope(), attribute="a", value=float("nan")), "not JSON compliant"),
        (
            StatusChanged(
                **{**_envelope(), "citation": Citation(source="s", start=5, end=2)}, status="x"
            ),
            "ends",
        ),
        (StatusChanged(**{**_envelope(), "id": "not-uuid"}, status="x"), "not a UUID"),
    ],
)
def test_unstorable_events_are_refused(event: Event, message: str) -> None:
    """Events that cannot be stored alike on every backend raise EventError saying why."""
    with pytest.raises(EventError, match=message):
        DEFAULT_MAPPER.to_row(event)


@pytest.mark.parametrize("field", ["status", "summary", "subjects"])
def test_lone_surrogate_is_refused(field: str) -> None:
    """Text that is not valid Unicode cannot be hashed as UTF-8: EventError, in any field."""
    values: dict[str, Any] = {"status": "x", field: "a\ud800"}
    with pytest.raises(EventError, match="Unicode"):
        DEFAULT_MAPPER.to_row(StatusChanged(**_envelope(), **values))


def test_unreadable_rows_are_store_errors() -> None:
    """A row of an unknown type or with a broken payload raises StoreError with its position."""
    row = sealed(sample_events()[0])
    unknown = list(row)
    unknown[k.TYPE] = "Vanished"
    with pytest.raises(StoreError, match="unknown type"):
        DEFAULT_MAPPER.to_event(unknown)
    broken = list(row)
    broken[k.PAYLOAD] = "[1, 2"
    with pytest.raises(StoreError, match="position 1"):
        DEFAULT_MAPPER.to_event(broken)

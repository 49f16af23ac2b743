"""The codec: events to rows and back, upcasting, and the canonical bytes the chain hashes."""

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
from ledger.persistence import codec as c
from ledger.persistence.codec import (
    GENESIS_BYTES,
    UPCASTERS,
    Codec,
    canonical,
    register_upcaster,
)
from ledger.persistence.schema import EVENT_COLUMNS

STAMP = "2021-03-10T12:00:00.000000Z"


def sealed(event: Event, codec: Codec = c.DEFAULT_CODEC, position: int = 1) -> list[Any]:
    """The row a store would write for ``event`` as the first event of an empty ledger."""
    encoded = codec.encode(event)
    codec.seal(encoded, position, 1, STAMP, GENESIS_BYTES)
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
        decoded = c.DEFAULT_CODEC.decode(sealed(event))
        expected = attrs.evolve(
            event, sequence=1, position=1, recorded_at=datetime(2021, 3, 10, 12, tzinfo=UTC)
        )
        assert decoded == expected
        assert type(decoded) is type(event)


@settings(max_examples=60, deadline=None)
@given(event=stored_events())
def test_sealed_hash_covers_the_documented_canonical_bytes(event: Event) -> None:
    """The hash sealed from the prepared encoding is SHA-256 of json.dumps of the row."""
    encoded = c.DEFAULT_CODEC.encode(event)
    digest = c.DEFAULT_CODEC.seal(encoded, 7, 3, STAMP, GENESIS_BYTES)
    row = encoded.row
    assert encoded.head + encoded.tail == k.content_of_row(row)
    assert digest == c.chain_hash(GENESIS_BYTES, reference_canonical(row))


def test_driver_values_decode_like_text() -> None:
    """Ids and times given as driver objects (PostgreSQL) decode and hash like SQLite's text."""
    row = sealed(sample_events()[0])
    native = list(row)
    native[k.ID] = uuid.UUID(row[k.ID])
    native[k.RECORDED_AT] = datetime(2021, 3, 10, 12, tzinfo=UTC)
    assert c.DEFAULT_CODEC.decode(native) == c.DEFAULT_CODEC.decode(row)
    assert canonical(native) == canonical(row)


# --- upcasting -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StatusChangedV3(Event):
    """A later StatusChanged: ``status`` renamed ``state`` (v2), then a ``note`` added (v3)."""

    type_name: ClassVar[str] = "StatusChanged"
    version: ClassVar[int] = 3
    state: str
    note: str


def _v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {"state": payload.pop("status")}


def _v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "note": "upcast"}


def test_old_versions_are_upcast_step_by_step() -> None:
    """A v1 row read by a codec whose class is at v3 passes through each upcaster in turn."""
    old_row = sealed(StatusChanged(**_envelope(), status="agreed"))
    codec = Codec(
        types={"StatusChanged": StatusChangedV3},
        upcasters={("StatusChanged", 1): _v1_to_v2, ("StatusChanged", 2): _v2_to_v3},
    )
    decoded = codec.decode(old_row)
    assert isinstance(decoded, StatusChangedV3)
    assert (decoded.state, decoded.note) == ("agreed", "upcast")
    assert codec.decode(old_row) == decoded, "the second read (cached path) agrees"


def test_missing_upcaster_and_newer_versions_are_errors() -> None:
    """Without an upcaster for a version, or for a version newer than the class, decode fails."""
    old_row = sealed(StatusChanged(**_envelope(), status="agreed"))
    gap = Codec(types={"StatusChanged": StatusChangedV3}, upcasters={})
    with pytest.raises(StoreError, match="no upcaster"):
        gap.decode(old_row)
    newer = list(old_row)
    newer[k.VERSION] = 4
    with pytest.raises(StoreError, match="newer ledger"):
        Codec(types={"StatusChanged": StatusChangedV3}).decode(newer)


def test_register_upcaster_adds_to_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decorator registers the function under (type name, version it upgrades from)."""
    monkeypatch.setattr(c, "UPCASTERS", dict(UPCASTERS))
    register = c.register_upcaster
    assert register is register_upcaster
    fn = register("StatusChanged", 0)(_v1_to_v2)
    assert c.UPCASTERS[("StatusChanged", 0)] is fn


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
        c.DEFAULT_CODEC.encode(event)


def test_lone_surrogate_is_refused_when_sealed() -> None:
    """Text that is not valid Unicode cannot be hashed as UTF-8: EventError."""
    encoded = c.DEFAULT_CODEC.encode(StatusChanged(**_envelope(), status="\ud800"))
    with pytest.raises(EventError, match="Unicode"):
        c.DEFAULT_CODEC.seal(encoded, 1, 1, STAMP, GENESIS_BYTES)


def test_unreadable_rows_are_store_errors() -> None:
    """A row of an unknown type or with a broken payload raises StoreError with its position."""
    row = sealed(sample_events()[0])
    unknown = list(row)
    unknown[k.TYPE] = "Vanished"
    with pytest.raises(StoreError, match="unknown type"):
        c.DEFAULT_CODEC.decode(unknown)
    broken = list(row)
    broken[k.PAYLOAD] = "[1, 2"
    with pytest.raises(StoreError, match="position 1"):
        c.DEFAULT_CODEC.decode(broken)

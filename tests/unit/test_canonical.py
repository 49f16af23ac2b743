"""The canonical encoding: JSON of the stored columns, byte for byte, and the chain hash."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from strategies import sample_events, stored_events
from test_mapper import STAMP, sealed

from ledger.dates import parse_edtf
from ledger.domain.events import Citation, Event, StatusChanged
from ledger.persistence import canonical as k
from ledger.persistence.canonical import GENESIS_BYTES, canonical, chain_hash, content_of_row
from ledger.persistence.mapper import DEFAULT_MAPPER
from ledger.persistence.schema import EVENT_COLUMNS


def reference_canonical(row: list[Any]) -> bytes:
    """The canonical encoding as its documentation states it, computed with json.dumps."""
    values = {name: value for name, value in zip(EVENT_COLUMNS, row, strict=True)}
    del values["hash"]
    values["id"] = str(values["id"])
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_row_layout_matches_the_table() -> None:
    """The mapper's column indexes follow the events table's column order."""
    assert EVENT_COLUMNS[k.PAYLOAD] == "payload"
    assert EVENT_COLUMNS[k.HASH] == "hash"
    assert len(sealed(sample_events()[0])) == len(EVENT_COLUMNS)


def test_canonical_bytes_are_json_of_the_stored_columns() -> None:
    """The hand-built canonical bytes equal sorted-key compact JSON of every column but hash."""
    for event in sample_events():
        row = sealed(event)
        assert canonical(row) == reference_canonical(row)
        assert row[k.HASH] == hashlib.sha256(GENESIS_BYTES + reference_canonical(row)).hexdigest()


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(stored_events())
def test_canonical_matches_json_for_any_event(event: Event) -> None:
    """For any event, canonical bytes equal the json.dumps definition and decoding is exact."""
    encoded = DEFAULT_MAPPER.to_row(event)
    DEFAULT_MAPPER.seal(encoded, 7, 1, STAMP, GENESIS_BYTES)
    row = encoded.row
    assert canonical(row) == reference_canonical(row)
    assert row[k.HASH] == chain_hash(GENESIS_BYTES, reference_canonical(row)).hex()
    assert encoded.content == content_of_row(row)
    assert DEFAULT_MAPPER.to_event(row) == attrs.evolve(
        event, sequence=1, position=7, recorded_at=datetime(2021, 3, 10, 12, tzinfo=UTC)
    )


def test_canonical_encoding_is_stable() -> None:
    """The canonical form of a fixed event is pinned: changing it would break every chain."""
    event = StatusChanged(
        id=uuid.UUID(int=1),
        stream="ilrs",
        valid_time=parse_edtf("2021-03"),
        citation=Citation(source="article", quote="«قمر»", start=2, end=7),
        subjects=("russia",),
        status="agreed",
    )
    row = sealed(event)
    expected = (
        '{"citation_also_cited":"[]","citation_end":7,"citation_quote":"«قمر»",'
        '"citation_quote_in":"","citation_source":"article","citation_start":2,'
        '"confidence":"medium","fact":"","id":"00000000-0000-0000-0000-000000000001",'
        '"participants":"[]","payload":"{\\"status\\":\\"agreed\\"}","phrase":"",'
        '"position":1,"prev_hash":"' + "0" * 64 + '","recorded_at":"' + STAMP + '",'
        '"sequence":1,"stream":"ilrs","subjects":"[\\"russia\\"]","summary":"",'
        '"type":"StatusChanged","valid_earliest":737850,"valid_edtf":"2021-03",'
        '"valid_latest":737880,"version":1}'
    )
    assert canonical(row).decode("utf-8") == expected
    assert chain_hash(GENESIS_BYTES, canonical(row)).hex() == row[k.HASH]

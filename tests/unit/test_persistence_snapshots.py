"""Saved projections as versioned JSON: lossless, typed, and refused when of another format."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given
from projection_builders import Recorder
from strategies import projection_histories

from ledger.dates import HistoricalDate
from ledger.domain.asof import state_as_of
from ledger.domain.events import AgreementSigned, ClaimMade, Corrected, EntityRegistered, Event
from ledger.domain.fold import build
from ledger.domain.lines import compile_table
from ledger.domain.reach import ReachIndex
from ledger.persistence.snapshots import (
    TABLE_FORMAT,
    decode_reach,
    decode_table,
    encode_reach,
    encode_table,
)

encode, decode = encode_table, decode_table


def _recorded() -> Recorder:
    rec = Recorder()
    rec.add(EntityRegistered, "ilrs", "2021", kind="program", name_en="ILRS", name_ar="محطة")
    rec.add(EntityRegistered, "m1", "2021", kind="mission", name_en="M1", part_of="ilrs")
    signed = rec.add(
        AgreementSigned, "ilrs", "2021-03", agreement="mou", parties=("cn", "ru"), signatories="z"
    )
    rec.add(ClaimMade, "ilrs", "2021", attribute="rank", value=3.5, quote="«الثالثة»")
    rec.add(Corrected, "ilrs", "2021-03-09", target=signed.id, reason="exact day")
    return rec


def test_decode_of_encode_gives_the_same_table() -> None:
    """A decoded snapshot holds the same claims, answers, scope and position."""
    table = build("ilrs", _recorded().events)
    again = decode(encode(table))
    assert again is not None
    assert again.claims() == table.claims()
    assert again.answers == table.answers
    assert (again.scope, again.parts, again.position) == (table.scope, table.parts, table.position)
    assert (again.name_en, again.name_ar, again.recorded_at) == (
        table.name_en,
        table.name_ar,
        table.recorded_at,
    )


def test_decoded_table_answers_the_same_states() -> None:
    """States evaluated from a decoded snapshot equal those of the original table."""
    table = build("ilrs", _recorded().events)
    again = decode(encode(table))
    assert again is not None
    for day in ("2021-03-08", "2021-03-09", "2021"):
        assert state_as_of(compile_table(again), day) == state_as_of(compile_table(table), day)


def test_decoded_claims_hold_typed_dates_and_recorded_times() -> None:
    """Claims come back with HistoricalDates, aware datetimes and tuples, not text and lists."""
    again = decode(encode(build("ilrs", _recorded().events)))
    assert again is not None
    claims = again.claims()
    assert all(isinstance(c.date, HistoricalDate) for c in claims)
    assert all(isinstance(c.recorded_at, datetime) and c.recorded_at.tzinfo for c in claims)
    assert isinstance(again.recorded_at, datetime)
    signed = next(c for c in claims if c.type == "AgreementSigned")
    assert signed.get("parties") == ("cn", "ru")
    assert all(isinstance(a.date, HistoricalDate) for a in again.answers)


def test_other_versions_and_garbage_decode_to_none() -> None:
    """A snapshot of another version, format or shape, or not JSON at all, is not used."""
    document = json.loads(encode(build("ilrs", _recorded().events)))
    other = {**document, "format": TABLE_FORMAT.replace("/4", "/3")}
    assert decode(json.dumps(other).encode()) is None
    broken = {**document, "value": {**document["value"], "claims": [["not", "a", "claim"]]}}
    assert decode(json.dumps(broken).encode()) is None
    assert decode(b'{"format": "other"}') is None
    assert decode(b"\xff not json") is None


@pytest.mark.slow
@given(projection_histories())
def test_a_reach_index_survives_encoding(events: list[Event]) -> None:
    """Encoding then decoding gives the same index (recorded times as datetimes)."""
    index = ReachIndex()
    index.fold(e for e in events if isinstance(e, ReachIndex.types))
    assert decode_reach(encode_reach(index)) == index


def test_a_reach_index_of_another_format_or_not_json_is_refused() -> None:
    """Bytes that are not an index of this format decode to None (the caller refolds)."""
    assert decode_reach(b'{"format": "ledger-reach-index/0"}') is None
    assert decode_reach(b"[1, 2]") is None
    assert decode_reach(b"\xff not json") is None

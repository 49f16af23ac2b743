"""Fact tables as versioned JSON checkpoints: lossless, and refused when of another version."""

from __future__ import annotations

import json

from projection_builders import Recorder

from ledger.domain.asof import state_as_of
from ledger.domain.events import AgreementSigned, ClaimMade, Corrected, EntityRegistered
from ledger.domain.fold import build
from ledger.domain.lines import compile_table
from ledger.domain.snapshot import VERSION, decode, encode


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


def test_other_versions_and_garbage_decode_to_none() -> None:
    """A snapshot of another version, format, or not JSON at all, is not used."""
    document = json.loads(encode(build("ilrs", _recorded().events)))
    document["version"] = VERSION + 1
    assert decode(json.dumps(document).encode()) is None
    assert decode(b'{"format": "other"}') is None
    assert decode(b"\xff not json") is None

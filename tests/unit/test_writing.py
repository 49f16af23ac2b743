"""The generated writers: each column of a written row holds what its name says, for any event."""

from __future__ import annotations

import json
from typing import Any

import attrs
from hypothesis import given, settings
from strategies import sample_events, stored_events

from ledger.domain.events import EVENT_TYPES, Event
from ledger.persistence import canonical as k
from ledger.persistence.envelope import ENVELOPE
from ledger.persistence.jsontext import plain
from ledger.persistence.mapper import DEFAULT_MAPPER
from ledger.persistence.schema import EVENT_COLUMNS
from ledger.persistence.writing import source_of, writer


def expected_row(event: Event) -> dict[str, Any]:
    """The row as the schema documents it, built from the event's attrs fields by name."""
    citation = event.citation
    payload = {f.name: getattr(event, f.name) for f in attrs.fields(type(event))}
    payload = {name: value for name, value in payload.items() if name not in ENVELOPE}
    row: dict[str, Any] = {
        "id": str(event.id),
        "type": type(event).type_name,
        "version": type(event).version,
        "valid_edtf": event.valid_time.edtf,
        "valid_earliest": event.valid_time.earliest,
        "valid_latest": event.valid_time.latest,
        "confidence": event.confidence.value,
        "subjects": list(event.subjects),
        "participants": list(event.participants),
        "payload": plain(payload),
        "citation_also_cited": list(citation.also_cited),
    }
    for name in ("source", "quote", "start", "end", "quote_in"):
        row[f"citation_{name}"] = getattr(citation, name)
    for name in ("stream", "fact", "phrase", "summary"):
        row[name] = getattr(event, name)
    for name in ("position", "sequence", "recorded_at", "prev_hash", "hash"):
        row[name] = None  # the store assigns these when it appends
    return row


@settings(max_examples=300, deadline=None)
@given(stored_events())
def test_written_row_holds_each_field_in_its_column(event: Event) -> None:
    """Any event's generated row places every field in the column named for it."""
    row = DEFAULT_MAPPER.to_row(event).row
    decoded = dict(zip(EVENT_COLUMNS, row, strict=True))
    for column in ("subjects", "participants", "citation_also_cited", "payload"):
        decoded[column] = json.loads(decoded[column])
    assert decoded == expected_row(event)


def test_a_writer_without_payload_fields_writes_an_empty_object() -> None:
    """A class whose fields are all envelope gets a writer whose payload is ``{}``."""
    event = sample_events()[0]
    row = writer(type(event), ())(event)
    assert row[k.PAYLOAD] == "{}"
    assert row[k.TYPE] == type(event).type_name


def test_the_writer_source_returns_one_row_of_every_column() -> None:
    """Each registered class's writer source ends in one list of all the columns."""
    for name, cls in EVENT_TYPES.items():
        fields = tuple(f.name for f in attrs.fields(cls) if f.name not in ENVELOPE)
        source = source_of(name, cls.version, fields)
        returned = source.rsplit("    return [", 1)[1]
        assert returned.count(",") >= len(EVENT_COLUMNS) - 1
        assert all(f"event.{field}" in source for field in fields)

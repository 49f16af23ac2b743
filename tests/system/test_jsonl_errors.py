"""Every problem in a JSON Lines export read back by ``ledger import`` names file, line, field.

Each malformed line follows a sound one, so an error that names no line, or the wrong one,
is caught; a case with a field must name it too. Nothing is recorded from a refused file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_run import run
from writers import corpus_events

from ledger.application.importing import read_export
from ledger.errors import FixtureError
from ledger.persistence.export import event_record

FIRST, SECOND = (event_record(e) for e in corpus_events(2))
GONE = object()


def changed(**fields: Any) -> str:
    """The second event's line with ``fields`` replaced (``a__b`` is field b of a; GONE drops)."""
    record = json.loads(json.dumps(SECOND))
    for path, value in fields.items():
        *parents, last = path.split("__")
        target = record
        for parent in parents:
            target = target[parent]
        if value is GONE:
            del target[last]
        else:
            target[last] = value
    return json.dumps(record, ensure_ascii=False)


def replaced(old: str, new: str) -> Callable[[], str]:
    return lambda: changed().replace(old, new)


# (what, the line, the field the error must name or None)
CASES: list[tuple[str, Callable[[], str], str | None]] = [
    ("cut-off JSON", lambda: '{"type": "ClaimMade", ', None),
    ("NaN", replaced('"sequence": 0', '"sequence": NaN'), None),
    ("Infinity", replaced('"position": 0', '"position": Infinity'), None),
    ("-Infinity", replaced('"start": 0', '"start": -Infinity'), None),
    ("an array", lambda: "[1, 2]", None),
    ("a string", lambda: '"ClaimMade"', None),
    ("no type", lambda: changed(type=GONE), "type"),
    ("an unknown type", lambda: changed(type="Bogus"), "type"),
    ("a number as type", lambda: changed(type=7), "type"),
    ("no id", lambda: changed(id=GONE), "id"),
    ("a bad uuid", lambda: changed(id="not-a-uuid"), "id"),
    ("a number as id", lambda: changed(id=5), "id"),
    ("a date that is none", lambda: changed(valid_time="2021-13-45"), "valid_time"),
    ("a number as date", lambda: changed(valid_time=2021), "valid_time"),
    ("no date", lambda: changed(valid_time=GONE), "valid_time"),
    ("a recorded time that is none", lambda: changed(recorded_at="yesterday"), "recorded_at"),
    (
        "a recorded time without zone",
        lambda: changed(recorded_at="2021-03-10T00:00:00"),
        "recorded_at",
    ),
    (
        "a far-future recorded time",
        lambda: changed(recorded_at="9999-12-31T23:59:59+00:00"),
        "recorded_at",
    ),
    ("a number as recorded time", lambda: changed(recorded_at=5), "recorded_at"),
    ("a text sequence", lambda: changed(sequence="three"), "sequence"),
    ("a negative sequence", lambda: changed(sequence=-1), "sequence"),
    ("a fractional sequence", lambda: changed(sequence=1.5), "sequence"),
    ("a boolean sequence", lambda: changed(sequence=True), "sequence"),
    ("a sequence past 2^63", lambda: changed(sequence=10**30), "sequence"),
    ("a text position", lambda: changed(position="x"), "position"),
    ("a text version", lambda: changed(version="x"), "version"),
    ("a version from the future", lambda: changed(version=99), "version"),
    ("no citation", lambda: changed(citation=GONE), "citation"),
    ("a text citation", lambda: changed(citation="x"), "citation"),
    ("a text offset", lambda: changed(citation__start="a"), "citation.start"),
    ("a span ending first", lambda: changed(citation__start=9, citation__end=2), "citation.end"),
    ("an unknown citation field", lambda: changed(citation__page=3), "citation.page"),
    ("a number as quote", lambda: changed(citation__quote=5), "citation.quote"),
    ("a text as subjects", lambda: changed(subjects="russia"), "subjects"),
    ("numbers as subjects", lambda: changed(subjects=[1, 2]), "subjects[0]"),
    ("a number as summary", lambda: changed(summary=5), "summary"),
    ("a NUL in the summary", lambda: changed(summary="a\x00b"), "summary"),
    ("an unknown confidence", lambda: changed(confidence="sure"), "confidence"),
    ("an empty stream", lambda: changed(stream=""), "stream"),
    ("a number as stream", lambda: changed(stream=5), "stream"),
    ("no payload", lambda: changed(payload=GONE), "payload"),
    ("a text payload", lambda: changed(payload="x"), "payload"),
    ("a payload field missing", lambda: changed(payload__attribute=GONE), "payload.attribute"),
    ("an unknown payload field", lambda: changed(payload__colour="red"), "payload.colour"),
    ("a number as attribute", lambda: changed(payload__attribute=5), "payload.attribute"),
    ("an object as value", lambda: changed(payload__value={"a": 1}), "payload.value"),
    ("a stored hash", lambda: changed(hash="0" * 64), "hash"),
    ("a bad stored hash", lambda: changed(prev_hash="zz"), "prev_hash"),
    (
        "another event under the first one's id",
        lambda: changed(id=FIRST["id"]),
        "id",
    ),
]


@pytest.mark.sweep
@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(("line", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_malformed_line_is_named_by_file_line_and_field(
    tmp_path: Path, line: Callable[[], str], field: str | None
) -> None:
    """``ledger import`` of the file exits 1 with one error naming the file, line 2 and the
    field; ``read_export`` raises the same as a FixtureError; nothing is recorded."""
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(FIRST, ensure_ascii=False) + "\n" + line() + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    code, out, err = run("--db", db, "import", str(path))
    assert code == 1, out
    first = err.splitlines()[0]
    assert first.startswith(f"ledger: error: {path}:2:"), first
    with pytest.raises(FixtureError) as raised:
        read_export(path)
    assert (raised.value.file, raised.value.line, raised.value.field) == (str(path), 2, field)
    if field is not None:
        assert f"{path}:2: field {field!r}:" in first
    assert run("--db", db, "digest")[1].startswith("0:")

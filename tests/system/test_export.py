"""Export and read back: every event as a record, JSON Lines or CSV, rebuilt without loss."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import run

import ledger
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, Corrected, Event
from ledger.errors import EventError
from ledger.persistence.export import (
    CSV_COLUMNS,
    event_from_record,
    event_record,
    read_jsonl,
    write_events,
)

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture(scope="module")
def events(article_db: str) -> Iterator[list[Event]]:
    """Every event of the article's ledger, as recorded."""
    with ledger.open(article_db) as opened:
        yield list(opened.events())


def test_every_event_reads_back_identical(events: list[Event]) -> None:
    """Each record, through JSON, rebuilds the identical event (position and time included)."""
    for event in events:
        record = json.loads(json.dumps(event_record(event), ensure_ascii=False))
        assert event_from_record(record) == event


def test_a_correction_reads_back_with_its_target_and_changes() -> None:
    """Corrected keeps its target id and its changes (written as an object)."""
    correction = Corrected(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021-03-09"),
        citation=Citation(source="tass-1263979", quote="signed"),
        target=uuid.uuid4(),
        reason="the article's date is the announcement's",
        changes={"parties": ("china", "russia"), "mode": "virtually"},
    )
    record = event_record(correction)
    assert record["payload"]["changes"] == {"mode": "virtually", "parties": ["china", "russia"]}
    assert event_from_record(json.loads(json.dumps(record))) == correction


def test_export_then_import_into_an_empty_ledger_gives_the_same_digest(
    article_db: str, tmp_path: Path
) -> None:
    """ledger export --format jsonl, then ledger import of that file: the very same chain."""
    exported = tmp_path / "ledger.jsonl"
    copy = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    code, _, err = run("export", "--out", str(exported), "--db", article_db)
    assert (code, err) == (0, "")
    code, out, err = run("import", str(exported), "--db", copy)
    assert (code, err) == (0, "")
    assert "0 present" in out
    assert run("digest", "--db", copy)[1] == run("digest", "--db", article_db)[1]
    code, out, _ = run("import", str(exported), "--db", copy)
    assert code == 0
    assert "  0 new" in out


def test_write_events_streams_csv_rows_and_reports_progress(events: list[Event]) -> None:
    """CSV: a header and one row per event, payload as JSON; progress ends at the count."""
    buffer = io.StringIO(newline="")
    seen: list[int] = []
    count = write_events(events, buffer, "csv", seen.append)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue(), newline="")))
    assert count == len(rows) == len(events)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert seen[-1] == count
    assert [r["id"] for r in rows] == [str(e.id) for e in events]
    assert all(isinstance(json.loads(r["payload"]), dict) for r in rows)


def test_a_bad_line_is_named_and_nothing_is_read(events: list[Event]) -> None:
    """A line that is not an event stops the read with its line number."""
    good = json.dumps(event_record(events[0]))
    bad = json.dumps({**event_record(events[1]), "type": "NoSuchEvent"})
    with pytest.raises(EventError, match=r"export\.jsonl:2: .*'NoSuchEvent'"):
        list(read_jsonl([good, bad], "export.jsonl"))
    with pytest.raises(EventError, match=r"export\.jsonl:1: not a JSON line"):
        list(read_jsonl(["{oops"], "export.jsonl"))


def test_a_bad_jsonl_import_records_nothing(article_db: str, tmp_path: Path) -> None:
    """ledger import of a broken export exits 1 on one line naming the line, writing nothing."""
    broken = tmp_path / "broken.jsonl"
    with ledger.open(article_db) as opened:
        first = json.dumps(event_record(next(iter(opened.events()))))
    broken.write_text(first + "\n[]\n", encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    code, _, err = run("import", str(broken), "--db", target)
    assert code == 1
    assert "broken.jsonl:2" in err
    assert len(err.splitlines()) == 1
    assert run("digest", "--db", target)[1].startswith("0:")

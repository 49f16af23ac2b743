"""Machine records: facts that read the same merge their evidence; lists, ISO bounds and
booleans survive json; csv is flat, lists joined by " | ", booleans true/false."""

from __future__ import annotations

import json

from ledger.domain.state import Certainty, Evidence, ProgramState, StatusFact
from ledger.reports.tables import render
from ledger.views.records import bounds, fact_records, state_document


def status(certainty: Certainty, source: str, event: str, quote: str) -> StatusFact:
    """An "agreed" status backed by one claim."""
    why = (Evidence(event_id=event, event_type="StatusChanged", source=source, quote=quote),)
    return StatusFact(certainty=certainty, date="2021-03-09", why=why, status="agreed")


STATE = ProgramState(
    program="ilrs",
    as_of="2021-03",
    statuses=(
        status(Certainty.POSSIBLE, "a", "e1", "q1, with a comma"),
        status(Certainty.CERTAIN, "b", "e2", "q2"),
    ),
)


def test_facts_that_read_the_same_are_one_record() -> None:
    """Two claims of one status make one record: both sources, quotes and events, certain."""
    (record,) = fact_records(STATE)
    assert record["sources"] == ["a", "b"]
    assert record["quotes"] == ["q1, with a comma", "q2"]
    assert record["events"] == ["e1", "e2"]
    assert record["certain"] is True
    assert record["certainty"] == "certain"
    assert (record["earliest"], record["latest"]) == ("2021-03-09", "2021-03-09")


def test_json_document_and_flat_csv() -> None:
    """json keeps lists and booleans; csv joins lists with " | " and writes true/false."""
    document = json.loads(json.dumps(state_document(STATE, why=True)))
    assert document["as_of_earliest"] == "2021-03-01"
    assert document["as_of_latest"] == "2021-03-31"
    assert document["facts"][0]["certain"] is True
    assert document["conflicts"] == []
    assert "quotes" not in state_document(STATE)["facts"][0]
    text = render(fact_records(STATE), "csv", ["sources", "quotes", "certain"])
    assert text.splitlines()[1] == 'a | b,"q1, with a comma | q2",true'


def test_bounds_of_open_vague_and_missing_dates() -> None:
    """An open end and a missing date have null bounds; a decade spans its ten years."""
    assert bounds("2030/..") == {"earliest": "2030-01-01", "latest": None}
    assert bounds("202X") == {"earliest": "2020-01-01", "latest": "2029-12-31"}
    assert bounds("") == {"earliest": None, "latest": None}

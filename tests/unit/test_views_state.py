"""A program's state for a historian: names, sources merged, disagreements, footnoted quotes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import ledger
from ledger.application.ledger import Ledger
from ledger.domain.names import Names
from ledger.domain.state import Certainty, Evidence, ProgramState, StatusFact
from ledger.views.state import describe_known_at, state_ids, state_view


@pytest.fixture
def opened(article_db: str) -> Iterator[Ledger]:
    """The article's ledger, opened for one test."""
    with ledger.open(article_db) as found:
        yield found


def test_members_and_signatories_show_by_name(opened: Ledger) -> None:
    """As of 2021-03-10 the ILRS table names China, Russia and both signatories."""
    state = opened.state("ILRS", "2021-03-10")
    table = state_view(state, opened.names(state_ids(state))).tables[0]
    members = {r["fact"] for r in table.rows if r["section"] == "member"}
    agreement = next(r for r in table.rows if r["section"] == "agreement")
    assert {"China", "Russia"} <= members
    assert "Zhang Kejian" in str(agreement["detail"])
    assert "Dmitry Rogozin" in str(agreement["detail"])
    assert table.title.startswith("International Lunar Research Station / محطة أبحاث")


def test_data_rows_keep_entity_ids(opened: Ledger) -> None:
    """The json of the view holds the library's rows, with entity ids."""
    state = opened.state("ILRS", "2021-03-10")
    document = json.loads(state_view(state, opened.names(state_ids(state))).render("json"))
    rows = document["facts"]
    assert {"china", "russia"} <= {r["fact"] for r in rows if r["section"] == "member"}
    assert "quotes" not in rows[0]
    assert document["program"] == "ilrs"


def test_facts_that_show_the_same_merge_their_sources() -> None:
    """Two claims of one status on one date are one line, both sources listed once each."""
    why_a = (Evidence(event_id="e1", event_type="StatusChanged", source="a", quote="q1"),)
    why_b = (
        Evidence(event_id="e2", event_type="StatusChanged", source="b", quote="q2"),
        Evidence(event_id="e3", event_type="StatusChanged", source="a", quote="q3"),
    )
    statuses = tuple(
        StatusFact(certainty=Certainty.CERTAIN, date="2021-03-09", why=why, status="agreed")
        for why in (why_a, why_b)
    )
    state = ProgramState(program="ilrs", as_of="2021-03-10", statuses=statuses)
    view = state_view(state, Names(), why=True)
    facts, notes = view.tables[0], view.tables[-1]
    assert len(facts.rows) == 1
    assert facts.rows[0]["sources"] == "a; b"
    assert facts.rows[0]["notes"] == "1-3"
    assert [r["quote"] for r in notes.rows] == ["q1", "q2", "q3"]


def test_why_lists_each_quote_once_with_its_event(opened: Ledger) -> None:
    """The agreement's claims back status, members and agreement but are quoted once."""
    state = opened.state("ILRS", "2021-03-10")
    view = state_view(state, opened.names(state_ids(state)), why=True)
    notes = view.tables[-1]
    events = [str(r["source, event"]).split("\n")[-1] for r in notes.rows]
    assert len(events) == len(set(events))
    assert any("وقعت روسيا والصين" in str(r["quote"]) for r in notes.rows)
    by_section = {r["section"]: r["notes"] for r in view.tables[0].rows}
    assert by_section["status"] == by_section["agreement"]


def test_disagreements_follow_in_their_own_table(opened: Ledger) -> None:
    """The ILRS's two locations and two signing modes are listed under 'Where sources disagree'."""
    state = opened.state("ILRS", "2021-03-10")
    view = state_view(state, opened.names(state_ids(state)))
    conflicts = view.tables[1]
    assert conflicts.title == "Where sources disagree"
    about = [r["about"] for r in conflicts.rows if r["about"]]
    assert about == ["signing mode", "location"]
    assert len(conflicts.rows) == 4


def test_an_empty_state_says_nothing_was_in_force(opened: Ledger) -> None:
    """The Wolf Amendment as of 2011-03-01 (law of 2011-04-15) prints why it is empty."""
    state = opened.state("Wolf Amendment", "2011-03-01")
    text = state_view(state, opened.names(state_ids(state))).render("simple")
    assert "not in force" in text
    assert "2011-03-01" in text


def test_known_at_is_described_for_people() -> None:
    """A known-at at the end of a day reads as that day; other instants as UTC times."""
    end = datetime(2021, 3, 10, 23, 59, 59, 999999, tzinfo=UTC)
    assert describe_known_at(None) == "everything recorded"
    assert describe_known_at(end) == "end of 2021-03-10 UTC"
    assert (
        describe_known_at(datetime.fromisoformat("2021-03-10T12:00:00+02:00"))
        == "2021-03-10 10:00:00 UTC"
    )

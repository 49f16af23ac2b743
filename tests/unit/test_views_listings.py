"""Timelines, diffs and disagreements for people: names, remarks on dates, footnoted quotes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ledger
from ledger.application.ledger import Ledger
from ledger.views.listings import (
    conflicts_ids,
    conflicts_view,
    diff_ids,
    diff_view,
    timeline_ids,
    timeline_view,
)


@pytest.fixture
def opened(article_db: str) -> Iterator[Ledger]:
    """The article's ledger, opened for one test."""
    with ledger.open(article_db) as found:
        yield found


def test_timeline_remarks_when_other_sources_narrow_a_date(opened: Ledger) -> None:
    """The article's "in 2011" law is remarked as narrowed to 2011-04-15 by another source."""
    timeline = opened.timeline("Wolf Amendment")
    table = timeline_view(timeline, opened.names(timeline_ids(timeline))).tables[0]
    article = next(r for r in table.rows if r["source"] == "article-ar")
    assert article["date"] == "2011"
    assert "narrow it to 2011-04-15" in str(article["remarks"])
    assert {r["entity"] for r in table.rows} == {"Wolf Amendment"}
    assert table.title.startswith("Timeline of Wolf Amendment / تعديل وولف")


def test_timeline_why_quotes_every_claim(opened: Ledger) -> None:
    """With why, each claim has a note and the notes hold the claims' quotes."""
    timeline = opened.timeline("ILRS")
    view = timeline_view(timeline, opened.names(timeline_ids(timeline)), why=True)
    claims, notes = view.tables
    assert len(notes.rows) == len(claims.rows) == len(timeline)
    assert [str(r["quote"]) for r in notes.rows] == [e.quote for e in timeline]


def test_diff_names_what_changed(opened: Ledger) -> None:
    """ILRS 2021-03-08 -> 2021-03-10: China, Russia and their agencies become members."""
    diff = opened.diff("ILRS", "2021-03-08", "2021-03-10")
    table = diff_view(diff, opened.names(diff_ids(diff))).tables[0]
    members = {r["fact"]: r["change"] for r in table.rows if r["section"] == "member"}
    assert members == {
        "China": "absent → certain",
        "Russia": "absent → certain",
        "China National Space Administration": "absent → certain",
        "Roscosmos": "absent → certain",
    }


def test_an_empty_diff_says_nothing_changed(opened: Ledger) -> None:
    """Two dates with the same state give a sentence, not an empty table."""
    diff = opened.diff("ILRS", "2021-03-10", "2021-03-11")
    assert "nothing changed" in diff_view(diff, opened.names(diff_ids(diff))).render("simple")


def test_conflicts_group_sides_under_the_named_entity(opened: Ledger) -> None:
    """The Accords' stated nine and the sheet's eight are two sides under one named entity."""
    conflicts = opened.conflicts()
    table = conflicts_view(conflicts, opened.names(conflicts_ids(conflicts))).tables[0]
    rows = list(table.rows)
    start = next(i for i, r in enumerate(rows) if r["kind"] == "count")
    assert rows[start]["entity"] == "Artemis Accords"
    assert rows[start]["value"] == "9"
    assert rows[start + 1]["entity"] == ""
    assert rows[start + 1]["value"] == "8"
    assert "deprecated" in str(rows[start]["attested"])
    assert len(rows) == len(conflicts.rows())

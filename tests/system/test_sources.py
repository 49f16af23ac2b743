"""Sources of a ledger: ids resolved with or without their prefix, what cites them, and the
events and sources a historian looks up."""

from __future__ import annotations

import uuid

import pytest
from cli_run import run

import ledger
from ledger.application.sources import cites, resolve_source, source_ids
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, StatusChanged
from ledger.errors import QueryError, UnknownEntityError
from ledger.views.catalogue import events_view, sources_view


def test_source_ids_and_their_resolution(article_db: str) -> None:
    """Registered ids resolve as written, with the stream prefix, or in another letter case."""
    with ledger.open(article_db) as opened:
        assert "article-ar" in source_ids(opened)
        assert resolve_source(opened, "source:article-ar") == "article-ar"
        assert resolve_source(opened, "TASS-1263979") == "tass-1263979"
        with pytest.raises(UnknownEntityError) as caught:
            resolve_source(opened, "article-arr")
    assert "article-ar" in caught.value.suggestions


def test_cites_looks_at_source_quoted_text_and_also_cited() -> None:
    """An event cites its source, the source its quote is found in, and the sources also cited."""
    event = StatusChanged(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021-03-09"),
        citation=Citation(source="tass", quote_in="fact-sheet", also_cited=("xinhua",)),
        status="agreed",
    )
    assert [cites(event, s) for s in ("tass", "fact-sheet", "xinhua", "verge")] == [
        True,
        True,
        True,
        False,
    ]


def test_find_resolves_names_checks_types_and_filters_by_source(article_db: str) -> None:
    """Ledger.find takes a program by its Arabic name, type names in any case and a source
    id, and gives the matching events in ledger order, at most ``limit``."""
    with ledger.open(article_db) as opened:
        signed = opened.find(about="محطة أبحاث القمر الدولية", types=["agreementsigned"])
        by_id = opened.find(about="ilrs", types=["AgreementSigned"])
        from_tass = opened.find(about="ILRS", types=["AgreementSigned"], source="TASS-1263979")
        first = opened.find(about="ILRS", limit=2)
        with pytest.raises(QueryError, match="AgreementSigned"):
            opened.find(types=["AgreementSinged"])
    assert signed == by_id
    assert len(signed) >= 2
    assert [e.position for e in signed] == sorted(e.position for e in signed)
    assert {e.type_name for e in signed} == {"AgreementSigned"}
    assert from_tass
    assert all(cites(e, "tass-1263979") for e in from_tass)
    assert set(from_tass) < set(signed)
    assert len(first) == 2


def test_a_notebook_gets_the_listings_the_terminal_prints(article_db: str) -> None:
    """The events and sources views of the library render what ``ledger events`` and
    ``ledger sources`` print, in a table format and in csv."""
    with ledger.open(article_db) as opened:
        found = opened.find(about="ILRS", types=["AgreementSigned"])
        sources = opened.sources()
    assert any(s.id == "article-ar" for s in sources)
    for fmt in ("simple", "csv"):
        args = ["--type", "AgreementSigned", "--format", fmt, "--db", article_db]
        assert run("events", "--program", "ILRS", *args)[1] == events_view(found).render(fmt) + "\n"
        listed = run("sources", "--format", fmt, "--db", article_db)[1]
        assert listed == sources_view(sources).render(fmt) + "\n"

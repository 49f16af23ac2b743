"""Sources of a ledger: ids resolved with or without their prefix, and what cites them."""

from __future__ import annotations

import uuid

import pytest

import ledger
from ledger.application.sources import cites, resolve_source, source_ids
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, StatusChanged
from ledger.errors import UnknownEntityError


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

"""A corpus on another subject (the Apollo–Soyuz flight), alone and beside the article's.

It shares two entities with the article (``nasa``, ``united-states``) under the same ids, with
names in Russian and Wikidata identifiers the article does not give; it uses the generic
``Stated`` claim, names without language, absolute dates without a reference day and a seed
title the text does not hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import URL

import ledger
from ledger.corpus import default_corpus_path, import_corpus, load_corpus
from ledger.domain.events import EntityNamed, Identified, Stated

ASTP = Path(__file__).resolve().parents[1] / "corpora" / "apollo-soyuz"


def test_the_second_corpus_loads_on_its_own() -> None:
    """Every entry of the Apollo–Soyuz corpus validates, with no warning."""
    corpus = load_corpus(ASTP)
    assert corpus.warnings == ()
    assert corpus.counts()["claims"] >= 14
    assert any(isinstance(e, Stated) for e in corpus.events)


def test_the_second_corpus_alone_answers_questions(db_url: URL) -> None:
    """Imported into an empty ledger, the corpus answers state and timeline questions."""
    with ledger.open(db_url) as opened:
        import_corpus(opened, ASTP)
        state = opened.state("Apollo–Soyuz Test Project", "1975-07-18")
        assert state.program == "astp"
        assert [s.status for s in state.statuses] == ["operating"]
        assert {m.member for m in state.members} >= {"nasa", "soviet-union"}
        assert [m.milestone for m in state.milestones] == ["launch", "launch", "docking"]
        entries = opened.timeline("astp").entries
        assert entries[0].date.edtf == "1972-05-24"
        assert opened.verify().ok


@pytest.mark.backend_sweep
@pytest.mark.parametrize("article_first", [True, False], ids=["article-first", "astp-first"])
def test_the_second_corpus_beside_the_articles(db_url: URL, article_first: bool) -> None:
    """Both corpora import into one ledger in either order; shared entities are merged (the
    Russian name and the Wikidata id of NASA find the article's NASA), both answer their
    questions, and importing either again records nothing."""
    order = [default_corpus_path(), ASTP] if article_first else [ASTP, default_corpus_path()]
    with ledger.open(db_url) as opened:
        for path in order:
            import_corpus(opened, path)
        head = opened.digest()
        for path in order:
            assert import_corpus(opened, path).total_new == 0
        assert opened.digest() == head
        assert opened.verify().ok
        for name in ("НАСА", "Q23548", "wikidata:Q23548", "ناسا", "NASA"):
            assert opened.resolve(name) == "nasa"
        assert opened.resolve("ЭПАС") == "astp"
        astp = opened.state("astp", "1975-07-25")
        assert [s.status for s in astp.statuses] == ["completed"]
        ilrs = opened.state("ILRS", "2021-03-10")
        assert {"china", "russia"} <= {m.member for m in ilrs.members}
        named = [e for e in opened.events(types=("EntityNamed", "Identified"))]
        assert {e.stream for e in named} >= {"nasa", "united-states", "astp"}
        assert all(isinstance(e, EntityNamed | Identified) for e in named)


def test_a_source_is_found_by_its_doi(db_url: URL) -> None:
    """A source's DOI, given in its seed's metadata, finds the source."""
    with ledger.open(db_url) as opened:
        import_corpus(opened, ASTP)
        assert opened.resolve_source("10.0000/astp-account-example") == "astp-account"
        assert opened.resolve_source("doi:10.0000/astp-account-example") == "astp-account"

"""Importing a corpus: one atomic append, a no-op the second time, and the packaged corpus."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from corpus_builders import write_corpus
from sqlalchemy.engine import URL

import ledger
from ledger.application.bootstrap import import_default_corpus
from ledger.corpus import (
    corpus_uuid,
    default_corpus_path,
    find_default_corpus,
    import_corpus,
    load_corpus,
)
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, StatusChanged
from ledger.errors import FixtureErrors

REPO = Path(__file__).resolve().parents[2]


def test_importing_twice_records_nothing_new(db_url: URL, tmp_path: Path) -> None:
    """The second import of a corpus finds every event present and appends none."""
    manifest = write_corpus(tmp_path)
    with ledger.open(db_url) as opened:
        first = import_corpus(opened, manifest)
        head = opened.digest()
        second = import_corpus(opened, manifest)
        assert opened.digest() == head
        assert opened.verify().ok
    assert first.new == {"sources": 1, "entities": 5, "claims": 2}
    assert first.total_present == 0
    assert second.total_new == 0
    assert second.present == first.new


def test_imported_events_keep_the_corpus_recorded_times(tmp_path: Path) -> None:
    """Events arrive with the recorded time their file states, not the clock's."""
    with ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as opened:
        import_corpus(opened, write_corpus(tmp_path))
        times = {e.recorded_at for e in opened.events()}
    assert times == {datetime(2021, 3, 10, tzinfo=UTC)}


def test_a_refused_import_records_nothing(tmp_path: Path) -> None:
    """An entry whose id the ledger holds with other content refuses the whole corpus,
    naming the entry's file and line; nothing is recorded."""
    with ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as opened:
        other = StatusChanged(
            id=corpus_uuid("claim", "pact-signed"),
            stream="elsewhere",
            valid_time=parse_edtf("2026"),
            citation=Citation(source="s", quote="q"),
            status="operating",
            summary="another corpus's claim",
        )
        opened.append([other])
        with pytest.raises(FixtureErrors) as caught:
            import_corpus(opened, write_corpus(tmp_path))
        assert [e.id for e in opened.events()] == [other.id]
    (error,) = caught.value.errors
    assert (error.file, error.line) == ("fixtures/claims.yaml", 6)
    assert "another corpus's claim" in error.message


def test_an_earlier_corpus_is_stamped_with_the_ledgers_newest_time(tmp_path: Path) -> None:
    """A corpus learned before the ledger's newest event is recorded at that newest time,
    so recorded time never goes backwards and the import still succeeds."""
    with ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as opened:
        later = StatusChanged(
            id=uuid.uuid4(),
            stream="elsewhere",
            valid_time=parse_edtf("2026"),
            citation=Citation(source="s", quote="q"),
            status="operating",
            recorded_at=datetime(2026, 11, 24, tzinfo=UTC),
        )
        opened.append([later])
        result = import_corpus(opened, write_corpus(tmp_path))
        times = {e.recorded_at for e in opened.events(after=1)}
    assert result.restamped == result.total_new == 8
    assert times == {later.recorded_at}


def test_the_whole_article_corpus_imports_once(tmp_path: Path) -> None:
    """The repository's corpus imports whole, verifies, and a second import is a no-op."""
    corpus = load_corpus(REPO / "fixtures")
    with ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as opened:
        first = import_corpus(opened, corpus)
        second = import_corpus(opened, corpus)
        assert opened.verify().ok
        recorded = list(opened.events())
    assert first.total_new == len(corpus.events) == len(recorded)
    assert second.total_new == 0
    assert [e.id for e in recorded] == [e.id for e in corpus.events]
    # Read back, each event is the one imported plus what the store assigns (citations with
    # quote_in and also_cited included).
    for imported, stored in zip(corpus.events, recorded, strict=True):
        placed = attrs.evolve(
            imported,
            sequence=stored.sequence,
            position=stored.position,
            recorded_at=stored.recorded_at,
        )
        assert placed == stored


def test_installed_layout_is_preferred(tmp_path: Path) -> None:
    """A package holding _corpus/ (an installed wheel) uses it, not a checkout around it."""
    package = tmp_path / "site" / "ledger"
    (package / "_corpus" / "fixtures").mkdir(parents=True)
    (package / "_corpus" / "fixtures" / "corpus.yaml").write_text("seeds: ../seeds\n")
    (tmp_path / "site" / "fixtures").mkdir()
    (tmp_path / "site" / "fixtures" / "corpus.yaml").write_text("seeds: ../seeds\n")
    assert find_default_corpus(package) == package / "_corpus" / "fixtures" / "corpus.yaml"


def test_source_layout_is_the_fallback(tmp_path: Path) -> None:
    """Without _corpus/ (a source checkout), the fixtures beside the package are used."""
    package = tmp_path / "checkout" / "ledger"
    package.mkdir(parents=True)
    (tmp_path / "checkout" / "fixtures").mkdir()
    (tmp_path / "checkout" / "fixtures" / "corpus.yaml").write_text("seeds: ../seeds\n")
    assert find_default_corpus(package) == tmp_path / "checkout" / "fixtures" / "corpus.yaml"


def test_a_missing_default_corpus_says_where_it_looked(tmp_path: Path) -> None:
    """A package without its corpus is a clear FileNotFoundError naming both places."""
    with pytest.raises(FileNotFoundError) as caught:
        find_default_corpus(tmp_path / "ledger")
    assert "_corpus" in str(caught.value)


def test_the_default_corpus_is_found_and_valid() -> None:
    """This installation's default corpus (installed or checkout) exists and loads."""
    path = default_corpus_path()
    assert path.name == "corpus.yaml"
    assert load_corpus(path).counts()["claims"] > 0


def test_import_default_corpus_imports_it_once(tmp_path: Path) -> None:
    """import_default_corpus() fills an empty ledger with the packaged corpus, once."""
    with ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as opened:
        first = import_default_corpus(opened)
        second = import_default_corpus(opened)
    assert first.total_new == len(load_corpus(default_corpus_path()).events)
    assert second.total_new == 0


def test_an_import_that_loses_the_race_counts_nothing_new(db_url: URL, tmp_path: Path) -> None:
    """An import whose events another importer recorded after it looked at the head (as
    concurrent imports of one corpus do) reports them present, not new."""
    manifest = write_corpus(tmp_path)
    corpus = load_corpus(manifest)
    with ledger.open(db_url) as opened:
        stale = opened.digest()
        first = import_corpus(opened, corpus)

        class SeenBeforeTheOtherImport:
            """The ledger as the losing importer saw it: the head it read before the other."""

            append = staticmethod(opened.append)
            events = staticmethod(opened.events)
            get = staticmethod(opened.get)

            def digest(self) -> object:
                return stale

        second = import_corpus(SeenBeforeTheOtherImport(), corpus)  # type: ignore[arg-type]
    assert first.total_new == 8
    assert second.total_new == 0
    assert second.present == first.new

"""Hostile corpora: files that try to poison the ledger or reach outside their folder."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from corpus_builders import CATALOGUE, CLAIMS, MANIFEST, MINI_META, write_corpus

from ledger.corpus.loader import load_corpus
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, ClaimMade
from ledger.errors import EventError, FixtureErrors
from ledger.persistence.store import EventStore


def test_a_corpus_stamped_far_in_the_future_is_refused(tmp_path: Path) -> None:
    """``recorded_at: 9999-12-31T23:59:59Z`` is refused, naming the file, line and field."""
    future = CLAIMS.replace(CLAIMS.splitlines()[0], "recorded_at: 9999-12-31T23:59:59Z")
    assert future != CLAIMS
    manifest = write_corpus(tmp_path, claims=future)
    with pytest.raises(FixtureErrors) as raised:
        load_corpus(manifest)
    text = str(raised.value)
    assert "fixtures/claims.yaml:1: field 'recorded_at'" in text
    assert "future" in text


def test_the_store_refuses_a_recorded_time_beyond_the_clock(store: EventStore) -> None:
    """An event given a recorded time far ahead of now is refused; nothing is written."""
    event = ClaimMade(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021"),
        citation=Citation(source="article", quote="x"),
        recorded_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        attribute="rank",
        value=1,
    )
    with pytest.raises(EventError, match="in the future"):
        store.append(event)
    assert store.head() == 0


def test_a_recorded_time_of_now_is_kept(store: EventStore) -> None:
    """A recorded time a moment ago (another machine's clock) is accepted as given."""
    now = datetime.now(UTC)
    event = ClaimMade(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021"),
        citation=Citation(source="article", quote="x"),
        recorded_at=now,
        attribute="rank",
        value=1,
    )
    (recorded,) = store.append(event)
    assert recorded.recorded_at == now


def test_a_seed_text_outside_the_seeds_folder_is_refused(tmp_path: Path) -> None:
    """``text: ../../../../etc/passwd`` is refused, and nothing of that file is shown."""
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:TOPSECRET-LINE\n", encoding="utf-8")
    meta = "".join(
        line.replace("text: mini.txt", "text: ../../secret.txt")
        for line in MINI_META.splitlines(keepends=True)
        if not line.startswith("sha256:")  # no digest to give the outside file away
    )
    manifest = write_corpus(tmp_path / "corpus", mini_yaml=meta)
    with pytest.raises(FixtureErrors) as raised:
        load_corpus(manifest)
    text = str(raised.value)
    assert "not inside the seeds folder" in text
    assert "field 'text'" in text
    assert "TOPSECRET" not in text
    assert "root:x" not in text


def test_a_seed_metadata_file_outside_the_seeds_folder_is_refused(tmp_path: Path) -> None:
    """A catalogue's ``seed: ../../x.yaml`` is refused before anything is read."""
    manifest = write_corpus(
        tmp_path, catalogue=CATALOGUE.replace("seed: mini.yaml", "seed: ../fixtures/claims.yaml")
    )
    with pytest.raises(FixtureErrors, match="not inside the seeds folder"):
        load_corpus(manifest)


def test_a_nul_in_the_manifest_seeds_is_one_clear_error(tmp_path: Path) -> None:
    """``seeds: "../se\\0eds"`` is an error naming the field, not a traceback."""
    manifest = write_corpus(
        tmp_path, corpus=MANIFEST.replace("seeds: ../seeds", 'seeds: "../se\\0eds"')
    )
    with pytest.raises(FixtureErrors, match="field 'seeds'"):
        load_corpus(manifest)

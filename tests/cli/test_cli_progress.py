"""The progress bar: drawn on a terminal only; ``ledger rebuild`` stays quiet off a terminal
and refolds what it rebuilds from the events."""

from __future__ import annotations

import io

import pytest
from cli_run import run
from conftest import saved_payload, seal_and_save

from ledger.application.checkpoints import REACH_CHECKPOINT
from ledger.cli.progress import Progress
from ledger.domain.reach import ReachIndex
from ledger.persistence.snapshots import decode_reach, encode_reach
from ledger.persistence.store import EventStore


def test_not_a_terminal_writes_nothing() -> None:
    """On a stream that is not a terminal the bar writes nothing at all."""
    stream = io.StringIO()
    with Progress("working", 3, stream) as bar:
        for _ in range(3):
            bar.advance()
    assert stream.getvalue() == ""


def test_enabled_bar_draws_count_and_clears() -> None:
    """An enabled bar shows its label and count, and clears its line at the end."""
    stream = io.StringIO()
    with Progress("working", 2, stream, enabled=True) as bar:
        bar.advance(2, label="done")
    text = stream.getvalue()
    assert "done [" in text
    assert "2/2" in text
    assert text.endswith("\r\x1b[K")


@pytest.mark.usefixtures("cli_env")
def test_rebuild_reports_count_and_nothing_on_stderr(article_db: str) -> None:
    """``ledger rebuild ILRS «بوابة القمر»`` rebuilds two projections, stderr empty."""
    code, out, err = run("rebuild", "ILRS", "بوابة القمر", "--db", article_db)
    assert (code, out, err) == (0, "rebuilt 2 projections\n", "")


def test_rebuild_refolds_the_reach_index_from_the_events(article_db: str) -> None:
    """``ledger rebuild`` replaces a saved reach index that lost its entries with one folded
    from the ledger's events."""
    store = EventStore.open(article_db)
    try:
        seal_and_save(
            store, REACH_CHECKPOINT, store.head(), encode_reach(ReachIndex(position=store.head()))
        )
        code, out, _err = run("rebuild", "--db", article_db)
        assert code == 0, out
        saved = saved_payload(store, REACH_CHECKPOINT)
        assert saved is not None
        folded = ReachIndex()
        folded.fold(store.iter_events())
        assert folded.children  # the article's corpus registers parts of programs
        assert folded.restrictions
        assert decode_reach(saved) == folded
    finally:
        store.close()

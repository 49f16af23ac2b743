"""Eight processes appending to one ledger at once: nothing lost, nothing twice, no gaps."""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from conftest import DatabaseFactory, saved_payload
from sqlalchemy import select
from writers import CONTEST_STREAM, Outcome, append_worker, reader_worker, replay_worker

import ledger
from ledger.application.bootstrap import import_default_corpus
from ledger.application.checkpoints import CHECKPOINT_PREFIX
from ledger.persistence.chain import VerifyResult
from ledger.persistence.schema import events
from ledger.persistence.store import EventStore

pytestmark = pytest.mark.slow

WORKERS = 8
EVENTS_PER_WORKER = 2000
CONTEST_ROUNDS = 10
TIMEOUT = 300.0

BACKENDS = ["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)]


def run_workers(
    target: Callable[..., None], *args: Any, meanwhile: Callable[[], None] | None = None
) -> tuple[list[Outcome], float]:
    """Run ``target(url, worker, *args, barrier, results)`` in spawned processes at once,
    calling ``meanwhile()`` over and over in this process until they are done.

    Returns their outcomes and the time they took.
    """
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results: multiprocessing.queues.Queue[Outcome] = context.Queue()
    processes = [
        context.Process(target=target, args=(args[0], worker, *args[1:], barrier, results))
        for worker in range(WORKERS)
    ]
    for process in processes:
        process.start()
    started = time.monotonic()
    outcomes: list[Outcome] = []
    try:
        # Read before joining: a child cannot exit while its result is still in the pipe.
        while len(outcomes) < WORKERS:
            if time.monotonic() - started > TIMEOUT:
                pytest.fail(f"only {len(outcomes)} of {WORKERS} appenders finished in {TIMEOUT} s")
            if meanwhile is not None:
                meanwhile()
            with contextlib.suppress(queue.Empty):
                outcomes.append(results.get(timeout=0.05))
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    elapsed = time.monotonic() - started
    assert [p.exitcode for p in processes] == [0] * WORKERS
    return outcomes, elapsed


def stored_rows(store: EventStore) -> list[tuple[int, str, str, int]]:
    """(position, id, stream, sequence) of every stored event, in position order."""
    query = select(events.c.position, events.c.id, events.c.stream, events.c.sequence)
    with store.connect() as conn:
        rows = conn.execute(query.order_by(events.c.position)).all()
    return [(int(p), str(i), str(s), int(q)) for p, i, s, q in rows]


def failures(outcomes: list[Outcome]) -> list[str]:
    """Everything that went wrong in any worker (must be nothing)."""
    return [failure for o in outcomes for failure in o["failures"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_appenders_lose_nothing_and_duplicate_nothing(
    new_database: DatabaseFactory,
) -> None:
    """8 processes x 2,000 events: accepted ones stored once where reported, rejected ones
    refused with ConcurrencyError and absent, positions 1..N, streams gap-free, chain sound,
    and every verification made while they append succeeds."""
    with new_database() as url:
        store = EventStore.open(url)  # creates the schema before the race
        verified: list[VerifyResult] = []
        try:
            outcomes, elapsed = run_workers(
                append_worker,
                url.render_as_string(hide_password=False),
                EVENTS_PER_WORKER,
                CONTEST_ROUNDS,
                meanwhile=lambda: verified.append(store.verify()),
            )
            assert failures(outcomes) == []
            # A reader verifying while others append sees a sound, growing chain.
            assert [str(v) for v in verified if not v.ok] == []
            assert len({v.checked for v in verified}) > 1
            rows = stored_rows(store)
            accepted = [a for o in outcomes for a in o["accepted"]]
            rejected = [r for o in outcomes for r in o["rejected"]]
            attempted = len(accepted) + sum(len(ids) for ids, *_ in rejected)
            assert attempted == WORKERS * EVENTS_PER_WORKER

            # Every accepted event is stored exactly once, where its append said.
            by_id = {event_id: (position, stream, seq) for position, event_id, stream, seq in rows}
            assert Counter(a[0] for a in accepted).most_common(1)[0][1] == 1
            assert len(rows) == len(by_id) == len(accepted)
            assert {a[0]: (a[1], a[2], a[3]) for a in accepted} == by_id

            # Every rejected event was refused for a stale version, and is not stored.
            for ids, _stream, expected, actual in rejected:
                assert expected != actual
                assert not set(ids) & by_id.keys()

            # Positions 1..N and each stream's sequences 1..n, in position order.
            assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
            sequences: dict[str, list[int]] = defaultdict(list)
            for _position, _id, stream, sequence in rows:
                sequences[stream].append(sequence)
            for stream, seen in sequences.items():
                assert seen == list(range(1, len(seen) + 1)), stream

            # An accepted append with an expected version continued the stream from there.
            for stream, version, ids in (c for o in outcomes for c in o["checked"]):
                assert [by_id[i][2] for i in ids] == list(
                    range(version + 1, version + 1 + len(ids))
                )
                assert by_id[ids[0]][1] == stream

            # Each contest round had exactly one winner among the eight.
            rounds = list(zip(*(o["contests"] for o in outcomes), strict=True))
            assert len(rounds) == CONTEST_ROUNDS
            assert all(sum(round_) == 1 for round_ in rounds)
            assert len(sequences[CONTEST_STREAM]) == 2 * len(rounds)
            assert rejected, "no append was ever refused: the race did not happen"

            result = store.verify()
            assert result.ok, str(result)
            assert result.checked == len(rows)
            print(f"\n{len(rows)} accepted, {len(rejected)} batches rejected in {elapsed:.1f} s")
        finally:
            store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_replays_of_one_corpus_record_it_once(new_database: DatabaseFactory) -> None:
    """8 processes creating a new ledger at once and appending the same corpus (same ids) in
    different orders: each event stored once, every process told the same position for it."""
    total = 1500
    with new_database() as url:
        outcomes, _ = run_workers(
            replay_worker, url.render_as_string(hide_password=False), total, 50
        )
        assert failures(outcomes) == []
        store = EventStore.open(url)
        try:
            rows = stored_rows(store)
            assert [r[0] for r in rows] == list(range(1, total + 1))
            where = {event_id: position for position, event_id, _, _ in rows}
            for outcome in outcomes:
                told = {a[0]: a[1] for a in outcome["accepted"]}
                assert told == where
            assert store.verify().ok
        finally:
            store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_readers_saving_the_same_checkpoints_all_answer(
    new_database: DatabaseFactory,
) -> None:
    """8 processes asking the same programs' state at once on a ledger with no checkpoints
    yet (each saves the checkpoints it folds): every one answers, none fails on a key."""
    programs = ["ilrs", "artemis-accords", "lunar-gateway", "wolf-amendment"]
    with new_database() as url:
        with ledger.open(url) as opened:
            import_default_corpus(opened)
        outcomes, _ = run_workers(
            reader_worker, url.render_as_string(hide_password=False), programs
        )
        assert failures(outcomes) == []
        with ledger.open(url) as opened:
            assert saved_payload(opened.store, CHECKPOINT_PREFIX + "ilrs") is not None

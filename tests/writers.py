"""Processes that write to one ledger at the same time, or die while writing (reliability tests).

Imported by ``test_concurrency`` (spawned appenders) and run as a script by ``test_crash``
(an importer that a test kills with SIGKILL). It imports only the ledger, so that spawned
children start quickly.

Script use: ``python writers.py URL TOTAL BATCH [HOLD]`` appends the synthetic corpus of
``TOTAL`` events in appends of ``BATCH`` events, printing ``committed <head>`` after each;
with ``HOLD`` = k it stops inside the k-th append, after its rows are written but before the
commit, prints ``held <position>`` and waits to be killed.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Iterator
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any, TypedDict

from ledger.dates import parse_edtf
from ledger.domain.events import Citation, ClaimMade, Confidence, Event
from ledger.errors import ConcurrencyError
from ledger.persistence.store import EventStore

CORPUS_NAMESPACE = uuid.UUID("6c56f83b-cb07-4769-a5f3-000000000008")
SHARED_STREAMS = ("ilrs", "lunar-gateway", "artemis")
CONTEST_STREAM = "contested"
BATCH_SIZES = (1, 1, 2, 3, 5, 8, 13, 25, 50)
BARRIER_TIMEOUT = 120.0


def claim(event_id: uuid.UUID, stream: str, n: int) -> ClaimMade:
    """A small, fully cited claim; the same ``(event_id, stream, n)`` gives the same event."""
    return ClaimMade(
        id=event_id,
        stream=stream,
        valid_time=parse_edtf(("2021-03-09", "2020-12", "2011", "2004-06~/2006-08")[n % 4]),
        citation=Citation(source="article", quote="اتفقت روسيا والصين", start=0, end=18),
        subjects=("russia", "china") if n % 3 == 0 else (),
        confidence=Confidence.MEDIUM,
        phrase="في شهر ديسمبر" if n % 2 else "",
        summary=f"claim {n} about {stream}: ‮'; DROP TABLE events; --",
        attribute="rank",
        value=n,
    )


def corpus_events(total: int) -> Iterator[Event]:
    """The synthetic corpus: ``total`` claims with ids derived from their index (stable)."""
    for n in range(total):
        stream = f"program-{n % 97}"
        yield claim(uuid.uuid5(CORPUS_NAMESPACE, str(n)), stream, n)


# --- concurrent appenders ------------------------------------------------------------------


class Outcome(TypedDict):
    """What one appender saw: events accepted where, batches rejected and why."""

    worker: int
    accepted: list[tuple[str, int, str, int]]
    """(id, position, stream, sequence) of every event an append returned."""
    checked: list[tuple[str, int, list[str]]]
    """(stream, expected version, ids) of every accepted batch appended with a version."""
    rejected: list[tuple[list[str], str, int, int]]
    """(ids, stream, expected, actual) of every batch refused with ConcurrencyError."""
    contests: list[bool]
    """Whether this worker won each round of the contest."""
    failures: list[str]
    """Anything else that went wrong (must stay empty)."""


def append_worker(
    url: str, worker: int, total: int, rounds: int, barrier: Barrier, results: Queue[Outcome]
) -> None:
    """Append ``total`` events from one process, racing the others; report every outcome.

    The mix: the worker's own stream with its expected version (never rejected), shared
    streams with the version just read (rejected when another worker wrote in between),
    batches spanning several streams, streams without a version, and ``rounds`` contests in
    which every worker reads the same version of one stream and appends at the same moment
    (exactly one may win).
    """
    outcome = Outcome(worker=worker, accepted=[], checked=[], rejected=[], contests=[], failures=[])
    rng = random.Random(worker)
    own = f"worker-{worker}"
    own_version = 0
    store = EventStore.open(url)
    counter = 0

    def fresh(stream: str, size: int) -> list[Event]:
        nonlocal counter
        made: list[Event] = [claim(uuid.uuid4(), stream, counter + i) for i in range(size)]
        counter += size
        return made

    def attempt(batch: list[Event], expected: dict[str, int] | None) -> bool:
        try:
            recorded = store.append(batch, expected)
        except ConcurrencyError as e:
            ids = [str(event.id) for event in batch]
            outcome["rejected"].append((ids, e.stream, e.expected, e.actual))
            return False
        outcome["accepted"] += [(str(e.id), e.position, e.stream, e.sequence) for e in recorded]
        for stream, version in (expected or {}).items():
            ids = [str(e.id) for e in recorded if e.stream == stream]
            outcome["checked"].append((stream, version, ids))
        return True

    try:
        barrier.wait(BARRIER_TIMEOUT)
        # The same schedule in every worker, so that rounds meet early in each one's work.
        contest_at = sorted(random.Random(0).sample(range(1, total // 2), rounds))
        attempted = 0
        while attempted < total:
            if contest_at and attempted >= contest_at[0]:
                contest_at.pop(0)
                barrier.wait(BARRIER_TIMEOUT)  # everyone has finished the previous round
                version = store.stream_version(CONTEST_STREAM)
                barrier.wait(BARRIER_TIMEOUT)  # everyone has read the same version
                won = attempt(fresh(CONTEST_STREAM, 2), {CONTEST_STREAM: version})
                outcome["contests"].append(won)
                attempted += 2
                continue
            size = min(rng.choice(BATCH_SIZES), total - attempted)
            mode = rng.random()
            if mode < 0.3:
                if attempt(fresh(own, size), {own: own_version}):
                    own_version += size
                else:
                    outcome["failures"].append(f"own stream {own} rejected at {own_version}")
            elif mode < 0.7:
                shared = rng.choice(SHARED_STREAMS)
                attempt(fresh(shared, size), {shared: store.stream_version(shared)})
            elif mode < 0.85 and size > 1:
                shared = rng.choice(SHARED_STREAMS)
                half = size // 2
                batch = fresh(own, half) + fresh(shared, size - half)
                expected = {own: own_version, shared: store.stream_version(shared)}
                if attempt(batch, expected):
                    own_version += half
            else:
                attempt(fresh(rng.choice(SHARED_STREAMS), size), None)
            attempted += size
        while contest_at:  # rounds the loop did not reach still need this worker
            contest_at.pop(0)
            barrier.wait(BARRIER_TIMEOUT)
            barrier.wait(BARRIER_TIMEOUT)
            outcome["failures"].append("a contest round came after the last event")
    except Exception as e:
        outcome["failures"].append(f"{type(e).__name__}: {e}")
        barrier.abort()
    finally:
        store.close()
        results.put(outcome)


def replay_worker(
    url: str, worker: int, total: int, batch: int, barrier: Barrier, results: Queue[Outcome]
) -> None:
    """Open a new ledger together with the others, then append the same corpus in its own order.

    Every worker appends the same ``total`` events (same ids, same content) in batches taken
    in a worker-specific order: each event must be recorded once, and every worker must be
    told the same position for it.
    """
    outcome = Outcome(worker=worker, accepted=[], checked=[], rejected=[], contests=[], failures=[])
    corpus = list(corpus_events(total))
    starts = list(range(0, total, batch))
    random.Random(worker).shuffle(starts)
    store: EventStore | None = None
    try:
        barrier.wait(BARRIER_TIMEOUT)  # everyone opens (and may create) the ledger at once
        store = EventStore.open(url)
        for start in starts:
            recorded = store.append(corpus[start : start + batch])
            outcome["accepted"] += [(str(e.id), e.position, e.stream, e.sequence) for e in recorded]
    except Exception as e:
        outcome["failures"].append(f"{type(e).__name__}: {e}")
    finally:
        if store is not None:
            store.close()
        results.put(outcome)


def reader_worker(
    url: str, worker: int, programs: list[str], barrier: Barrier, results: Queue[Outcome]
) -> None:
    """Ask the state and timeline of ``programs`` at the same moment as the other readers.

    Answering folds the program and saves its checkpoint, so readers write too: they race
    to save the same checkpoints.
    """
    import ledger  # the Ledger service (projections) is only needed by readers

    outcome = Outcome(worker=worker, accepted=[], checked=[], rejected=[], contests=[], failures=[])
    try:
        with ledger.open(url) as opened:
            barrier.wait(BARRIER_TIMEOUT)
            for program in programs[worker % 2 :] + programs[: worker % 2]:
                opened.state(program, "2021-03-10")
                opened.timeline(program)
    except Exception as e:
        outcome["failures"].append(f"{type(e).__name__}: {e}")
    finally:
        results.put(outcome)


# --- the killable importer -----------------------------------------------------------------


def _hold_inside(store: EventStore, append_number: int) -> None:
    """Make the ``append_number``-th append stop after writing its rows, before committing."""
    original = store._recorder.insert
    calls = 0

    def insert(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        original(*args, **kwargs)
        calls += 1
        if calls == append_number:
            rows = args[1]
            print(f"held {rows[-1][0]}", flush=True)
            time.sleep(3600)  # the test kills us here, inside the transaction

    store._recorder.insert = insert  # type: ignore[method-assign]


def import_corpus(url: str, total: int, batch: int, hold: int | None) -> None:
    """Append the synthetic corpus in appends of ``batch``; print the head after each."""
    store = EventStore.open(url)
    if hold is not None:
        _hold_inside(store, hold)
    events = list(corpus_events(total))
    new = 0
    for start in range(0, total, batch):
        before = store.head()
        recorded = store.append(events[start : start + batch])
        new += sum(e.position > before for e in recorded)
        print(f"committed {store.head()}", flush=True)
    print(f"done {new}", flush=True)
    store.close()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    import_corpus(
        arguments[0],
        int(arguments[1]),
        int(arguments[2]),
        int(arguments[3]) if len(arguments) > 3 else None,
    )

"""Import, replay and state at scale: the ledger beside raw sqlite3 and eventsourcing.

Run: ``python benchmarks/bench_ledger.py`` (``--sizes 10000,100000,1000000``; ``--small`` is
a 1,000-event run that only checks the script works, for CI). For each size it generates a
realistic corpus (``corpus_gen.py``, deterministic by ``--seed``) and measures, on the same
events, each figure in its own process (so that each peak RSS is its own):

- bulk import: the ledger (``EventStore.extend``: validation, dates, canonical encoding, hash
  chain, subject index) against raw ``sqlite3`` executemany of the same rows chained with
  SHA-256 over ``json.dumps`` of each row (the ceiling: no validation, same table and
  indexes, same transaction size) and against eventsourcing's SQLite application recorder
  (its mapper, then ``insert_events`` in batches of 1,000);
- replay: every event read back into domain objects and folded into a small projection
  (status, members and dates per stream), by the ledger (``iter_events``) and by
  eventsourcing (``select_notifications`` and its mapper); raw sqlite3 reading the same
  rows without decoding them is shown as the read ceiling;
- ``state(program, as_of)`` latency, p50 and p99, for random programs and dates: the first
  question of a program (its table folded from its events and saved), then warm questions;
  and a cold ``ledger state`` (process start to exit) against the file just built;
- import and replay on PostgreSQL (``--postgres URL``, default the local server; skipped with
  a note when unreachable), with a raw psycopg COPY of the same rows as the ceiling;
- at 10,000 events (or ``--small``), ``ledger import`` of the corpus written as YAML
  fixtures, validation included, process start to exit.

Rates exclude generating the events (timed and subtracted) but include everything the
system does with them. ``--markdown`` prints the results table for the README.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import itertools
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_gen

from ledger.dates import HistoricalDate, ordinal_to_iso, parse_edtf
from ledger.domain.events import Citation, Confidence, Event, payload_of
from ledger.persistence.mapper import DEFAULT_MAPPER
from ledger.persistence.schema import EVENT_COLUMNS

DEFAULT_POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/test"
ES_BATCH = 1000
"""Events per ``insert_events`` call of eventsourcing's recorder."""
CHUNK = 10_000
"""Events generated at a time by the workers."""
STREAM_NAMESPACE = uuid.UUID("5b0c3a0e-6d1f-4f0e-9a55-2f0a8e1c7d10")


# --- the fold both systems replay into ------------------------------------------------------------


class Fold:
    """A small projection: per stream its status, members and latest known day; type counts.

    It reads only attributes both systems' domain events have, so the same code folds both.
    Its state grows with the streams, not with the events.
    """

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.latest: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.answers = 0

    def apply(self, event: Any) -> None:
        """Fold one event in."""
        name = event.type_name
        self.counts[name] = self.counts.get(name, 0) + 1
        stream = event.stream
        if name == "StatusChanged":
            self.status[stream] = event.status
        elif name == "MemberJoined":
            self.members.setdefault(stream, set()).add(event.member)
        elif name == "MemberLeft":
            self.members.get(stream, set()).discard(event.member)
        elif name in ("Corrected", "Retracted"):
            self.answers += 1
        day = event.valid_time.latest
        if day is not None and day > self.latest.get(stream, 0):
            self.latest[stream] = day

    def digest(self) -> str:
        """A short fingerprint, so that both systems can be seen to fold the same events."""
        members = sorted((k, sorted(v)) for k, v in self.members.items())
        text = json.dumps(
            [sorted(self.status.items()), members, sorted(self.latest.items()), self.answers],
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:12]


# --- eventsourcing: the same events as its frozen dataclasses ------------------------------------


def _es_model() -> tuple[Any, Callable[[Event, int], Any]]:
    """eventsourcing's mapper for the ledger's events, and a converter from ledger events."""
    from eventsourcing.domain import DomainEvent
    from eventsourcing.persistence import (
        DatetimeAsISO,
        JSONTranscoder,
        Mapper,
        Transcoding,
        UUIDAsHex,
    )

    class DateAsEDTF(Transcoding):
        type = HistoricalDate
        name = "edtf"

        def encode(self, obj: HistoricalDate) -> str:
            return obj.edtf

        def decode(self, data: str) -> HistoricalDate:
            return parse_edtf(data)

        __module__ = __name__

    class CitationAsList(Transcoding):
        type = Citation
        name = "citation"

        def encode(self, obj: Citation) -> list[Any]:
            return [obj.source, obj.quote, obj.start, obj.end, obj.quote_in, obj.also_cited]

        def decode(self, data: list[Any]) -> Citation:
            source, quote, start, end, quote_in, also = data
            return Citation(
                source=source,
                quote=quote,
                start=start,
                end=end,
                quote_in=quote_in,
                also_cited=tuple(also),
            )

    class ConfidenceAsText(Transcoding):
        type = Confidence
        name = "confidence"

        def encode(self, obj: Confidence) -> str:
            return obj.value

        def decode(self, data: str) -> Confidence:
            return Confidence(data)

    transcoder = JSONTranscoder()
    for transcoding in (
        UUIDAsHex(),
        DatetimeAsISO(),
        DateAsEDTF(),
        CitationAsList(),
        ConfidenceAsText(),
    ):
        transcoder.register(transcoding)

    @dataclasses.dataclass(frozen=True)
    class LedgerEvent(DomainEvent):
        """The ledger's envelope; ``timestamp`` is its recorded time."""

        type_name: ClassVar[str] = "Event"
        id: uuid.UUID
        stream: str
        valid_time: HistoricalDate
        citation: Citation
        subjects: tuple[str, ...]
        participants: tuple[str, ...]
        fact: str
        confidence: Confidence
        phrase: str
        summary: str

    classes: dict[type[Event], Any] = {}
    for ledger_cls in corpus_gen.EVENT_CLASSES:
        payload = [f.name for f in corpus_gen.payload_fields(ledger_cls)]
        cls = dataclasses.make_dataclass(
            f"Es{ledger_cls.type_name}",
            [(name, Any) for name in payload],
            bases=(LedgerEvent,),
            frozen=True,
            namespace={"type_name": ledger_cls.type_name},
        )
        # Topics name a module and a class in it: make the class findable where it says.
        cls.__module__ = __name__
        globals()[cls.__name__] = cls
        classes[ledger_cls] = cls

    def convert(event: Event, version: int) -> Any:
        return classes[type(event)](
            originator_id=uuid.uuid5(STREAM_NAMESPACE, event.stream),
            originator_version=version,
            timestamp=event.recorded_at,
            id=event.id,
            stream=event.stream,
            valid_time=event.valid_time,
            citation=event.citation,
            subjects=event.subjects,
            participants=event.participants,
            fact=event.fact,
            confidence=event.confidence,
            phrase=event.phrase,
            summary=event.summary,
            **payload_of(event),
        )

    return Mapper(transcoder=transcoder), convert


# --- workers: one measurement per process ---------------------------------------------------------


class Timed:
    """An iterator that keeps the time spent producing its items (to subtract it)."""

    def __init__(self, items: Iterator[Event]) -> None:
        self._items = items
        self.spent = 0.0

    def __iter__(self) -> Timed:
        return self

    def __next__(self) -> Event:
        start = time.perf_counter()
        try:
            return next(self._items)
        finally:
            self.spent += time.perf_counter() - start

    def chunks(self, size: int) -> Iterator[list[Event]]:
        """The items in lists of ``size``."""
        while chunk := list(itertools.islice(self, size)):
            yield chunk


def _peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB."""
    # Linux's VmHWM is this program's own; ru_maxrss also counts the parent's peak at fork.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _proc_kib(path: str, key: str) -> int:
    """A field of a /proc file, in KiB (0 if the process is gone)."""
    try:
        with open(path) as file:
            for line in file:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class ChildMemory:
    """Samples, while it runs, this process's children: their own peak (``VmHWM``, not
    counting what they shared before their exec) and the peak of this process's and theirs
    proportional memory together (PSS: a shared page counted once over its sharers)."""

    def __init__(self, every: float = 0.02) -> None:
        import threading

        self.children_peak_kib = 0
        self.together_peak_kib = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ChildMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        children = f"/proc/{me}/task/{me}/children"
        while not self._stop.wait(self._every):
            try:
                pids = Path(children).read_text().split()
            except OSError:
                pids = []
            together = _proc_kib(f"/proc/{me}/smaps_rollup", "Pss:")
            for pid in pids:
                self.children_peak_kib = max(
                    self.children_peak_kib, _proc_kib(f"/proc/{pid}/status", "VmHWM:")
                )
                together += _proc_kib(f"/proc/{pid}/smaps_rollup", "Pss:")
            self.together_peak_kib = max(self.together_peak_kib, together)


def _sqlite_url(path: str) -> str:
    return f"sqlite:///{path}"


def worker_import_ledger(args: argparse.Namespace) -> dict[str, Any]:
    """The ledger's bulk import: ``EventStore.extend`` over the generated events."""
    from ledger.persistence.store import EventStore

    store = EventStore.open(args.db)
    events = Timed(corpus_gen.generate(args.n, args.seed))
    base = _peak_rss_mb()
    # A SQLite file's import is written by a second process (ledger.persistence.offload).
    with ChildMemory() as memory:
        start = time.perf_counter()
        recorded = store.extend(events)
        elapsed = time.perf_counter() - start - events.spent
    digest = str(store.digest())
    store.close()
    return {
        "events": recorded,
        "seconds": elapsed,
        "generate_seconds": events.spent,
        "rss_mb": _peak_rss_mb(),
        "writer_rss_mb": memory.children_peak_kib / 1024,
        "together_pss_mb": memory.together_peak_kib / 1024,
        "base_rss_mb": base,
        "digest": digest,
    }


def _rows(chunk: list[Event]) -> list[list[Any]]:
    """The stored rows of ``chunk`` before the store assigns places (the ledger's own encoding)."""
    return [DEFAULT_MAPPER.to_row(event).row for event in chunk]


def worker_import_raw(args: argparse.Namespace) -> dict[str, Any]:
    """The ceiling: the same rows, chained with SHA-256 over json.dumps, executemany."""
    from ledger.persistence.store import IMPORT_BATCH_SIZE, EventStore

    EventStore.open(args.db).close()  # the same tables, indexes and triggers
    conn = sqlite3.connect(args.db.removeprefix("sqlite:///"), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -65536"):
        conn.execute(f"PRAGMA {pragma}")
    insert = f"INSERT INTO events VALUES ({', '.join('?' for _ in EVENT_COLUMNS)})"
    keys = EVENT_COLUMNS[:-1]
    events = Timed(corpus_gen.generate(args.n, args.seed))
    base = _peak_rss_mb()
    versions: dict[str, int] = {}
    prev = bytes(32)
    position = 0
    spent = 0.0
    in_transaction = 0
    for chunk in events.chunks(CHUNK):
        rows = _rows(chunk)
        start = time.perf_counter()
        if not in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        for row, event in zip(rows, chunk, strict=True):
            position += 1
            stream = row[4]
            versions[stream] = sequence = versions.get(stream, 0) + 1
            row[0], row[5], row[23] = position, sequence, prev.hex()
            assert event.recorded_at is not None
            row[7] = event.recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            canonical = json.dumps(
                dict(zip(keys, row, strict=False)),
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            )
            prev = hashlib.sha256(prev + canonical.encode()).digest()
            row[24] = prev.hex()
        conn.executemany(insert, rows)
        in_transaction += len(rows)
        if in_transaction >= IMPORT_BATCH_SIZE:
            conn.execute("COMMIT")
            in_transaction = 0
        spent += time.perf_counter() - start
    start = time.perf_counter()
    if in_transaction:
        conn.execute("COMMIT")
    spent += time.perf_counter() - start
    conn.close()
    return {
        "events": position,
        "seconds": spent,
        "rss_mb": _peak_rss_mb(),
        "base_rss_mb": base,
        "digest": f"{position}:{prev.hex()}",
    }


# --- the references of issue 15: a narrow log with the same guarantees, written and read raw ---

_LOG_SCHEMA = (
    "CREATE TABLE log (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
    "stream TEXT NOT NULL, sequence INTEGER NOT NULL, body TEXT NOT NULL, "
    "hash TEXT NOT NULL, UNIQUE (stream, sequence))"
)
_LOG_INSERT = "INSERT INTO log VALUES (?, ?, ?, ?, ?, ?)"


def _log_body(event: Event) -> dict[str, Any]:
    """What the narrow log keeps of an event: the same fields (and Arabic quotes) as JSON data."""
    record = DEFAULT_MAPPER.to_record(event)
    for assigned in ("id", "sequence", "position", "recorded_at"):
        del record[assigned]
    return record


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def worker_import_log(args: argparse.Namespace) -> dict[str, Any]:
    """A narrow raw sqlite3 log: unique uuid5 id, unique (stream, sequence), SHA-256 chain.

    With ``--pre-encoded`` the ids and bodies are encoded before the clock starts (the
    insert-only ceiling); otherwise ``json.dumps`` runs inside the timed loop.
    """
    from ledger.persistence.store import IMPORT_BATCH_SIZE

    path = args.db.removeprefix("sqlite:///")
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(_LOG_SCHEMA)
    events = Timed(corpus_gen.generate(args.n, args.seed))
    base = _peak_rss_mb()
    versions: dict[str, int] = {}
    prev = bytes(32)
    position = 0
    spent = 0.0
    in_transaction = 0
    sha = hashlib.sha256
    for chunk in events.chunks(CHUNK):
        bodies = [_log_body(event) for event in chunk]
        ids: list[str] = []
        encoded: list[str] = []
        if args.pre_encoded:
            ids = [str(uuid.uuid5(STREAM_NAMESPACE, str(event.id))) for event in chunk]
            encoded = [_canonical_json(body) for body in bodies]
        start = time.perf_counter()
        if not in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        rows = []
        for i, event in enumerate(chunk):
            if args.pre_encoded:
                event_id, body = ids[i], encoded[i]
            else:
                event_id = str(uuid.uuid5(STREAM_NAMESPACE, str(event.id)))
                body = _canonical_json(bodies[i])
            position += 1
            stream = event.stream
            versions[stream] = sequence = versions.get(stream, 0) + 1
            prev = sha(prev + body.encode()).digest()
            rows.append((position, event_id, stream, sequence, body, prev.hex()))
        conn.executemany(_LOG_INSERT, rows)
        in_transaction += len(rows)
        if in_transaction >= IMPORT_BATCH_SIZE:
            conn.execute("COMMIT")
            in_transaction = 0
        spent += time.perf_counter() - start
    start = time.perf_counter()
    if in_transaction:
        conn.execute("COMMIT")
    spent += time.perf_counter() - start
    size = Path(path).stat().st_size
    conn.close()
    return {
        "events": position,
        "seconds": spent,
        "rss_mb": _peak_rss_mb(),
        "base_rss_mb": base,
        "body_bytes": size,
    }


def worker_read_log(args: argparse.Namespace) -> dict[str, Any]:
    """A plain read of the narrow log: ``json.loads`` of each body and a counting fold."""
    conn = sqlite3.connect(args.db.removeprefix("sqlite:///"))
    base = _peak_rss_mb()
    query = "SELECT position, body FROM log WHERE position > ? ORDER BY position LIMIT 5000"
    counts: dict[str, int] = {}
    count = 0
    after = 0
    loads = json.loads
    start = time.perf_counter()
    while rows := conn.execute(query, (after,)).fetchall():
        for _, body in rows:
            name = loads(body)["type"]
            counts[name] = counts.get(name, 0) + 1
        count += len(rows)
        after = rows[-1][0]
    elapsed = time.perf_counter() - start
    return {"events": count, "seconds": elapsed, "rss_mb": _peak_rss_mb(), "base_rss_mb": base}


def worker_import_es(args: argparse.Namespace) -> dict[str, Any]:
    """eventsourcing: its mapper, then its SQLite application recorder in batches of 1,000."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    mapper, convert = _es_model()
    datastore = SQLiteDatastore(args.db.removeprefix("sqlite:///"))
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    versions: dict[str, int] = {}
    events = Timed(corpus_gen.generate(args.n, args.seed))
    base = _peak_rss_mb()
    spent = 0.0
    count = 0
    for chunk in events.chunks(ES_BATCH):
        domain = []
        for event in chunk:
            versions[event.stream] = version = versions.get(event.stream, 0) + 1
            domain.append(convert(event, version))
        start = time.perf_counter()
        recorder.insert_events([mapper.to_stored_event(e) for e in domain])
        spent += time.perf_counter() - start
        count += len(chunk)
    datastore.close()
    return {"events": count, "seconds": spent, "rss_mb": _peak_rss_mb(), "base_rss_mb": base}


def worker_replay_ledger(args: argparse.Namespace) -> dict[str, Any]:
    """Every event back as a domain event (``iter_events``), folded."""
    from ledger.persistence.store import EventStore

    store = EventStore.open(args.db)
    base = _peak_rss_mb()
    fold = Fold()
    apply = fold.apply
    count = 0
    start = time.perf_counter()
    for event in store.iter_events():
        apply(event)
        count += 1
    elapsed = time.perf_counter() - start
    store.close()
    return {
        "events": count,
        "seconds": elapsed,
        "rss_mb": _peak_rss_mb(),
        "base_rss_mb": base,
        "fold": fold.digest(),
    }


def worker_replay_es(args: argparse.Namespace) -> dict[str, Any]:
    """eventsourcing: ``select_notifications`` pages, its mapper, the same fold."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    mapper, _ = _es_model()
    datastore = SQLiteDatastore(args.db.removeprefix("sqlite:///"))
    recorder = SQLiteApplicationRecorder(datastore)
    base = _peak_rss_mb()
    fold = Fold()
    apply = fold.apply
    to_domain = mapper.to_domain_event
    count = 0
    page = 5000
    start = time.perf_counter()
    after = 0
    while True:
        notifications = recorder.select_notifications(after + 1, page)
        for notification in notifications:
            apply(to_domain(notification))
        count += len(notifications)
        if len(notifications) < page:
            break
        after = notifications[-1].id
    elapsed = time.perf_counter() - start
    datastore.close()
    return {
        "events": count,
        "seconds": elapsed,
        "rss_mb": _peak_rss_mb(),
        "base_rss_mb": base,
        "fold": fold.digest(),
    }


def worker_read_raw(args: argparse.Namespace) -> dict[str, Any]:
    """The read ceiling: raw sqlite3 fetching the same columns, nothing decoded."""
    from ledger.persistence.schema import DECODED_COLUMNS

    conn = sqlite3.connect(args.db.removeprefix("sqlite:///"))
    base = _peak_rss_mb()
    query = f"SELECT {', '.join(DECODED_COLUMNS)} FROM events WHERE position > ? "
    query += "ORDER BY position LIMIT 5000"
    count = 0
    after = 0
    start = time.perf_counter()
    while rows := conn.execute(query, (after,)).fetchall():
        count += len(rows)
        after = rows[-1][0]
    elapsed = time.perf_counter() - start
    return {"events": count, "seconds": elapsed, "rss_mb": _peak_rss_mb(), "base_rss_mb": base}


def _questions(n: int, seed: int, programs: int, count: int) -> tuple[list[str], list[str]]:
    """Programs to ask about, and as-of dates near their history (days, months, years)."""
    generator = corpus_gen.CorpusGenerator(n, seed)
    rng = random.Random(seed + 1)
    # The program of median popularity is left out: cold runs ask about it first.
    pool = [p for p in generator.programs if p.id != unasked(generator)]
    chosen = rng.sample(pool, min(programs, len(pool)))
    dates = []
    for _ in range(count):
        era = generator.eras[rng.choice(chosen).id]
        day = era + rng.randint(0, 365 * 25)
        shape = rng.random()
        text = ordinal_to_iso(day)
        dates.append(text if shape < 0.6 else text[:7] if shape < 0.85 else text[:4])
    return [p.id for p in chosen], dates


def unasked(generator: corpus_gen.CorpusGenerator) -> str:
    """A program the state worker never asks about (of median popularity)."""
    return generator.programs[len(generator.programs) // 2].id


def _percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50_ms": at(0.50), "p99_ms": at(0.99), "max_ms": ordered[-1] * 1000}


def worker_state(args: argparse.Namespace) -> dict[str, Any]:
    """``state(program, as_of)`` latency: first questions, then warm ones, on random dates."""
    import ledger

    programs, dates = _questions(args.n, args.seed, args.programs, args.queries)
    rng = random.Random(args.seed + 2)
    opened = ledger.open(args.db)
    first: list[float] = []
    for program in programs:
        start = time.perf_counter()
        opened.state(program, dates[len(first) % len(dates)])
        first.append(time.perf_counter() - start)
    warm: list[float] = []
    for as_of in dates:
        program = rng.choice(programs)
        start = time.perf_counter()
        opened.state(program, as_of)
        warm.append(time.perf_counter() - start)
    opened.close()
    return {
        # The process's very first question also reads the catalogue and every correction,
        # retraction and restriction of the ledger, which later first questions reuse.
        "very_first_ms": first[0] * 1000,
        "first": _percentiles(first[1:]),
        "warm": _percentiles(warm),
        "questions": len(warm),
        "programs": programs,
        "rss_mb": _peak_rss_mb(),
    }


def _pg_schema_url(url: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def worker_import_pg_raw(args: argparse.Namespace) -> dict[str, Any]:
    """The PostgreSQL ceiling: the same rows chained with SHA-256, written with psycopg COPY."""
    import psycopg

    from ledger.persistence.store import IMPORT_BATCH_SIZE, EventStore

    EventStore.open(args.db).close()
    from sqlalchemy.engine import make_url

    parsed = make_url(args.db)
    options = parsed.query.get("options", "")
    conninfo = (
        f"host={parsed.host} port={parsed.port or 5432} user={parsed.username} "
        f"dbname={parsed.database} options='{options}'"
    )
    conn = psycopg.connect(conninfo)
    keys = EVENT_COLUMNS[:-1]
    copy = f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    events = Timed(corpus_gen.generate(args.n, args.seed))
    base = _peak_rss_mb()
    versions: dict[str, int] = {}
    prev = bytes(32)
    position = 0
    spent = 0.0
    in_transaction = 0
    for chunk in events.chunks(CHUNK):
        rows = _rows(chunk)
        start = time.perf_counter()
        for row, event in zip(rows, chunk, strict=True):
            position += 1
            stream = row[4]
            versions[stream] = sequence = versions.get(stream, 0) + 1
            row[0], row[5], row[23] = position, sequence, prev.hex()
            assert event.recorded_at is not None
            row[7] = event.recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            canonical = json.dumps(
                dict(zip(keys, row, strict=False)),
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            )
            prev = hashlib.sha256(prev + canonical.encode()).digest()
            row[24] = prev.hex()
        with conn.cursor() as cursor, cursor.copy(copy) as writer:
            for row in rows:
                writer.write_row(row)
        in_transaction += len(rows)
        if in_transaction >= IMPORT_BATCH_SIZE:
            conn.commit()
            in_transaction = 0
        spent += time.perf_counter() - start
    start = time.perf_counter()
    conn.commit()
    spent += time.perf_counter() - start
    conn.close()
    return {"events": position, "seconds": spent, "rss_mb": _peak_rss_mb(), "base_rss_mb": base}


WORKERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "import-ledger": worker_import_ledger,
    "import-raw": worker_import_raw,
    "import-es": worker_import_es,
    "replay-ledger": worker_replay_ledger,
    "replay-es": worker_replay_es,
    "read-raw": worker_read_raw,
    "state": worker_state,
    "import-pg-raw": worker_import_pg_raw,
    "import-log": worker_import_log,
    "read-log": worker_read_log,
}


# --- the orchestra -----------------------------------------------------------------------------


def run_worker(kind: str, n: int, seed: int, db: str, **extra: Any) -> dict[str, Any]:
    """Run one worker in a fresh process and return what it measured."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    command += ["--n", str(n), "--seed", str(seed), "--db", db]
    for key, value in extra.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"worker {kind} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _ledger_command() -> list[str]:
    found = Path(sys.executable).parent / "ledger"
    return [str(found)] if found.exists() else [sys.executable, "-m", "ledger.cli"]


_STATE_SNIPPET = (
    "import sys, ledger\n"
    "with ledger.open(sys.argv[1]) as opened:\n"
    "    state = opened.state(sys.argv[2], sys.argv[3])\n"
    "    print(len(state.rows()), 'facts')\n"
)


_IMPORTS_ONLY = [sys.executable, "-c", "import sqlalchemy, pendulum, attrs, tabulate"]
"""The cold-start reference of issue 15: a process that only imports the core dependencies."""


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed: {done.stderr[-2000:]}")
    return elapsed


def _compiled_env(workdir: Path) -> dict[str, str]:
    """The environment of an installed program: its modules' bytecode cached and reused.

    ``pip install`` compiles a package's bytecode; an editable install or
    ``PYTHONDONTWRITEBYTECODE`` leaves the ledger's modules to be compiled from source in every
    process, while the reference's libraries have theirs. Both commands get one cache here.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


def cold_state(
    db: str, program: str, as_of: str, runs: int, workdir: Path, warm: str | None = None
) -> tuple[float, str, float]:
    """Median wall times of a whole ``ledger state`` process and of the import-only reference.

    The two alternate, so that both see the same load; each runs once first, untimed, to
    write its bytecode (see :func:`_compiled_env`), the ledger's asking about ``warm`` (by
    default ``program``: a program that must stay unasked is not asked about then).
    """
    probe = subprocess.run(
        [*_ledger_command(), "state", "--help"], capture_output=True, text=True, check=False
    )
    how = "ledger state" if probe.returncode == 0 else "python -c (ledger.open + state)"

    def asking(about: str) -> list[str]:
        if probe.returncode == 0:
            return [*_ledger_command(), "state", about, "--as-of", as_of, "--db", db]
        # The CLI has no `state` command yet: the same call through the library.
        return [sys.executable, "-c", _STATE_SNIPPET, db, about, as_of]

    command = asking(program)
    env = _compiled_env(workdir)
    _wall(asking(warm or program), env)
    _wall(_IMPORTS_ONLY, env)
    times, references = [], []
    for _ in range(runs):
        times.append(_wall(command, env))
        references.append(_wall(_IMPORTS_ONLY, env))
    return statistics.median(times), how, statistics.median(references)


def fixture_import(n: int, seed: int, workdir: Path) -> dict[str, float]:
    """``ledger import`` of the corpus as YAML fixtures: --check, then a real import."""
    folder = workdir / f"fixtures-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    manifest = corpus_gen.write_fixtures(n, seed, folder)
    db = workdir / f"fixtures-{n}.sqlite"
    _remove_sqlite(db)
    found = {}
    for label, extra in (("check", ["--check"]), ("import", ["--db", _sqlite_url(str(db))])):
        start = time.perf_counter()
        done = subprocess.run(
            [*_ledger_command(), "import", str(manifest), *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        found[label] = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"ledger import failed: {done.stderr[-2000:]}")
    counted = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0]
    found["events"] = counted
    return found


def _postgres_reachable(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return str(error).strip().splitlines()[0]
    return None


class PostgresSchema:
    """A fresh schema on the server for one run, dropped afterwards."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        self.name = f"bench_ledger_{uuid.uuid4().hex[:10]}"
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.url = _pg_schema_url(url, self.name)

    def __enter__(self) -> PostgresSchema:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        return self

    def __exit__(self, *_: object) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.engine.dispose()


def _rate(result: dict[str, Any]) -> float:
    return float(result["events"]) / max(float(result["seconds"]), 1e-9)


def measure(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Every figure for one size."""
    seed = args.seed
    out: dict[str, Any] = {"n": n}
    ledger_db = workdir / f"ledger-{n}.sqlite"
    raw_db = workdir / f"raw-{n}.sqlite"
    es_db = workdir / f"es-{n}.sqlite"
    for path in (ledger_db, raw_db, es_db):
        _remove_sqlite(path)

    def step(label: str) -> None:
        print(f"  [{n:,}] {label}...", file=sys.stderr, flush=True)

    step("import: ledger")
    out["import_ledger"] = run_worker("import-ledger", n, seed, _sqlite_url(str(ledger_db)))
    log_db = workdir / f"log-{n}.sqlite"
    ceiling_db = workdir / f"ceiling-{n}.sqlite"
    for path in (log_db, ceiling_db):
        _remove_sqlite(path)
    step("import: narrow raw log, json.dumps in the loop")
    out["import_log"] = run_worker("import-log", n, seed, _sqlite_url(str(log_db)))
    if "ceiling" not in args.skip:
        step("import: narrow raw log, pre-encoded (insert-only ceiling)")
        out["import_ceiling"] = run_worker(
            "import-log", n, seed, _sqlite_url(str(ceiling_db)), pre_encoded=1
        )
        _remove_sqlite(ceiling_db)
    step("read: narrow raw log, json.loads + counting fold")
    out["read_log"] = run_worker("read-log", n, seed, _sqlite_url(str(log_db)))
    _remove_sqlite(log_db)
    if "raw" not in args.skip:
        step("import: raw sqlite3")
        out["import_raw"] = run_worker("import-raw", n, seed, _sqlite_url(str(raw_db)))
        if out["import_raw"]["digest"] != out["import_ledger"]["digest"]:
            print(
                f"  note: the raw chain's head {out['import_raw']['digest']} differs from the "
                f"ledger's {out['import_ledger']['digest']}",
                file=sys.stderr,
            )
    out["db_mb"] = ledger_db.stat().st_size / 2**20
    if args.es:
        step("import: eventsourcing")
        out["import_es"] = run_worker("import-es", n, seed, _sqlite_url(str(es_db)))
    step("replay: ledger")
    out["replay_ledger"] = run_worker("replay-ledger", n, seed, _sqlite_url(str(ledger_db)))
    if "raw" not in args.skip:
        step("read: raw sqlite3")
        out["read_raw"] = run_worker("read-raw", n, seed, _sqlite_url(str(ledger_db)))
    if args.es:
        step("replay: eventsourcing")
        out["replay_es"] = run_worker("replay-es", n, seed, _sqlite_url(str(es_db)))
        if out["replay_es"]["fold"] != out["replay_ledger"]["fold"]:
            print("  note: the two folds differ", file=sys.stderr)
    if "state" not in args.skip:
        step("state: first and warm questions")
        state = run_worker(
            "state",
            n,
            seed,
            _sqlite_url(str(ledger_db)),
            programs=args.programs,
            queries=args.queries,
        )
        out["state"] = state
        step("state: cold processes")
        asked = state["programs"][0]
        _, dates = _questions(n, seed, args.programs, 1)
        out["cold_saved"], out["cold_how"], out["cold_imports"] = cold_state(
            _sqlite_url(str(ledger_db)), asked, dates[0], args.cold_runs, workdir
        )
        fresh = unasked(corpus_gen.CorpusGenerator(n, seed))
        # A program never asked about has no saved table: its first question in a new process.
        out["cold_unsaved"], _, _ = cold_state(
            _sqlite_url(str(ledger_db)), fresh, dates[0], 1, workdir, warm=asked
        )
    if args.pg_url is not None:
        step("PostgreSQL: import, replay, COPY ceiling")
        with PostgresSchema(args.pg_url) as schema:
            out["pg_import"] = run_worker("import-ledger", n, seed, schema.url)
            out["pg_replay"] = run_worker("replay-ledger", n, seed, schema.url)
        with PostgresSchema(args.pg_url) as schema:
            out["pg_copy"] = run_worker("import-pg-raw", n, seed, schema.url)
    if n == args.fixture_size and "fixtures" not in args.skip:
        step("ledger import of YAML fixtures")
        out["fixtures"] = fixture_import(n, seed, workdir)
    if not args.keep:
        for path in (ledger_db, raw_db, es_db):
            _remove_sqlite(path)
    return out


# --- reporting ---------------------------------------------------------------------------------


def machine() -> str:
    """nproc, CPU model, Python, load: what the figures were measured on."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()}; load average {load}"
    )


def rows_of(results: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """The table: one line per figure, one column per size."""

    def per(fn: Callable[[dict[str, Any]], str | None]) -> list[str]:
        cells = []
        for r in results:
            try:
                cells.append(fn(r) or "")
            except KeyError:
                cells.append("")
        return cells

    def rate(key: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{_rate(r[key]):,.0f}/s"

    def ratio(key: str, ref: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{_rate(r[key]) / _rate(r[ref]):.2f}x"

    def rss(key: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{r[key]['rss_mb']:.0f} MB"

    def cold_ratio(r: dict[str, Any]) -> str:
        return f"{r['cold_saved'] / r['cold_imports']:.2f}x"

    return [
        ("import, ledger (SQLite)", per(rate("import_ledger"))),
        ("import, narrow raw log, json.dumps in the loop", per(rate("import_log"))),
        ("import, narrow raw log, pre-encoded (insert-only ceiling)", per(rate("import_ceiling"))),
        (
            "  ledger / insert-only ceiling (goal >= 0.80x)",
            per(ratio("import_ledger", "import_ceiling")),
        ),
        ("  ledger / narrow log encoding in the loop", per(ratio("import_ledger", "import_log"))),
        ("replay + fold, ledger (SQLite)", per(rate("replay_ledger"))),
        ("read, narrow raw log, json.loads + counting fold", per(rate("read_log"))),
        ("  ledger replay / plain read (goal >= 0.80x)", per(ratio("replay_ledger", "read_log"))),
        ("import, raw sqlite3 + SHA-256 chain (ceiling)", per(rate("import_raw"))),
        ("import, eventsourcing recorder (1,000/batch)", per(rate("import_es"))),
        ("  ledger / raw sqlite3", per(ratio("import_ledger", "import_raw"))),
        ("  ledger / eventsourcing", per(ratio("import_ledger", "import_es"))),
        ("replay + fold, eventsourcing", per(rate("replay_es"))),
        ("read, raw sqlite3 (no decoding, ceiling)", per(rate("read_raw"))),
        ("  ledger / eventsourcing", per(ratio("replay_ledger", "replay_es"))),
        ("  ledger / raw read", per(ratio("replay_ledger", "read_raw"))),
        ("state, warm p50", per(lambda r: f"{r['state']['warm']['p50_ms']:.2f} ms")),
        ("state, warm p99", per(lambda r: f"{r['state']['warm']['p99_ms']:.2f} ms")),
        (
            "state, very first question of a process",
            per(lambda r: f"{r['state']['very_first_ms']:.0f} ms"),
        ),
        ("state, first question p50", per(lambda r: f"{r['state']['first']['p50_ms']:.1f} ms")),
        ("state, first question p99", per(lambda r: f"{r['state']['first']['p99_ms']:.1f} ms")),
        ("cold `ledger state`, saved table", per(lambda r: f"{r['cold_saved'] * 1000:.0f} ms")),
        (
            "cold `python -c 'import sqlalchemy, pendulum, attrs, tabulate'`",
            per(lambda r: f"{r['cold_imports'] * 1000:.0f} ms"),
        ),
        ("  cold state / imports only (goal <= 1.30x)", per(cold_ratio)),
        (
            "cold `ledger state`, no saved table",
            per(lambda r: f"{r['cold_unsaved'] * 1000:.0f} ms"),
        ),
        ("peak RSS, ledger import (goal <= 300 MB)", per(rss("import_ledger"))),
        (
            "  its writing process (its own peak)",
            per(lambda r: f"{r['import_ledger']['writer_rss_mb']:.0f} MB"),
        ),
        (
            "  the two processes together (peak of their PSS, sampled)",
            per(lambda r: f"{r['import_ledger']['together_pss_mb']:.0f} MB"),
        ),
        ("peak RSS, ledger replay (goal <= 300 MB)", per(rss("replay_ledger"))),
        (
            "  of which before importing (generator)",
            per(lambda r: f"{r['import_ledger']['base_rss_mb']:.0f} MB"),
        ),
        ("peak RSS, state questions", per(rss("state"))),
        ("peak RSS, eventsourcing import", per(rss("import_es"))),
        ("peak RSS, eventsourcing replay", per(rss("replay_es"))),
        ("import, ledger (PostgreSQL)", per(rate("pg_import"))),
        ("import, raw psycopg COPY + chain (ceiling)", per(rate("pg_copy"))),
        ("  ledger / COPY (goal >= 0.80x)", per(ratio("pg_import", "pg_copy"))),
        ("replay + fold, ledger (PostgreSQL)", per(rate("pg_replay"))),
        ("peak RSS, ledger import (PostgreSQL)", per(rss("pg_import"))),
        (
            "`ledger import` YAML fixtures (process)",
            per(
                lambda r: (
                    f"{r['fixtures']['events'] / r['fixtures']['import']:,.0f}/s"
                    if "fixtures" in r
                    else None
                )
            ),
        ),
        (
            "  of which `--check` (validation only)",
            per(lambda r: f"{r['fixtures']['check']:.1f} s" if "fixtures" in r else None),
        ),
        ("database file", per(lambda r: f"{r['db_mb']:.0f} MB")),
    ]


def print_table(results: list[dict[str, Any]], markdown: bool) -> None:
    """Print the figures as plain text or as a Markdown table."""
    header = ["events", *(f"{r['n']:,}" for r in results)]
    lines = [(name, cells) for name, cells in rows_of(results) if any(cells)]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|---" + "|---:" * len(results) + "|")
        for name, cells in lines:
            print("| " + " | ".join([name, *cells]) + " |")
        return
    width = max(len(name) for name, _ in lines)
    print(f"{header[0]:<{width}}  " + "  ".join(f"{h:>14}" for h in header[1:]))
    for name, cells in lines:
        print(f"{name:<{width}}  " + "  ".join(f"{c:>14}" for c in cells))


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size and print the table; a worker prints one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="events per corpus")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--small", action="store_true", help="1,000 events only: checks the script works (CI)"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=DEFAULT_POSTGRES,
        help=f"PostgreSQL server for its figures (default {DEFAULT_POSTGRES}); 'none' skips",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--no-es", dest="es", action="store_false", help="skip eventsourcing")
    parser.add_argument(
        "--skip",
        default="",
        help=(
            "comma-separated figures to leave out: raw (the wide raw sqlite3 rows), fixtures, "
            "ceiling (the pre-encoded import), state (state questions and cold processes); "
            "with --postgres none, 'ceiling,state' leaves the import and replay beside their "
            "references"
        ),
    )
    parser.add_argument("--programs", type=int, default=200, help="programs asked about")
    parser.add_argument("--queries", type=int, default=2000, help="warm state questions")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold processes (median)")
    parser.add_argument("--workdir", type=Path, help="where the databases go (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--pre-encoded", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.skip = {name.strip() for name in args.skip.split(",") if name.strip()}

    if args.worker:
        gc.collect()
        print(json.dumps(WORKERS[args.worker](args)))
        return 0

    sizes = [1000] if args.small else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.small:
        args.programs, args.queries, args.cold_runs = 20, 100, 1
    args.fixture_size = sizes[0] if args.small else 10_000
    if args.es:
        try:
            import eventsourcing  # noqa: F401
        except ImportError:
            print("eventsourcing is not installed (pip install '.[bench]'): skipping it")
            args.es = False
    args.pg_url = None if args.postgres.lower() == "none" else args.postgres
    if args.pg_url is not None:
        problem = _postgres_reachable(args.pg_url)
        if problem is not None:
            print(f"PostgreSQL unreachable ({problem}): no PostgreSQL figures")
            args.pg_url = None

    print(f"machine: {machine()}")
    print("command: " + " ".join(["python", "benchmarks/bench_ledger.py", *(argv or sys.argv[1:])]))
    owned = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="bench-ledger-")) if owned else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in sizes:
            results.append(measure(n, args, workdir))
            print(f"after {n:,} events: load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    finally:
        if owned and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(results, args.markdown)
    for r in results:
        if "cold_how" in r:
            print(f"cold state at {r['n']:,} ran as: {r['cold_how']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

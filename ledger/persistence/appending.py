"""Appending to the chain: placing events at its head, once each, in one transaction.

Part of :class:`~ledger.persistence.store.EventStore` (a base class of it, kept apart to keep
each module readable): duplicate ids, expected stream versions, recorded times that never go
backwards, and the hash that links each event to the one before.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeAlias

import attrs
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ledger.dates.recorded import CLOCK_SKEW
from ledger.domain.events import Event
from ledger.errors import ConcurrencyError, DuplicateEventError, EventError, LedgerError
from ledger.persistence import canonical as c
from ledger.persistence.bulk import Bulk, Chunk, Tip
from ledger.persistence.collector import BULK_READ_THRESHOLD, gc_eased, gc_paused
from ledger.persistence.mapper import Encoded, Mapper
from ledger.persistence.recorder import Recorder
from ledger.persistence.schema import format_utc, to_utc
from ledger.persistence.written import WrittenIds

ExpectedVersion: TypeAlias = int | Mapping[str, int] | None

IMPORT_BATCH_SIZE = 100_000
"""Events per transaction of a bulk import: on a large ledger, each commit writes every index
page the batch touched, so fewer, larger commits write each page fewer times."""
ENCODE_CHUNK = 5_000
"""Events encoded and written at a time by a bulk import, however large its transactions:
it holds one such chunk."""
OFFLOAD_MIN_CHUNK = 1_000
"""Where a second process could write a bulk import (see :mod:`offload`), its first chunk
holds this many events, and a full one starts the writer: a chunk of a second's worth would
stay in both processes' heaps (their pools keep what it took) for the whole import."""


class _LostRace(Exception):
    """A unique key fired inside an append: another writer committed first."""

    def __init__(self, versions: dict[str, int]) -> None:
        super().__init__("lost a race with another writer")
        self.versions = versions


class Appending:
    """The write path of the store; the store provides what is declared here."""

    engine: Engine
    _mapper: Mapper
    _recorder: Recorder
    begin: Callable[..., AbstractContextManager[Connection]]
    connect: Callable[[], AbstractContextManager[Connection]]
    _now: Callable[[], datetime]
    _head_row: Callable[[Connection], tuple[int, str, str]]
    _rows_by_id: Callable[[Connection, Sequence[str]], dict[str, Sequence[Any]]]

    def append(
        self,
        events: Event | Iterable[Event],
        expected_version: ExpectedVersion = None,
        *,
        new: list[Event] | None = None,
    ) -> list[Event]:
        """Append events atomically; returns them as recorded (sequence, position, time).

        All or nothing, in one transaction. An event whose id is already recorded with the
        same content is a no-op (the recorded one is returned); with other content it raises
        DuplicateEventError. ``expected_version`` is the version (number of events) each
        stream must be at: an int when all events share one stream, else a mapping from
        stream to version; a stale one raises ConcurrencyError. An event's own recorded_at
        is kept if it is not earlier than the ledger's newest (EventError otherwise);
        missing ones are stamped from the clock (never earlier than the newest).
        ``new``, if given, receives those this transaction wrote: what was new is known only
        inside it, since another writer may record the same events between a reader's look
        at the head and this append.
        """
        batch = [events] if isinstance(events, Event) else list(events)
        recorded: list[Event] = []
        self._append(batch, expected_version, recorded, new)
        return recorded

    def extend(self, events: Iterable[Event], *, batch_size: int = IMPORT_BATCH_SIZE) -> int:
        """Bulk import: append in batches of ``batch_size``, each its own transaction.

        Returns how many events were newly recorded. Re-running an interrupted import
        completes it: events already recorded are skipped by id. Events are read, encoded
        and written :data:`ENCODE_CHUNK` at a time inside a batch's transaction, so memory
        stays at one chunk whatever the batch size. An import of more than one full chunk
        into a SQLite file is written by a second process while this one encodes
        (:mod:`ledger.persistence.offload`): same transactions, same errors.
        """
        if batch_size < 1:
            raise EventError(f"batch_size must be positive, not {batch_size}")
        chunks = _Chunks(iter(events), batch_size, self._mapper.to_row)
        offloadable = False
        if batch_size >= OFFLOAD_MIN_CHUNK:
            from ledger.persistence import offload

            offloadable = offload.available(self)
            if offloadable:
                chunks.size = OFFLOAD_MIN_CHUNK
        first = next(chunks, None)
        if first is None:
            return 0
        # A full first chunk is the sign of a large import (more may follow: they are not
        # read ahead, the caller's iterator being read only as the events are written).
        if offloadable and first.taken == OFFLOAD_MIN_CHUNK:
            # The writer cannot see the caller's iterator end after a batch's last chunk:
            # it is told, so that the batch's commit leaves its copy to the index builds.
            chunks.look_ahead = True
            # The canonical bytes (half of what would be sent) and the recorded times'
            # texts are made there too.
            chunks.encode = partial(self._mapper.to_row, whole=False)
            # Smaller chunks: the writer's work after the last one waits for nothing else.
            chunks.size = offload.CHUNK
            return offload.ImportWriter(self).write(first, chunks, self._clock_text)
        chunks.size = ENCODE_CHUNK
        # Only an import whose first chunk is full (more may follow) defers the indexes:
        # dropping and building them again costs PostgreSQL some 30 ms, more than the
        # upkeep of a few thousand rows.
        large = first.taken >= OFFLOAD_MIN_CHUNK and first.taken == min(batch_size, ENCODE_CHUNK)
        return self._write_chunks(itertools.chain([first], chunks), defer=large)

    def _clock_text(self) -> str:
        """The clock's time as stored text (read for a chunk whose events have no times)."""
        return format_utc(to_utc(self._now()))

    def _write_chunks(self, chunks: Iterator[Chunk], *, defer: bool = True) -> int:
        """Write encoded chunks, a transaction per batch; the indexes a first batch into an
        empty ledger dropped (``defer``: a large import, see :data:`OFFLOAD_MIN_CHUNK`) are
        built again however the import ends."""
        recorded = 0
        bulk = Bulk()
        try:
            for first in chunks:
                recorded += self._extend_batch(first, chunks, bulk, defer)
        finally:
            if bulk.deferred:
                with self.begin(lock=False) as conn:
                    self._recorder.restore_indexes(conn)
        if recorded:
            with self.begin(lock=False) as conn:
                self._recorder.after_import(conn, recorded)
        return recorded

    def _extend_batch(self, first: Chunk, rest: Iterator[Chunk], bulk: Bulk, defer: bool) -> int:
        """One transaction: ``first`` and the chunks of ``rest`` up to the one ending the batch.

        A chunk's error (an event that cannot be stored) is raised where the chunk is
        reached, inside the batch's transaction. A second thread encoding the next chunk
        only waited for this one's GIL (10^5 events: 39-42 us an event inline against 42-55
        us so); a second process does not (:mod:`ledger.persistence.offload`, which runs
        this loop over the chunks it is sent).
        """
        chunk: Chunk | None = first
        recorded = 0
        fresh: list[Encoded] = []
        try:
            with self.begin() as conn:
                tip = bulk.starting(*self._head_row(conn))
                if defer and not bulk.deferred and tip.position == 0:
                    bulk.deferred = self._recorder.defer_indexes(conn)
                written = bulk.written
                lifted = self._recorder.suspend_insert_guard(conn)
                while chunk is not None:
                    fresh = []
                    with gc_paused():
                        # Later chunks see the earlier ones as recorded: a repeated id is
                        # found here like one recorded by an earlier transaction.
                        stored = self._recorded(conn, chunk.unique, written)
                        self._place(conn, chunk.unique, {}, fresh, stored, written, tip, chunk.now)
                    recorded += len(fresh)
                    if chunk.ends_batch:
                        ends_import = chunk.last
                        chunk = None
                    else:
                        chunk = next(rest, None)
                        ends_import = chunk is None
                    if ends_import and bulk.deferred:
                        # Its indexes are built next, beside the log's copy.
                        self._recorder.hold_checkpoint(conn)
                if lifted is not None:
                    self._recorder.restore_insert_guard(conn, lifted)
            bulk.tip = tip
        except _LostRace as race:
            raise self._lost_race(fresh, race.versions) from race.__cause__
        return recorded

    def _append(
        self,
        batch: list[Event],
        expected_version: ExpectedVersion,
        out: list[Event] | None,
        new: list[Event] | None = None,
    ) -> int:
        if not batch:
            return 0
        expected = _expected_map(batch, expected_version)
        with gc_paused():
            return self._append_encoded(
                [self._mapper.to_row(event) for event in batch], expected, out, new
            )

    def _append_encoded(
        self,
        encoded: list[Encoded],
        expected: dict[str, int],
        out: list[Event] | None,
        new: list[Event] | None = None,
    ) -> int:
        unique = _unique(encoded)
        fresh: list[Encoded] = []
        try:
            with self.begin() as conn:
                stored = self._place(conn, unique, expected, fresh)
        except _LostRace as race:
            # Rolled back; only now may another connection look at what the winner wrote.
            raise self._lost_race(fresh, race.versions) from race.__cause__
        if out is not None:
            times: dict[str, datetime] = {}
            for key, enc in unique.items():
                if key in stored:
                    out.append(self._mapper.to_event(stored[key]))
                    continue
                assert enc.event is not None  # encoded here, from the events given
                row = enc.row
                stamp = row[c.RECORDED_AT]
                when = times.get(stamp)
                if when is None:
                    when = times[stamp] = datetime.fromisoformat(stamp)
                written = attrs.evolve(
                    enc.event, sequence=row[c.SEQUENCE], position=row[c.POSITION], recorded_at=when
                )
                out.append(written)
                if new is not None:
                    new.append(written)
        return len(fresh)

    def _place(
        self,
        conn: Connection,
        unique: dict[str, Encoded],
        expected: dict[str, int],
        fresh: list[Encoded],
        stored: dict[str, Sequence[Any]] | None = None,
        written: WrittenIds | None = None,
        tip: Tip | None = None,
        now: str | None = None,
    ) -> dict[str, Sequence[Any]]:
        """Write the events not yet recorded (collected in ``fresh``) in the open transaction.

        Returns the stored rows of those already recorded (``stored``, if already looked up
        by :meth:`_recorded`). ``written``: see ``_recorded``; ``tip``: the chain's head and
        stream versions as this transaction knows them (read when unknown, carried on when
        written); ``now``: the clock's time for events without one (None: read it here).
        """
        if stored is None:
            stored = self._recorded(conn, unique, written)
        for key, enc in unique.items():
            row = stored.get(key)
            if row is None:
                fresh.append(enc)
            elif c.content_of_row(row) != enc.content:
                raise DuplicateEventError(uuid.UUID(enc.row[c.ID]))
        if fresh:
            self._write(conn, fresh, expected, tip, now)
        if written is not None:
            written.update(enc.row[c.ID] for enc in fresh)
        return stored

    def _recorded(
        self, conn: Connection, unique: dict[str, Encoded], written: WrittenIds | None = None
    ) -> dict[str, Sequence[Any]]:
        """The stored rows of the events of ``unique`` already recorded. ``written``: when a
        bulk import is the ledger's only writer since it was empty, the ids it wrote; only
        the ids it may hold can be recorded, so only those are looked up."""
        ids = list(unique) if written is None else [key for key in unique if key in written]
        return self._rows_by_id(conn, ids) if ids else {}

    def _write(
        self,
        conn: Connection,
        fresh: list[Encoded],
        expected: dict[str, int],
        tip: Tip | None = None,
        now: str | None = None,
    ) -> None:
        """Place ``fresh`` at the head of the chain and insert it."""
        streams = {e.row[c.STREAM] for e in fresh} | set(expected)
        if tip is None:
            position, prev_hex, newest = self._head_row(conn)
            versions = self._recorder.stream_versions(conn, streams)
        else:
            position, prev_hex, newest = tip.position, tip.prev_hash, tip.newest
            known = tip.versions
            unknown = () if tip.complete else streams - known.keys()
            if unknown:
                found = self._recorder.stream_versions(conn, unknown)
                known.update((stream, found.get(stream, 0)) for stream in unknown)
            versions = {stream: v for stream in streams if (v := known.get(stream, 0))}
        for stream, version in expected.items():
            actual = versions.get(stream, 0)
            if actual != version:
                raise ConcurrencyError(stream, version, actual)
        base = dict(versions)
        now_text = ""
        if any(enc.stamp is None for enc in fresh):
            now_text = self._clock_text() if now is None else now
        # Given times may not run ahead of the clock (the system's, or the injected one when
        # it was read and is later): one far ahead would hold every later append there.
        latest = datetime.now(UTC)
        if now_text:
            latest = max(latest, datetime.fromisoformat(now_text))
        future = format_utc(latest + CLOCK_SKEW)
        prev = bytes.fromhex(prev_hex)
        seal = self._mapper.seal
        subject_rows: list[tuple[str, int]] = []
        for enc in fresh:
            stamp = enc.stamp
            if stamp is None:
                stamp = now_text if now_text >= newest else newest
            elif stamp > future or stamp < newest:
                raise _refused_stamp(enc, stamp, newest, future)
            newest = stamp
            position += 1
            stream = enc.row[c.STREAM]
            sequence = versions.get(stream, 0) + 1
            versions[stream] = sequence
            prev = seal(enc, position, sequence, stamp, prev)
            for subject in enc.subjects:
                subject_rows.append((subject, position))
        try:
            self._recorder.insert(conn, [enc.row for enc in fresh], subject_rows)
        except (DBAPIError, self._recorder.dbapi_error) as e:
            if _is_unique_violation(e):
                raise _LostRace(base) from e
            raise
        if tip is not None:
            tip.position, tip.prev_hash, tip.newest = position, prev.hex(), newest
            tip.versions.update(versions)

    def _lost_race(self, fresh: list[Encoded], base: dict[str, int]) -> LedgerError:
        """The error for a unique key that fired: another writer got past the lock first."""
        with self.connect() as conn:
            now = self._recorder.stream_versions(conn, {e.row[c.STREAM] for e in fresh})
            taken = self._rows_by_id(conn, [e.row[c.ID] for e in fresh])
        for enc in fresh:
            if enc.row[c.ID] in taken:
                return DuplicateEventError(uuid.UUID(enc.row[c.ID]))
        for stream, version in base.items():
            if now.get(stream, 0) != version:
                return ConcurrencyError(stream, version, now.get(stream, 0))
        stream = fresh[0].row[c.STREAM]
        version = base.get(stream, 0)
        return ConcurrencyError(stream, version, now.get(stream, version))


class _Chunks:
    """The caller's events encoded, :data:`ENCODE_CHUNK` at a time, each chunk marked with
    whether it ends its batch (a transaction of ``batch_size`` events).

    With ``look_ahead`` set, a chunk that ends a batch also says whether it is the import's
    last: one event is read ahead to know, and an error the caller's iterator raises there
    is raised where that event would have been read.
    """

    def __init__(
        self, events: Iterator[Event], batch_size: int, encode: Callable[[Event], Encoded]
    ) -> None:
        self._events = events
        self._batch_size = batch_size
        self.encode = encode
        self.size = ENCODE_CHUNK
        self._taken = 0
        self._ahead: list[Event] = []
        self._failed: Exception | None = None
        self.look_ahead = False

    def __iter__(self) -> _Chunks:
        return self

    def __next__(self) -> Chunk:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed
        size = min(self._batch_size - self._taken, self.size)
        raw = self._ahead + list(itertools.islice(self._events, size - len(self._ahead)))
        self._ahead = []
        if not raw:
            raise StopIteration
        self._taken += len(raw)
        ends = self._taken >= self._batch_size
        last = False
        if ends:
            self._taken = 0
            if self.look_ahead:
                try:
                    self._ahead = [next(self._events)]
                except StopIteration:
                    last = True
                except Exception as e:  # raised when the next chunk is asked for
                    self._failed = e
        with gc_paused():
            unique = _unique([self.encode(event) for event in raw])
        return Chunk(unique, len(raw), ends, last)


def _unique(encoded: list[Encoded]) -> dict[str, Encoded]:
    """The encoded events by id; an id given twice with different content is an error."""
    unique: dict[str, Encoded] = {}
    for enc in encoded:
        key = enc.row[c.ID]
        first = unique.get(key)
        if first is None:
            unique[key] = enc
        elif (first.content or Mapper.content(first.row)) != (
            enc.content or Mapper.content(enc.row)
        ):
            raise DuplicateEventError(uuid.UUID(key))
    return unique


def _refused_stamp(enc: Encoded, stamp: str, newest: str, future: str) -> EventError:
    """Why an event's own recorded time cannot be stored next (ahead of the clock, or
    earlier than the newest recorded time)."""
    event_id = enc.row[c.ID]
    if stamp > future:
        return EventError(
            f"event {event_id}: recorded_at {stamp} is in the future (more than "
            f"{CLOCK_SKEW} ahead of the clock): a ledger cannot have learned it yet"
        )
    return EventError(
        f"event {event_id}: recorded_at {stamp} is earlier than the newest recorded "
        f"time in the ledger ({newest}); recorded time never goes backwards"
    )


def _expected_map(batch: Sequence[Event], expected: ExpectedVersion) -> dict[str, int]:
    if expected is None:
        return {}
    if isinstance(expected, int) and not isinstance(expected, bool):
        streams = {event.stream for event in batch}
        if len(streams) != 1:
            raise EventError(
                "an int expected_version needs every event in one stream; these are in "
                f"{len(streams)} streams: pass a mapping of stream to version"
            )
        return {streams.pop(): expected}
    if isinstance(expected, Mapping):
        result = dict(expected)
        for stream, version in result.items():
            if not isinstance(version, int) or isinstance(version, bool) or version < 0:
                raise EventError(f"expected version of {stream!r} must be a count, not {version!r}")
        return result
    raise EventError(f"expected_version must be an int or a mapping, not {expected!r}")


def _is_unique_violation(error: BaseException) -> bool:
    orig = getattr(error, "orig", None) or error
    message = str(orig).lower()
    # SQLite's insert trigger (schema.REPLACE_REFUSAL) fires before the unique keys would.
    return "unique" in message or "duplicate key" in message or "primary key" in message


__all__ = [
    "BULK_READ_THRESHOLD",
    "ENCODE_CHUNK",
    "IMPORT_BATCH_SIZE",
    "Appending",
    "ExpectedVersion",
    "gc_eased",
    "gc_paused",
]

"""The append-only, bitemporal, hash-chained event store, on SQLAlchemy Core.

Writers are serialized (SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE
MODE``), so global positions are assigned gap-free in commit order and each event's hash can
chain onto the previous one inside the same transaction. Readers never block and never see a
gap: position ``n + 1`` is only assigned after ``n`` has committed.
"""

from __future__ import annotations

import gc
import itertools
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import pendulum
from sqlalchemy import (
    Connection,
    Engine,
    Select,
    bindparam,
    insert,
    inspect,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import NullType

from ledger.domain.events import Event
from ledger.errors import (
    ConcurrencyError,
    DuplicateEventError,
    EventError,
    ImmutableError,
    LedgerError,
    QueryError,
    SchemaVersionError,
    StoreError,
)
from ledger.persistence import canonical as c
from ledger.persistence.canonical import GENESIS_HASH
from ledger.persistence.chain import Digest, VerifyResult
from ledger.persistence.codec import DEFAULT_CODEC, Codec, Encoded
from ledger.persistence.engine import WRITE_OPTION, create_ledger_engine
from ledger.persistence.queries import DateBound, aware, event_filters
from ledger.persistence.schema import (
    DECODED_COLUMNS,
    IMMUTABLE_MESSAGE,
    SCHEMA_VERSION,
    checkpoints,
    events,
    format_utc,
    ledger_meta,
    metadata,
    to_utc,
)
from ledger.persistence.urls import resolve_url
from ledger.persistence.verify import verify_ledger

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

Clock: TypeAlias = Callable[[], datetime]
"""Returns the current time, aware (any zone; the store keeps it in UTC)."""

ExpectedVersion: TypeAlias = int | Mapping[str, int] | None

Sealer: TypeAlias = Callable[[str, int, str, bytes], bytes]
"""Binds a checkpoint's bytes to its name, position and head hash (see ``persistence.sealing``)."""

DEFAULT_PAGE_SIZE = 5000
IMPORT_BATCH_SIZE = 100_000
"""Events per transaction of a bulk import: on a large ledger, each commit writes every index
page the batch touched, so fewer, larger commits write each page fewer times."""
ENCODE_CHUNK = 10_000
"""Events held in memory at a time by a bulk import, however large its transactions."""
ANALYZE_AFTER = 10_000
"""A bulk import recording this many events refreshes PostgreSQL's planner statistics."""
_IN_CHUNK = 500  # values per IN (...) list: well under every backend's bind-parameter limit
_ID_CHUNK = 2000  # ids per existence query on the append path


def system_clock() -> datetime:
    """The current time in UTC, from the system clock."""
    return pendulum.now("UTC")


@attrs.frozen
class Checkpoint:
    """A projection's saved state, valid for the ledger up to ``position`` (whose hash it keeps)."""

    name: str
    position: int
    head_hash: str
    state: bytes
    updated_at: datetime


def _raw(column: Any) -> Any:
    # The driver's own value, without type processing: faster, and verification must see
    # exactly what is stored (a processor could normalise a tampered value back).
    return type_coerce(column, NullType()).label(column.name)


_ALL = [_raw(col) for col in events.columns]
_DECODED = [_raw(events.c[name]) for name in DECODED_COLUMNS]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while building many acyclic objects (it costs ~40% there)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _chunks(values: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


class _LostRace(Exception):
    """A unique key fired inside an append: another writer committed first."""

    def __init__(self, versions: dict[str, int]) -> None:
        super().__init__("lost a race with another writer")
        self.versions = versions


class EventStore:
    """Appends events to the chain and reads them back, on one SQLAlchemy engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        codec: Codec | None = None,
    ) -> None:
        self.engine = engine
        self._clock = clock or system_clock
        self._codec = codec or DEFAULT_CODEC
        self._postgres = engine.dialect.name == "postgresql"
        self._dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error
        quote = engine.dialect.identifier_preparer.quote
        names = ", ".join(quote(col.name) for col in events.columns)
        marks = ", ".join("?" for _ in events.columns)
        self._insert_events = f"INSERT INTO events ({names}) VALUES ({marks})"
        self._insert_subjects = "INSERT INTO event_subjects (subject, position) VALUES (?, ?)"
        self._copy_events = f"COPY events ({names}) FROM STDIN"
        self._copy_subjects = "COPY event_subjects (subject, position) FROM STDIN"
        self._ensure_schema()

    @classmethod
    def open(cls, url: str | URL | None = None, *, clock: Clock | None = None) -> EventStore:
        """Open (creating on first use) the ledger at ``url``; see ``resolve_url``."""
        resolved = url if isinstance(url, URL) else resolve_url(url)
        engine = create_ledger_engine(resolved)
        try:
            return cls(engine, clock=clock)
        except BaseException:
            engine.dispose()
            raise

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # --- connections ------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read connection; database errors come out as ledger errors."""
        with self._translated(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def begin(self, *, lock: bool = True) -> Iterator[Connection]:
        """A write transaction holding the writers' lock, committed when the block ends."""
        with self._translated(), self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if lock and self._postgres:
                    conn.exec_driver_sql("LOCK TABLE events IN EXCLUSIVE MODE")
                yield conn

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except LedgerError:
            raise
        except DBAPIError as e:
            raise self._translate(e.orig if e.orig is not None else e) from e
        except self._dbapi_error as e:
            raise self._translate(e) from e
        except UnicodeEncodeError as e:
            # Undecodable bytes of a command line arrive as lone surrogates: text that no
            # database driver can send, to store or to look up.
            text = e.object if isinstance(e.object, str) else ""
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise QueryError(
                f"{shown!r} is not valid Unicode (it holds a lone surrogate, such as "
                "undecodable bytes): the ledger can neither store it nor look it up"
            ) from e

    def _translate(self, error: BaseException) -> LedgerError:
        message = str(error).strip() or type(error).__name__
        first = message.splitlines()[0]
        if IMMUTABLE_MESSAGE in message:
            return ImmutableError(first)
        if "database is locked" in message:
            return StoreError(
                "the database stayed locked by another writer for too long; try again"
            )
        return StoreError(f"database error: {first}")

    # --- schema -----------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        with self.connect() as conn:
            found = self._schema_version(conn)
        if found is None:
            with self.begin(lock=False) as conn:
                if self._postgres:
                    # Two processes opening a new database must not both create it.
                    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()))"))
                found = self._schema_version(conn)
                if found is None:
                    self._create_schema(conn)
                    return
        if found != str(SCHEMA_VERSION):
            raise SchemaVersionError(found, SCHEMA_VERSION)

    @staticmethod
    def _schema_version(conn: Connection) -> str | None:
        if not inspect(conn).has_table("ledger_meta"):
            return None
        value = conn.execute(
            select(ledger_meta.c.value).where(ledger_meta.c.key == "schema_version")
        ).scalar()
        return "missing" if value is None else str(value)

    @staticmethod
    def _create_schema(conn: Connection) -> None:
        if inspect(conn).has_table("events"):
            raise StoreError(
                "the database has an events table but no ledger_meta table: "
                "it was not written by this ledger"
            )
        metadata.create_all(conn)
        conn.execute(
            insert(ledger_meta),
            [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "hash", "value": "sha256(prev_hash bytes + canonical JSON bytes)"},
            ],
        )

    # --- writing ----------------------------------------------------------------------------

    def append(
        self, events: Event | Iterable[Event], expected_version: ExpectedVersion = None
    ) -> list[Event]:
        """Append events atomically; returns them as recorded (sequence, position, time).

        All or nothing, in one transaction. An event whose id is already recorded with the
        same content is a no-op (the recorded one is returned); with other content it raises
        DuplicateEventError. ``expected_version`` is the version (number of events) each
        stream must be at: an int when all events share one stream, else a mapping from
        stream to version; a stale one raises ConcurrencyError. An event's own recorded_at
        is kept if it is not earlier than the ledger's newest (EventError otherwise);
        missing ones are stamped from the clock (never earlier than the newest).
        """
        batch = [events] if isinstance(events, Event) else list(events)
        recorded: list[Event] = []
        self._append(batch, expected_version, recorded)
        return recorded

    def extend(self, events: Iterable[Event], *, batch_size: int = IMPORT_BATCH_SIZE) -> int:
        """Bulk import: append in batches of ``batch_size``, each its own transaction.

        Returns how many events were newly recorded. Re-running an interrupted import
        completes it: events already recorded are skipped by id. Events are read, encoded
        and written :data:`ENCODE_CHUNK` at a time inside a batch's transaction, so memory
        stays at one chunk whatever the batch size.
        """
        if batch_size < 1:
            raise EventError(f"batch_size must be positive, not {batch_size}")
        iterator = iter(events)
        recorded = 0
        while first := list(itertools.islice(iterator, min(batch_size, ENCODE_CHUNK))):
            recorded += self._extend_batch(first, iterator, batch_size)
        if self._postgres and recorded >= ANALYZE_AFTER:
            # Without fresh statistics PostgreSQL plans the paged reads of a just-imported
            # table as small bitmap scans, rereading every remaining row for each page.
            with self.begin(lock=False) as conn:
                conn.exec_driver_sql("ANALYZE events, event_subjects")
        return recorded

    def _extend_batch(self, first: list[Event], rest: Iterator[Event], batch_size: int) -> int:
        """One transaction: ``first`` and then more of ``rest``, up to ``batch_size`` events."""
        encode = self._codec.encode
        with _gc_paused():
            unique = _unique([encode(event) for event in first])
        taken = len(first)
        recorded = 0
        fresh: list[Encoded] = []
        try:
            with self.begin() as conn:
                while True:
                    fresh = []
                    with _gc_paused():
                        self._place(conn, unique, {}, fresh)
                    recorded += len(fresh)
                    room = batch_size - taken
                    chunk = list(itertools.islice(rest, min(room, ENCODE_CHUNK))) if room else []
                    if not chunk:
                        break
                    taken += len(chunk)
                    # Later chunks see the earlier ones as recorded: a repeated id is
                    # found by _place like one recorded by an earlier transaction.
                    with _gc_paused():
                        unique = _unique([encode(event) for event in chunk])
        except _LostRace as race:
            raise self._lost_race(fresh, race.versions) from race.__cause__
        return recorded

    def _append(
        self, batch: list[Event], expected_version: ExpectedVersion, out: list[Event] | None
    ) -> int:
        if not batch:
            return 0
        expected = _expected_map(batch, expected_version)
        with _gc_paused():
            return self._append_encoded(
                [self._codec.encode(event) for event in batch], expected, out
            )

    def _append_encoded(
        self, encoded: list[Encoded], expected: dict[str, int], out: list[Event] | None
    ) -> int:
        unique = _unique(encoded)
        fresh: list[Encoded] = []
        try:
            with self.begin() as conn:
                stored, stamps = self._place(conn, unique, expected, fresh)
        except _LostRace as race:
            # Rolled back; only now may another connection look at what the winner wrote.
            raise self._lost_race(fresh, race.versions) from race.__cause__
        if out is not None:
            for key, enc in unique.items():
                if key in stored:
                    out.append(self._codec.decode(stored[key]))
                else:
                    row = enc.row
                    out.append(
                        attrs.evolve(
                            enc.event,
                            sequence=row[c.SEQUENCE],
                            position=row[c.POSITION],
                            recorded_at=stamps[row[c.RECORDED_AT]],
                        )
                    )
        return len(fresh)

    def _place(
        self,
        conn: Connection,
        unique: dict[str, Encoded],
        expected: dict[str, int],
        fresh: list[Encoded],
    ) -> tuple[dict[str, Sequence[Any]], dict[str, datetime]]:
        """Write the events not yet recorded (collected in ``fresh``) in the open transaction.

        Returns the stored rows of those already recorded and the recorded times used.
        """
        stored = self._rows_by_id(conn, list(unique))
        for key, enc in unique.items():
            row = stored.get(key)
            if row is None:
                fresh.append(enc)
            elif c.content_of_row(row) != enc.content:
                raise DuplicateEventError(enc.event.id)
        stamps = self._write(conn, fresh, expected) if fresh else {}
        return stored, stamps

    def _write(
        self, conn: Connection, fresh: list[Encoded], expected: dict[str, int]
    ) -> dict[str, datetime]:
        """Place ``fresh`` at the head of the chain and insert it; returns the stamps used."""
        position, prev_hex, newest = self._head_row(conn)
        versions = self._stream_versions(conn, {e.row[c.STREAM] for e in fresh} | set(expected))
        for stream, version in expected.items():
            actual = versions.get(stream, 0)
            if actual != version:
                raise ConcurrencyError(stream, version, actual)
        base = dict(versions)
        stamps: dict[str, datetime] = {}
        now_text = ""
        if any(enc.event.recorded_at is None for enc in fresh):
            now = to_utc(self._now())
            now_text = format_utc(now)
            stamps[now_text] = now
        prev = bytes.fromhex(prev_hex)
        seal = self._codec.seal
        subject_rows: list[tuple[str, int]] = []
        for enc in fresh:
            given = enc.event.recorded_at
            if given is None:
                stamp = now_text if now_text >= newest else newest
            else:
                stamp = self._given_stamp(enc, given, newest, stamps)
            newest = stamp
            position += 1
            stream = enc.row[c.STREAM]
            sequence = versions.get(stream, 0) + 1
            versions[stream] = sequence
            prev = seal(enc, position, sequence, stamp, prev)
            for subject in enc.subjects:
                subject_rows.append((subject, position))
        for enc in fresh:
            stamp = enc.row[c.RECORDED_AT]
            if stamp not in stamps:
                stamps[stamp] = datetime.fromisoformat(stamp)
        try:
            self._insert(conn, [enc.row for enc in fresh], subject_rows)
        except (DBAPIError, self._dbapi_error) as e:
            if _is_unique_violation(e):
                raise _LostRace(base) from e
            raise
        return stamps

    def _given_stamp(
        self, enc: Encoded, given: datetime, newest: str, stamps: dict[str, datetime]
    ) -> str:
        if type(given) is datetime and given.tzinfo is UTC:
            utc = given  # already what to_utc would rebuild: skip the rebuild (import path)
        else:
            try:
                utc = to_utc(given)
            except (ValueError, TypeError, AttributeError) as e:
                raise EventError(f"event {enc.event.id}: recorded_at {given!r}: {e}") from e
        stamp = format_utc(utc)
        if stamp < newest:
            raise EventError(
                f"event {enc.event.id}: recorded_at {stamp} is earlier than the newest recorded "
                f"time in the ledger ({newest}); recorded time never goes backwards"
            )
        stamps[stamp] = utc
        return stamp

    def _now(self) -> datetime:
        now = self._clock()
        if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
            raise EventError(f"the clock returned {now!r}, not an aware datetime")
        return now

    def _insert(
        self, conn: Connection, rows: list[list[Any]], subject_rows: list[tuple[str, int]]
    ) -> None:
        driver = conn.connection.driver_connection
        assert driver is not None
        if self._postgres:
            # COPY is several times faster than executemany on PostgreSQL.
            with driver.cursor() as cursor:
                with cursor.copy(self._copy_events) as copy:
                    for row in rows:
                        copy.write_row(row)
                with cursor.copy(self._copy_subjects) as copy:
                    for subject_row in subject_rows:
                        copy.write_row(subject_row)
            return
        cursor = driver.cursor()
        try:
            cursor.executemany(self._insert_events, rows)
            cursor.executemany(self._insert_subjects, subject_rows)
        finally:
            cursor.close()

    def _lost_race(self, fresh: list[Encoded], base: dict[str, int]) -> LedgerError:
        """The error for a unique key that fired: another writer got past the lock first."""
        with self.connect() as conn:
            now = self._stream_versions(conn, {e.row[c.STREAM] for e in fresh})
            taken = self._rows_by_id(conn, [e.row[c.ID] for e in fresh])
        for enc in fresh:
            if enc.row[c.ID] in taken:
                return DuplicateEventError(enc.event.id)
        for stream, version in base.items():
            if now.get(stream, 0) != version:
                return ConcurrencyError(stream, version, now.get(stream, 0))
        stream = fresh[0].row[c.STREAM]
        version = base.get(stream, 0)
        return ConcurrencyError(stream, version, now.get(stream, version))

    def _head_row(self, conn: Connection) -> tuple[int, str, str]:
        row = conn.execute(
            select(_raw(events.c.position), _raw(events.c.hash), _raw(events.c.recorded_at))
            .order_by(events.c.position.desc())
            .limit(1)
        ).first()
        if row is None:
            return 0, GENESIS_HASH, ""
        return int(row[0]), str(row[1]), c.recorded_text(row[2])

    def _stream_versions(self, conn: Connection, streams: Collection[str]) -> dict[str, int]:
        """The version (last sequence) of each stream that has events.

        One index seek per stream: a correlated max() is answered from the end of the
        (stream, sequence) key, where GROUP BY would scan every event of the stream.
        """
        found: dict[str, int] = {}
        ordered = sorted(streams)
        if self._postgres:
            query = (
                "SELECT s.stream, (SELECT max(e.sequence) FROM events e WHERE e.stream = s.stream)"
                " FROM unnest(%s::text[]) AS s(stream)"
            )
            chunks: Iterator[Any] = ((list(chunk),) for chunk in _chunks(ordered, _ID_CHUNK))
        else:
            chunks = (tuple(chunk) for chunk in _chunks(ordered))
        for params in chunks:
            if not self._postgres:
                values = ",".join("(?)" for _ in params)
                query = (
                    f"WITH s(stream) AS (VALUES {values}) SELECT s.stream, "
                    "(SELECT max(e.sequence) FROM events e WHERE e.stream = s.stream) FROM s"
                )
            for stream, version in conn.exec_driver_sql(query, params):
                if version is not None:
                    found[stream] = int(version)
        return found

    def _rows_by_id(self, conn: Connection, ids: Sequence[str]) -> dict[str, Sequence[Any]]:
        """The stored rows with these ids (usually none: the common case is kept cheap)."""
        present: list[str] = []
        if self._postgres:
            query = "SELECT id::text FROM events WHERE id = ANY(%s::uuid[])"
            for chunk in _chunks(ids, _ID_CHUNK):
                present += [r[0] for r in conn.exec_driver_sql(query, (list(chunk),))]
        else:
            for chunk in _chunks(ids, _ID_CHUNK):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id FROM events WHERE id IN ({marks})"
                present += [r[0] for r in conn.exec_driver_sql(query, tuple(chunk))]
        found: dict[str, Sequence[Any]] = {}
        if present:
            full = select(*_ALL).where(events.c.id.in_(bindparam("ids", expanding=True)))
            for chunk in _chunks(present):
                for row in conn.execute(full, {"ids": list(chunk)}):
                    found[str(row[c.ID])] = row
        return found

    # --- reading ----------------------------------------------------------------------------

    def head(self) -> int:
        """The position of the newest event (0 for an empty ledger), also the event count."""
        with self.connect() as conn:
            return self._head_row(conn)[0]

    def digest(self) -> Digest:
        """The head of the chain (position and hash) that a historian can publish."""
        with self.connect() as conn:
            position, hash_hex, _ = self._head_row(conn)
        return Digest(position, hash_hex)

    def stream_version(self, stream: str) -> int:
        """How many events ``stream`` holds (the version to pass as expected_version)."""
        with self.connect() as conn:
            return self._stream_versions(conn, [stream]).get(stream, 0)

    def get(self, event_id: uuid.UUID | str) -> Event | None:
        """The recorded event with this id, or None."""
        try:
            key = str(uuid.UUID(str(event_id)))
        except ValueError as e:
            raise QueryError(f"{event_id!r} is not an event id (a UUID)") from e
        with self.connect() as conn:
            row = conn.execute(select(*_DECODED).where(events.c.id == key)).first()
        return None if row is None else self._codec.decode(row)

    def events_at(self, positions: Iterable[int]) -> list[Event]:
        """The events at these positions, in ledger order (positions past the head are
        passed over)."""
        wanted = sorted(set(positions))
        rows: list[Sequence[Any]] = []
        with self.connect() as conn:
            for chunk in _chunks(wanted):
                result = conn.execute(select(*_DECODED).where(events.c.position.in_(chunk)))
                rows += result.all()
        rows.sort(key=lambda row: int(row[c.POSITION]))
        with _gc_paused():
            return self._codec.decode_all(rows)

    def stream(self, name: str, known_at: datetime | None = None) -> list[Event]:
        """The events of one stream in sequence order (as known at ``known_at``, if given)."""
        query = select(*_DECODED).where(events.c.stream == name)
        if known_at is not None:
            query = query.where(events.c.recorded_at <= aware(known_at))
        with self.connect() as conn:
            rows = conn.execute(query.order_by(events.c.sequence)).fetchall()
        with _gc_paused():
            return self._codec.decode_all(rows)

    def iter_events(
        self,
        *,
        after: int = 0,
        subject: str | Collection[str] | None = None,
        types: Iterable[str | type[Event]] | None = None,
        valid_from: DateBound | None = None,
        valid_to: DateBound | None = None,
        known_at: datetime | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[Event]:
        """Events in global order after position ``after``, read page by page.

        Filters: ``subject`` (events about that entity or any of those entities: their stream
        or subjects), ``types`` (type names or classes), a valid-time window (events that
        certainly or possibly happened between ``valid_from`` and ``valid_to``; open or
        unknown bounds count as possible), and ``known_at`` (only what the ledger had
        recorded by then). Memory stays at one page; the iteration ends at the head the
        ledger had when it started.
        """
        if page_size < 1:
            raise QueryError(f"page_size must be positive, not {page_size}")
        conditions = event_filters(self._codec, subject, types, valid_from, valid_to, known_at)
        with self.connect() as conn:
            until = self._head_row(conn)[0]
        query = (
            select(*_DECODED)
            .where(events.c.position > bindparam("after"), events.c.position <= until, *conditions)
            .order_by(events.c.position)
            .limit(page_size)
        )
        return self._pages(query, after, page_size)

    def _pages(self, query: Select[Any], after: int, page_size: int) -> Iterator[Event]:
        last = after
        decode = self._codec.decode
        while True:
            with _gc_paused(), self.connect() as conn:
                result = conn.execute(query, {"after": last})
                # Every column is read raw (no type processing), so the driver's own tuples
                # are the rows: fetched without building a Row object for each.
                rows = result.cursor.fetchall() if result.cursor is not None else []
                result.close()
            # Decoded one at a time as the reader asks: a reader that lets each event go
            # keeps the collector's young generation small. A page decoded whole (with the
            # collector paused) left thousands of live objects for it to scan and promote.
            for row in rows:
                yield decode(row)
            if len(rows) < page_size:
                return
            last = rows[-1][c.POSITION]

    # --- verification ------------------------------------------------------------------------

    def verify(self, against: Digest | str | None = None, *, page_size: int = 2000) -> VerifyResult:
        """Walk the chain from the start and report the first position that fails.

        Checks each event's position (no gaps), its link to the previous hash, its hash
        against its stored values, and its subject index entries. With ``against`` (a
        published digest, or its text), also checks that the ledger still holds that hash at
        that position. See ``ledger.persistence.verify``.
        """
        digest = Digest.parse(against) if isinstance(against, str) else against
        return verify_ledger(self.connect, digest, page_size)

    # --- checkpoints --------------------------------------------------------------------------

    def save_checkpoint(
        self, name: str, position: int, state: bytes, *, seal: Sealer | None = None
    ) -> Checkpoint:
        """Save a projection's state as of ``position`` (replacing the previous one).

        ``seal(name, position, head_hash, state)``, if given, returns the bytes to store
        instead: the state bound to the hash of the event at ``position``.
        """
        with self.begin(lock=False) as conn:
            if position == 0:
                head_hash = GENESIS_HASH
            else:
                found = conn.execute(
                    select(events.c.hash).where(events.c.position == position)
                ).scalar()
                if found is None:
                    raise QueryError(f"no event at position {position} to checkpoint")
                head_hash = str(found)
            stored = bytes(state) if seal is None else seal(name, position, head_hash, state)
            point = Checkpoint(name, position, head_hash, stored, to_utc(self._now()))
            values = attrs.asdict(point)
            # Readers answering the same question at once save the same checkpoint: the last
            # one wins, where a delete and an insert would fail the second on the key.
            # Imported here: loading the PostgreSQL dialect costs every start ~20 ms.
            upsert: PostgresInsert | SqliteInsert
            if self._postgres:
                from sqlalchemy.dialects.postgresql import insert as postgresql_insert

                upsert = postgresql_insert(checkpoints)
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                upsert = sqlite_insert(checkpoints)
            upsert = upsert.values(**values)
            conn.execute(
                upsert.on_conflict_do_update(
                    index_elements=[checkpoints.c.name],
                    set_={key: upsert.excluded[key] for key in values if key != "name"},
                )
            )
        return point

    def load_checkpoint(self, name: str, *, bound: bool = True) -> Checkpoint | None:
        """The saved state called ``name``, or None if absent or (``bound``) no longer on the
        chain; with ``bound=False`` it is returned as stored, for the caller to judge."""
        with self.connect() as conn:
            row = conn.execute(select(checkpoints).where(checkpoints.c.name == name)).first()
            if row is None:
                return None
            point = Checkpoint(
                name=row.name,
                position=int(row.position),
                head_hash=row.head_hash,
                state=bytes(row.state),
                updated_at=row.updated_at,
            )
            if not bound:
                return point
            if point.position == 0:
                return point if point.head_hash == GENESIS_HASH else None
            current = conn.execute(
                select(events.c.hash).where(events.c.position == point.position)
            ).scalar()
        return point if current == point.head_hash else None

    def checkpoint_names(self) -> list[str]:
        """The names of every saved checkpoint, sorted."""
        with self.connect() as conn:
            query = select(checkpoints.c.name).order_by(checkpoints.c.name)
            return [str(name) for name in conn.execute(query).scalars()]

    def hash_at(self, position: int) -> str | None:
        """The stored hash of the event at ``position`` (the genesis hash at 0), or None."""
        if position == 0:
            return GENESIS_HASH
        with self.connect() as conn:
            found = conn.execute(
                select(_raw(events.c.hash)).where(events.c.position == position)
            ).scalar()
        return None if found is None else str(found)


def _unique(encoded: list[Encoded]) -> dict[str, Encoded]:
    """The encoded events by id; an id given twice with different content is an error."""
    unique: dict[str, Encoded] = {}
    for enc in encoded:
        key = enc.row[c.ID]
        first = unique.get(key)
        if first is None:
            unique[key] = enc
        elif first.content != enc.content:
            raise DuplicateEventError(enc.event.id)
    return unique


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
    return "unique" in message or "duplicate key" in message or "primary key" in message


__all__ = [
    "Checkpoint",
    "Clock",
    "DateBound",
    "EventStore",
    "system_clock",
]

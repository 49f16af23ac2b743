"""The append-only, bitemporal, hash-chained event store, on SQLAlchemy Core.

Writers are serialized (SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE
MODE``), so global positions are assigned gap-free in commit order and each event's hash can
chain onto the previous one inside the same transaction. Readers never block and never see a
gap: position ``n + 1`` is only assigned after ``n`` has committed.
"""

from __future__ import annotations

import functools
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeAlias, Unpack

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
    type_coerce,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import NullType

from ledger.domain.events import Event
from ledger.errors import (
    EventError,
    LedgerError,
    QueryError,
    SchemaVersionError,
    StoreError,
)
from ledger.persistence import canonical as c
from ledger.persistence.appending import (
    ENCODE_CHUNK,
    IMPORT_BATCH_SIZE,
    Appending,
    ExpectedVersion,
    gc_eased,
    gc_paused,
)
from ledger.persistence.canonical import GENESIS_HASH
from ledger.persistence.chain import Digest, VerifyResult
from ledger.persistence.columns import COLD_COLUMNS, HOT_COLUMNS
from ledger.persistence.engine import WRITE_OPTION, create_ledger_engine
from ledger.persistence.mapper import DEFAULT_MAPPER, Mapper
from ledger.persistence.pages import Pages
from ledger.persistence.queries import DateBound, EventFilter, aware, event_filters
from ledger.persistence.recorder import chunks, recorder_for
from ledger.persistence.schema import (
    DECODED_COLUMNS,
    SCHEMA_VERSION,
    checkpoints,
    events,
    ledger_meta,
    metadata,
    to_utc,
)
from ledger.persistence.urls import resolve_url
from ledger.persistence.verify import verify_ledger

Clock: TypeAlias = Callable[[], datetime]
"""Returns the current time, aware (any zone; the store keeps it in UTC)."""

Sealer: TypeAlias = Callable[[str, int, str, bytes], bytes]
"""Binds a checkpoint's bytes to its name, position and head hash (see ``persistence.sealing``)."""

DEFAULT_PAGE_SIZE = 5000


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
_HOT = [_raw(events.c[name]) for name in HOT_COLUMNS]
_COLD = [_raw(events.c[name]) for name in COLD_COLUMNS]


class EventStore(Appending):
    """Appends events to the chain and reads them back, on one SQLAlchemy engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        mapper: Mapper | None = None,
    ) -> None:
        self.engine = engine
        self._clock = clock or system_clock
        self._mapper = mapper or DEFAULT_MAPPER
        self._recorder = recorder_for(engine)
        self._live = Pages()
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
        """Close every pooled connection (first fetching what replayed events still alive
        may need of their rows, so that they outlive the store)."""
        self._live.fetch_all()
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
                if lock:
                    self._recorder.lock(conn)
                yield conn

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except LedgerError:
            raise
        except DBAPIError as e:
            raise self._translate(e.orig if e.orig is not None else e) from e
        except self._recorder.dbapi_error as e:
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
        return self._recorder.translate(str(error).strip() or type(error).__name__)

    # --- schema -----------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        with self.connect() as conn:
            found = self._schema_version(conn)
            indexes = found is not None and self._recorder.indexes_missing(conn)
            guards = found is not None and self._recorder.guards_missing(conn)
        if found is None:
            with self.begin(lock=False) as conn:
                # Two processes opening a new database must not both create it.
                self._recorder.before_create(conn)
                found = self._schema_version(conn)
                if found is None:
                    self._create_schema(conn)
                    return
        if found != str(SCHEMA_VERSION):
            raise SchemaVersionError(found, SCHEMA_VERSION)
        if indexes or guards:
            self._repair(indexes=indexes, guards=guards)

    def _repair(self, *, indexes: bool, guards: bool) -> None:
        """Bring an existing ledger up to what this version creates, where it may be written.

        Secondary indexes are missing when a bulk import into an empty ledger was interrupted
        before rebuilding them; refusals are missing from ledgers created by earlier versions.
        Reads are right without either (only slower, or less guarded, with verify still
        naming any rewrite), so a database that cannot be written (read-only) is opened as
        it is: the transaction fails before it has written anything.
        """
        try:
            with self.begin(lock=False) as conn:
                if guards:
                    self._recorder.install_guards(conn)
                if indexes:
                    self._recorder.restore_indexes(conn)
        except LedgerError:
            pass

    @staticmethod
    def _schema_version(conn: Connection) -> str | None:
        if not inspect(conn).has_table("ledger_meta"):
            return None
        value = conn.execute(
            select(ledger_meta.c.value).where(ledger_meta.c.key == "schema_version")
        ).scalar()
        return "missing" if value is None else str(value)

    def _create_schema(self, conn: Connection) -> None:
        if inspect(conn).has_table("events"):
            raise StoreError(
                "the database has an events table but no ledger_meta table: "
                "it was not written by this ledger"
            )
        metadata.create_all(conn)
        self._recorder.install_guards(conn)
        conn.execute(
            insert(ledger_meta),
            [
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "hash", "value": "sha256(prev_hash bytes + canonical JSON bytes)"},
            ],
        )

    # --- writing ----------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
            raise EventError(f"the clock returned {now!r}, not an aware datetime")
        return now

    def _head_row(self, conn: Connection) -> tuple[int, str, str]:
        row = conn.execute(
            select(_raw(events.c.position), _raw(events.c.hash), _raw(events.c.recorded_at))
            .order_by(events.c.position.desc())
            .limit(1)
        ).first()
        if row is None:
            return 0, GENESIS_HASH, ""
        return int(row[0]), str(row[1]), c.recorded_text(row[2])

    def _rows_by_id(self, conn: Connection, ids: Sequence[str]) -> dict[str, Sequence[Any]]:
        """The stored rows with these ids (usually none: the common case is kept cheap)."""
        present = self._recorder.present_ids(conn, ids)
        found: dict[str, Sequence[Any]] = {}
        if present:
            full = select(*_ALL).where(events.c.id.in_(bindparam("ids", expanding=True)))
            for chunk in chunks(present):
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
            return self._recorder.stream_versions(conn, [stream]).get(stream, 0)

    def get(self, event_id: uuid.UUID | str) -> Event | None:
        """The recorded event with this id, or None."""
        try:
            key = str(uuid.UUID(str(event_id)))
        except ValueError as e:
            raise QueryError(f"{event_id!r} is not an event id (a UUID)") from e
        with self.connect() as conn:
            row = conn.execute(select(*_DECODED).where(events.c.id == key)).first()
        return None if row is None else self._mapper.to_event(row)

    def events_at(self, positions: Iterable[int]) -> list[Event]:
        """The events at these positions, in ledger order (positions past the head are
        passed over)."""
        wanted = sorted(set(positions))
        rows: list[Sequence[Any]] = []
        with self.connect() as conn:
            for chunk in chunks(wanted):
                result = conn.execute(select(*_DECODED).where(events.c.position.in_(chunk)))
                rows += result.all()
        rows.sort(key=lambda row: int(row[c.POSITION]))
        with gc_paused():
            return self._mapper.to_events(rows)

    def stream(self, name: str, known_at: datetime | None = None) -> list[Event]:
        """The events of one stream in sequence order (as known at ``known_at``, if given)."""
        query = select(*_DECODED).where(events.c.stream == name)
        if known_at is not None:
            query = query.where(events.c.recorded_at <= aware(known_at))
        with self.connect() as conn:
            rows = conn.execute(query.order_by(events.c.sequence)).fetchall()
        with gc_paused():
            return self._mapper.to_events(rows)

    def iter_events(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, **wanted: Unpack[EventFilter]
    ) -> Iterator[Event]:
        """Events in global order that pass the filters (``EventFilter``: after a position,
        about entities, of types, in a valid-time window, recorded by a time), read page by
        page. Memory stays at one page; the iteration ends at the head the ledger had when it
        started. Each event makes its costly fields when one is first read (the event built
        whole, see :mod:`ledger.deferred`): a row found unreadable raises its StoreError then.
        """
        if page_size < 1:
            raise QueryError(f"page_size must be positive, not {page_size}")
        after = wanted.get("after", 0)
        conditions = event_filters(self._mapper, wanted)
        with self.connect() as conn:
            until = self._head_row(conn)[0]
        after_param = events.c.position > bindparam("after")
        query = (
            select(*_HOT)
            .where(after_param, events.c.position <= until, *conditions)
            .order_by(events.c.position)
            .limit(page_size)
        )
        # The same rows again, from the page's first position to its last.
        cold = select(*_COLD).where(
            after_param, events.c.position <= bindparam("last"), *conditions
        )
        return self._pages(query, cold, after, page_size)

    def _pages(
        self, query: Select[Any], cold: Select[Any], after: int, page_size: int
    ) -> Iterator[Event]:
        last = after
        decode = self._mapper.deferring_hot
        with gc_eased():
            while True:
                rows = self._fetched(query, {"after": last})
                if not rows:
                    return
                # The page's other columns, fetched when one of its events first needs them
                # (see persistence/pages.py).
                bounds = {"after": last, "last": rows[-1][c.POSITION]}
                page = self._live.new(functools.partial(self._fetched, cold, bounds))
                # Decoded one at a time as the reader asks: a reader that lets each event go
                # keeps the collector's young generation small. A page decoded whole (with the
                # collector paused) left thousands of live objects for it to scan and promote.
                yield from map(decode, rows, itertools.repeat(page))
                if len(rows) < page_size:
                    return
                last = rows[-1][c.POSITION]

    def _fetched(self, query: Select[Any], params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        with gc_paused(), self.connect() as conn:
            result = conn.execute(query, params)
            # Every column is read raw (no type processing), so the driver's own tuples are
            # the rows: fetched without building a Row object for each.
            rows = result.cursor.fetchall() if result.cursor is not None else []
            result.close()
        return rows

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
            upsert = self._recorder.upsert(checkpoints)
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


__all__ = [
    "ENCODE_CHUNK",
    "IMPORT_BATCH_SIZE",
    "Checkpoint",
    "Clock",
    "DateBound",
    "EventFilter",
    "EventStore",
    "ExpectedVersion",
    "system_clock",
]

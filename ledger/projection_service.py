"""Projections served from an event store: incremental, checkpointed, cached in process.

Each program has a fact table (``ledger.domain.fold``) folded in recorded order and saved as
a checkpoint with the last position it covers. A question reads only the events recorded
since then (those about the program or its parts, plus the few kinds that can bear on it
from elsewhere: registrations, restrictions, corrections, retractions), folds them in, and
evaluates the table as of the day asked. A table without a checkpoint is folded from the
program's own events plus the restrictions and answers that reach it from elsewhere, found
through a small index of the whole ledger (``ledger.domain.reach``) that is itself saved as a
checkpoint and brought up to date like the tables. A question "as known at" an earlier time
than the table covers is answered from a table folded from scratch over what was recorded
by then.
"""

from __future__ import annotations

import contextlib
import heapq
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

import attrs

from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain import snapshot
from ledger.domain.asof import Period, state_as_of
from ledger.domain.conflicts import conflicts_of
from ledger.domain.diff import Diff, diff_of
from ledger.domain.events import (
    Corrected,
    EntityAliased,
    EntityNamed,
    EntityRegistered,
    Event,
    Identified,
    RestrictionEnacted,
    RestrictionLifted,
    Retracted,
    names_in,
)
from ledger.domain.fold import FactTable, build, fold_into
from ledger.domain.lines import compile_table
from ledger.domain.reach import ReachIndex
from ledger.domain.state import Conflicts, ProgramState, Row
from ledger.domain.timeline import Timeline, timeline_of
from ledger.errors import InvalidDateError, QueryError, UnknownEntityError
from ledger.persistence.store import EventStore

if TYPE_CHECKING:
    from ledger.corpus.names import EntityIndex

CHECKPOINT_PREFIX = "projection:"
"""Checkpoint names are this prefix and the program's entity id."""

REACH_CHECKPOINT = "index:reach"
"""Checkpoint name of the reach index (parts, answers, restrictions by position)."""

REACH_SAVE_AFTER = 100
"""Entries a catch-up must add to the saved reach index before it is saved again."""

PROGRAM_KINDS = frozenset({"program", "mission", "agreement", "law", "station", "project"})
"""Entity kinds listed by ``programs()``: what has a history of its own to ask about."""

# Events that can bear on a program without naming it in their stream or subjects: a part's
# registration, a restriction naming it as restricted or counterparty (and its lifting), and
# answers to claims it holds. They are read whatever their subjects.
_FROM_ANYWHERE: tuple[type[Event], ...] = (
    EntityRegistered,
    RestrictionEnacted,
    RestrictionLifted,
    Corrected,
    Retracted,
)


@attrs.frozen(kw_only=True)
class ProgramSummary:
    """One entry of the catalogue of programs: id, names, kind and what it is part of."""

    id: str
    name_en: str = ""
    name_ar: str = ""
    kind: str = ""
    part_of: tuple[str, ...] = ()

    def row(self) -> Row:
        """The entry as one report line."""
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "kind": self.kind,
            "part_of": ", ".join(self.part_of),
        }


@attrs.frozen(kw_only=True)
class Programs:
    """The programs (and missions, agreements, laws) the ledger knows, by id."""

    programs: tuple[ProgramSummary, ...] = ()

    def __iter__(self) -> Iterator[ProgramSummary]:
        return iter(self.programs)

    def __len__(self) -> int:
        return len(self.programs)

    def ids(self) -> tuple[str, ...]:
        """The programs' entity ids."""
        return tuple(p.id for p in self.programs)

    def rows(self) -> list[Row]:
        """One line per program."""
        return [p.row() for p in self.programs]


class _LedgerTable(FactTable):
    """A fact table that takes in every claim of the ledger (for timelines and conflicts)."""

    def involves(self, event: Event) -> bool:
        """Every event concerns the whole ledger."""
        return True


def _entity_index() -> EntityIndex:
    # Imported when first needed: a question by entity id never reads the catalogue, and
    # the corpus package costs a noticeable part of a cold `ledger state`.
    from ledger.corpus.names import EntityIndex

    return EntityIndex()


@attrs.define
class _Catalogue:
    """Registered entities, their names and what they are part of, as far as ``position``."""

    types: ClassVar[tuple[type[Event], ...]] = (
        EntityRegistered,
        EntityAliased,
        EntityNamed,
        Identified,
    )
    position: int = 0
    registered: dict[str, EntityRegistered] = attrs.field(factory=dict)
    unindexed: list[tuple[str, tuple[str, ...]]] = attrs.field(factory=list)
    """Names folded in but not yet added to the index, in ledger order."""
    built: EntityIndex | None = None

    @property
    def index(self) -> EntityIndex:
        """The name index, brought up to date when asked: normalising every name of a large
        catalogue costs seconds, and finding a program's parts needs none of it."""
        if self.built is None:
            self.built = _entity_index()
        for entity, names in self.unindexed:
            self.built.add(entity, names)
        self.unindexed.clear()
        return self.built

    def fold(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, EntityRegistered):
                self.registered[event.stream] = event
            named = names_in(event)
            if named is not None:
                self.unindexed.append(named)
            self.position = max(self.position, event.position)


def _recorded_by(event: Event, known_at: datetime) -> bool:
    return event.recorded_at is not None and event.recorded_at <= known_at


_RESTRICTIONS = (RestrictionEnacted, RestrictionLifted)


def _answers_to(events: Iterable[Event], found: Iterable[Event]) -> list[Event]:
    """Of ``found``, the answers to ``events`` and to those answers, in ledger order."""
    by_target: dict[str, list[Event]] = {}
    for answer in found:
        if isinstance(answer, Corrected | Retracted):
            by_target.setdefault(str(answer.target), []).append(answer)
    taken: dict[int, Event] = {}
    todo = [str(e.id) for e in events]
    while todo:
        for answer in by_target.get(todo.pop(), ()):
            if answer.position not in taken:
                taken[answer.position] = answer
                todo.append(str(answer.id))
    return sorted(taken.values(), key=lambda e: e.position)


def _merged(*streams: Iterable[Event]) -> Iterator[Event]:
    """Events of several position-ordered streams, in ledger order, each once."""
    last = -1
    for event in heapq.merge(*streams, key=lambda e: e.position):
        if event.position != last:
            last = event.position
            yield event


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _bound(value: str | HistoricalDate | None, end: bool) -> tuple[str, int] | None:
    """(EDTF, day) of a timeline bound: its first day for a start, its last for an end."""
    if value is None:
        return None
    date = parse_edtf(value) if isinstance(value, str) else value
    day = date.latest if end else date.earliest
    if day is None:
        raise InvalidDateError(date.edtf, "a timeline bound needs a known first and last day")
    return date.edtf, day


class ProjectionService:
    """States, timelines, diffs, programs and conflicts of one event store.

    ``checkpoints``: save and load per-program tables in the store's checkpoint table.
    ``save_after``: also save a table whose only change is its position once it has moved
    this far (a table that took in new claims is saved at once). ``known_at_cache``: how many
    tables folded "as known at" an earlier time to keep. ``max_tables`` and
    ``states_per_table`` bound what is kept in memory (a dropped table reloads from its
    checkpoint). Thread-compatible, not thread-safe: use one service per thread.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        checkpoints: bool = True,
        save_after: int = 1000,
        known_at_cache: int = 16,
        max_tables: int = 4096,
        states_per_table: int = 8,
    ) -> None:
        self._store = store
        self._checkpoints = checkpoints
        self._save_after = save_after
        self._tables: OrderedDict[str, FactTable] = OrderedDict()
        self._max_tables = max_tables
        self._states_per_table = states_per_table
        self._saved: dict[str, int] = {}
        self._past: OrderedDict[tuple[str, datetime], FactTable] = OrderedDict()
        self._past_size = known_at_cache
        self._catalogue: _Catalogue | None = None
        self._ids: set[str] = set()
        self._reach: ReachIndex | None = None
        self._ledger: _LedgerTable | None = None
        self._head = -1

    # --- the questions ---------------------------------------------------------------------

    def state(
        self,
        program: str,
        as_of: str | HistoricalDate | Period,
        known_at: datetime | None = None,
    ) -> ProgramState:
        """The program's state over a day, month or year, as recorded by ``known_at``."""
        period = Period.of(as_of)
        if known_at is not None and known_at.utcoffset() is None:
            raise QueryError(f"known_at must be an aware datetime, not {known_at.isoformat()}")
        head = self._sync()
        entity = self._resolve(program)
        table = self._table_known_at(entity, head, known_at)
        shown_known_at = None if known_at is None else known_at.isoformat()
        states = table.cache.setdefault("states", OrderedDict())
        key = (period.edtf, shown_known_at)
        found = states.get(key)
        if isinstance(found, ProgramState):
            states.move_to_end(key)
            return found
        state = state_as_of(compile_table(table), period, known_at=shown_known_at)
        states[key] = state
        if len(states) > self._states_per_table:
            states.popitem(last=False)
        return state

    def timeline(
        self,
        program: str | None = None,
        start: str | HistoricalDate | None = None,
        end: str | HistoricalDate | None = None,
    ) -> Timeline:
        """Claims in historical order, of one program (with its parts) or of the whole ledger."""
        first, last = _bound(start, end=False), _bound(end, end=True)
        if program is None:
            table: FactTable = self._ledger_table()
            entity = None
        else:
            entity = self.resolve(program)
            table = self._current(entity, self._head)
        compiled = compile_table(table)
        return timeline_of(compiled.claims, entity, first, last, dates=compiled.dates)

    def diff(
        self,
        program: str,
        from_date: str | HistoricalDate | Period,
        to_date: str | HistoricalDate | Period,
    ) -> Diff:
        """What changed in the program's state between two dates, and which events did it."""
        entity = self.resolve(program)
        return diff_of(compile_table(self._current(entity, self._head)), from_date, to_date)

    def programs(self) -> Programs:
        """Every registered program, mission, agreement or law, by id."""
        self._sync()
        found = [
            ProgramSummary(
                id=e.stream,
                name_en=e.name_en,
                name_ar=e.name_ar,
                kind=e.kind,
                part_of=e.part_of,
            )
            for e in self._catalogue_now().registered.values()
            if e.kind in PROGRAM_KINDS
        ]
        return Programs(programs=tuple(sorted(found, key=lambda p: p.id)))

    def conflicts(self) -> Conflicts:
        """Every disagreement between sources in the ledger, each side with its evidence."""
        compiled = compile_table(self._ledger_table())
        return Conflicts(conflicts=tuple(conflicts_of(compiled)))

    def resolve(self, program: str) -> str:
        """The entity id a name, alias or id stands for (English or Arabic)."""
        self._sync()
        return self._resolve(program)

    def _resolve(self, program: str) -> str:
        if program in self._ids or program in self._tables:
            return program
        if self._catalogue is None and self._store.stream_version(program) > 0:
            self._ids.add(program)
            return program  # an entity id with events: no need to read the catalogue
        catalogue = self._catalogue_now()
        if program in catalogue.registered:
            return program
        found = catalogue.index.find(program)
        if found is not None:
            return found
        if not catalogue.registered or self._mentioned(program):
            # An id that events are about, registered or not, is still that entity.
            self._ids.add(program)
            return program
        raise UnknownEntityError(program, catalogue.index.suggest(program), kind="program")

    def _mentioned(self, entity: str) -> bool:
        """Whether any recorded event is about ``entity`` (its stream or a subject)."""
        found = self._store.iter_events(subject=entity, page_size=1)
        try:
            return next(found, None) is not None
        finally:
            close = getattr(found, "close", None)
            if close is not None:
                close()

    # --- maintenance -----------------------------------------------------------------------

    def rebuild(self, program: str | None = None) -> None:
        """Forget cached tables (all, or one program's) and refold them from the events."""
        if program is None:
            entities = list(self._tables)
            self._forget()
            self._sync()
            self.rebuild_index()
        else:
            entities = [self.resolve(program)]
        for entity in entities:
            self._tables.pop(entity, None)
            table = self._build(entity, self._head)
            self._keep(entity, table)
            self._save(table, force=True)
        self._past.clear()

    def rebuild_index(self) -> None:
        """Refold the reach index (parts, answers, restrictions) from the events and save it."""
        self._sync()
        self._reach = ReachIndex()
        self._reach_now()

    def table(self, program: str) -> FactTable:
        """The program's fact table, up to date with the ledger (for tests and tools)."""
        entity = self.resolve(program)
        return self._current(entity, self._head)

    # --- tables ----------------------------------------------------------------------------

    def _sync(self) -> int:
        """Read the ledger's head (forgetting everything if the ledger went backwards)."""
        head = self._store.head()
        if head < self._head:
            self._forget()  # not the ledger the caches were read from: it was replaced
        self._head = head
        return head

    def _forget(self) -> None:
        self._catalogue = self._reach = self._ledger = None
        self._ids.clear()
        self._tables.clear()
        self._past.clear()
        self._head = -1

    def _catalogue_now(self) -> _Catalogue:
        """The catalogue, read (or brought up to the head) on first need."""
        catalogue = self._catalogue or _Catalogue()
        if catalogue.position < self._head:
            catalogue.fold(self._store.iter_events(after=catalogue.position, types=catalogue.types))
            catalogue.position = max(catalogue.position, self._head)
        self._catalogue = catalogue
        return catalogue

    def _reach_now(self) -> ReachIndex:
        """The reach index, loaded from its checkpoint and brought up to the head."""
        reach = self._reach
        saved = -1
        if reach is None or reach.position > self._head:
            reach, saved = self._load_reach()
        if reach.position < self._head:
            added = reach.fold(self._store.iter_events(after=reach.position, types=reach.types))
            reach.position = max(reach.position, self._head)
            if saved < 0 or added >= REACH_SAVE_AFTER:
                self._save_reach(reach)
        self._reach = reach
        return reach

    def _table_known_at(self, entity: str, head: int, known_at: datetime | None) -> FactTable:
        current = self._current(entity, head)
        if known_at is None:
            return current
        latest = _datetime(current.recorded_at)
        if latest is None or known_at >= latest:
            return current
        key = (entity, known_at)
        past = self._past.get(key)
        if past is None:
            past = self._build(entity, None, known_at=known_at)
            self._past[key] = past
            while len(self._past) > self._past_size:
                self._past.popitem(last=False)
        else:
            self._past.move_to_end(key)
        return past

    def _current(self, entity: str, head: int) -> FactTable:
        """The entity's table, brought up to the ledger's head (``_sync`` gave it)."""
        table = self._tables.get(entity)
        if table is None:
            table = self._load(entity)
        if table is not None and table.position > head:
            table = None  # the ledger is not the one the table was folded from
        if table is None:
            table = self._build(entity, head)
            self._keep(entity, table)
            self._save(table, force=True)
            return table
        if table.position < head:
            scope = set(table.scope)
            before = len(table.items) + len(table.answers)
            after = table.position
            about = self._store.iter_events(after=after, subject=sorted(scope))
            # Registrations (new parts), restrictions and answers filed anywhere since then.
            others = self._store.iter_events(after=after, types=_FROM_ANYWHERE)
            fold_into(table, _merged(about, others))
            if table.stale or table.scope != scope:
                # A part joined: its events before now were not read; read them all again.
                table = self._build(entity, head)
                self._save(table, force=True)
            else:
                table.position = max(table.position, head)
                changed = len(table.items) + len(table.answers) != before
                self._save(table, force=changed)
        self._keep(entity, table)
        return table

    def _keep(self, entity: str, table: FactTable) -> None:
        """Hold the table in memory, dropping the least recently used beyond the limit."""
        self._tables[entity] = table
        self._tables.move_to_end(entity)
        while len(self._tables) > self._max_tables:
            self._tables.popitem(last=False)

    def _build(self, entity: str, head: int | None, known_at: datetime | None = None) -> FactTable:
        """The entity's table folded from scratch (as recorded by ``known_at``, if given)."""
        reach = self._reach_now()
        scope = {entity, *reach.parts(entity, known_at)}
        about = list(self._store.iter_events(subject=sorted(scope), known_at=known_at))
        mine = {e.position for e in about}
        wanted = reach.restriction_positions(scope) | reach.answer_positions(
            str(e.id) for e in about
        )
        reaching = self._store.events_at(wanted - mine)
        if known_at is not None:
            reaching = [e for e in reaching if _recorded_by(e, known_at)]
        restrictions = [e for e in reaching if isinstance(e, _RESTRICTIONS)]
        answers = _answers_to(about, reaching)
        table = build(entity, _merged(about, restrictions, answers))
        if head is not None:
            table.position = max(table.position, head)
        return table

    def _ledger_table(self) -> _LedgerTable:
        head = self._sync()
        table = self._ledger
        if table is None or table.position > head:
            table = self._ledger = _LedgerTable(program="")
        if table.position < head:
            fold_into(table, self._store.iter_events(after=table.position))
            table.position = max(table.position, head)
        return table

    # --- checkpoints -----------------------------------------------------------------------

    def _load_reach(self) -> tuple[ReachIndex, int]:
        """The saved reach index and its position (-1 and an empty index if none)."""
        if self._checkpoints:
            point = self._store.load_checkpoint(REACH_CHECKPOINT)
            if point is not None and point.position <= self._head:
                found = ReachIndex.decode(point.state)
                if found is not None and found.position == point.position:
                    return found, point.position
        return ReachIndex(), -1

    def _save_reach(self, reach: ReachIndex) -> None:
        if not self._checkpoints or reach.position == 0:
            return
        # Another process may have moved the ledger on: the next question saves again.
        with contextlib.suppress(QueryError):
            self._store.save_checkpoint(REACH_CHECKPOINT, reach.position, reach.encode())

    def _load(self, entity: str) -> FactTable | None:
        if not self._checkpoints:
            return None
        point = self._store.load_checkpoint(CHECKPOINT_PREFIX + entity)
        if point is None:
            return None
        table = snapshot.decode(point.state)
        if table is None or table.program != entity or table.position != point.position:
            return None
        self._saved[entity] = table.position
        return table

    def _save(self, table: FactTable, force: bool = False) -> None:
        if not self._checkpoints or table.position == 0:
            return
        saved = self._saved.get(table.program, -1)
        if table.position == saved:
            return
        if not force and table.position - saved < self._save_after:
            return
        try:
            self._store.save_checkpoint(
                CHECKPOINT_PREFIX + table.program, table.position, snapshot.encode(table)
            )
        except QueryError:
            return  # the ledger moved under us; the next question saves again
        self._saved[table.program] = table.position

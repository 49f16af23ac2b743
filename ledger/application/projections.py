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

import heapq
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import datetime

from ledger.application.checkpoints import Checkpoints
from ledger.domain.asof import Period, state_as_of
from ledger.domain.events import (
    Corrected,
    EntityRegistered,
    Event,
    RestrictionEnacted,
    RestrictionLifted,
    Retracted,
    SourceRegistered,
)
from ledger.domain.fold import FactTable, build, fold_into
from ledger.domain.lines import compile_table
from ledger.domain.reach import ReachIndex
from ledger.domain.state import ProgramState
from ledger.persistence.store import EventStore

REACH_SAVE_AFTER = 100
"""Entries a catch-up must add to the saved reach index before it is saved again."""

# Events that can bear on a program without naming it in their stream or subjects: a part's
# registration, a restriction naming it as restricted or counterparty (and its lifting), and
# answers to claims it holds. They are read whatever their subjects.
_FROM_ANYWHERE: tuple[type[Event], ...] = (
    EntityRegistered,
    RestrictionEnacted,
    RestrictionLifted,
    Corrected,
    Retracted,
    # A source listing known errors of its text: claims quoting those words say so.
    SourceRegistered,
)

_RESTRICTIONS = (RestrictionEnacted, RestrictionLifted)


class LedgerTable(FactTable):
    """A fact table that takes in every claim of the ledger (for timelines and conflicts)."""

    def involves(self, event: Event) -> bool:
        """Every event concerns the whole ledger."""
        return True


def _recorded_by(event: Event, known_at: datetime) -> bool:
    return event.recorded_at is not None and event.recorded_at <= known_at


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


class Projections:
    """The fact tables of one store, folded incrementally (the ``Ledger``'s part).

    Every method takes the ledger's ``head`` as the ``Ledger`` read it, and entity ids as
    it resolved them. ``known_at_cache``: how many tables folded "as known at" an earlier
    time to keep. ``max_tables`` and ``states_per_table`` bound what is kept in memory (a
    dropped table reloads from its checkpoint).
    """

    def __init__(
        self,
        store: EventStore,
        checkpoints: Checkpoints,
        *,
        known_at_cache: int = 16,
        max_tables: int = 4096,
        states_per_table: int = 8,
    ) -> None:
        self._store = store
        self._checkpoints = checkpoints
        self._tables: OrderedDict[str, FactTable] = OrderedDict()
        self._max_tables = max_tables
        self._states_per_table = states_per_table
        self._past: OrderedDict[tuple[str, datetime], FactTable] = OrderedDict()
        self._past_size = known_at_cache
        self._reach: ReachIndex | None = None
        self._ledger: LedgerTable | None = None

    def forget(self) -> None:
        """Drop every table held in memory (the ledger was replaced under us)."""
        self._reach = self._ledger = None
        self._tables.clear()
        self._past.clear()

    def tables(self) -> list[str]:
        """The entities whose tables are held in memory."""
        return list(self._tables)

    def state(
        self, entity: str, period: Period, known_at: datetime | None, head: int
    ) -> ProgramState:
        """The entity's state over ``period``, as recorded by ``known_at``."""
        table = self.known_at(entity, head, known_at)
        states = table.cache.setdefault("states", OrderedDict())
        key = (period.edtf, known_at)
        found = states.get(key)
        if isinstance(found, ProgramState):
            states.move_to_end(key)
            return found
        state = state_as_of(compile_table(table), period, known_at=known_at)
        states[key] = state
        if len(states) > self._states_per_table:
            states.popitem(last=False)
        return state

    def rebuild(self, entity: str, head: int) -> None:
        """Forget the entity's table and fold it again from the events, saving it."""
        self._tables.pop(entity, None)
        table = self._build(entity, head)
        self._keep(entity, table)
        self._checkpoints.save(table, force=True)
        self._past.clear()

    def rebuild_index(self, head: int) -> None:
        """Refold the reach index (parts, answers, restrictions) from the events and save it."""
        self._reach = ReachIndex()
        self._reach_now(head)

    def current(self, entity: str, head: int) -> FactTable:
        """The entity's table, brought up to the ledger's head."""
        table = self._tables.get(entity)
        if table is None:
            table = self._checkpoints.load(entity)
        if table is not None and table.position > head:
            table = None  # the ledger is not the one the table was folded from
        if table is None:
            table = self._build(entity, head)
            self._keep(entity, table)
            self._checkpoints.save(table, force=True)
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
                self._checkpoints.save(table, force=True)
            else:
                table.position = max(table.position, head)
                changed = len(table.items) + len(table.answers) != before
                self._checkpoints.save(table, force=changed)
        self._keep(entity, table)
        return table

    def whole_ledger(self, head: int, known_at: datetime | None = None) -> LedgerTable:
        """The table of every claim in the ledger, brought up to the head (or as recorded by
        ``known_at``: folded afresh, not kept)."""
        if known_at is not None:
            past = LedgerTable(program="")
            fold_into(past, self._store.iter_events(known_at=known_at))
            return past
        table = self._ledger
        if table is None or table.position > head:
            table = self._ledger = LedgerTable(program="")
        if table.position < head:
            fold_into(table, self._store.iter_events(after=table.position))
            table.position = max(table.position, head)
        return table

    def _reach_now(self, head: int) -> ReachIndex:
        """The reach index, loaded from its checkpoint and brought up to the head."""
        reach = self._reach
        saved = -1
        if reach is None or reach.position > head:
            reach, saved = self._checkpoints.load_reach(head)
        if reach.position < head:
            added = reach.fold(self._store.iter_events(after=reach.position, types=reach.types))
            reach.position = max(reach.position, head)
            if saved < 0 or added >= REACH_SAVE_AFTER:
                self._checkpoints.save_reach(reach)
        self._reach = reach
        return reach

    def known_at(self, entity: str, head: int, known_at: datetime | None) -> FactTable:
        """The entity's table as recorded by ``known_at`` (the current one when None)."""
        current = self.current(entity, head)
        if known_at is None:
            return current
        latest = current.recorded_at
        if latest is None or known_at >= latest:
            return current
        key = (entity, known_at)
        past = self._past.get(key)
        if past is None:
            past = self._build(entity, head, known_at=known_at)
            self._past[key] = past
            while len(self._past) > self._past_size:
                self._past.popitem(last=False)
        else:
            self._past.move_to_end(key)
        return past

    def _keep(self, entity: str, table: FactTable) -> None:
        """Hold the table in memory, dropping the least recently used beyond the limit."""
        self._tables[entity] = table
        self._tables.move_to_end(entity)
        while len(self._tables) > self._max_tables:
            self._tables.popitem(last=False)

    def refold(self, entity: str, reach: ReachIndex) -> FactTable:
        """The entity's table folded from the events alone, as far as ``reach.position``
        (``reach`` folded from the events as far as that too): what ``verify`` compares a
        saved table with."""
        return self._build(entity, reach.position, reach=reach)

    def _build(
        self,
        entity: str,
        head: int,
        known_at: datetime | None = None,
        *,
        reach: ReachIndex | None = None,
    ) -> FactTable:
        """The entity's table folded from scratch (as recorded by ``known_at``, if given).

        A table of everything covers the ledger up to ``head``; one "as known at" an earlier
        time covers only what it holds. With ``reach``, only the events up to its position
        are read: the table as it was then.
        """
        until = None if reach is None else reach.position
        reach = self._reach_now(head) if reach is None else reach
        scope = {entity, *reach.parts(entity, known_at)}
        about = list(self._store.iter_events(subject=sorted(scope), known_at=known_at))
        if until is not None:
            about = [e for e in about if e.position <= until]
        mine = {e.position for e in about}
        wanted = (
            reach.restriction_positions(scope)
            | reach.answer_positions(str(e.id) for e in about)
            | set(reach.errata)
        )
        reaching = self._store.events_at(wanted - mine)
        if until is not None:
            reaching = [e for e in reaching if e.position <= until]
        if known_at is not None:
            reaching = [e for e in reaching if _recorded_by(e, known_at)]
        restrictions = [e for e in reaching if isinstance(e, (*_RESTRICTIONS, SourceRegistered))]
        answers = _answers_to(about, reaching)
        table = build(entity, _merged(about, restrictions, answers))
        if known_at is None:
            table.position = max(table.position, head)
        return table

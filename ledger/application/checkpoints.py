"""Saved projections: each program's fact table and the reach index, kept in the store.

A checkpoint holds a folded table with the last ledger position it covers, so that a later
question reads only what was recorded since. Saving is best effort: a ledger that moved on
under us (another process appended) is saved again by the next question.
"""

from __future__ import annotations

import contextlib

from ledger.domain import snapshot
from ledger.domain.fold import FactTable
from ledger.domain.reach import ReachIndex
from ledger.errors import QueryError
from ledger.persistence.store import EventStore

CHECKPOINT_PREFIX = "projection:"
"""Checkpoint names are this prefix and the program's entity id."""

REACH_CHECKPOINT = "index:reach"
"""Checkpoint name of the reach index (parts, answers, restrictions by position)."""


class Checkpoints:
    """Load and save the fact tables and the reach index of one store (or do nothing).

    ``enabled``: False keeps everything in memory (tests, tools that must not write).
    ``save_after``: also save a table whose only change is its position once it has moved
    this far (a table that took in new claims is saved at once).
    """

    def __init__(self, store: EventStore, *, enabled: bool = True, save_after: int = 1000) -> None:
        self._store = store
        self._enabled = enabled
        self._save_after = save_after
        self._saved: dict[str, int] = {}

    def load_reach(self, head: int) -> tuple[ReachIndex, int]:
        """The saved reach index and its position (-1 and an empty index if none)."""
        if self._enabled:
            point = self._store.load_checkpoint(REACH_CHECKPOINT)
            if point is not None and point.position <= head:
                found = ReachIndex.decode(point.state)
                if found is not None and found.position == point.position:
                    return found, point.position
        return ReachIndex(), -1

    def save_reach(self, reach: ReachIndex) -> None:
        """Save the reach index (skipped if the ledger moved on meanwhile)."""
        if not self._enabled or reach.position == 0:
            return
        # Another process may have moved the ledger on: the next question saves again.
        with contextlib.suppress(QueryError):
            self._store.save_checkpoint(REACH_CHECKPOINT, reach.position, reach.encode())

    def load(self, entity: str) -> FactTable | None:
        """The saved table of ``entity``, or None when there is none usable."""
        if not self._enabled:
            return None
        point = self._store.load_checkpoint(CHECKPOINT_PREFIX + entity)
        if point is None:
            return None
        table = snapshot.decode(point.state)
        if table is None or table.program != entity or table.position != point.position:
            return None
        self._saved[entity] = table.position
        return table

    def save(self, table: FactTable, force: bool = False) -> None:
        """Save the table if it changed (``force``) or moved ``save_after`` positions on."""
        if not self._enabled or table.position == 0:
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

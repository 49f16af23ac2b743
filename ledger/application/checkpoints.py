"""Saved projections: each program's fact table and the reach index, kept in the store.

A checkpoint holds a folded table with the last ledger position it covers, so that a later
question reads only what was recorded since. Each is sealed with the user's key and bound to
the hash of that position (``ledger.persistence.checkpoints``): one that fails is not used,
and the table is folded from the events. Saving is best effort: a ledger that moved on under
us (another process appended), a read-only database or no key leaves the answer as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ledger.domain.fold import FactTable
from ledger.domain.reach import ReachIndex
from ledger.persistence.checkpoints import SealedCheckpoints
from ledger.persistence.sealing import load_key
from ledger.persistence.snapshots import decode_reach, decode_table, encode_reach, encode_table
from ledger.persistence.store import EventStore

CHECKPOINT_PREFIX = "projection:"
"""Checkpoint names are this prefix and the program's entity id."""

REACH_CHECKPOINT = "index:reach"
"""Checkpoint name of the reach index (parts, answers, restrictions by position)."""


class Checkpoints:
    """Load and save the fact tables and the reach index of one store (or do nothing).

    ``enabled``: False keeps everything in memory (tests, tools that must not write).
    ``save_after``: also save a table whose only change is its position once it has moved
    this far (a table that took in new claims is saved at once). ``key_path``: the key that
    seals them (default: in the user's data directory, made on first use; see
    ``ledger.persistence.sealing``); without a usable key none is loaded or saved.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        enabled: bool = True,
        save_after: int = 1000,
        key_path: Path | None = None,
    ) -> None:
        self._store = store
        self.sealed = SealedCheckpoints(store, load_key(key_path) if enabled else None)
        self._save_after = save_after
        self._saved: dict[str, int] = {}

    def load_reach(self, head: int) -> tuple[ReachIndex, int]:
        """The saved reach index and its position (-1 and an empty index if none)."""
        point = self.sealed.load(REACH_CHECKPOINT)
        if point is not None and point.position <= head:
            found = _decoded(decode_reach, point.payload)
            if found is not None and found.position == point.position:
                return found, point.position
        return ReachIndex(), -1

    def save_reach(self, reach: ReachIndex) -> None:
        """Save the reach index (skipped if the ledger moved on meanwhile)."""
        if reach.position == 0:
            return
        self.sealed.save(REACH_CHECKPOINT, reach.position, encode_reach(reach))

    def load(self, entity: str) -> FactTable | None:
        """The saved table of ``entity``, or None when there is none usable."""
        point = self.sealed.load(CHECKPOINT_PREFIX + entity)
        if point is None:
            return None
        table = _decoded(decode_table, point.payload)
        if table is None or table.program != entity or table.position != point.position:
            return None
        self._saved[entity] = table.position
        return table

    def save(self, table: FactTable, force: bool = False) -> None:
        """Save the table if it changed (``force``) or moved ``save_after`` positions on."""
        if table.position == 0:
            return
        saved = self._saved.get(table.program, -1)
        if table.position == saved:
            return
        if not force and table.position - saved < self._save_after:
            return
        name = CHECKPOINT_PREFIX + table.program
        if self.sealed.save(name, table.position, encode_table(table)):
            self._saved[table.program] = table.position


_T = TypeVar("_T")


def _decoded(decode: Callable[[bytes], _T | None], payload: bytes) -> _T | None:
    """A sealed payload decoded, or None when it is of another format or version.

    The seal says the key holder wrote it, so a payload that fails to decode is an older
    format (or a bug), never a forgery: it is folded again from the events.
    """
    try:
        return decode(payload)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None

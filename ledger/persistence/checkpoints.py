"""Checkpoints as the projections see them: sealed when saved, checked when loaded.

A checkpoint is served only when its seal opens with the user's key and the chain still holds
the hash it was folded up to at its position. Each key's checkpoints are stored under names
ending in ``#`` and the key's public id, so users sharing a database keep theirs apart. One
that fails is not used: a :class:`~ledger.errors.CheckpointWarning` says so, and the caller
folds from the events (and saves a fresh one over it). Saving is best effort: a read-only
database or a ledger that moved on leaves the old checkpoint, and the answer stands.
"""

from __future__ import annotations

import warnings

import attrs

from ledger.errors import CheckpointWarning, QueryError, StoreError
from ledger.persistence.sealing import MAGIC, BrokenSeal, Seal, split
from ledger.persistence.store import EventStore


@attrs.frozen
class Opened:
    """A checkpoint's payload and the position it covers, its seal and binding checked."""

    position: int
    payload: bytes


@attrs.frozen
class Examined:
    """What a checkpoint holds (unchecked when no key) and what is wrong with it, if anything."""

    position: int
    payload: bytes
    problem: str | None = None


class SealedCheckpoints:
    """Load and save the store's checkpoints through a seal (None: trust and save nothing)."""

    def __init__(self, store: EventStore, seal: Seal | None) -> None:
        self._store = store
        self._seal = seal

    @property
    def sealed(self) -> bool:
        """Whether a key is at hand (without one, no checkpoint is trusted or saved)."""
        return self._seal is not None

    def stored_name(self, name: str) -> str:
        """The row name of this key's checkpoint called ``name``."""
        return name if self._seal is None else f"{name}#{self._seal.key_id}"

    def load(self, name: str) -> Opened | None:
        """The checkpoint called ``name`` if it passes its checks; warns when one fails."""
        if self._seal is None:
            return None
        found = self.examine(self.stored_name(name))
        if found is None:
            return None
        if found.problem is not None:
            self.discard(name, found.problem)
            return None
        return Opened(found.position, found.payload)

    def examine(self, stored: str) -> Examined | None:
        """The checkpoint stored as ``stored`` and its first problem (None if absent).

        Its seal is checked when it is this key's; another key's (or any, without a key) is
        taken unchecked, for ``verify`` to refold.
        """
        point = self._store.load_checkpoint(stored, bound=False)
        if point is None:
            return None
        name = stored.rpartition("#")[0] or stored
        try:
            if self._seal is None or stored != self.stored_name(name):
                # Never served to this user; what it holds is still refolded by verify.
                payload = split(point.state)[1] if point.state.startswith(MAGIC) else point.state
            else:
                payload = self._seal.open(name, point.position, point.head_hash, point.state)
        except BrokenSeal as e:
            return Examined(point.position, b"", str(e))
        current = self._store.hash_at(point.position)
        if current is None:
            return Examined(point.position, payload, f"no event at its position {point.position}")
        if current != point.head_hash:
            return Examined(
                point.position,
                payload,
                f"folded up to position {point.position} of a chain that now has another hash "
                "there",
            )
        return Examined(point.position, payload)

    def discard(self, name: str, reason: str) -> None:
        """Say that the checkpoint called ``name`` was not used, and why."""
        warnings.warn(CheckpointWarning(name, reason), stacklevel=4)

    def save(self, name: str, position: int, payload: bytes) -> bool:
        """Seal and save; False when nothing was saved (no key, read-only, ledger moved)."""
        if self._seal is None:
            return False
        try:
            self._store.save_checkpoint(
                self.stored_name(name),
                position,
                payload,
                seal=lambda _stored, *bound: self._seal_as(name, *bound),
            )
        except (QueryError, StoreError):
            # The ledger moved under us (the next question saves again), or the database is
            # read-only: the answer does not depend on the checkpoint being saved.
            return False
        return True

    def _seal_as(self, name: str, position: int, head_hash: str, payload: bytes) -> bytes:
        assert self._seal is not None
        return self._seal.seal(name, position, head_hash, payload)

    def stored(self) -> list[tuple[str, str, bool]]:
        """Every saved checkpoint, of any key: (row name, name, whether this key's)."""
        found = []
        for stored in self._store.checkpoint_names():
            name = stored.rpartition("#")[0] or stored
            found.append((stored, name, stored == self.stored_name(name)))
        return found


__all__ = ["Examined", "Opened", "SealedCheckpoints"]

"""What a bulk import knows of the ledger between its chunks and batches, so it need not ask.

A transaction that appends holds the ledger's write lock (SQLite's ``BEGIN IMMEDIATE``,
PostgreSQL's ``LOCK TABLE ... IN EXCLUSIVE MODE``): once it has read the head of the chain
and a stream's version, nothing but itself moves them until it commits, so each next chunk
carries them on instead of querying them again (on PostgreSQL those queries were about a
tenth of an import). An import that began on an empty ledger and finds, at each next batch,
the head where its last batch left it has been the only writer since: it then knows every
stream's version (a stream it never wrote has none) and every id the ledger holds.
"""

from __future__ import annotations

import attrs

from ledger.persistence.mapper import Encoded
from ledger.persistence.written import WrittenIds


@attrs.define
class Chunk:
    """Events encoded together, written together inside one batch's transaction."""

    unique: dict[str, Encoded]
    """The encoded events by id (an id given twice with the same content once)."""
    taken: int
    """How many events were read for it (repeats included)."""
    ends_batch: bool
    """Whether its batch's transaction commits after it."""
    last: bool = False
    """Whether it is known that no event follows it."""
    now: str | None = None
    """The clock's time for its events without one, read when it was encoded (None: read
    when written)."""


@attrs.define
class Tip:
    """The head of the chain and the versions of streams, as the locking transaction knows them."""

    position: int
    prev_hash: str
    newest: str
    """The newest recorded time (stored text)."""
    versions: dict[str, int] = attrs.field(factory=dict)
    complete: bool = False
    """Whether a stream missing from ``versions`` has no events (else it must be read)."""


@attrs.define
class Bulk:
    """What one bulk import carries from one batch (transaction) to the next."""

    deferred: bool = False
    """Whether it dropped the secondary indexes (it began on an empty ledger)."""
    written: WrittenIds | None = None
    """The ids it wrote, while it has been the only writer since the ledger was empty."""
    tip: Tip | None = None
    """Where its last batch left the chain (None before its first batch)."""

    def starting(self, position: int, prev_hash: str, newest: str) -> Tip:
        """At a batch's start, inside its transaction, given the head it read: what it knows."""
        if self.tip is None:
            alone = position == 0
            self.written = WrittenIds() if alone else None
            return Tip(position, prev_hash, newest, complete=alone)
        if (position, prev_hash) != (self.tip.position, self.tip.prev_hash):
            self.written = None  # another writer appended between two batches
            return Tip(position, prev_hash, newest)
        # Still alone: the versions known stay known, and complete if they were.
        return self.tip


__all__ = ["Bulk", "Chunk", "Tip"]

"""The ids a bulk import has written, kept small: a Bloom filter that may say "maybe".

A bulk import into an empty ledger, with no other writer since, can only repeat an id it
wrote itself. Asking the database for every id of every chunk (to skip an event already
recorded, or to refuse one recorded with other content) then costs PostgreSQL a round trip
and an index probe per id: 8-16% of its import. The import asks instead only for the ids
this filter may hold: the ones it wrote, and a few it did not (false "maybe"s, at most
about 1.4%). It never answers "no" for an id it took, so no repeat goes unseen. A set of
the ids themselves would cost some 60-90 MB at 10^6 events against a memory goal of 300;
this costs 2 MiB per 2^20 ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

BITS_PER_ID: Final = 16
"""With two positions an id, 16 bits an id give about 1.4% false "maybe"s when a filter is
full. More positions would give fewer, at a cost on every id: a false "maybe" costs only a
place in the one look-up of its chunk's suspects, so two are enough."""


class WrittenIds:
    """Ids taken so far; ``id in written`` is False only for an id never taken.

    ``bits``: the size of the first filter (a power of two). When a filter holds
    ``bits / 16`` ids the next one, twice as large, takes the ids that follow, so the rate
    of false "maybe"s stays bounded however many ids come.
    """

    def __init__(self, bits: int = 1 << 24) -> None:
        if bits < 8 or bits & (bits - 1):
            raise ValueError(f"bits must be a power of two of at least 8, not {bits}")
        self._filters: list[tuple[bytearray, int]] = []
        self._next = bits
        self._room = 0
        self._taken = 0

    def __len__(self) -> int:
        """How many ids were taken (counting an id taken twice twice)."""
        return self._taken

    def add(self, key: str) -> None:
        """Take one id."""
        if not self._room:
            self._filters.append((bytearray(self._next >> 3), self._next - 1))
            self._room = max(1, self._next // BITS_PER_ID)
            self._next *= 2
        self._room -= 1
        self._taken += 1
        table, mask = self._filters[-1]
        # Two positions from str's own hash (cached on the string, keyed per process).
        at = hash(key)
        first, second = at & mask, (at >> 32) & mask
        table[first >> 3] |= 1 << (first & 7)
        table[second >> 3] |= 1 << (second & 7)

    def update(self, keys: Iterable[str]) -> None:
        """Take each of ``keys``."""
        add = self.add
        for key in keys:
            add(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        at = hash(key)
        for table, mask in self._filters:
            first, second = at & mask, (at >> 32) & mask
            if table[first >> 3] & (1 << (first & 7)) and table[second >> 3] & (1 << (second & 7)):
                return True
        return False


__all__ = ["WrittenIds"]

"""A replay's pages: the columns its events are built with fetched at once, the rest on demand.

Each column a replay fetches costs it 0.2-0.6 us a row, as much as building the event; a
fold that reads where each event sits, when it happened and its payload needs 9 of the 23.
A page's other columns are fetched, for the whole page by the query that found it, when one
of its events first needs them: recorded events never change, so they are the values the
first query would have given. Until then a page holds nothing but how to fetch them, and
it lives as long as an event of it still may need them. A store fetches what its live pages
lack before it closes, so events outlive the store that read them.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from ledger.errors import LedgerError, StoreError
from ledger.persistence.columns import Row, merged

Fetch = Callable[[], Sequence[Row]]
"""The :data:`~ledger.persistence.reading.COLD_COLUMNS` of a page's rows."""


class Page:
    """One page of a replay: the whole rows of its hot ones, fetched on first need."""

    __slots__ = ("__weakref__", "_cold", "_fetch")

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self._cold: dict[Any, Row] | None = None

    def whole(self, hot: Row) -> Row:
        """The decoded columns of the row ``hot`` is the first part of."""
        cold = self._cold if self._cold is not None else self.fetched()
        found = cold.get(hot[0])
        if found is None:
            raise StoreError(f"event at position {hot[0]} is no longer in the ledger")
        return merged(hot, found)

    def fetched(self) -> dict[Any, Row]:
        """The page's cold columns by position, fetched if not yet."""
        cold = self._cold
        if cold is None:
            # Two threads may both fetch: the same rows, and the last assignment wins.
            cold = self._cold = {row[0]: row for row in self._fetch()}
        return cold


class Pages:
    """The pages of one store's replays that an event may still need."""

    def __init__(self) -> None:
        self._live: weakref.WeakSet[Page] = weakref.WeakSet()
        self._lock = threading.Lock()

    def new(self, fetch: Fetch) -> Page:
        """A page that fetches its cold columns with ``fetch``."""
        page = Page(fetch)
        with self._lock:
            self._live.add(page)
        return page

    def __len__(self) -> int:
        with self._lock:
            return len(self._live)

    def fetch_all(self) -> None:
        """Fetch what every live page lacks (before the store's connections close)."""
        with self._lock:
            live = list(self._live)
        for page in live:
            # A page that cannot be fetched now raises its StoreError when an event needs it.
            with contextlib.suppress(LedgerError):
                page.fetched()


__all__ = ["Fetch", "Page", "Pages"]

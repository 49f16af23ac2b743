"""What a read fetches of a stored row: all its decoded columns, or a hot half and later the rest.

A replay's events are built with where each sits and when it happened (:data:`MADE_AT_ONCE`),
and their payload is the group folds read most: the :data:`HOT_COLUMNS` hold what those
need, the :data:`COLD_COLUMNS` the rest of the envelope, fetched for a page's rows when one
of its events first needs it (``persistence/pages.py``), and :func:`merged` puts the two
halves back in :data:`~ledger.persistence.schema.DECODED_COLUMNS` order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol

import attrs

from ledger.persistence.schema import DECODED_COLUMNS

Row = Sequence[Any]

MADE_AT_ONCE: Final = frozenset({"stream", "sequence", "position", "valid_time"})
"""The envelope fields a replayed event is built with: where it sits and when it happened,
which nearly every fold reads. The rest of the envelope is one group made when one of its
fields is first read, the payload's fields another (see :mod:`ledger.deferred`)."""

HOT_COLUMNS: Final = (
    "position",
    "type",
    "version",
    "stream",
    "sequence",
    "valid_edtf",
    "payload",
    "valid_earliest",
    "valid_latest",
)
"""What a replay fetches of each row at once: what its events are built with, and the payload
(its fields are a group of their own, which folds often read). Each column fetched costs a
replay 0.2-0.6 us a row, as much as the rest of building its event."""

COLD_COLUMNS: Final = ("position", *(c for c in DECODED_COLUMNS if c not in HOT_COLUMNS))
"""What it fetches of a page's rows when an event of the page first needs the rest of its
envelope: the page's rows again, by the same query (events are never changed)."""


class Rows(Protocol):
    """Where a deferring read finds the whole row of a hot one (a replay's page)."""

    def whole(self, hot: Row) -> Row:
        """The :data:`DECODED_COLUMNS` of the row ``hot`` (:data:`HOT_COLUMNS`) is part of."""
        ...


def _merger() -> Callable[[Row, Row], Row]:
    parts = [
        f"hot[{HOT_COLUMNS.index(name)}]"
        if name in HOT_COLUMNS
        else f"cold[{COLD_COLUMNS.index(name)}]"
        for name in DECODED_COLUMNS
    ]
    scope: dict[str, Any] = {}
    exec(f"def merge(hot, cold):\n    return ({', '.join(parts)},)\n", scope)  # names only
    merge: Callable[[Row, Row], Row] = scope["merge"]
    return merge


merged: Final = _merger()
"""``merged(hot, cold)``: the row in :data:`DECODED_COLUMNS` order from its two halves."""

HOT_AT: Final = tuple(DECODED_COLUMNS.index(name) for name in HOT_COLUMNS)


@attrs.frozen
class Given:
    """The whole row itself, for a deferring read of a row already fetched whole."""

    row: Row

    def whole(self, hot: Row) -> Row:
        return self.row


WHOLE_AT: Final = {name: i for i, name in enumerate(DECODED_COLUMNS)}
"""Where each column is in a row read whole."""
HOT_LAYOUT: Final = {name: i for i, name in enumerate(HOT_COLUMNS)}
"""Where each column is in a hot row."""
HOT_TYPE: Final = HOT_LAYOUT["type"]

__all__ = [
    "COLD_COLUMNS",
    "HOT_AT",
    "HOT_COLUMNS",
    "HOT_LAYOUT",
    "HOT_TYPE",
    "MADE_AT_ONCE",
    "WHOLE_AT",
    "Given",
    "Row",
    "Rows",
    "merged",
]

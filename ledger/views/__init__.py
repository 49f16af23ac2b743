"""Answers as people read them: names for ids, titled tables that fit a terminal, footnotes.

The CLI prints these views; a notebook renders the same ones::

    state = ledger.state("ILRS", "2021-03-10")
    print(state_view(state, ledger.names(state_ids(state))).render("github"))

Each view also carries the exact rows (entity ids, every column) for csv, json and jsonl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.dates.lazy import lazy_attributes
from ledger.domain.names import Names
from ledger.views.layout import Footnotes, Table, View
from ledger.views.state import conflict_table, state_ids, state_title, state_view

if TYPE_CHECKING:
    from ledger.views.listings import (
        conflicts_ids,
        conflicts_view,
        diff_ids,
        diff_view,
        timeline_ids,
        timeline_view,
    )
    from ledger.views.pictures import lane_over

# Listings and pictures are imported when first used: a state's view needs neither.
_LAZY = {
    "conflicts_ids": "ledger.views.listings",
    "conflicts_view": "ledger.views.listings",
    "diff_ids": "ledger.views.listings",
    "diff_view": "ledger.views.listings",
    "timeline_ids": "ledger.views.listings",
    "timeline_view": "ledger.views.listings",
    "lane_over": "ledger.views.pictures",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "Footnotes",
    "Names",
    "Table",
    "View",
    "conflict_table",
    "conflicts_ids",
    "conflicts_view",
    "diff_ids",
    "diff_view",
    "lane_over",
    "state_ids",
    "state_title",
    "state_view",
    "timeline_ids",
    "timeline_view",
]

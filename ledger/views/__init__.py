"""Answers as people read them: names for ids, titled tables that fit a terminal, footnotes.

The CLI prints these views; a notebook renders the same ones::

    state = ledger.state("ILRS", "2021-03-10")
    print(state_view(state, ledger.names(state_ids(state))).render("github"))

Each view also carries the exact rows (entity ids, every column) for csv, json and jsonl.
"""

from __future__ import annotations

from ledger.domain.names import Names
from ledger.views.layout import Footnotes, Table, View
from ledger.views.listings import (
    conflicts_ids,
    conflicts_view,
    diff_ids,
    diff_view,
    timeline_ids,
    timeline_view,
)
from ledger.views.pictures import lane_over
from ledger.views.state import conflict_table, state_ids, state_title, state_view

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

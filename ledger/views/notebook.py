"""Results in a notebook: the terminal's tables as HTML, and records as typed DataFrames.

This module is the renderer ``ledger.domain.display`` uses (``html`` and ``frame``, given
in ``ledger/__init__.py``): a state, timeline or conflicts value shown in Jupyter renders
through here. pandas is the optional ``notebook`` extra, imported only by ``to_pandas()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ledger.domain.names import Names
from ledger.domain.state import Conflicts, ProgramState
from ledger.domain.timeline import Timeline
from ledger.errors import MissingExtraError
from ledger.views.listings import conflicts_view, timeline_view
from ledger.views.records import conflict_side_rows, entry_record, fact_records
from ledger.views.state import state_view

__all__ = [
    "conflicts_frame",
    "conflicts_html",
    "frame",
    "html",
    "records_frame",
    "state_frame",
    "state_html",
    "timeline_frame",
    "timeline_html",
]

_DATES = ("earliest", "latest")
_BOOLEANS = ("certain", "conflict", "corrected", "derived")
_LISTS = ("confidence", "sources", "quotes", "events")


def state_html(state: ProgramState) -> str:
    """The state's tables as HTML (entity ids, as the value holds them)."""
    return state_view(state, Names()).render("html")


def timeline_html(timeline: Timeline) -> str:
    """The timeline's table as HTML."""
    return timeline_view(timeline, Names()).render("html")


def conflicts_html(conflicts: Conflicts) -> str:
    """The disagreements' table as HTML."""
    return conflicts_view(conflicts, Names()).render("html")


def records_frame(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """Records as a DataFrame: ISO bounds as datetime64[s] (NaT when open), booleans as
    pandas booleans, lists as lists, every other column as pandas strings."""
    try:
        import pandas as pd
    except ImportError as error:
        raise MissingExtraError("to_pandas()", "notebook", "pandas") from error
    data: dict[str, Any] = {}
    for column in columns:
        values = [record.get(column) for record in records]
        if column in _DATES:
            data[column] = pd.array(values, dtype="datetime64[s]")
        elif column in _BOOLEANS:
            data[column] = pd.array(values, dtype="boolean")
        elif column in _LISTS and all(v is None or isinstance(v, list | tuple) for v in values):
            data[column] = pd.Series(
                [list(v) if isinstance(v, list | tuple) else [] for v in values], dtype=object
            )
        else:
            data[column] = pd.array([None if v is None else str(v) for v in values], dtype="string")
    return pd.DataFrame(data, columns=list(columns))


def state_frame(state: ProgramState) -> Any:
    """One row per fact (as ``ledger state --format csv``), typed."""
    records = fact_records(state)
    columns = list(records[0]) if records else ["program", "as_of", "section", "fact"]
    return records_frame(records, columns)


def timeline_frame(timeline: Timeline) -> Any:
    """One row per claim, typed."""
    records = [entry_record(entry) for entry in timeline]
    columns = list(records[0]) if records else ["date", "earliest", "latest", "event"]
    return records_frame(records, columns)


def conflicts_frame(conflicts: Conflicts) -> Any:
    """One row per side of each disagreement, typed."""
    records = conflict_side_rows(conflicts)
    columns = list(records[0]) if records else ["kind", "entity", "about", "value"]
    return records_frame(records, columns)


def html(value: object) -> str | None:
    """A result's tables as HTML, as its view renders them; None for any other value."""
    match value:
        case ProgramState():
            return state_html(value)
        case Timeline():
            return timeline_html(value)
        case Conflicts():
            return conflicts_html(value)
    return None


def frame(value: object) -> Any:
    """A result's records as a typed DataFrame; None for any other value."""
    match value:
        case ProgramState():
            return state_frame(value)
        case Timeline():
            return timeline_frame(value)
        case Conflicts():
            return conflicts_frame(value)
    return None

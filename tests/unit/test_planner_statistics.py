"""The columns a bulk import has PostgreSQL sample are the columns reads filter and order by."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, get_type_hints

from sqlalchemy import Column
from sqlalchemy.sql import visitors

from ledger.domain.events import StatusChanged
from ledger.persistence.mapper import DEFAULT_MAPPER
from ledger.persistence.postgres import FILTERED
from ledger.persistence.queries import EventFilter, event_filters
from ledger.persistence.schema import events

EVERY_FILTER: dict[str, Any] = {
    "after": 3,
    "subject": ["ilrs", "cnsa"],
    "types": [StatusChanged, "MemberJoined"],
    "valid_from": "2019",
    "valid_to": "2021-03",
    "known_at": datetime(2021, 3, 10, tzinfo=UTC),
}


def _columns_of_events(conditions: list[Any]) -> set[str]:
    return {
        element.name
        for condition in conditions
        for element in visitors.iterate(condition)
        if isinstance(element, Column) and element.table is events
    }


def test_every_filter_is_exercised() -> None:
    """The filters below are every filter a read takes: one added to EventFilter must be
    added here, so that its columns are checked too."""
    assert set(EVERY_FILTER) == set(get_type_hints(EventFilter))


def test_analyze_samples_every_column_reads_filter_on() -> None:
    """Every column of ``events`` that a read's conditions name, and the position it pages
    and orders by, is among the columns ANALYZE samples after a bulk import (FILTERED):
    a column left out would leave the planner guessing its selectivity."""
    used = _columns_of_events(event_filters(DEFAULT_MAPPER, EVERY_FILTER))  # type: ignore[arg-type]
    assert used >= {"stream", "position", "type", "valid_earliest", "valid_latest", "recorded_at"}
    assert used | {"position"} <= set(FILTERED)

"""The ledger's sources as CSL-JSON (the Citation Style Language's data format), which Zotero,
Pandoc and citeproc processors import.

Each source is one item: ``id``, ``type`` ("webpage" when it has an address, else
"document"), ``title``, ``container-title`` and ``publisher`` (its publisher), ``issued`` as
CSL date parts with only the parts the source's EDTF date gives (``circa`` when it is
uncertain or approximate, two parts for a range), ``URL``, ``language``, ``author`` as literal
names, and ``accessed``: the day the ledger recorded it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.dates import HistoricalDate, Kind, Precision
from ledger.dates.calendar import ordinal_to_ymd
from ledger.domain.events import SourceRegistered
from ledger.domain.report import source_title

__all__ = ["CSL_TYPES", "csl_date", "csl_item", "csl_items"]

CSL_TYPES = ("webpage", "document")
"""The CSL item types this export uses."""

_PARTS = {Precision.DAY: 3, Precision.SECOND: 3, Precision.MONTH: 2}


def _parts(day: int, count: int) -> list[int]:
    return list(ordinal_to_ymd(day))[:count]


def csl_date(value: HistoricalDate) -> dict[str, Any] | None:
    """A CSL date for an EDTF date: date parts as precise as the date, a range as two parts."""
    if value.kind is Kind.INTERVAL and value.start is not None and value.end is not None:
        start, end = csl_date(value.start), csl_date(value.end)
        if start and end:
            return {"date-parts": [start["date-parts"][0], end["date-parts"][0]]}
    if value.kind is Kind.DATE and value.earliest is not None:
        found: dict[str, Any] = {
            "date-parts": [_parts(value.earliest, _PARTS.get(value.precision, 1))]
        }
        if value.qualifiers:
            found["circa"] = True
        return found
    if value.earliest is not None and value.latest is not None:
        return {"date-parts": [_parts(value.earliest, 3), _parts(value.latest, 3)]}
    return {"literal": value.edtf} if value.edtf else None


def csl_item(source: SourceRegistered) -> dict[str, Any]:
    """One source as a CSL-JSON item."""
    item: dict[str, Any] = {
        "id": source.stream.removeprefix("source:"),
        "type": "webpage" if source.url else "document",
        "title": source_title(source.title, source.url, source.publisher),
    }
    if source.publisher:
        item["container-title"] = source.publisher
        item["publisher"] = source.publisher
    if source.authors:
        item["author"] = [{"literal": name} for name in source.authors]
    issued = csl_date(source.valid_time) if source.valid_time.edtf else None
    if issued:
        item["issued"] = issued
    if source.url:
        item["URL"] = source.url
    if source.language:
        item["language"] = source.language
    if source.recorded_at is not None:
        day = source.recorded_at.date()
        item["accessed"] = {"date-parts": [[day.year, day.month, day.day]]}
    if source.translation_of:
        item["note"] = f"translation of {source.translation_of}"
    return item


def csl_items(sources: Iterable[SourceRegistered]) -> list[dict[str, Any]]:
    """Every source as CSL-JSON items, in ledger order, once each (a re-registration wins)."""
    found: dict[str, dict[str, Any]] = {}
    for source in sources:
        item = csl_item(source)
        found[item["id"]] = item
    return list(found.values())

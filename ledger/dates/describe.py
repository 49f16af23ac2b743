"""Plain, JSON-ready descriptions of dates, shared by the CLI, reports and notebooks."""

from __future__ import annotations

from ledger.dates.calendar import ordinal_to_iso
from ledger.dates.model import HistoricalDate

Description = dict[str, str | list[str] | None]


def iso_or_none(ordinal: int | None) -> str | None:
    """ISO day (signed and widened where needed) of an ordinal, None when unknown."""
    return None if ordinal is None else ordinal_to_iso(ordinal)


def describe(
    value: HistoricalDate, *, phrase: str | None = None, reference: HistoricalDate | None = None
) -> Description:
    """``edtf``, ``earliest``, ``latest``, ``precision``, ``qualifiers`` (+ phrase, reference)."""
    record: Description = {
        "edtf": value.edtf,
        "earliest": iso_or_none(value.earliest),
        "latest": iso_or_none(value.latest),
        "precision": str(value.precision),
        "qualifiers": [str(q) for q in value.qualifiers],
    }
    if phrase is not None:
        record["phrase"] = phrase
    if reference is not None:
        record["reference"] = reference.edtf
    return record

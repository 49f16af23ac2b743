"""Where an event's envelope goes in a stored row, derived from the classes' own fields.

One list, taken from ``attrs.fields`` of :class:`Event` and :class:`Citation`: each envelope
field has its column (the citation flattened as ``citation_*``, the valid time as its EDTF
text and its day bounds). The mapper, the generated readers and the generated writers all
place fields by these tuples, so a field added to either class without its column fails at
import instead of being dropped.
"""

from __future__ import annotations

from typing import Final

import attrs

from ledger.domain.events import Citation, Event
from ledger.persistence import canonical as k
from ledger.persistence.schema import EVENT_COLUMNS

ENVELOPE: Final = tuple(f.name for f in attrs.fields(Event))
"""The envelope fields, in class order: the one list, taken from :class:`Event` itself."""
CITATION: Final = tuple(f.name for f in attrs.fields(Citation))
ASSIGNED: Final = ("sequence", "position", "recorded_at")
"""Envelope fields the store assigns when it appends (a caller's recorded_at is checked)."""
NAMES: Final = frozenset(
    f.name for f in attrs.fields(Event) if f.type in ("tuple[str, ...]", tuple[str, ...])
)
"""Envelope fields that are lists of names (stored as JSON arrays)."""
_VALID = ("valid_edtf", "valid_earliest", "valid_latest")


def _column_of(field: str) -> tuple[str, ...]:
    if field == "citation":
        return tuple(f"citation_{name}" for name in CITATION)
    if field == "valid_time":
        return _VALID
    return (field,)


_DERIVED = {column for field in ENVELOPE for column in _column_of(field)}
if _DERIVED | {"type", "version", "payload", "prev_hash", "hash"} != set(EVENT_COLUMNS):
    raise ImportError(  # pragma: no cover
        f"the events table and the envelope differ: {sorted(_DERIVED ^ set(EVENT_COLUMNS))}"
    )
CITATION_AT: Final = tuple((name, EVENT_COLUMNS.index(f"citation_{name}")) for name in CITATION)
TEXT_AT: Final = tuple(
    (name, EVENT_COLUMNS.index(name))
    for name in ENVELOPE
    if name not in NAMES
    and name not in ("id", "valid_time", "citation", "confidence")
    and name not in ASSIGNED
)
"""Envelope fields stored as their own text, and their columns."""
NAMES_AT: Final = tuple((name, EVENT_COLUMNS.index(name)) for name in ENVELOPE if name in NAMES)
NAME_LISTS: Final = (
    *((False, name, at) for name, at in NAMES_AT),
    (True, "also_cited", EVENT_COLUMNS.index("citation_also_cited")),
)
"""Where lists of names are read into: (into the citation?, field, column)."""
CITATION_TEXTS: Final = tuple(f.name for f in attrs.fields(Citation) if f.type in ("str", str))

if tuple(at for _, at in CITATION_AT) != tuple(
    range(k.CITATION_SOURCE, k.CITATION_ALSO_CITED + 1)
):  # pragma: no cover
    raise ImportError("the citation columns are no longer side by side (see reading.py)")

__all__ = [
    "ASSIGNED",
    "CITATION",
    "CITATION_AT",
    "CITATION_TEXTS",
    "ENVELOPE",
    "NAMES",
    "NAMES_AT",
    "NAME_LISTS",
    "TEXT_AT",
]

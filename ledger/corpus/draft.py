"""The state of one corpus validation: files read, entries found, problems collected.

Reading, checking and building are separate steps (``reading``, ``checks``, ``building``),
each a mixin over this state, so that each module stays about one thing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from ledger.corpus.names import EntityIndex
from ledger.corpus.schema import Errors
from ledger.corpus.yamlnodes import YamlMap
from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import Event
from ledger.errors import InvalidDateError


@attrs.define
class CorpusFile:
    """One corpus file and the defaults it gives its entries."""

    name: str
    recorded_at: datetime
    reference: HistoricalDate | None = None
    source: str | None = None
    quote_in: str | None = None
    confidence: str | None = None


@attrs.define
class SourceEntry:
    """A source as read: its fields, its text (seeds only) and how it is itself cited."""

    id: str
    file: CorpusFile
    """The corpus file that registers it (and gives its recorded time)."""
    where: str
    """The file holding its fields: the corpus file, or a seed's metadata."""
    entry: YamlMap
    fields: dict[str, Any]
    text: str = ""
    cite_source: str = ""
    """The source in whose text ``cite_quote`` is found (itself, for a seed)."""
    cite_quote: str = ""
    cite_field: str = "url"
    """The field ``cite_quote`` comes from, for error messages."""
    notes: str = ""
    translation_of: str = ""


@attrs.define
class EntityEntry:
    """An entity as read."""

    id: str
    file: CorpusFile
    entry: YamlMap
    fields: dict[str, Any]


@attrs.define
class ClaimEntry:
    """A claim as read; ``date`` is filled by the checks."""

    id: str
    file: CorpusFile
    entry: YamlMap
    fields: dict[str, Any]
    cls: type[Event]
    date: HistoricalDate | None = None


def utc_time(text: str) -> datetime | None:
    """An ISO 8601 time with a zone, in UTC; None if it is not one."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        return None
    return value.astimezone(UTC)


class Draft:
    """Everything read so far from one corpus, and the problems found in it."""

    def __init__(self, manifest: Path) -> None:
        self.manifest = manifest
        self.root = manifest.parent.parent
        self.errors = Errors()
        self.files: list[CorpusFile] = []
        self.sources: dict[str, SourceEntry] = {}
        self.entities: dict[str, EntityEntry] = {}
        self.claims: dict[str, ClaimEntry] = {}
        self.order: list[tuple[str, str]] = []
        """(kind, id) of every entry in append order."""
        self.index = EntityIndex()
        """Names of the entities read so far, to catch two entities sharing a name."""
        self.seeds = manifest.parent

    def display(self, path: Path) -> str:
        """A path as errors show it: relative to the corpus root when inside it."""
        try:
            return Path(os.path.relpath(path, self.root)).as_posix()
        except ValueError:  # another drive on Windows
            return str(path)

    def parse_date(
        self, text: str, file: str, entry: YamlMap | None, field: str
    ) -> HistoricalDate | None:
        """An EDTF value, or None after recording why it is not one."""
        try:
            return parse_edtf(text)
        except InvalidDateError as error:
            line = entry.line_of(field) if entry is not None else None
            self.errors.add(file, line, field, f"bad date: {error.reason}")
            return None

    def claim_id(self, kind: str, slug: str, file: str, line: int | None) -> bool:
        """Reserve a corpus id; False (and an error) if it is already taken."""
        taken: Mapping[str, SourceEntry | EntityEntry | ClaimEntry]
        if kind == "source":
            taken = self.sources
        elif kind == "entity":
            taken = self.entities
        else:
            taken = self.claims
        if slug in taken:
            where = taken[slug].file.name
            self.errors.add(file, line, "id", f"duplicate {kind} id {slug!r} (also in {where})")
            return False
        return True

    def add_source(self, source: SourceEntry) -> None:
        """Keep a source whose id was reserved."""
        self.sources[source.id] = source
        self.order.append(("source", source.id))

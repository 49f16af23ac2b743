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

from ledger.corpus.known import Known, KnownEntity
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
    identifiers: tuple[tuple[str, str], ...] = ()
    """External identifiers (``doi``, ``isbn``...), recorded as an ``Identified`` event."""


@attrs.define
class EntityEntry:
    """An entity as read, its names by language tag ("" for a name without one)."""

    id: str
    file: CorpusFile
    entry: YamlMap
    fields: dict[str, Any]
    names: dict[str, str] = attrs.field(factory=dict)
    """The name in each language: ``names:``, ``name_en``, ``name_ar``, ``name``."""
    aliases: tuple[tuple[str, str], ...] = ()
    """(language, alias); language "" for aliases given as a plain list."""
    identifiers: tuple[tuple[str, str], ...] = ()
    existing: KnownEntity | None = None
    """The ledger's entity of the same id, when this entry registers it again."""

    @property
    def display_name(self) -> str:
        """The name shown first: English, else Arabic, else the first name given, else the id."""
        names = self.names
        return names.get("en") or names.get("ar") or next(iter(names.values()), "") or self.id

    @property
    def tagged(self) -> bool:
        """Whether its names need more than the English-and-Arabic registration holds."""
        return bool(set(self.names) - {"en", "ar", ""}) or any(tag for tag, _ in self.aliases)


@attrs.define
class ClaimEntry:
    """A claim as read; ``date`` is filled by the checks."""

    id: str
    file: CorpusFile
    entry: YamlMap
    fields: dict[str, Any]
    cls: type[Event]
    date: HistoricalDate | None = None
    target: Event | None = None
    """The ledger's claim a correction or retraction answers, when it is not the corpus's."""


def utc_time(text: str) -> datetime | None:
    """An ISO 8601 time with a zone, in UTC; None if it is not one. A day alone
    (``2024-05-01``) is its midnight in UTC; a time of day without a zone is refused, since its
    zone would be a guess."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC) if len(text.strip()) == 10 else None
    return value.astimezone(UTC)


LEDGER_FILE = CorpusFile(name="the ledger", recorded_at=datetime.min.replace(tzinfo=UTC))
"""Stands for the file of what the ledger already holds: recorded before any corpus."""


class Validation:
    """Everything read so far from one corpus, and the problems found in it."""

    def __init__(self, manifest: Path, known: Known | None = None) -> None:
        self.manifest = manifest
        self.known = known if known is not None else Known()
        """What the ledger the corpus goes into already holds."""
        self.warnings = Errors()
        """Problems that do not stop an import (a name two entities share across corpora)."""
        self.reported: dict[tuple[str, str], list[str]] = {}
        """Unknown entities and sources by (kind, id): where else each is named, so it is
        reported once with its suggestions rather than once per claim."""
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
        for entity in self.known.entities.values():
            self.index.add(entity.id, entity.names)
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
            other = taken[slug]
            where = other.where if isinstance(other, SourceEntry) else other.file.name
            self.errors.add(
                file,
                line,
                "id",
                f"duplicate {kind} id {slug!r} (also in {where}:{other.entry.line_of('id')})",
            )
            return False
        return True

    def ledger_source(self, source_id: str) -> SourceEntry | None:
        """The ledger's source ``source_id`` as an entry (never rebuilt), if the ledger has it."""
        known = self.known.sources.get(source_id)
        if known is None:
            return None
        entry = YamlMap()
        entry.line, entry.key_lines = 0, {}
        found = SourceEntry(
            id=source_id,
            file=LEDGER_FILE,
            where=known.origin,
            entry=entry,
            fields={"title": known.title, "url": known.url, "date": known.date.edtf},
            text=known.text,
        )
        self.sources[source_id] = found
        return found

    def add_source(self, source: SourceEntry) -> None:
        """Keep a source whose id was reserved."""
        self.sources[source.id] = source
        self.order.append(("source", source.id))

"""The fields a corpus file may hold, their kinds, and a reader that reports every misfit.

Each kind of entry (a source, an entity, a claim of some event type) has a table of fields.
``read_fields`` checks one YAML mapping against its table: unknown fields, missing required
fields and values of the wrong shape each become a ``FixtureError`` with file, line and
field, and reading goes on so that one run shows every problem. Claim payload fields are
derived from the event classes, so a new event type needs no change here.
"""

from __future__ import annotations

import difflib
import enum
import math
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ledger.corpus.yamlnodes import YamlList, YamlMap
from ledger.domain.entities import ENTITY_KINDS as DOMAIN_ENTITY_KINDS
from ledger.domain.events import ENVELOPE_FIELDS, EVENT_TYPES, Confidence, Event
from ledger.errors import FixtureError


class Kind(enum.Enum):
    """The shape a field's value must have."""

    TEXT = "text"
    """A string (may span lines)."""
    LINE = "line"
    """A string on one line."""
    TEXTS = "texts"
    """A list of strings (a single string is taken as a list of one)."""
    SLUG = "slug"
    """A lowercase id: letters, digits and single hyphens."""
    ENTITY = "entity"
    """An entity id (checked against the catalogue later)."""
    ENTITIES = "entities"
    """A list of entity ids."""
    SOURCE = "source"
    """A source id."""
    SOURCES = "sources"
    """A list of source ids."""
    EVENT = "event"
    """The id of a claim in the corpus (for corrections and retractions)."""
    EDTF = "edtf"
    """An EDTF date (checked by the date parser later)."""
    TIMESTAMP = "timestamp"
    """An ISO 8601 time in UTC (``2021-03-10T00:00:00Z``)."""
    CONFIDENCE = "confidence"
    """One of the confidence levels."""
    INT = "int"
    SCALAR = "scalar"
    """A string, number or boolean."""
    MAPPING = "mapping"
    """Field names to scalar values (a correction's changes)."""
    ANY = "any"
    """A nested structure checked by its own reader."""


@attrs.frozen
class Field:
    """One field of an entry: its name, the shape of its value, and whether it must be given."""

    name: str
    kind: Kind
    required: bool = False


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CONFIDENCES = tuple(c.value for c in Confidence)

ENTITY_REFERENCE_FIELDS = frozenset(
    {"member", "party", "by", "mission", "authority"}
    | {"parties", "signatories", "restricted", "counterparties", "excluding"}
)
"""Payload fields that name entities (checked against the catalogue); the rest are labels."""

CATALOGUE_TYPES = frozenset({"SourceRegistered", "EntityRegistered", "EntityNamed", "Identified"})
"""Event types that come from the ``sources`` and ``entities`` sections, not ``events``."""

ENTITY_KINDS = tuple(DOMAIN_ENTITY_KINDS)
"""The entity kinds the ledger documents; another lowercase word is a kind too, unless it is
close enough to one of these to be a misspelling."""

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
"""A BCP 47 language tag, loosely: ``en``, ``ar``, ``ru``, ``zh-Hans``, ``sr-Latn-RS``."""

SCHEME = re.compile(r"[a-z][a-z0-9_-]*")
"""The name of an identifier scheme (``wikidata``, ``doi``, ``isbn``)."""


# --- the tables ----------------------------------------------------------------------------

FILE_FIELDS = (
    Field("recorded_at", Kind.TIMESTAMP, required=True),
    Field("reference", Kind.EDTF),
    Field("source", Kind.SOURCE),
    Field("quote_in", Kind.SOURCE),
    Field("confidence", Kind.CONFIDENCE),
    Field("sources", Kind.ANY),
    Field("entities", Kind.ANY),
    Field("events", Kind.ANY),
)
"""Top level of a corpus file: when its entries were learned, and defaults for them."""

MANIFEST_FIELDS = (
    Field("seeds", Kind.LINE),
    Field("files", Kind.TEXTS),
)
"""Both optional: ``seeds`` defaults to ``../seeds``; ``files`` to every other YAML file of
the manifest's folder, by name."""

SEED_FIELDS = (
    Field("id", Kind.SLUG, required=True),
    Field("text", Kind.LINE, required=True),
    Field("sha256", Kind.LINE),
    Field("title", Kind.LINE, required=True),
    Field("title_en", Kind.LINE),
    Field("kind", Kind.LINE),
    Field("language", Kind.LINE),
    Field("date", Kind.EDTF),
    Field("date_note", Kind.TEXT),
    Field("confidence", Kind.CONFIDENCE),
    Field("url", Kind.LINE),
    Field("doi", Kind.LINE),
    Field("ids", Kind.ANY),
    Field("publisher", Kind.LINE),
    Field("authors", Kind.TEXTS),
    Field("translation_of", Kind.ANY),
    Field("translation_errors", Kind.ANY),
    Field("companion_files", Kind.TEXTS),
    Field("notes", Kind.TEXT),
)
"""A seed's metadata file, beside its text in the seeds folder."""

ORIGINAL_FIELDS = (
    Field("id", Kind.SLUG, required=True),
    Field("title", Kind.LINE, required=True),
    Field("language", Kind.LINE, required=True),
    Field("date", Kind.EDTF, required=True),
    Field("date_note", Kind.TEXT),
    Field("confidence", Kind.CONFIDENCE),
    Field("url", Kind.LINE),
    Field("publisher", Kind.LINE),
    Field("authors", Kind.TEXTS),
    Field("notes", Kind.TEXT),
)
"""The source a seed translates, described inside the seed's metadata."""

TRANSLATION_ERROR_FIELDS = (
    Field("text", Kind.LINE, required=True),
    Field("original", Kind.LINE, required=True),
    Field("meaning", Kind.LINE),
    Field("better", Kind.LINE),
    Field("note", Kind.TEXT),
)

SOURCE_FIELDS = (
    Field("id", Kind.SLUG, required=True),
    Field("url", Kind.LINE),
    Field("title", Kind.LINE),
    Field("publisher", Kind.LINE),
    Field("authors", Kind.TEXTS),
    Field("language", Kind.LINE),
    Field("date", Kind.EDTF),
    Field("confidence", Kind.CONFIDENCE),
    Field("translation_of", Kind.SOURCE),
    Field("notes", Kind.TEXT),
    Field("doi", Kind.LINE),
    Field("ids", Kind.ANY),
    Field("quote_in", Kind.SOURCE),
)
"""A source without text in the ledger (a web page known by its URL, a book by its title)."""

SEEDED_SOURCE_FIELDS = (Field("seed", Kind.LINE, required=True),)
"""A source whose text and metadata are in the seeds folder."""

ENTITY_FIELDS = (
    Field("id", Kind.SLUG, required=True),
    Field("kind", Kind.LINE, required=True),
    Field("name", Kind.LINE),
    Field("names", Kind.ANY),
    Field("name_en", Kind.LINE),
    Field("name_ar", Kind.LINE),
    Field("aliases", Kind.ANY),
    Field("ids", Kind.ANY),
    Field("part_of", Kind.ENTITIES),
    Field("quote", Kind.TEXT),
    Field("source", Kind.SOURCE),
    Field("quote_in", Kind.SOURCE),
    Field("date", Kind.EDTF),
    Field("confidence", Kind.CONFIDENCE),
    Field("summary", Kind.LINE),
)

CLAIM_FIELDS = (
    Field("id", Kind.SLUG, required=True),
    Field("type", Kind.LINE, required=True),
    Field("stream", Kind.ENTITY, required=True),
    Field("subjects", Kind.ENTITIES),
    Field("participants", Kind.ENTITIES),
    Field("date", Kind.EDTF),
    Field("phrase", Kind.LINE),
    Field("date_reason", Kind.TEXT),
    Field("quote", Kind.TEXT, required=True),
    Field("source", Kind.SOURCE),
    Field("quote_in", Kind.SOURCE),
    Field("also_cited", Kind.SOURCES),
    Field("confidence", Kind.CONFIDENCE),
    Field("summary", Kind.LINE),
    Field("fact", Kind.SLUG),
    Field("reference", Kind.EDTF),
)
"""The envelope of a claim; its payload fields come from its event type."""

_KIND_OF_ANNOTATION = {
    "str": Kind.TEXT,
    "tuple[str, ...]": Kind.TEXTS,
    "int": Kind.INT,
    "Scalar": Kind.SCALAR,
    "uuid.UUID": Kind.EVENT,
    "tuple[tuple[str, Any], ...]": Kind.MAPPING,
}


def payload_fields(event_type: type[Event]) -> tuple[Field, ...]:
    """The payload fields of an event type as fixture fields (required if no default)."""
    fields = []
    for f in attrs.fields(event_type):
        if f.name in ENVELOPE_FIELDS:
            continue
        annotation = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        kind = _KIND_OF_ANNOTATION.get(annotation, Kind.ANY)
        if f.name in ENTITY_REFERENCE_FIELDS:
            kind = Kind.ENTITIES if kind is Kind.TEXTS else Kind.ENTITY
        fields.append(Field(f.name, kind, required=f.default is attrs.NOTHING))
    return tuple(fields)


CLAIM_TYPES: Mapping[str, type[Event]] = {
    name: cls for name, cls in EVENT_TYPES.items() if name not in CATALOGUE_TYPES
}
"""Event types a claim file may use."""

# --- reading -------------------------------------------------------------------------------


@attrs.define
class Errors:
    """The problems found so far, in the order found."""

    found: list[FixtureError] = attrs.field(factory=list)

    def add(self, file: str, line: int | None, field: str | None, message: str) -> None:
        """Record one problem."""
        self.found.append(FixtureError(file, line, field, message))

    def __bool__(self) -> bool:
        return bool(self.found)

    def __len__(self) -> int:
        return len(self.found)


def describe_value(value: Any) -> str:
    """A value as an error message shows it (short)."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def check_value(kind: Kind, value: Any) -> tuple[Any, str | None]:
    """``value`` in the shape ``kind`` asks for, or an explanation of why it is not."""
    if kind in (Kind.TEXT, Kind.ENTITY, Kind.SOURCE, Kind.EVENT):
        if isinstance(value, str):
            return value, None
        return None, f"expected text, got {describe_value(value)}"
    if kind is Kind.LINE:
        if isinstance(value, str) and "\n" not in value:
            return value, None
        return None, f"expected one line of text, got {describe_value(value)}"
    if kind in (Kind.TEXTS, Kind.ENTITIES, Kind.SOURCES):
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            return tuple(items), None
        return None, f"expected a list of text, got {describe_value(value)}"
    if kind is Kind.SLUG:
        if isinstance(value, str) and SLUG.fullmatch(value):
            return value, None
        return None, (
            f"expected an id of lowercase letters, digits and hyphens, got {describe_value(value)}"
        )
    if kind in (Kind.EDTF, Kind.TIMESTAMP):
        # YAML reads 2011 as a number; a year is still a date.
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            return value, None
        return None, f"expected a date as text, got {describe_value(value)}"
    if kind is Kind.CONFIDENCE:
        if isinstance(value, str) and value.strip().casefold() in CONFIDENCES:
            return value.strip().casefold(), None
        return None, (
            f"confidence must be one of {', '.join(CONFIDENCES)}, not {describe_value(value)}"
        )
    if kind is Kind.INT:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, f"expected a whole number, got {describe_value(value)}"
    if kind is Kind.SCALAR:
        # NaN and infinity are YAML floats (.nan, .inf) but no JSON value: the store refuses them.
        finite = not isinstance(value, float) or math.isfinite(value)
        if isinstance(value, str | int | float | bool) and finite:
            return value, None
        return None, f"expected text, a number or true/false, got {describe_value(value)}"
    if kind is Kind.MAPPING:
        if isinstance(value, dict) and all(
            isinstance(v, str | int | float | bool | list) for v in value.values()
        ):
            return dict(value), None
        return None, f"expected field: value pairs, got {describe_value(value)}"
    return value, None


def read_fields(
    entry: Any,
    fields: tuple[Field, ...],
    file: str,
    line: int | None,
    errors: Errors,
    what: str,
) -> dict[str, Any] | None:
    """Check one mapping against ``fields``; the values that passed, or None if not a mapping.

    Every problem is added to ``errors``; a field that fails is left out of the result.
    """
    if not isinstance(entry, YamlMap):
        errors.add(file, line, None, f"{what} must be a mapping of field: value")
        return None
    known = {f.name: f for f in fields}
    result: dict[str, Any] = {}
    for key, value in entry.items():
        spec = known.get(key)
        if spec is None:
            hint = _closest(key, known)
            errors.add(file, entry.line_of(key), key, f"unknown field for {what}{hint}")
            continue
        if value is None:
            if spec.required:
                errors.add(file, entry.line_of(key), key, "required field is empty")
            continue
        checked, problem = check_value(spec.kind, value)
        if problem is not None:
            errors.add(file, entry.line_of(key), key, problem)
            continue
        if spec.kind is Kind.ANY and isinstance(value, YamlMap | YamlList):
            checked = value
        result[key] = checked
    for spec in fields:
        if spec.required and spec.name not in entry:
            errors.add(file, entry.line, spec.name, f"missing required field for {what}")
    return result


def _closest(key: str, known: Mapping[str, Field]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def line_of(entry: Any, key: str, default: int | None) -> int | None:
    """The line of ``key`` in a mapping read from YAML, else ``default``."""
    if isinstance(entry, YamlMap):
        return entry.line_of(key)
    return default

"""The vocabulary a corpus writes in: event types and entity kinds, described from the classes.

``ledger types`` prints it and ``docs/types.md`` holds the same page (a test keeps them equal),
so what a historian reads is what the loader accepts: every field, whether it is required,
the shape of its value, and what it means (the attribute's docstring in ``domain/events``).
"""

from __future__ import annotations

import ast
import inspect
import itertools
from collections.abc import Mapping

import attrs

from ledger.corpus.schema import CLAIM_FIELDS, CLAIM_TYPES, Field, Kind, payload_fields
from ledger.domain import events as events_module
from ledger.domain.entities import ENTITY_KINDS
from ledger.domain.events import EVENT_TYPES, Event
from ledger.errors import UnknownEntityError

_SHAPES = {
    Kind.TEXT: "text",
    Kind.LINE: "one line of text",
    Kind.TEXTS: "list of text",
    Kind.SLUG: "id (lowercase, digits, hyphens)",
    Kind.ENTITY: "entity id",
    Kind.ENTITIES: "list of entity ids",
    Kind.SOURCE: "source id",
    Kind.SOURCES: "list of source ids",
    Kind.EVENT: "claim id",
    Kind.EDTF: "EDTF date",
    Kind.TIMESTAMP: "UTC time",
    Kind.CONFIDENCE: "low, medium, medium-high or high",
    Kind.INT: "whole number",
    Kind.SCALAR: "text, number or true/false",
    Kind.MAPPING: "field: value pairs",
    Kind.ANY: "structure",
}

_ENVELOPE_MEANING = {
    "id": "stable slug of the claim; its event id derives from it (never rename)",
    "type": "the event type (one of the types below)",
    "stream": "the entity the claim is about (its subject)",
    "subjects": "other entities whose state the claim changes",
    "participants": "entities taking part without being changed (speakers, hosts)",
    "date": "when it happened, as EDTF (2021-03, 2020-11-12/2020-11-15, [..2021-03-09])",
    "phrase": "the date as the source writes it, part of the quote; resolved against the "
    "reference day",
    "date_reason": "why the date is read as it is, where it is not the phrase's",
    "quote": "the source's exact words, found once in its text",
    "source": "the source making the claim (default: the file's source)",
    "quote_in": "the source whose text holds the quote, when not the source itself",
    "also_cited": "further sources saying the same",
    "confidence": "how far the source can be trusted for it (default: the file's, else medium)",
    "summary": "one line in English (default: the quote, shortened)",
    "fact": "a key shared by claims about the same happening",
    "reference": "the day phrases are read against (default: the file's, else the source's date)",
}


@attrs.frozen
class FieldInfo:
    """One field of an event type as a corpus writes it."""

    name: str
    shape: str
    required: bool
    meaning: str


@attrs.frozen
class TypeInfo:
    """One event type: its name, what it means, and its payload fields."""

    name: str
    meaning: str
    fields: tuple[FieldInfo, ...]
    claim: bool
    """Whether a corpus writes it in ``events:`` (else it is made from another section)."""


def _attribute_docs() -> dict[str, dict[str, str]]:
    """The docstrings written under attributes in ``domain/events.py``, by class and name."""
    tree = ast.parse(inspect.getsource(events_module))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        body = node.body
        for first, second in itertools.pairwise(body):
            if (
                isinstance(first, ast.AnnAssign)
                and isinstance(first.target, ast.Name)
                and isinstance(second, ast.Expr)
                and isinstance(second.value, ast.Constant)
                and isinstance(second.value.value, str)
            ):
                docs[first.target.id] = " ".join(second.value.value.split())
        found[node.name] = docs
    return found


def _summary(cls: type[Event]) -> str:
    doc = inspect.getdoc(cls) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _field(spec: Field, meaning: str) -> FieldInfo:
    return FieldInfo(spec.name, _SHAPES[spec.kind], spec.required, meaning)


def event_types() -> tuple[TypeInfo, ...]:
    """Every event type, in the order of ``EVENT_TYPES``."""
    docs = _attribute_docs()
    found = []
    for name, cls in EVENT_TYPES.items():
        own: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            own.update(docs.get(klass.__name__, {}))
        fields = tuple(_field(f, own.get(f.name, "")) for f in payload_fields(cls))
        found.append(TypeInfo(name, _summary(cls), fields, name in CLAIM_TYPES))
    return tuple(found)


def claim_fields() -> tuple[FieldInfo, ...]:
    """The fields every claim has, whatever its type."""
    return tuple(_field(f, _ENVELOPE_MEANING.get(f.name, "")) for f in CLAIM_FIELDS)


def entity_kinds() -> Mapping[str, str]:
    """The documented entity kinds and their meaning."""
    return ENTITY_KINDS


def _table(fields: tuple[FieldInfo, ...]) -> list[str]:
    lines = ["| field | value | required | meaning |", "|---|---|---|---|"]
    for f in fields:
        lines.append(f"| `{f.name}` | {f.shape} | {'yes' if f.required else ''} | {f.meaning} |")
    return lines


def render_type(info: TypeInfo) -> str:
    """One event type as Markdown."""
    lines = [f"### {info.name}", "", info.meaning, ""]
    if not info.claim:
        lines += ["Made by the loader from the `sources` and `entities` sections.", ""]
    if info.fields:
        lines += _table(info.fields)
    else:
        lines.append("No fields beyond those of every claim.")
    return "\n".join(lines) + "\n"


def find_type(name: str) -> TypeInfo:
    """The event type named ``name`` (any case); ``UnknownEntityError`` with the closest."""
    types = {t.name.casefold(): t for t in event_types()}
    found = types.get(name.casefold())
    if found is None:
        import difflib

        close = difflib.get_close_matches(name, [t.name for t in types.values()], n=3)
        raise UnknownEntityError(name, close, kind="event type")
    return found


def render_types() -> str:
    """The whole vocabulary page as Markdown (what ``docs/types.md`` holds)."""
    lines = [
        "# Event types and entity kinds",
        "",
        "Generated from the classes in `ledger/domain/events.py` (`ledger types` prints the same "
        "page; a test keeps this file equal to it). A corpus claim is written in `events:` with "
        "the fields every claim has and the fields of its type.",
        "",
        "## Fields of every claim",
        "",
        *_table(claim_fields()),
        "",
        "## Event types",
        "",
        "Where no type fits, `Stated` is the generic claim: a subject (`stream`), a "
        "`predicate`, and a `value` or an `object` entity.",
        "",
    ]
    for info in event_types():
        lines += [render_type(info)]
    lines += [
        "## Entity kinds",
        "",
        "Another lowercase word is a kind too, unless it is close enough to one of these to "
        "be a misspelling.",
        "",
        "| kind | meaning |",
        "|---|---|",
        *(f"| `{kind}` | {meaning} |" for kind, meaning in entity_kinds().items()),
    ]
    return "\n".join(lines) + "\n"

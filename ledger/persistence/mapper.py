"""The mapper: any event to a stored row or a plain record and back, from the classes' fields.

Everything is derived once from ``attrs.fields`` of :class:`Event`, :class:`Citation` and each
registered class: the envelope (one column per field; the citation flattened as
``citation_*``; the valid time as its EDTF text and its day bounds), and the payload (the
fields a class adds, as one sorted-key JSON object). Events are stored under their explicit
``type_name`` and class ``version``; an older row is upgraded by the class's own
``upcast_vN_vM`` static methods (see :func:`upcast`). JSON goes through msgspec: its sorted,
compact output is byte for byte what ``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` gives for text, integers and null (floats excepted, see
:func:`_dumps`), so the canonical bytes of existing ledgers stay the same.
"""

from __future__ import annotations

import enum
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any, Final, TypeAlias

import attrs
import msgspec

from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import EVENT_TYPES, Citation, Confidence, Event
from ledger.errors import EventError, InvalidDateError, StoreError
from ledger.persistence import canonical as k
from ledger.persistence.columns import Rows
from ledger.persistence.envelope import (
    ASSIGNED,
    CITATION,
    CITATION_AT,
    ENVELOPE,
    NAME_LISTS,
    NAMES,
    TEXT_AT,
)
from ledger.persistence.jsontext import names as parse_names
from ledger.persistence.jsontext import plain, thaw
from ledger.persistence.reading import Reader
from ledger.persistence.rebuild import recorded_time
from ledger.persistence.schema import format_utc, to_utc
from ledger.persistence.writing import Write, writer

Payload: TypeAlias = dict[str, Any]

_CONFIDENCE = {c.value: c for c in Confidence}

_CACHE_SIZE: Final = 4096


def _loader(hint: Any) -> Callable[[Any], Any] | None:
    """How a payload field of type ``hint`` comes back from JSON (None: as it is)."""
    if hint is uuid.UUID:
        return uuid.UUID
    if hint is HistoricalDate:
        return parse_edtf
    if hint is datetime:
        return lambda v: to_utc(datetime.fromisoformat(v))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if hint in (str, int, bool, float) or typing.get_args(hint) == (str, ...):
        return None  # a list of names becomes a tuple through the class's converter
    return thaw


def upcast(cls: type[Event], version: int, payload: Payload) -> Payload:
    """``payload`` of version ``version`` raised to ``cls.version`` by the class's methods.

    A class that changes its payload bumps ``version`` and defines, next to its fields,
    ``upcast_v1_v2(payload) -> payload`` (a static method) for each step.
    """
    if version > cls.version:
        raise StoreError(
            f"{cls.type_name} events of version {version} were written by a newer ledger "
            f"(this one reads up to version {cls.version})"
        )
    while version < cls.version:
        step = getattr(cls, f"upcast_v{version}_v{version + 1}", None)
        if step is None:
            raise StoreError(f"no upcaster for {cls.type_name} version {version} ({cls.__name__})")
        payload = step(dict(payload))
        version += 1
    return payload


@attrs.frozen
class _Spec:
    """What the mapper knows about one stored type name, derived from its class once."""

    cls: type[Event]
    fields: tuple[str, ...]
    loaders: tuple[tuple[str, Callable[[Any], Any]], ...]
    cache: dict[Any, Payload] = attrs.field(factory=dict, eq=False)
    """Decoded payloads by stored text, for the rows read through ``__init__``."""


def _spec(cls: type[Event]) -> _Spec:
    hints = typing.get_type_hints(cls)
    fields = tuple(f.name for f in attrs.fields(cls) if f.name not in ENVELOPE)
    loaders = tuple((f, fn) for f in fields if (fn := _loader(hints[f])) is not None)
    return _Spec(cls, fields, loaders)


class _Specs:
    """The specs by stored type name, each derived on first use.

    Deriving one evaluates its class's annotations (``typing.get_type_hints``): about half a
    millisecond a class, which a command that reads two or three types should not pay for all.
    """

    def __init__(self, types: Mapping[str, type[Event]]) -> None:
        self._classes = dict(types)
        self._made: dict[str, _Spec] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def classes(self) -> Iterable[tuple[str, type[Event]]]:
        return self._classes.items()

    def get(self, name: str) -> _Spec | None:
        spec = self._made.get(name)
        if spec is None:
            cls = self._classes.get(name)
            if cls is None:
                return None
            spec = self._made[name] = _spec(cls)
        return spec

    def __getitem__(self, name: str) -> _Spec:
        spec = self.get(name)
        if spec is None:
            raise KeyError(name)
        return spec


@attrs.define(slots=True)
class Encoded:
    """An event mapped to its row, before the store gives it its place in the chain.

    ``row`` follows :data:`EVENT_COLUMNS`; :meth:`Mapper.seal` fills the assigned columns
    (position, sequence, recorded_at, prev_hash, hash). ``content`` is the canonical JSON of
    the other columns, prepared outside the writers' lock.
    """

    event: Event | None
    """The event itself (None where only its row was sent: a bulk import's writing process)."""
    row: list[Any]
    content: bytes
    """The canonical bytes (``b""`` where :meth:`Mapper.to_row` left them to be made)."""
    subjects: tuple[str, ...]
    """The entities besides the stream whose state the event changes, for the subject index."""
    stamp: str | None = None
    """The event's own recorded time as stored text (None: the store stamps it from the clock)."""


def given_stamp(event_id: str, given: Any) -> str:
    """An event's own recorded time as the store's text; EventError if it is no instant."""
    if type(given) is datetime and given.tzinfo is UTC:
        utc = given  # already what to_utc would rebuild: skip the rebuild (import path)
    else:
        try:
            utc = to_utc(given)
        except (ValueError, TypeError, AttributeError) as e:
            raise EventError(f"event {event_id}: recorded_at {given!r}: {e}") from e
    return format_utc(utc)


class Mapper:
    """Maps events to stored rows and plain records and back, upcasting old versions."""

    def __init__(self, types: Mapping[str, type[Event]] | None = None) -> None:
        self._specs = _Specs(EVENT_TYPES if types is None else types)
        self._names: dict[str, tuple[str, ...]] = {}
        self._writers: dict[type[Event], Write] = {}
        self._reader = Reader(
            self._specs.classes(),
            lambda name, version, text: self._decoded(self._specs[name], version, text),
            self._read,
        )

    @property
    def type_names(self) -> tuple[str, ...]:
        """The stored type names this mapper reads and writes."""
        return tuple(self._specs)

    def type_name(self, cls: type[Event] | str) -> str:
        """The stored type name of an event class (or a name, checked); EventError if unknown."""
        name = cls if isinstance(cls, str) else cls.type_name
        spec = self._specs.get(name)
        if spec is None or (not isinstance(cls, str) and spec.cls is not cls):
            raise EventError(f"{name!r} is not a registered event type")
        return name

    def _spec_of(self, event: Event) -> _Spec:
        cls = type(event)
        spec = self._specs.get(getattr(cls, "type_name", ""))
        if spec is None or spec.cls is not cls:
            raise EventError(
                f"event {getattr(event, 'id', '?')}: {cls.__name__} is not a registered event "
                "type (see ledger.domain.events.EVENT_TYPES)"
            )
        return spec

    # --- events to rows --------------------------------------------------------------------

    def to_row(self, event: Event, *, whole: bool = True) -> Encoded:
        """Check and map one event; EventError names what cannot be stored.

        ``whole=False`` leaves the canonical bytes (``b""``) and the recorded time's text
        (None) to :meth:`content` and :func:`given_stamp`: a bulk import's writing process
        makes them, beside this one.
        """
        write = self._writers.get(type(event))
        if write is None:
            write = self._writer_of(event)
        try:
            row = write(event)
            data = self.content(row) if whole else b""
        except EventError:
            raise
        except UnicodeEncodeError as e:
            raise EventError(
                f"event {event.id}: text is not valid Unicode (lone surrogate): {e}"
            ) from e
        except (TypeError, ValueError, AttributeError) as e:
            raise EventError(
                f"event {getattr(event, 'id', '?')} ({type(event).type_name}): {e}"
            ) from e
        stream = row[k.STREAM]
        subjects = event.subjects
        others = tuple(dict.fromkeys(s for s in subjects if s != stream)) if subjects else ()
        given = event.recorded_at
        stamp = None if given is None or not whole else given_stamp(row[k.ID], given)
        return Encoded(event, row, data, others, stamp)

    @staticmethod
    def content(row: list[Any]) -> bytes:
        """The canonical bytes of a row :meth:`to_row` made; EventError if they cannot be."""
        try:
            return k.content_of_row(row)
        except UnicodeEncodeError as e:
            raise EventError(
                f"event {row[k.ID]}: text is not valid Unicode (lone surrogate): {e}"
            ) from e
        except (TypeError, ValueError) as e:
            raise EventError(f"event {row[k.ID]} ({row[k.TYPE]}): {e}") from e

    def _writer_of(self, event: Event) -> Write:
        """The generated writer of a registered class, made on its first write."""
        spec = self._spec_of(event)
        made = self._writers[spec.cls] = writer(spec.cls, spec.fields)
        return made

    def seal(
        self, encoded: Encoded, position: int, sequence: int, recorded_at: str, prev: bytes
    ) -> bytes:
        """Fill the assigned columns of ``encoded.row`` and its hash; returns the hash bytes."""
        content = encoded.content
        split = content.index(b',"stream":')  # no string holds an unescaped quote
        prev_hex = prev.hex()
        # Hex digits and the store's own time text need no JSON escaping.
        middle = (
            f',"position":{position},"prev_hash":"{prev_hex}",'
            f'"recorded_at":"{recorded_at}","sequence":{sequence}'
        ).encode()
        digest = sha256(prev + content[:split] + middle + content[split:]).digest()
        row = encoded.row
        row[k.POSITION] = position
        row[k.SEQUENCE] = sequence
        row[k.RECORDED_AT] = recorded_at
        row[k.PREV_HASH] = prev_hex
        row[k.HASH] = digest.hex()
        return digest

    # --- rows to events --------------------------------------------------------------------

    def to_event(self, row: Sequence[Any]) -> Event:
        """The event a stored row holds, upcast to its class's current version.

        Reads only the leading :data:`~ledger.persistence.schema.DECODED_COLUMNS`; ids and
        times may come as text (SQLite) or as driver objects (PostgreSQL).
        """
        return self._reader.read(row)

    @property
    def read(self) -> Callable[[Sequence[Any]], Event]:
        """:meth:`to_event` itself, without the method call: for loops over many rows."""
        return self._reader.read

    @property
    def deferring(self) -> Callable[[Sequence[Any]], Event]:
        """:meth:`to_event`, leaving fields to be made when first read (``Reader.deferring``)."""
        return self._reader.deferring

    @property
    def deferring_hot(self) -> Callable[[Sequence[Any], Rows], Event]:
        """:attr:`deferring` of a row's hot columns (``Reader.deferring_hot``)."""
        return self._reader.deferring_hot

    def _read(self, row: Sequence[Any]) -> Event:
        """A row read through its class's ``__init__``: what :mod:`reading` gives, and the
        StoreError naming a row that cannot be read."""
        spec = self._specs.get(row[k.TYPE])
        if spec is None:
            raise StoreError(
                f"event at position {row[k.POSITION]} has unknown type {row[k.TYPE]!r}"
            )
        try:
            return self._built(spec, row, self._payload(spec, row[k.VERSION], row[k.PAYLOAD]))
        except StoreError:
            raise
        except (
            TypeError,
            ValueError,
            KeyError,
            AttributeError,
            InvalidDateError,
            msgspec.ValidationError,
        ) as e:
            raise StoreError(
                f"event at position {row[k.POSITION]} ({row[k.TYPE]}) cannot be read: {e}"
            ) from e

    def _built(self, spec: _Spec, row: Sequence[Any], payload: Payload) -> Event:
        names = self._names
        citation = {name: row[at] for name, at in CITATION_AT}
        envelope = {name: row[at] for name, at in TEXT_AT}
        for into, name, at in NAME_LISTS:
            text = row[at]
            found = names.get(text)
            (citation if into else envelope)[name] = (
                found if found is not None else self._names_of(text)
            )
        event_id = row[k.ID]
        return spec.cls(
            id=event_id if type(event_id) is uuid.UUID else msgspec.convert(event_id, uuid.UUID),
            valid_time=parse_edtf(row[k.VALID_EDTF]),
            citation=Citation(**citation),
            confidence=_CONFIDENCE[row[k.CONFIDENCE]],
            sequence=row[k.SEQUENCE],
            position=row[k.POSITION],
            recorded_at=recorded_time(row[k.RECORDED_AT]),
            **envelope,
            **payload,
        )

    def to_events(self, rows: Iterable[Sequence[Any]]) -> list[Event]:
        """Map a page of rows."""
        return list(map(self._reader.read, rows))

    def _payload(self, spec: _Spec, version: int, text: Any) -> Payload:
        current = version == spec.cls.version
        found = spec.cache.get(text) if current else None
        if found is not None:
            return found
        payload = self._decoded(spec, version, text)
        if current:
            # Decoded payloads hold only immutable values, so one serves every row.
            if len(spec.cache) >= _CACHE_SIZE:
                spec.cache.clear()
            spec.cache[text] = payload
        return payload

    def _decoded(self, spec: _Spec, version: int, text: Any) -> Payload:
        payload = msgspec.json.decode(text)
        if not isinstance(payload, dict):
            raise ValueError("payload is not a JSON object")
        return self._load(spec, payload, version)

    def _load(self, spec: _Spec, payload: Payload, version: int) -> Payload:
        if version != spec.cls.version:
            payload = upcast(spec.cls, version, payload)
        for field, fn in spec.loaders:
            value = payload.get(field)
            if value is not None:
                payload[field] = fn(value)
        unknown = set(payload) - set(spec.fields)
        if unknown:
            raise ValueError(f"unknown payload fields {sorted(unknown)}")
        return payload

    def _names_of(self, text: str) -> tuple[str, ...]:
        """A JSON list of names as a tuple, remembered: the same lists come again and again."""
        names = self._names
        if len(names) >= _CACHE_SIZE:
            names.clear()
        found = names[text] = parse_names(text)
        return found

    # --- plain records (export and import of JSON Lines, CSV) --------------------------------

    def to_record(self, event: Event) -> dict[str, Any]:
        """Every field of an event (type, version, envelope, citation, payload) as JSON data."""
        spec = self._spec_of(event)
        record: dict[str, Any] = {"type": spec.cls.type_name, "version": spec.cls.version}
        for name in ENVELOPE:
            value = getattr(event, name)
            record[name] = (
                {n: plain(getattr(value, n)) for n in CITATION}
                if name == "citation"
                else plain(value)
            )
        payload = {f: getattr(event, f) for f in spec.fields}
        if "changes" in payload:
            # Corrected.changes, pairs of field name and new value, reads back as an object.
            payload["changes"] = dict(payload["changes"])
        record["payload"] = plain(payload)
        return record

    def from_record(self, record: Mapping[str, Any]) -> Event:
        """The event a record of :meth:`to_record` describes, upcast if it is older.

        Missing envelope fields take their defaults. Raises ``EventError`` naming the event.
        """
        name = str(record.get("type"))
        where = f"event {record.get('id', '?')}"
        spec = self._specs.get(name)
        if spec is None:
            raise EventError(f"{where}: {name!r} is not a registered event type")
        try:
            payload = self._load(
                spec, dict(record.get("payload") or {}), int(record.get("version", 1))
            )
            fields = {n: record[n] for n in ENVELOPE if n in record and n != "citation"}
            for n in NAMES:
                fields[n] = tuple(fields.get(n, ()))
            citation = dict(record["citation"])
            citation["also_cited"] = tuple(citation.get("also_cited", ()))
            recorded = fields.get("recorded_at")
            fields.update(
                id=uuid.UUID(str(record["id"])),
                valid_time=parse_edtf(record["valid_time"]),
                citation=Citation(**citation),
                confidence=Confidence(record.get("confidence", Confidence.MEDIUM.value)),
                recorded_at=None if recorded is None else to_utc(datetime.fromisoformat(recorded)),
            )
            return spec.cls(**fields, **payload)
        except (KeyError, TypeError, ValueError, InvalidDateError, StoreError) as error:
            raise EventError(f"{where}: {type(error).__name__}: {error}") from None


DEFAULT_MAPPER = Mapper()
"""The mapper for the registered event types."""

__all__ = ["ASSIGNED", "CITATION", "DEFAULT_MAPPER", "ENVELOPE", "Encoded", "Mapper", "upcast"]

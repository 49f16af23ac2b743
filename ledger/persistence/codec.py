"""The mapper between events and stored rows: explicit type names, versions and upcasters.

An event is stored under its explicit type name and its class's schema ``version``; rows of an
older version are upgraded on read by registered upcasters. Encoding also prepares the
canonical JSON (``ledger.persistence.canonical``) that the store seals into the hash chain.
"""

from __future__ import annotations

import enum
import json
import json.scanner
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any, Final, TypeAlias

import attrs

from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import ENVELOPE_FIELDS, EVENT_TYPES, Citation, Confidence, Event
from ledger.errors import EventError, InvalidDateError, StoreError
from ledger.persistence.canonical import (
    CITATION_ALSO_CITED,
    CITATION_END,
    CITATION_QUOTE,
    CITATION_QUOTE_IN,
    CITATION_SOURCE,
    CITATION_START,
    CONFIDENCE,
    FACT,
    GENESIS_BYTES,
    GENESIS_HASH,
    HASH,
    ID,
    PARTICIPANTS,
    PAYLOAD,
    PHRASE,
    POSITION,
    PREV_HASH,
    RECORDED_AT,
    SEQUENCE,
    STREAM,
    SUBJECTS,
    SUMMARY,
    TYPE,
    VALID_EDTF,
    VERSION,
    _tail,
    _text_list,
    canonical,
    chain_hash,
    content_of_row,
    recorded_text,
)
from ledger.persistence.schema import format_utc, to_utc

Payload: TypeAlias = dict[str, Any]
Upcaster: TypeAlias = Callable[[Payload], Payload]
"""Turns the payload of version ``v`` of a type into the payload of version ``v + 1``."""

UPCASTERS: dict[tuple[str, int], Upcaster] = {}
"""The registered upcasters, by (type name, version they upgrade from)."""

_STORED_ENVELOPE = {"id", "stream", "valid_time", "citation", "subjects", "participants"} | {
    "fact",
    "confidence",
    "phrase",
    "summary",
    "sequence",
    "position",
    "recorded_at",
}
_STORED_CITATION = {"source", "quote", "start", "end", "quote_in", "also_cited"}
if (
    set(ENVELOPE_FIELDS) != _STORED_ENVELOPE
    or {f.name for f in attrs.fields(Citation)} != _STORED_CITATION
):  # pragma: no cover - a new field must get a column before it is stored
    raise ImportError("ledger.persistence.codec: Event or Citation has fields the store lacks")

_CONFIDENCE_BY_VALUE = {c.value: c for c in Confidence}
_CACHE_SIZE: Final = 4096


def register_upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Decorator: register a function upgrading ``type_name`` payloads from ``from_version``."""

    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(type_name, from_version)] = fn
        return fn

    return register


# --- the canonical encoding -----------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, HistoricalDate):
        return value.edtf
    if isinstance(value, datetime):
        return format_utc(to_utc(value))
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"a payload cannot hold a value of type {type(value).__name__}")


_PAYLOAD_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    separators=(",", ":"),
    sort_keys=True,
    allow_nan=False,
    default=_json_default,
)
# The C encoder JSONEncoder.encode builds on every call, built once (a payload is a mapping
# of frozen values, so it needs no check for circular references).
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_c_payload_encoder: Callable[[Any, int], Sequence[str]] | None = (
    None
    if _c_make_encoder is None
    else _c_make_encoder(None, _json_default, encode_basestring, None, ":", ",", True, False, False)
)


def _dumps_payload(payload: dict[str, Any]) -> str:
    """The payload's canonical JSON (the same text as ``_PAYLOAD_ENCODER.encode``)."""
    if _c_payload_encoder is None:  # pragma: no cover - Pythons without the C accelerator
        return _PAYLOAD_ENCODER.encode(payload)
    return "".join(_c_payload_encoder(payload, 0))


# --- decoding helpers -----------------------------------------------------------------------

_new_object = object.__new__
_set_slot = object.__setattr__
_SAFE_UNKNOWN = uuid.SafeUUID.unknown


def _fast_uuid(text: str) -> uuid.UUID:
    """``uuid.UUID(text)`` for the canonical text the store writes, skipping its slow parsing."""
    digits = text.replace("-", "")
    if len(digits) != 32:
        return uuid.UUID(text)
    value: uuid.UUID = _new_object(uuid.UUID)
    _set_slot(value, "int", int(digits, 16))
    _set_slot(value, "is_safe", _SAFE_UNKNOWN)
    return value


_PROBE = "01234567-89ab-cdef-0123-456789abcdef"
_uuid_from_text: Callable[[str], uuid.UUID] = (
    _fast_uuid
    if _fast_uuid(_PROBE) == uuid.UUID(_PROBE) and str(_fast_uuid(_PROBE)) == _PROBE
    else uuid.UUID  # a future Python changed UUID's layout: use the constructor
)


# typeshed gives make_scanner an odd signature; at runtime it takes a decoder.
_scan_json: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    typing.cast(Any, json.JSONDecoder())
)


def _loads(text: Any) -> Any:
    """``json.loads(text)`` for the compact JSON the codec writes, without its wrappers.

    Anything else (surrounding space, trailing text, not a string) goes to ``json.loads``
    itself, so what is accepted and what is refused stays exactly the same.
    """
    if type(text) is str:
        try:
            value, end = _scan_json(text, 0)
        except StopIteration:
            return json.loads(text)
        if end == len(text):
            return value
    return json.loads(text)


def _thaw(value: Any) -> Any:
    """JSON arrays back to tuples, deeply: events hold tuples, never lists."""
    if isinstance(value, list):
        return tuple([_thaw(v) for v in value])
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _optional(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else fn(v)


def _parse_time(text: str) -> datetime:
    return to_utc(datetime.fromisoformat(text))


_SCALARS = (str, int, float, bool, type(None))


def _field_decoder(hint: Any) -> Callable[[Any], Any] | None:
    """How to rebuild a payload field of type ``hint`` from its JSON value (None: as it is)."""
    if hint is uuid.UUID:
        return _optional(_uuid_from_text)
    if hint is HistoricalDate:
        return _optional(parse_edtf)
    if hint is datetime:
        return _optional(_parse_time)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _optional(hint)
    if hint in _SCALARS:
        return None
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and args == (str, ...):
        return None  # the attrs converter turns the list into a tuple
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and all(
        a in _SCALARS for a in args
    ):
        return None
    return _thaw


_Setter: TypeAlias = Callable[[Any, Any], None]


def _slot_setters(cls: type[Any], probe: tuple[str, ...] = ()) -> tuple[_Setter, ...] | None:
    """Setters of ``cls``'s slots in attrs field order, when filling them directly is what
    ``__init__`` would do with values already converted; None when it is not (validators,
    init hooks, fields outside ``probe`` with converters)."""
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return None
    setters: list[_Setter] = []
    for field in attrs.fields(cls):
        if field.validator is not None or not field.init:
            return None
        if field.converter is not None and (
            field.name not in probe or not callable(field.converter)
        ):
            return None
        slot = next((k.__dict__[field.name] for k in cls.__mro__ if field.name in k.__dict__), None)
        if not isinstance(slot, types.MemberDescriptorType):
            return None
        setters.append(slot.__set__)
    return tuple(setters)


@attrs.frozen
class _TypeSpec:
    """What the codec knows about one stored type name."""

    name: str
    cls: type[Event]
    version: int
    fields: tuple[str, ...]
    decoders: tuple[tuple[str, Callable[[Any], Any]], ...]
    setters: tuple[_Setter, ...] | None
    """Slot setters (envelope then payload) to build events without ``__init__``, if safe."""
    build: _Builder | None = attrs.field(default=None, eq=False)
    """Fills a new event's slots from a row and its decoded parts (see :func:`_builder`)."""
    cache: dict[str, tuple[tuple[Any, ...] | None, Payload]] = attrs.field(factory=dict, eq=False)
    """Decoded payloads by stored text, as field values in order (None when some are
    missing) and as keyword arguments: a replay meets the same few texts again and again."""


_TUPLE_FIELDS = ("subjects", "participants")


def _spec(name: str, cls: type[Event]) -> _TypeSpec:
    hints = typing.get_type_hints(cls)
    fields = tuple(f.name for f in attrs.fields(cls) if f.name not in ENVELOPE_FIELDS)
    by_name = attrs.fields_dict(cls)
    decoders: list[tuple[str, Callable[[Any], Any]]] = []
    for field in fields:
        fn = _field_decoder(hints[field])
        converter = by_name[field].converter
        if callable(converter):
            # Payloads are decoded once per distinct text, so converters run there.
            fn = _then(fn, converter) if fn is not None else converter
        if fn is not None:
            decoders.append((field, fn))
    order = tuple(f.name for f in attrs.fields(cls))
    envelope_first = order[: len(_ENVELOPE_ORDER)] == _ENVELOPE_ORDER
    # Envelope tuple fields arrive as tuples of str, which their converters return unchanged.
    setters = _slot_setters(cls, _TUPLE_FIELDS + fields) if envelope_first else None
    build = _builder(cls, setters) if setters is not None else None
    return _TypeSpec(name, cls, cls.version, fields, tuple(decoders), setters, build)


def _then(first: Callable[[Any], Any], second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: second(first(v))


_ENVELOPE_ORDER = (
    "id",
    "stream",
    "valid_time",
    "citation",
    "subjects",
    "participants",
    "fact",
    "confidence",
    "phrase",
    "summary",
    "sequence",
    "position",
    "recorded_at",
)
_CITATION_FIELDS = ("source", "quote", "start", "end", "quote_in", "also_cited")
_CITATION_SETTERS = (
    _slot_setters(Citation)
    if tuple(f.name for f in attrs.fields(Citation)) == _CITATION_FIELDS
    else None
)

_Builder: TypeAlias = Callable[
    [Sequence[Any], uuid.UUID, HistoricalDate, datetime, Any, Any, Any, tuple[Any, ...]], Event
]


def _builder(cls: type[Event], setters: tuple[_Setter, ...]) -> _Builder | None:
    """A function filling a new ``cls`` event slot by slot, the calls written out in full.

    The same values ``__init__`` would set (see :func:`_slot_setters`); unrolled because a
    replay builds every event this way and a loop over the setters costs as much again.
    """
    if _CITATION_SETTERS is None or len(setters) < len(_ENVELOPE_ORDER):
        return None
    (set_id, set_stream, set_valid, set_citation, set_subjects, set_participants) = setters[:6]
    (set_fact, set_confidence, set_phrase, set_summary, set_sequence) = setters[6:11]
    set_position, set_recorded = setters[11:13]
    payload = setters[13:]
    source, quote, start, end, quote_in, also_cited = _CITATION_SETTERS
    confidences = _CONFIDENCE_BY_VALUE
    new = _new_object

    def build(
        row: Sequence[Any],
        event_id: uuid.UUID,
        valid: HistoricalDate,
        recorded_at: datetime,
        subjects: Any,
        participants: Any,
        also: Any,
        values: tuple[Any, ...],
    ) -> Event:
        citation = new(Citation)
        source(citation, row[CITATION_SOURCE])
        quote(citation, row[CITATION_QUOTE])
        start(citation, row[CITATION_START])
        end(citation, row[CITATION_END])
        quote_in(citation, row[CITATION_QUOTE_IN])
        also_cited(citation, also)
        event: Event = new(cls)
        set_id(event, event_id)
        set_stream(event, row[STREAM])
        set_valid(event, valid)
        set_citation(event, citation)
        set_subjects(event, subjects)
        set_participants(event, participants)
        set_fact(event, row[FACT])
        set_confidence(event, confidences[row[CONFIDENCE]])
        set_phrase(event, row[PHRASE])
        set_summary(event, row[SUMMARY])
        set_sequence(event, row[SEQUENCE])
        set_position(event, row[POSITION])
        set_recorded(event, recorded_at)
        if len(values) != len(payload):
            raise ValueError(f"{len(values)} payload values for {len(payload)} fields")
        for setter, value in zip(payload, values):  # noqa: B905 - lengths checked above
            setter(event, value)
        return event

    return build


@attrs.define(slots=True)
class Encoded:
    """An event encoded for storage, before the store gives it its place in the chain.

    ``row`` follows :data:`EVENT_COLUMNS`; the assigned columns (position, sequence,
    recorded_at, prev_hash, hash) are filled by :meth:`Codec.seal`. ``head`` and ``tail``
    are the canonical JSON around them, prepared outside the writers' lock.
    """

    event: Event
    row: list[Any]
    head: str
    tail: str
    subjects: tuple[str, ...]
    """The entities besides the stream whose state the event changes, for the subject index."""

    @property
    def content(self) -> str:
        """See :func:`content_of_row`."""
        return self.head + self.tail


class Codec:
    """Encodes events to rows and decodes rows to events, upcasting old versions on the way."""

    def __init__(
        self,
        types: Mapping[str, type[Event]] | None = None,
        upcasters: Mapping[tuple[str, int], Upcaster] | None = None,
    ) -> None:
        self._specs = {
            name: _spec(name, cls)
            for name, cls in (EVENT_TYPES if types is None else types).items()
        }
        # The global registry is kept by reference, so later registrations take effect.
        self._upcasters = UPCASTERS if upcasters is None else upcasters
        self._list_cache: dict[str, tuple[str, ...]] = {"[]": ()}
        self._recorded_cache: dict[Any, datetime] = {}

    @property
    def type_names(self) -> tuple[str, ...]:
        """The stored type names this codec reads and writes."""
        return tuple(self._specs)

    def type_name(self, cls: type[Event] | str) -> str:
        """The stored type name of an event class (or a name, checked); EventError if unknown."""
        name = cls if isinstance(cls, str) else cls.type_name
        spec = self._specs.get(name)
        if spec is None or (not isinstance(cls, str) and spec.cls is not cls):
            raise EventError(f"{name!r} is not a registered event type")
        return name

    # --- encoding --------------------------------------------------------------------------

    def encode(self, event: Event) -> Encoded:
        """Check and encode one event; EventError names what cannot be stored."""
        cls = type(event)
        spec = self._specs.get(getattr(cls, "type_name", ""))
        if spec is None or spec.cls is not cls:
            raise EventError(
                f"event {getattr(event, 'id', '?')}: {cls.__name__} is not a registered event "
                "type (see ledger.domain.events.EVENT_TYPES)"
            )
        try:
            return self._encode(event, spec)
        except EventError:
            raise
        except (TypeError, ValueError, AttributeError) as e:
            raise EventError(f"event {getattr(event, 'id', '?')} ({spec.name}): {e}") from e

    def _encode(self, event: Event, spec: _TypeSpec) -> Encoded:
        event_id = event.id
        if type(event_id) is not uuid.UUID:
            raise EventError(f"event id {event_id!r} is not a UUID")
        stream = event.stream
        valid = event.valid_time
        if not isinstance(valid, HistoricalDate):
            raise EventError(f"event {event_id}: valid_time must be a HistoricalDate")
        citation = event.citation
        if type(citation) is not Citation:
            raise EventError(f"event {event_id}: citation must be a Citation")
        confidence = event.confidence
        if type(confidence) is not Confidence:
            raise EventError(f"event {event_id}: confidence must be a Confidence")
        subjects = event.subjects
        participants = event.participants
        also = citation.also_cited
        # One join proves every piece is text and finds NUL, which PostgreSQL cannot store.
        joined = "".join(
            (
                stream,
                citation.source,
                citation.quote,
                citation.quote_in,
                event.fact,
                event.phrase,
                event.summary,
                *subjects,
                *participants,
                *also,
            )
        )
        if "\x00" in joined:
            raise EventError(f"event {event_id}: text contains a NUL character")
        if not stream.strip():
            raise EventError(f"event {event_id}: stream must not be empty")
        start = citation.start
        end = citation.end
        spans = type(start) is int and type(end) is int and 0 <= start <= end < 2**31
        if not spans and (start is not None or end is not None):
            _check_span(event_id, start, end)
        source = citation.source
        quote = citation.quote
        quote_in = citation.quote_in
        fact = event.fact
        phrase = event.phrase
        summary = event.summary
        id_text = str(event_id)
        also_text = _text_list(also)
        subjects_text = _text_list(subjects)
        participants_text = _text_list(participants)
        payload = _dumps_payload({f: getattr(event, f) for f in spec.fields})
        edtf = valid.edtf
        confidence_text = confidence.value
        row: list[Any] = [
            0,
            id_text,
            spec.name,
            spec.version,
            stream,
            0,
            edtf,
            "",
            source,
            quote,
            start,
            end,
            quote_in,
            also_text,
            subjects_text,
            participants_text,
            fact,
            confidence_text,
            phrase,
            summary,
            payload,
            valid.earliest,
            valid.latest,
            "",
            "",
        ]
        esc = encode_basestring
        # canonical._head(row), written from the values at hand (import builds one per event);
        # an id's text and a confidence's value need no escaping.
        head = (
            f'{{"citation_also_cited":{esc(also_text)},'
            f'"citation_end":{"null" if end is None else end},'
            f'"citation_quote":{esc(quote)},'
            f'"citation_quote_in":{esc(quote_in)},'
            f'"citation_source":{esc(source)},'
            f'"citation_start":{"null" if start is None else start},'
            f'"confidence":"{confidence_text}",'
            f'"fact":{esc(fact)},'
            f'"id":"{id_text}",'
            f'"participants":{esc(participants_text)},'
            f'"payload":{esc(payload)},'
            f'"phrase":{esc(phrase)},'
            '"position":'
        )
        earliest = valid.earliest
        latest = valid.latest
        if (earliest is None or type(earliest) is int) and (latest is None or type(latest) is int):
            tail = (
                f',"stream":{esc(stream)},"subjects":{esc(subjects_text)},'
                f'"summary":{esc(summary)},"type":{esc(spec.name)},'
                f'"valid_earliest":{"null" if earliest is None else earliest},'
                f'"valid_edtf":{esc(edtf)},'
                f'"valid_latest":{"null" if latest is None else latest},'
                f'"version":{spec.version}}}'
            )
        else:
            tail = _tail(row)  # refuses bounds that are not integers
        others = tuple(dict.fromkeys(s for s in subjects if s != stream)) if subjects else ()
        return Encoded(event, row, head, tail, others)

    def seal(
        self, encoded: Encoded, position: int, sequence: int, recorded_at: str, prev: bytes
    ) -> bytes:
        """Fill the assigned columns of ``encoded.row`` and its hash; returns the hash bytes."""
        row = encoded.row
        prev_hex = prev.hex()
        # Hex digits and the store's own time text need no JSON escaping.
        middle = (
            f'{position},"prev_hash":"{prev_hex}",'
            f'"recorded_at":"{recorded_at}","sequence":{sequence}'
        )
        try:
            data = (encoded.head + middle + encoded.tail).encode("utf-8")
        except UnicodeEncodeError as e:
            raise EventError(
                f"event {encoded.event.id}: text is not valid Unicode (lone surrogate): {e}"
            ) from e
        digest = sha256(prev + data).digest()
        row[POSITION] = position
        row[SEQUENCE] = sequence
        row[RECORDED_AT] = recorded_at
        row[PREV_HASH] = prev_hex
        row[HASH] = digest.hex()
        return digest

    # --- decoding --------------------------------------------------------------------------

    def decode(self, row: Sequence[Any]) -> Event:
        """The event a stored row holds, upcast to its class's current version.

        Reads only the leading :data:`~ledger.persistence.schema.DECODED_COLUMNS`; ids and
        times may come as text (SQLite) or as driver objects (PostgreSQL).
        """
        spec = self._specs.get(row[TYPE])
        if spec is None:
            raise StoreError(f"event at position {row[POSITION]} has unknown type {row[TYPE]!r}")
        try:
            text = row[PAYLOAD]
            decoded = spec.cache.get(text)
            if decoded is None or row[VERSION] != spec.version:
                decoded = self._payload(spec, row[VERSION], text)
            event_id = row[ID]
            if type(event_id) is str:
                event_id = _uuid_from_text(event_id)
            recorded = row[RECORDED_AT]
            recorded_at = self._recorded_cache.get(recorded)
            if recorded_at is None:
                recorded_at = self._recorded(recorded)
            lists = self._list_cache
            subjects = lists.get(row[SUBJECTS])
            if subjects is None:
                subjects = self._list(row[SUBJECTS])
            participants = lists.get(row[PARTICIPANTS])
            if participants is None:
                participants = self._list(row[PARTICIPANTS])
            also = lists.get(row[CITATION_ALSO_CITED])
            if also is None:
                also = self._list(row[CITATION_ALSO_CITED])
            values, kwargs = decoded
            build = spec.build
            if build is not None and values is not None:
                # The same values __init__ would set, without its per-field checks: replay speed.
                return build(
                    row,
                    event_id,
                    parse_edtf(row[VALID_EDTF]),
                    recorded_at,
                    subjects,
                    participants,
                    also,
                    values,
                )
            citation_values = (
                row[CITATION_SOURCE],
                row[CITATION_QUOTE],
                row[CITATION_START],
                row[CITATION_END],
                row[CITATION_QUOTE_IN],
                also,
            )
            citation = Citation(**dict(zip(_CITATION_FIELDS, citation_values, strict=True)))
            return spec.cls(
                id=event_id,
                stream=row[STREAM],
                valid_time=parse_edtf(row[VALID_EDTF]),
                citation=citation,
                subjects=subjects,
                participants=participants,
                fact=row[FACT],
                confidence=_CONFIDENCE_BY_VALUE[row[CONFIDENCE]],
                phrase=row[PHRASE],
                summary=row[SUMMARY],
                sequence=row[SEQUENCE],
                position=row[POSITION],
                recorded_at=recorded_at,
                **kwargs,
            )
        except StoreError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, InvalidDateError) as e:
            raise StoreError(
                f"event at position {row[POSITION]} ({row[TYPE]}) cannot be read: {e}"
            ) from e

    def decode_all(self, rows: Iterable[Sequence[Any]]) -> list[Event]:
        """Decode a page of rows."""
        decode = self.decode
        return [decode(row) for row in rows]

    def _payload(
        self, spec: _TypeSpec, version: int, text: str
    ) -> tuple[tuple[Any, ...] | None, Payload]:
        payload: Payload = _loads(text)
        if not isinstance(payload, dict):
            raise ValueError("payload is not a JSON object")
        if version != spec.version:
            payload = self._upcast(spec.name, version, spec.version, payload)
        for field, fn in spec.decoders:
            if field in payload:
                payload[field] = fn(payload[field])
        unknown = set(payload) - set(spec.fields)
        if unknown:
            raise ValueError(f"unknown payload fields {sorted(unknown)}")
        values = (
            tuple(payload[f] for f in spec.fields)
            if all(f in payload for f in spec.fields)
            else None
        )
        decoded = (values, payload)
        if version == spec.version:
            # Decoded payloads hold only immutable values, so one serves every row.
            cache = spec.cache
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[text] = decoded
        return decoded

    def _upcast(self, name: str, version: int, current: int, payload: Payload) -> Payload:
        if version > current:
            raise StoreError(
                f"{name} events of version {version} were written by a newer ledger "
                f"(this one reads up to version {current})"
            )
        while version < current:
            upcaster = self._upcasters.get((name, version))
            if upcaster is None:
                raise StoreError(f"no upcaster registered for {name} version {version}")
            payload = upcaster(dict(payload))
            version += 1
        return payload

    def _recorded(self, value: Any) -> datetime:
        parsed = datetime.fromisoformat(value) if type(value) is str else value
        if parsed.tzinfo is not UTC or type(parsed) is not datetime:
            parsed = to_utc(parsed)
        cache = self._recorded_cache
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[value] = parsed
        return parsed

    def _list(self, text: str) -> tuple[str, ...]:
        values = _loads(text)
        if type(values) is not list or not all(type(v) is str for v in values):
            raise ValueError(f"{text[:80]!r} is not a JSON list of names")
        found = tuple(values)
        cache = self._list_cache
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
            cache["[]"] = ()
        cache[text] = found
        return found


def _check_span(event_id: uuid.UUID, start: object, end: object) -> None:
    for number in (start, end):
        if number is not None and (type(number) is not int or not 0 <= number < 2**31):
            raise EventError(f"event {event_id}: citation offset {number!r} is not an offset")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        raise EventError(f"event {event_id}: citation span ends ({end}) before it starts")


DEFAULT_CODEC = Codec()
"""The codec for the registered event types and upcasters."""


__all__ = [
    "DEFAULT_CODEC",
    "GENESIS_BYTES",
    "GENESIS_HASH",
    "UPCASTERS",
    "Codec",
    "Encoded",
    "Upcaster",
    "canonical",
    "chain_hash",
    "content_of_row",
    "recorded_text",
    "register_upcaster",
]

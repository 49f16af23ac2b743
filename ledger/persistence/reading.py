"""Stored rows back to events quickly: generated functions per event class.

A replay rebuilds every row of a ledger, and most of its values repeat: dates, citations,
lists of names and payloads are shared by many rows. The mapper generates, for each class
that can be rebuilt slot by slot (see :mod:`ledger.persistence.rebuild`), a function that
reads the row's columns by position and fills the new event's slots in one pass, taking each
shared value from a cache keyed by its stored text: the way attrs generates an
``__init__``, without the keywords, the dictionaries and the calls per field. The result is
the event the class's ``__init__`` builds from the same row (the mapper's own reading, which
any row this path does not take goes through: an older version, a payload that leaves a
defaulted field out, a class that checks itself, anything unreadable).

Each class gets two readers: one builds the event whole (single reads); the other, for
replays, builds it from the row's hot columns with where it sits and when it happened, and
leaves the rest of its envelope and its payload as two groups made when a field of each is
first read (:mod:`ledger.deferred`, :mod:`ledger.persistence.columns`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import attrs
import msgspec

from ledger.dates import HistoricalDate
from ledger.dates.edtf import bounded
from ledger.deferred import defer
from ledger.domain.events import Citation, Confidence, Event
from ledger.persistence import canonical as k
from ledger.persistence.columns import (
    HOT_AT,
    HOT_LAYOUT,
    HOT_TYPE,
    MADE_AT_ONCE,
    WHOLE_AT,
    Given,
    Rows,
)
from ledger.persistence.jsontext import names as parse_names
from ledger.persistence.rebuild import Converter, Slots, slots_of
from ledger.persistence.schema import EVENT_COLUMNS, to_utc

Row = Sequence[Any]
Read = Callable[[Row], Event]
Quick = Callable[..., Event | None]
"""A generated reader: None for a row it leaves to the class's ``__init__``."""

UNFILLED: Final[Any] = object()
"""A payload entry for a text whose rows the class's ``__init__`` must build (see Slots.fill)."""


class Cache:
    """Values by their stored text, bounded: the newest ``limit`` plus the ``limit`` before.

    When full, the entries move to a second generation (still found, and brought back when
    met again) instead of being dropped, so values a replay keeps meeting stay while the
    memory stays bounded. ``get`` is the dictionary's own: the generated readers call it.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.new: dict[Any, Any] = {}
        self.old: dict[Any, Any] = {}
        self.get = self.new.get

    def found(self, key: Any) -> Any:
        """The value kept for ``key`` in the older generation (None), brought back."""
        value = self.old.get(key)
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key: Any, value: Any) -> Any:
        """Keep ``value`` for ``key``; returns it."""
        new = self.new
        if len(new) >= self.limit:
            self.old = dict(new)
            new.clear()  # in place: the readers hold its get
        new[key] = value
        return value


# Bounds of the caches (each keeps up to twice its bound, see Cache): what a replay of 10^6
# events keeps meeting within 300 MB. Dates are also kept by parse_edtf's own cache. Dates
# are the cache that pays to keep more of: at 10^6 a bound of 2^15 sent 160-175k events/s,
# 2^17 218-230k/s (40 MB more at most); the others four times larger changed nothing.
_DATES: Final = 1 << 17
_CITATIONS_KEPT: Final = 1 << 14
_NAMES_KEPT: Final = 1 << 14
_PAYLOADS: Final = 1 << 11
"""Per event type."""
_CITATIONS: Final = slice(k.CITATION_SOURCE, k.CITATION_ALSO_CITED + 1)
_CITATION_FIELDS: Final = tuple(c.removeprefix("citation_") for c in EVENT_COLUMNS[_CITATIONS])
if tuple(f.name for f in attrs.fields(Citation)) != _CITATION_FIELDS:  # pragma: no cover
    raise ImportError("the citation columns no longer follow Citation's fields (see _citation)")
_CONFIDENCE: Final = {c.value: c for c in Confidence}
_SIMPLE: Final = ("sequence", "position")


def _none(row: Row) -> None:
    return None


class _Readers(dict[str, "Quick"]):
    """The generated readers by type name, each made by ``make`` on its first lookup."""

    def __init__(self, make: Callable[[str], Quick]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, name: str) -> Quick:
        made = self[name] = self._make(name)
        return made


class Reader:
    """Reads rows into events through generated functions, sharing decoded values by text.

    ``classes`` are the stored type names and their classes; ``payload(name, version, text)``
    is the mapper's decoding of a payload text (upcast and loaded, as a dictionary);
    ``fallback(row)`` its reading of a row through the class's ``__init__``, which also
    raises the StoreError that names an unreadable row.
    """

    def __init__(
        self,
        classes: Iterable[tuple[str, type[Event]]],
        payload: Callable[[str, int, Any], dict[str, Any]],
        fallback: Read,
    ) -> None:
        self._payload = payload
        self._fallback = fallback
        self._dates = Cache(_DATES)
        self._citations = Cache(_CITATIONS_KEPT)
        self._citation_slots = slots_of(Citation, ())
        self._names: dict[Converter | None, Cache] = {}
        self._also_cited = self._names_miss(None)
        self._classes = dict(classes)
        self._envelope = slots_of(Event, ())
        # Each type's functions are generated when its first row is read: generating all of
        # them costs a command that reads a few types several milliseconds of start-up.
        self._pairs: dict[str, tuple[Quick, Quick]] = {}
        self._deferring = _Readers(lambda name: self._pair(name)[0])
        self._whole = _Readers(lambda name: self._pair(name)[1])

    def _pair(self, name: str) -> tuple[Quick, Quick]:
        """The generated readers of a stored type name, deferring and whole (each one that
        always answers None where the quick path cannot serve: an unknown name, or a class
        redefining the envelope)."""
        pair = self._pairs.get(name)
        if pair is None:
            pair = self._pairs[name] = self._made(name) or (_none, _none)
        return pair

    def _made(self, name: str) -> tuple[Quick, Quick] | None:
        cls = self._classes.get(name)
        envelope = self._envelope
        if cls is None or envelope is None:
            return None
        fields = tuple(f.name for f in attrs.fields(cls) if f.name not in _ENVELOPE)
        slots = slots_of(cls, fields)
        # A class that redefines an envelope field is read by its __init__.
        if slots is None or slots.envelope != envelope.envelope:
            return None
        return self._compile(name, slots)

    def read(self, row: Row) -> Event:
        """The event a stored row holds, whole (see the module's docstring)."""
        try:
            event = self._whole[row[k.TYPE]](row)
        except Exception:
            event = None
        # Whatever the quick path leaves (None) or cannot read, the mapper reads through the
        # class's __init__, or names as unreadable.
        return self._fallback(row) if event is None else event

    def deferring(self, row: Row) -> Event:
        """The event a stored row holds, the fields not :data:`MADE_AT_ONCE` made when one of
        them is first read; a row found unreadable then raises the StoreError naming it."""
        return self.deferring_hot(tuple(row[i] for i in HOT_AT), Given(row))

    def deferring_hot(self, hot: Row, rows: Rows) -> Event:
        """:meth:`deferring` of a row of which only the :data:`HOT_COLUMNS` were fetched:
        ``rows`` gives the whole row when the rest of the envelope is first read."""
        try:
            event = self._deferring[hot[HOT_TYPE]](hot, rows)
        except Exception:
            event = None
        return self._fallback(rows.whole(hot)) if event is None else event

    # --- what the generated functions call when a value is not cached ---------------------

    def _date(self, text: str, earliest: int | None, latest: int | None) -> HistoricalDate:
        found: HistoricalDate | None = self._dates.found(text)
        if found is not None:
            return found
        if type(text) is not str:
            raise TypeError(f"a stored date is text, not {type(text).__name__}")
        date = bounded(text, earliest, latest)
        self._dates.put(text, date)
        return date

    def _names_of(self, cache: Cache, convert: Converter | None) -> Callable[[str], Any]:
        def miss(text: str) -> Any:
            found = cache.found(text)
            if found is None:
                names = parse_names(text)
                found = cache.put(text, names if convert is None else convert(names))
            return found

        return miss

    def _citation(self, row: Row, key: tuple[Any, ...]) -> Citation:
        found: Citation | None = self._citations.found(key)
        if found is not None:
            return found
        source, quote, start, end, quote_in, also_cited = key
        also = self._also_cited(also_cited)
        slots = self._citation_slots
        if slots is None:  # pragma: no cover - Citation validates itself
            citation = Citation(
                source=source, quote=quote, start=start, end=end, quote_in=quote_in, also_cited=also
            )
        else:
            citation = object.__new__(Citation)
            put = slots.envelope
            put["source"](citation, source)
            put["quote"](citation, quote)
            put["start"](citation, start)
            put["end"](citation, end)
            put["quote_in"](citation, quote_in)
            put["also_cited"](citation, also)
        self._citations.put(key, citation)
        return citation

    def _names_cache(self, convert: Converter | None) -> Cache:
        """One cache per converter: the lists of names it has converted, by stored text."""
        cache = self._names.get(convert)
        if cache is None:
            cache = self._names[convert] = Cache(_NAMES_KEPT)
        return cache

    def _names_miss(self, convert: Converter | None) -> Callable[[str], Any]:
        return self._names_of(self._names_cache(convert), convert)

    def _payload_miss(self, name: str, slots: Slots, cache: Cache) -> Callable[[Any], Any]:
        version = slots.cls.version

        def miss(text: Any) -> Any:
            found = cache.found(text)
            if found is None:
                filled = slots.fill(self._payload(name, version, text))
                found = cache.put(text, UNFILLED if filled is None else tuple(v for _, v in filled))
            return found

        return miss

    # --- the generated functions -----------------------------------------------------------

    def _compile(self, name: str, slots: Slots) -> tuple[Quick, Quick] | None:
        payloads = Cache(_PAYLOADS)
        scope: dict[str, Any] = {
            "new": object.__new__,
            "cls": slots.cls,
            "VERSION": slots.cls.version,
            "UNFILLED": UNFILLED,
            "UUID": uuid.UUID,
            "to_uuid": msgspec.convert,
            "UTC": UTC,
            "fromiso": datetime.fromisoformat,
            "to_utc": to_utc,
            "confidences": _CONFIDENCE,
            "payloads": payloads.get,
            "payload_miss": self._payload_miss(name, slots, payloads),
            "dates": self._dates.get,
            "date_miss": self._date,
            "citations": self._citations.get,
            "citation_miss": self._citation,
            "fallback": self._fallback,
            "defer": defer,
            "Unfilled": _Unfilled,
        }
        hot_now: list[str] = []
        now: list[str] = []
        envelope: list[str] = []
        later: list[str] = []
        for name, setter in slots.envelope.items():
            scope[f"set_{name}"] = setter
            field = _envelope_lines(name, slots.converters.get(name), scope, self, WHOLE_AT)
            if field is None:
                return None  # a field this reader does not know: the class's __init__ reads it
            if name in MADE_AT_ONCE:
                now += [*field, f"    set_{name}(event, v_{name})"]
                hot = _envelope_lines(name, slots.converters.get(name), scope, self, HOT_LAYOUT)
                assert hot is not None  # every field made at once has its columns in HOT
                hot_now += [*hot, f"    set_{name}(event, v_{name})"]
            else:
                envelope += field
                later.append(name)
        envelope += [f"    set_{name}(event, v_{name})" for name in later]
        payload_hot, payload_whole = (
            [
                f"    text = row[{at['payload']}]",
                "    payload = payloads(text)",
                "    if payload is None:",
                "        payload = payload_miss(text)",
                "    if payload is UNFILLED:",
                "        raise Unfilled",
            ]
            for at in (HOT_LAYOUT, WHOLE_AT)
        )
        for i, (name, setter, _) in enumerate(slots.payload):
            scope[f"set_{name}"] = setter
            payload_hot.append(f"    set_{name}(event, payload[{i}])")
            payload_whole.append(f"    set_{name}(event, payload[{i}])")
            later.append(name)
        scope["LATER"] = tuple((name, scope[f"set_{name}"]) for name in later)
        scope["IN_PAYLOAD"] = frozenset(name for name, _, _ in slots.payload)
        source = "\n".join(
            [
                # The two groups a deferring read leaves, each made when one of its fields is
                # first read: the envelope's from the whole row (its page fetches the rest of
                # its columns then), the payload's from the hot row alone. A row found
                # unreadable is read whole through the class's __init__ (which raises the
                # StoreError naming it), and every field left is taken from that.
                *_group("envelope", "row", envelope, "row"),
                *_group(
                    "payload", "data", ["    row = data[1]", *payload_hot], "data[0].whole(row)"
                ),
                *_group("payload_of", "row", payload_whole, "row"),
                "def fill_envelope(event, data, name):",
                "    make_envelope(event, data[0].whole(data[1]))",
                "",
                "def fill_payload(event, data, name):",
                "    make_payload(event, data)",
                "",
                "def fill_payload_of(event, row, name):",
                "    make_payload_of(event, row)",
                "",
                "def fill_both(event, data, name):",
                "    if name in IN_PAYLOAD:",
                "        return None if make_payload(event, data) else (fill_envelope, data)",
                "    row = data[0].whole(data[1])",
                "    if make_envelope(event, row):",
                "        return None",
                "    if name:  # the whole row, not the page: it need not outlive its events",
                "        return (fill_payload_of, row)",
                "    make_payload_of(event, row)",
                "    return None",
                "",
                "def read(row, rows):",
                f"    if row[{HOT_LAYOUT['version']}] != VERSION:",
                "        return None",
                "    event = new(cls)",
                *hot_now,
                "    defer(event, (fill_both, (rows, row)))",
                "    return event",
                "",
                "def whole(row):",
                f"    if row[{WHOLE_AT['version']}] != VERSION:",
                "        return None",
                "    event = new(cls)",
                *now,
                *envelope,
                *payload_whole,
                "    return event",
            ]
        )
        code = compile(source + "\n", f"<ledger reader of {slots.cls.type_name}>", "exec")
        exec(code, scope)  # the source is built here from attrs fields and column indexes only
        return scope["read"], scope["whole"]


def _group(name: str, argument: str, lines: list[str], whole: str) -> list[str]:
    """A function that makes one group of deferred fields; True when it made them all (the
    row read whole through the class's ``__init__``, ``whole`` its expression)."""
    return [
        f"def make_{name}(event, {argument}):",
        "    try:",
        *("    " + line for line in lines),
        "    except Exception:",
        f"        whole = fallback({whole})  # raises the StoreError of an unreadable row",
        "        for field, put in LATER:",
        "            put(event, getattr(whole, field))",
        "        return True",
        "    return False",
        "",
    ]


class _Unfilled(Exception):
    """A payload the quick path leaves to the class's ``__init__`` (see Slots.fill)."""


_ENVELOPE: Final = frozenset(f.name for f in attrs.fields(Event))
_KIND: Final = {
    f.name: "names" if f.type in ("tuple[str, ...]", tuple[str, ...]) else f.type
    for f in attrs.fields(Event)
}


def _envelope_lines(
    name: str,
    convert: Converter | None,
    scope: dict[str, Any],
    reader: Reader,
    at: dict[str, int],
) -> list[str] | None:
    """The lines that compute one envelope field into ``v_<name>`` from the columns of
    ``row``, laid out as ``at`` says; None for a field they do not hold."""
    put = f"v_{name} = "
    if name == "id":
        return [
            f"    value = row[{at['id']}]",
            f"    {put}value if type(value) is UUID else to_uuid(value, UUID)",
        ]
    if name == "valid_time":
        edtf, low, high = (at["valid_edtf"], at["valid_earliest"], at["valid_latest"])
        return [
            f"    value = dates(row[{edtf}])",
            f"    {put}date_miss(row[{edtf}], row[{low}], row[{high}]) if value is None else value",
        ]
    if name == "citation":
        start, stop = at[EVENT_COLUMNS[_CITATIONS.start]], at[EVENT_COLUMNS[_CITATIONS.stop - 1]]
        return [
            f"    key = tuple(row[{start}:{stop + 1}])",
            "    value = citations(key)",
            f"    {put}citation_miss(row, key) if value is None else value",
        ]
    if name == "confidence":
        return [f"    {put}confidences[row[{at['confidence']}]]"]
    if name == "recorded_at":
        return [
            f"    value = row[{at['recorded_at']}]",
            "    if type(value) is str:",
            "        value = fromiso(value)",
            "    if value.tzinfo is not UTC:",
            "        value = to_utc(value)",
            f"    {put}value",
        ]
    if name not in at:
        return None
    column = at[name]
    kind = _KIND.get(name)
    if kind == "names":
        cache = reader._names_cache(convert)
        scope[f"names_{name}"] = cache.get
        scope[f"names_miss_{name}"] = reader._names_of(cache, convert)
        return [
            f"    text = row[{column}]",
            f"    value = names_{name}(text)",
            f"    {put}names_miss_{name}(text) if value is None else value",
        ]
    if kind in ("str", str) or (name in _SIMPLE and kind in ("int", int)):
        if convert is not None:
            scope[f"convert_{name}"] = convert
            return [f"    {put}convert_{name}(row[{column}])"]
        return [f"    {put}row[{column}]"]
    return None


__all__ = ["Cache", "Reader"]

"""Claims as projections hold them: events reduced to what a state needs, with answers applied.

A :class:`Claim` keeps an event's envelope facts (who says it, quoted where, dated how, ranked
how) and its payload as plain values, so a fact table can be saved as JSON and compared for
equality. :func:`effective` applies the corrections and retractions recorded so far (a
correction may also rank a claim: a deprecated claim is shown but no longer decides);
:func:`merge_dates` joins the claims that share a fact key into one date by refinement:
compatible claims intersect (the vaguer ones support the precise ones), and only claims that
cannot all be right (disjoint dates) make the sides of a conflict.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeAlias

import attrs

from ledger.dates import HistoricalDate, Truth, ordinal_to_iso
from ledger.domain.events import ENVELOPE_FIELDS, EVENT_TYPES, Corrected, Event, Retracted, Scalar

PayloadValue: TypeAlias = Scalar | tuple[Any, ...] | None
"""A payload field's value as a claim holds it: plain and hashable (lists become tuples,
recursively)."""


def truth_by(low: int | None, high: int | None, day: int | None) -> Truth:
    """Whether something whose days lie in [low, high] had happened by ``day``.

    A None ``day`` stands for "the end of time": everything known to have a date has happened.
    """
    if day is None:
        return Truth.MAYBE if high is None else Truth.YES
    if high is not None and high <= day:
        return Truth.YES
    if low is not None and low > day:
        return Truth.NO
    return Truth.MAYBE


def plain(value: Any) -> PayloadValue:
    """Payload values as hashable plain data: lists become tuples, recursively."""
    if isinstance(value, list | tuple):
        return tuple(plain(v) for v in value)
    found: PayloadValue = value
    return found


PREFERRED = "preferred"
NORMAL = "normal"
DEPRECATED = "deprecated"
RANKS = (PREFERRED, NORMAL, DEPRECATED)
"""A claim's rank, best first. A correction sets it with ``changes: {rank: ...}``."""


@attrs.frozen(kw_only=True)
class Claim:
    """One event as a claim about one happening: its date bounds, citation and payload."""

    id: str
    type: str
    stream: str
    subjects: tuple[str, ...] = ()
    fact: str
    date: HistoricalDate
    """Its valid time (after any correction)."""
    source: str
    quote: str = ""
    phrase: str = ""
    summary: str = ""
    confidence: str = "medium"
    position: int = 0
    recorded_at: datetime | None = None
    payload: tuple[tuple[str, PayloadValue], ...] = ()
    corrections: tuple[str, ...] = ()
    """Ids of the corrections applied to it, oldest first."""
    quote_in: str = ""
    """The source whose text holds the quote, when not ``source`` (a fact sheet citing it)."""
    also_cited: tuple[str, ...] = ()
    """Further sources listed beside ``source`` for the same claim."""
    rank: str = NORMAL
    """"preferred", "normal" or "deprecated" (Wikidata's ranks), as the last ranking
    correction set it."""
    rank_reason: str = ""
    rank_by: str = ""
    """The id of the correction that set the rank (empty: never ranked)."""
    remarks: tuple[tuple[str, str], ...] = ()
    """(correction id, reason) of every correction applied, oldest first."""

    @property
    def valid(self) -> str:
        """The EDTF of its valid time."""
        return self.date.edtf

    @property
    def low(self) -> int | None:
        """Earliest possible day of its start: the day it can have begun at the soonest."""
        return self.date.start_earliest

    @property
    def high(self) -> int | None:
        """Latest possible day of its start."""
        return self.date.start_latest

    @property
    def earliest(self) -> int | None:
        """Earliest possible day of the whole valid time."""
        return self.date.earliest

    @property
    def latest(self) -> int | None:
        """Latest possible day of the whole valid time."""
        return self.date.latest

    @property
    def deprecated(self) -> bool:
        """Whether a correction marked the claim wrong (it is shown but never decides)."""
        return self.rank == DEPRECATED

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the claim is credited to: its own, then those listed beside it."""
        return tuple(dict.fromkeys((self.source, *self.also_cited)))

    def get(self, name: str, default: Any = None) -> Any:
        """A payload field by name."""
        for key, value in self.payload:
            if key == name:
                return value
        return default

    @property
    def about(self) -> tuple[str, ...]:
        """Its stream then its subjects, as on the event."""
        return (self.stream, *(s for s in self.subjects if s != self.stream))

    def redated(self, date: HistoricalDate) -> Claim:
        """The same claim with another valid time."""
        return attrs.evolve(self, date=date)


_PAYLOAD_NAMES: dict[type[Event], tuple[str, ...]] = {}


def _payload_names(cls: type[Event]) -> tuple[str, ...]:
    """The payload field names of an event type, sorted (claims keep them in this order)."""
    names = _PAYLOAD_NAMES.get(cls)
    if names is None:
        fields = attrs.fields(cls)
        names = tuple(sorted(f.name for f in fields if f.name not in ENVELOPE_FIELDS))
        _PAYLOAD_NAMES[cls] = names
    return names


def claim_of(event: Event) -> Claim:
    """The claim an event makes (any event but a correction or retraction)."""
    date = event.valid_time
    payload = tuple((k, plain(getattr(event, k))) for k in _payload_names(type(event)))
    return Claim(
        id=str(event.id),
        type=event.type_name,
        stream=event.stream,
        subjects=event.subjects,
        fact=event.fact or str(event.id),
        date=date,
        source=event.citation.source,
        quote=event.citation.quote,
        phrase=event.phrase,
        summary=event.summary,
        confidence=event.confidence.value,
        position=event.position,
        recorded_at=event.recorded_at,
        payload=payload,
        quote_in=event.citation.quote_in,
        also_cited=event.citation.also_cited,
    )


@attrs.frozen(kw_only=True)
class Answer:
    """A correction or retraction of an earlier event, as a fact table keeps it."""

    id: str
    kind: str
    """"corrected" or "retracted"."""
    target: str
    date: HistoricalDate
    """The valid time it gives its target."""
    changes: tuple[tuple[str, PayloadValue], ...] = ()
    reason: str = ""
    source: str = ""
    quote: str = ""
    position: int = 0
    recorded_at: datetime | None = None

    @property
    def valid(self) -> str:
        """The EDTF of the valid time it gives its target."""
        return self.date.edtf


def answer_of(event: Corrected | Retracted) -> Answer:
    """The answer a Corrected or Retracted event gives to its target."""
    changes: tuple[tuple[str, PayloadValue], ...] = ()
    if isinstance(event, Corrected):
        changes = tuple((k, plain(v)) for k, v in event.changes)
    return Answer(
        id=str(event.id),
        kind="corrected" if isinstance(event, Corrected) else "retracted",
        target=str(event.target),
        date=event.valid_time,
        changes=changes,
        reason=event.reason,
        source=event.citation.source,
        quote=event.citation.quote,
        position=event.position,
        recorded_at=event.recorded_at,
    )


def effective(claims: Iterable[Claim], answers: Sequence[Answer]) -> list[Claim]:
    """The claims that still count once every answer given so far is applied, in order.

    A retraction removes its target; a retracted answer no longer applies (so retracting a
    correction restores the corrected claim). Corrections apply oldest first: each sets the
    valid time and replaces the payload fields it names (unknown names are ignored).
    """
    retractions: dict[str, list[str]] = {}
    corrections: dict[str, list[Answer]] = {}
    for answer in answers:
        if answer.kind == "retracted":
            retractions.setdefault(answer.target, []).append(answer.id)
        else:
            corrections.setdefault(answer.target, []).append(answer)
    live_cache: dict[str, bool] = {}

    def live(item: str, depth: int = 0) -> bool:
        # A chain of retractions of retractions is finite (each names an older event), but
        # guard against malformed cycles rather than recurse forever.
        if item not in retractions or depth > 64:
            return True
        if item not in live_cache:
            live_cache[item] = not any(live(r, depth + 1) for r in retractions[item])
        return live_cache[item]

    result: list[Claim] = []
    for claim in claims:
        if not live(claim.id):
            continue
        for answer in corrections.get(claim.id, ()):
            if live(answer.id):
                claim = _corrected(claim, answer)
        result.append(claim)
    return result


def _corrected(claim: Claim, answer: Answer) -> Claim:
    """A claim with one correction applied: its date, payload fields and rank."""
    fields = dict(claim.payload)
    fits = _field_checks(claim.type)
    fields.update((k, v) for k, v in answer.changes if k in fields and fits.get(k, _any)(v))
    fixed = claim.redated(answer.date) if answer.valid != claim.valid else claim
    rank = dict(answer.changes).get("rank")
    fixed = attrs.evolve(
        fixed,
        payload=tuple(sorted(fields.items())),
        corrections=(*claim.corrections, answer.id),
        remarks=(*claim.remarks, (answer.id, answer.reason)),
    )
    if isinstance(rank, str) and rank in RANKS:
        fixed = attrs.evolve(fixed, rank=rank, rank_reason=answer.reason, rank_by=answer.id)
    return fixed


@attrs.frozen(kw_only=True)
class Side:
    """One reading of a happening's date: claims that can all be right together.

    ``claims`` are the most precise of them (they make the date), ``support`` the vaguer ones
    that agree with it (they add attestation, not a rival date).
    """

    low: int | None
    high: int | None
    edtf: str
    claims: tuple[str, ...]
    support: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class FactDate:
    """When one happening began, from every claim about it: bounds, display and conflict flag.

    Claims that can all be right narrow the date to the intersection of their bounds. When
    they cannot (disjoint dates), each largest group of claims that can is a :class:`Side`,
    and the happening is dated by the span of the sides. Deprecated claims take no part
    (unless every claim is deprecated: then they date it, and it stays deprecated).
    """

    low: int | None
    high: int | None
    edtf: str
    conflict: bool = False
    claims: tuple[str, ...] = ()
    """Ids of the claims it merges."""
    sides: tuple[Side, ...] = ()
    deprecated: tuple[str, ...] = ()
    """Ids of the deprecated claims about the happening (shown, not deciding)."""
    bounded_by: tuple[str, ...] = ()
    before_start: tuple[str, ...] = ()
    """Start claims that raised its earliest day, or that it is dated wholly before (it then
    contradicts them, and is not moved): see ``ledger.domain.starts``."""

    def began_by(self, day: int | None) -> Truth:
        """Whether the happening had begun by ``day``."""
        return truth_by(self.low, self.high, day)

    def admits(self, last_day: int | None) -> bool:
        """Whether it can have begun by ``last_day`` (not certainly later)."""
        return self.began_by(last_day) is not Truth.NO

    def role_of(self, claim_id: str) -> str:
        """What a claim does for this date: "decides", "supports" or "deprecated"."""
        if claim_id in self.deprecated:
            return "deprecated"
        for side in self.sides:
            if claim_id in side.claims:
                return "decides"
        return "supports"


_LOW = float("-inf")
_HIGH = float("inf")


def _span(claim: Claim) -> tuple[float, float]:
    return (_LOW if claim.low is None else claim.low, _HIGH if claim.high is None else claim.high)


def _shown(members: Sequence[Claim], low: int | None, high: int | None) -> str:
    """The EDTF to show for bounds: a claim's own when one is that precise, never a new day."""
    exact = [c for c in members if c.low == low and c.high == high]
    if exact:
        return exact[0].valid
    if low is None and high is None:
        return min(members, key=lambda c: c.valid).valid
    if low is not None and low == high:
        return ordinal_to_iso(low)  # claims that meet on one day date it to that day
    first = "" if low is None else ordinal_to_iso(low)
    last = "" if high is None else ordinal_to_iso(high)
    return f"[{first}..{last}]"


def _side(members: Sequence[Claim]) -> Side:
    """The side a group of compatible claims makes: their intersection, precise ones first."""
    lows = [c.low for c in members if c.low is not None]
    highs = [c.high for c in members if c.high is not None]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    spans = {c.id: _span(c) for c in members}

    def refined(c: Claim) -> bool:
        # Another member strictly inside this one: this one is the vaguer.
        lo, hi = spans[c.id]
        return any(
            lo <= olo and ohi <= hi and (olo, ohi) != (lo, hi)
            for other, (olo, ohi) in spans.items()
            if other != c.id
        )

    deciding = tuple(c.id for c in members if not refined(c))
    support = tuple(c.id for c in members if refined(c))
    return Side(
        low=low, high=high, edtf=_shown(members, low, high), claims=deciding, support=support
    )


def _groups(claims: Sequence[Claim]) -> list[list[Claim]]:
    """The largest groups of claims whose dates can all be right together, in time order.

    Dates are intervals of possible days, so such a group is every claim whose interval
    holds some day; the largest groups are found at the claims' first days.
    """
    spans = [(_span(c), c) for c in claims]
    covers: list[frozenset[int]] = []
    for (day, _), _claim in sorted(spans, key=lambda item: item[0]):
        cover = frozenset(i for i, ((lo, hi), _c) in enumerate(spans) if lo <= day <= hi)
        if cover not in covers:
            covers.append(cover)
    largest = [c for c in covers if not any(c < other for other in covers)]
    return [[claims[i] for i in sorted(cover)] for cover in largest]


def merge_dates(claims: Sequence[Claim]) -> FactDate:
    """One date for the claims of a fact, by refinement (see :class:`FactDate`)."""
    ids = tuple(c.id for c in claims)
    if len(claims) == 1:
        only = claims[0]
        side = Side(low=only.low, high=only.high, edtf=only.valid, claims=ids)
        return FactDate(
            low=only.low,
            high=only.high,
            edtf=only.valid,
            claims=ids,
            sides=(side,),
            deprecated=ids if only.deprecated else (),
        )
    live = [c for c in claims if not c.deprecated]
    deprecated = tuple(c.id for c in claims if c.deprecated)
    deciding = live or list(claims)
    sides = tuple(_side(group) for group in _groups(deciding))
    if len(sides) == 1:
        only_side = sides[0]
        return FactDate(
            low=only_side.low,
            high=only_side.high,
            edtf=only_side.edtf,
            claims=ids,
            sides=sides,
            deprecated=deprecated,
        )
    lows = [s.low for s in sides if s.low is not None]
    highs = [s.high for s in sides if s.high is not None]
    low = min(lows) if len(lows) == len(sides) else None
    high = max(highs) if len(highs) == len(sides) else None
    shown = "[" + ",".join(sorted({_set_member(s.edtf) for s in sides})) + "]"
    return FactDate(
        low=low,
        high=high,
        edtf=shown,
        conflict=True,
        claims=ids,
        sides=sides,
        deprecated=deprecated,
    )


def _set_member(edtf: str) -> str:
    """A date as a member of an EDTF one-of set: a one-of set is spliced in, not nested."""
    return edtf[1:-1] if edtf.startswith("[") and edtf.endswith("]") else edtf


def group_by_fact(claims: Iterable[Claim]) -> dict[str, list[Claim]]:
    """Claims grouped by fact key, in the order each fact was first claimed."""
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.fact, []).append(claim)
    return groups


def fact_dates(claims: Iterable[Claim]) -> dict[str, FactDate]:
    """The merged date of every fact key among ``claims``."""
    return {key: merge_dates(group) for key, group in group_by_fact(claims).items()}


def claims_by_id(claims: Iterable[Claim]) -> Mapping[str, Claim]:
    """Index claims by id."""
    return {c.id: c for c in claims}


def _any(value: Any) -> bool:
    return True


def _text_tuple(value: Any) -> bool:
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_TYPE_CHECKS: dict[Any, Callable[[Any], bool]] = {
    str: lambda value: isinstance(value, str),
    int: _whole,
    tuple[str, ...]: _text_tuple,
    Scalar: lambda value: isinstance(value, str | int | float | bool),
}


@functools.cache
def _field_checks(type_name: str) -> Mapping[str, Callable[[Any], bool]]:
    """Whether a value has the type its event class declares, by payload field name.

    A correction is recorded for good, so one whose value does not fit its field (a list for
    a name, a number for a list of parties) is ignored like an unknown field: it must not
    break every later fold of its program.
    """
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        return {}
    hints = typing.get_type_hints(cls)
    return {
        name: _TYPE_CHECKS[hints[name]]
        for name in _payload_names(cls)
        if hints.get(name) in _TYPE_CHECKS
    }

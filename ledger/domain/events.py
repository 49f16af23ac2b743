"""The events a ledger records: frozen values, past-tense names, stored by explicit type name.

Every event is a *claim* by one source about one dated happening. The envelope fields (id,
stream, valid time, citation, ...) are on :class:`Event`; each subclass adds its payload.
Events never change: a mistake is answered by a :class:`Corrected` or :class:`Retracted`
event that names the event it answers.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeAlias

import attrs

from ledger.dates import HistoricalDate
from ledger.deferred import Deferred

Scalar: TypeAlias = str | int | float | bool
"""A value a claim can carry (JSON scalars only, so every backend stores it alike)."""


class Confidence(enum.Enum):
    """How far the source that makes a claim can be trusted for it, as the curator judged."""

    LOW = "low"
    MEDIUM = "medium"
    MEDIUM_HIGH = "medium-high"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Order of trust, low to high, for sorting and for "never raise" checks."""
        return _CONFIDENCE_RANK[self]


_CONFIDENCE_RANK = {c: i for i, c in enumerate(Confidence)}


@attrs.frozen(kw_only=True)
class Citation:
    """Where a claim comes from: a source id and the exact quote, located by character span.

    ``start``/``end`` index the source text (Python string offsets, end exclusive); they are
    filled when the quote is checked against the text.
    """

    source: str
    quote: str = ""
    start: int | None = None
    end: int | None = None
    quote_in: str = ""
    """The source whose text holds the quote when it is not ``source`` itself: a compiled
    reference (a fact sheet) quoting sources whose text the ledger does not hold. Empty means
    ``source``; ``start``/``end`` then index ``quote_in``'s text."""
    also_cited: tuple[str, ...] = ()
    """Further sources that make the same claim, listed beside ``source`` where it is quoted."""


def _tuple_of_str(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    # (tag, text) pairs in the order given; a mapping of tag to text, or of tag to a list of
    # texts, is read as those pairs.
    if isinstance(value, Mapping):
        pairs: list[tuple[str, str]] = []
        for key, item in value.items():
            for text in (item,) if isinstance(item, str) else item:
                pairs.append((str(key), str(text)))
        return tuple(pairs)
    return tuple((str(k), str(v)) for k, v in value)


def _sorted_items(value: Any) -> tuple[tuple[str, Any], ...]:
    # Sorted so that the same changes always encode (and hash) the same way.
    return tuple(sorted(dict(value).items()))


@attrs.frozen(kw_only=True)
class Event(Deferred):
    """Base of every event: the envelope a store keeps for each claim.

    ``sequence``, ``position`` and ``recorded_at`` are assigned when the event is appended;
    an event built by a caller leaves them at their defaults.
    """

    type_name: ClassVar[str] = "Event"
    version: ClassVar[int] = 1

    id: uuid.UUID
    stream: str
    """The entity this event belongs to (a program, an agreement, a mission, a law...)."""
    valid_time: HistoricalDate
    """When it happened, as precisely as the source says and no more."""
    citation: Citation
    subjects: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """Other entities whose state this event also changes."""
    participants: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """Entities taking part without being changed by it (speakers, hosts...)."""
    fact: str = ""
    """Claims that share a fact key are about the same happening; empty means its own."""
    confidence: Confidence = Confidence.MEDIUM
    phrase: str = ""
    """The date as the source wrote it ("in December", «العام الماضي»), if it wrote one."""
    summary: str = ""
    """One line in English saying what happened, for timelines."""
    sequence: int = 0
    position: int = 0
    recorded_at: datetime | None = None

    @property
    def about(self) -> tuple[str, ...]:
        """Every entity whose state this event changes: its stream, then its subjects."""
        return (self.stream, *(s for s in self.subjects if s != self.stream))

    @property
    def fact_key(self) -> str:
        """The happening this claim is about (its own id when no fact key was given)."""
        return self.fact or str(self.id)


# --- the vocabulary of happenings a projection understands ---------------------------------


@attrs.frozen(kw_only=True)
class StatusChanged(Event):
    """The stream's program entered a status (proposed, in talks, agreed, operating...)."""

    type_name: ClassVar[str] = "StatusChanged"
    status: str
    """The status entered, as a short word (proposed, in_talks, agreed, operating, completed...)."""


@attrs.frozen(kw_only=True)
class TalksHeld(Event):
    """Parties talked about the stream's program (usually over an interval of time)."""

    type_name: ClassVar[str] = "TalksHeld"
    parties: tuple[str, ...] = attrs.field(converter=_tuple_of_str)
    """The entities that talked."""
    topic: str = ""
    """What they talked about, if the source says."""


@attrs.frozen(kw_only=True)
class AgreementSigned(Event):
    """An agreement about the stream's program was signed; its parties become partners."""

    type_name: ClassVar[str] = "AgreementSigned"
    agreement: str
    """The agreement's name or description."""
    parties: tuple[str, ...] = attrs.field(converter=_tuple_of_str)
    """The entities bound by it; each becomes a party of the program."""
    signatories: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """The people who signed, when the source names them."""
    mode: str = ""
    """How it was signed, as the source says (e.g. "by video conference")."""


@attrs.frozen(kw_only=True)
class MemberJoined(Event):
    """An entity became a member or partner of the stream's program, in a role."""

    type_name: ClassVar[str] = "MemberJoined"
    member: str
    """The entity that joined."""
    role: str = "member"
    """Its role (member, partner, party, observer...)."""


@attrs.frozen(kw_only=True)
class MemberLeft(Event):
    """An entity stopped being a member or partner of the stream's program."""

    type_name: ClassVar[str] = "MemberLeft"
    member: str
    """The entity that left."""
    role: str = "member"
    """The role it left."""


@attrs.frozen(kw_only=True)
class Invited(Event):
    """A party was invited to join the stream's program (by someone, for a role)."""

    type_name: ClassVar[str] = "Invited"
    party: str
    """The entity invited."""
    by: str = ""
    """The entity that invited it, if known."""
    role: str = ""
    """The role it was invited to, if the source says."""


@attrs.frozen(kw_only=True)
class InvitationConsidered(Event):
    """An invited party was weighing whether to join."""

    type_name: ClassVar[str] = "InvitationConsidered"
    party: str
    """The entity weighing the invitation."""


@attrs.frozen(kw_only=True)
class InvitationDeclined(Event):
    """An invited party declined to join (or to join as proposed)."""

    type_name: ClassVar[str] = "InvitationDeclined"
    party: str
    """The entity that declined."""
    reason: str = ""
    """Why, as the source says."""


@attrs.frozen(kw_only=True)
class MilestoneReached(Event):
    """A mission of the stream's program reached a milestone (launch, landing, return...)."""

    type_name: ClassVar[str] = "MilestoneReached"
    milestone: str
    """What was reached (launch, landing, docking, sample return...)."""
    mission: str = ""
    """The mission that reached it (default: the stream)."""


@attrs.frozen(kw_only=True)
class RestrictionEnacted(Event):
    """A rule came into force that forbids ``restricted`` to work with ``counterparties``."""

    type_name: ClassVar[str] = "RestrictionEnacted"
    restriction: str
    """The rule's name (a law, a ban, a sanction)."""
    restricted: tuple[str, ...] = attrs.field(converter=_tuple_of_str)
    """The entities it forbids to work with the counterparties."""
    counterparties: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """The entities they may not work with."""
    authority: str = ""
    """The entity that enacted it, if known."""


@attrs.frozen(kw_only=True)
class RestrictionLifted(Event):
    """A restriction stopped being in force."""

    type_name: ClassVar[str] = "RestrictionLifted"
    restriction: str
    """The name of the restriction that ended (as enacted)."""


@attrs.frozen(kw_only=True)
class ClaimMade(Event):
    """A source states a value for an attribute of the stream's entity (a rank, a location...).

    Two claims about the same stream and attribute with different values are a conflict.
    """

    type_name: ClassVar[str] = "ClaimMade"
    attribute: str
    """What is said of the stream's entity (location, budget rank, signing mode...)."""
    value: Scalar
    """The value the source gives."""


@attrs.frozen(kw_only=True)
class Stated(Event):
    """A generic claim for what no other type fits: the stream (subject) ``predicate`` a value.

    The value is an entity (``object``), a scalar (``value``), or both ("founded in: Houston";
    "population: 2300000"). Several values for one predicate are not a conflict: a person can
    hold many offices. Use :class:`ClaimMade` where one value excludes the others.
    """

    type_name: ClassVar[str] = "Stated"
    predicate: str
    """What is said of the subject, in a few words ("founded", "launched from", "wrote")."""
    value: Scalar = ""
    """A text, number or truth value, if the claim has one."""
    object: str = ""
    """An entity id the claim relates the subject to, if any."""


@attrs.frozen(kw_only=True)
class MembersCounted(Event):
    """A source states how many members the program had, besides those ``excluding``.

    The projection compares it with the members it derives from recorded joinings.
    """

    type_name: ClassVar[str] = "MembersCounted"
    count: int
    """How many members the source counts."""
    excluding: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """Entities the count leaves out ("nine other signatories" besides the United States)."""
    role: str = ""
    """The role counted, if only one."""


@attrs.frozen(kw_only=True)
class BeganNotBefore(Event):
    """The stream's entity began no earlier than the first day of this event's valid time.

    An earliest possible start (a "not before" bound), not a founding day: the valid time is
    the date the source allows as the soonest, and ``reason`` says what that date is (the
    earliest evidence of the entity, a first public step...). Nothing of the entity (its
    status, members, agreements, attributes) can have begun before it, so an open start
    ``[..X]`` of a claim about it is read from that day on. A claim dated wholly before it is
    not moved: it contradicts the bound (see ``docs/evidence.md``).
    """

    type_name: ClassVar[str] = "BeganNotBefore"
    reason: str
    """What the date is, in a sentence (earliest evidence, not a founding day)."""


@attrs.frozen(kw_only=True)
class Corrected(Event):
    """A later word on an event: its valid time becomes this event's, its fields ``changes``."""

    type_name: ClassVar[str] = "Corrected"
    target: uuid.UUID
    """The claim corrected (its corpus id in a corpus)."""
    reason: str
    """Why, in a sentence."""
    changes: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_sorted_items)
    """The target's payload fields that change, with their new values."""

    @property
    def changes_map(self) -> Mapping[str, Any]:
        """The changed payload fields, by name."""
        return dict(self.changes)


@attrs.frozen(kw_only=True)
class Retracted(Event):
    """A later word that an event should not have been recorded; it stops counting."""

    type_name: ClassVar[str] = "Retracted"
    target: uuid.UUID
    """The claim retracted (its corpus id in a corpus)."""
    reason: str
    """Why it should not have been recorded."""


# --- the catalogue: sources and entities are recorded like any other claim -----------------


@attrs.frozen(kw_only=True)
class SourceRegistered(Event):
    """A source the ledger cites; its stream is ``source:<id>``, its valid time its date.

    ``text`` holds the source's text when the ledger has it, so quotes can be checked and the
    hash chain covers what was quoted.
    """

    type_name: ClassVar[str] = "SourceRegistered"
    title: str
    """The source's title."""
    language: str = ""
    """Its language, as a BCP 47 tag."""
    url: str = ""
    """Where it can be read, if on the web."""
    publisher: str = ""
    """Who published it."""
    authors: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """Who wrote it."""
    translation_of: str = ""
    """The id of the source this one translates, if any."""
    text: str = ""
    """The source's text, when the ledger holds it (a seed)."""
    notes: str = ""
    """What a reader should know about it (translation errors, dating)."""


@attrs.frozen(kw_only=True)
class EntityRegistered(Event):
    """An entity (program, mission, agency, country, person, law...) and its names.

    Its stream is the entity id, so the entity's own events follow it in the same stream.
    """

    type_name: ClassVar[str] = "EntityRegistered"
    kind: str
    """What it is (see the entity kinds)."""
    name_en: str
    """Its English name (or its first name given, in any language)."""
    name_ar: str = ""
    """Its Arabic name."""
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """Other names, in any script; each finds the entity."""
    part_of: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    """Programs it is part of: its events count towards theirs."""


@attrs.frozen(kw_only=True)
class EntityAliased(Event):
    """More names for an entity, learned later."""

    type_name: ClassVar[str] = "EntityAliased"
    aliases: tuple[str, ...] = attrs.field(converter=_tuple_of_str)
    """The new names."""


@attrs.frozen(kw_only=True)
class EntityNamed(Event):
    """Names of an entity in any language, learned from a source (a new corpus, a new text).

    Language tags are BCP 47 (``en``, ``ar``, ``ru``, ``zh-Hans``); an alias whose language is
    not known has the tag ``""``. Lookup by name folds each name per script (Arabic as the
    article's names are folded), so any of these finds the entity.
    """

    type_name: ClassVar[str] = "EntityNamed"
    names: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """(language, name): the entity's name in each language it is given in."""
    aliases: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """(language, alias): other names, abbreviations and spellings."""


@attrs.frozen(kw_only=True)
class Identified(Event):
    """External identifiers of an entity or a source: the stream is the entity id, or
    ``source:<id>`` for a source.

    Schemes are lower-case names: ``wikidata`` (a QID such as ``Q23548``), ``doi``, ``isbn``,
    ``url``, ``viaf``... Lookup by any identifier finds the entity or source it names.
    """

    type_name: ClassVar[str] = "Identified"
    identifiers: tuple[tuple[str, str], ...] = attrs.field(converter=_pairs)
    """(scheme, value) pairs."""


EVENT_TYPES: Mapping[str, type[Event]] = {
    cls.type_name: cls
    for cls in (
        StatusChanged,
        TalksHeld,
        AgreementSigned,
        MemberJoined,
        MemberLeft,
        Invited,
        InvitationConsidered,
        InvitationDeclined,
        MilestoneReached,
        RestrictionEnacted,
        RestrictionLifted,
        ClaimMade,
        Stated,
        MembersCounted,
        BeganNotBefore,
        Corrected,
        Retracted,
        SourceRegistered,
        EntityRegistered,
        EntityAliased,
        EntityNamed,
        Identified,
    )
}
"""Every event type by its stored name. Names are part of the file format: never rename."""


CATALOGUE_TYPES: frozenset[str] = frozenset(
    {"SourceRegistered", "EntityRegistered", "EntityAliased", "EntityNamed", "Identified"}
)
"""Types that describe sources and entities rather than claim that something happened."""

ENVELOPE_FIELDS: frozenset[str] = frozenset(f.name for f in attrs.fields(Event))


def payload_of(event: Event) -> dict[str, Any]:
    """The fields an event type adds to the envelope, by name."""
    return {
        f.name: getattr(event, f.name)
        for f in attrs.fields(type(event))
        if f.name not in ENVELOPE_FIELDS
    }

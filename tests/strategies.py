"""Hypothesis strategies shared by the test-suite; each group is a set of named functions.

Dates (``ledger.dates``): ``date_parts``, ``day_ordinals``, ``edtf_days``, ``edtf_single_dates``,
``edtf_intervals``, ``edtf_sets``, ``edtf_strings``, ``historical_dates``, ``masked_days``,
``refinement_chains``.
Projections (``ledger.domain``): ``projection_dates``, ``projection_claim_event``,
``projection_histories``. Other parts of the ledger add their strategies below, in their own
clearly named functions.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import strategies as st

from ledger.dates import HistoricalDate, parse_edtf
from ledger.dates.calendar import day_ordinal, days_in_month
from ledger.domain.claims import Claim
from ledger.domain.events import (
    CATALOGUE_TYPES,
    ENVELOPE_FIELDS,
    EVENT_TYPES,
    AgreementSigned,
    BeganNotBefore,
    Citation,
    ClaimMade,
    Confidence,
    Corrected,
    EntityRegistered,
    Event,
    InvitationConsidered,
    InvitationDeclined,
    Invited,
    MemberJoined,
    MemberLeft,
    MembersCounted,
    MilestoneReached,
    RestrictionEnacted,
    RestrictionLifted,
    Retracted,
    Stated,
    StatusChanged,
    TalksHeld,
)

if TYPE_CHECKING:
    from ledger.persistence.mapper import Mapper

# --- dates ------------------------------------------------------------------------------------

QUALIFIERS = ("", "?", "~", "%")


def edtf_year_text(year: int) -> str:
    """Four-digit EDTF year text, signed when negative."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


@st.composite
def date_parts(
    draw: st.DrawFn, min_year: int = -9999, max_year: int = 9999
) -> tuple[int, int, int]:
    """A valid (year, month, day) in the proleptic Gregorian calendar."""
    year = draw(st.integers(min_year, max_year))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, days_in_month(year, month)))
    return year, month, day


def day_ordinals(min_year: int = -9999, max_year: int = 9999) -> st.SearchStrategy[int]:
    """Day ordinals (0001-01-01 == 1) of days in the given years."""
    return st.integers(day_ordinal(min_year, 1, 1), day_ordinal(max_year, 12, 31))


@st.composite
def edtf_days(draw: st.DrawFn, min_year: int = -9999, max_year: int = 9999) -> str:
    """A plain EDTF day such as ``2021-03-09`` or ``-0044-03-15``."""
    year, month, day = draw(date_parts(min_year, max_year))
    return f"{edtf_year_text(year)}-{month:02d}-{day:02d}"


@st.composite
def edtf_single_dates(draw: st.DrawFn) -> str:
    """One EDTF date: day, month, year, season, X digits, long year, qualifiers anywhere."""
    year, month, day = draw(date_parts())
    ytext = edtf_year_text(year)
    shape = draw(
        st.sampled_from(["day", "month", "year", "grouping", "masked", "long", "parts", "time"])
    )
    if shape == "day":
        return f"{ytext}-{month:02d}-{day:02d}" + draw(st.sampled_from(QUALIFIERS))
    if shape == "month":
        return f"{ytext}-{month:02d}" + draw(st.sampled_from(QUALIFIERS))
    if shape == "year":
        return ytext + draw(st.sampled_from(QUALIFIERS))
    if shape == "grouping":
        code = draw(st.integers(21, 41))
        return f"{ytext}-{code}" + draw(st.sampled_from(QUALIFIERS))
    if shape == "masked":
        return draw(masked_days(min_year=0))
    if shape == "long":
        magnitude = draw(st.integers(10_000, 10**12))
        sign = draw(st.sampled_from(["", "-"]))
        return f"Y{sign}{magnitude}"
    if shape == "time":
        hour, minute, second = (draw(st.integers(0, n)) for n in (23, 59, 59))
        zone = draw(st.sampled_from(["", "Z", "+05:00", "-04", "+14:00"]))
        return f"{ytext}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{zone}"
    # Qualifiers on single parts, left or right of each part.
    texts = [ytext, f"{month:02d}", f"{day:02d}"][: draw(st.integers(1, 3))]
    out = []
    for text in texts:
        before = draw(st.sampled_from(QUALIFIERS))
        after = draw(st.sampled_from(QUALIFIERS))
        out.append(before + text + after)
    return "-".join(out)


@st.composite
def masked_days(draw: st.DrawFn, min_year: int = 0, max_year: int = 9999) -> str:
    """A day with some of its digits replaced by X (always still matching that day)."""
    day_text = draw(edtf_days(min_year, max_year))
    digits = [i for i, c in enumerate(day_text) if c.isdigit()]
    masked = draw(st.sets(st.sampled_from(digits)))
    if day_text.startswith("-") and all(i in masked for i in range(1, 5)):
        masked.discard(1)  # "-XXXX" is not a year pattern
    return "".join("X" if i in masked else c for i, c in enumerate(day_text))


@st.composite
def edtf_intervals(draw: st.DrawFn) -> str:
    """An interval whose ends are dates, unknown (empty) or open (``..``), in order."""
    first = parse_edtf(draw(edtf_single_dates()))
    second = parse_edtf(draw(edtf_single_dates()))
    # Swapping is enough: if a starts after b ends, b starts before a ends.
    if first.earliest is not None and second.latest is not None and first.earliest > second.latest:
        first, second = second, first
    head = draw(st.sampled_from([first.edtf, first.edtf, "", ".."]))
    tail = draw(st.sampled_from([second.edtf, second.edtf, "", ".."]))
    if head in ("", "..") and tail in ("", ".."):
        tail = second.edtf
    return f"{head}/{tail}"


@st.composite
def edtf_sets(draw: st.DrawFn) -> str:
    """A one-of (``[...]``) or all-of (``{...}``) set of dates and ranges."""
    members = draw(st.lists(edtf_days(), min_size=1, max_size=4))
    if len(members) >= 2 and draw(st.booleans()):
        low, high = sorted(members[:2], key=lambda text: parse_edtf(text).earliest or 0)
        members[:2] = [f"{low}..{high}"]
    if ".." not in members[-1] and draw(st.booleans()):
        last = members[-1]
        members[-1] = draw(st.sampled_from([f"..{last}", f"{last}.."]))
    brackets = draw(st.sampled_from(["[]", "{}"]))
    return brackets[0] + ", ".join(members) + brackets[1]


def edtf_strings() -> st.SearchStrategy[str]:
    """Any valid EDTF string the ledger reads: dates, intervals and sets."""
    return st.one_of(edtf_single_dates(), edtf_intervals(), edtf_sets())


def historical_dates() -> st.SearchStrategy[HistoricalDate]:
    """Parsed ``HistoricalDate`` values of every shape."""
    return edtf_strings().map(parse_edtf)


@st.composite
def refinement_chains(draw: st.DrawFn) -> list[str]:
    """EDTF strings from coarse to fine around one day: century, decade, year, month, day."""
    year, month, day = draw(date_parts(0, 9999))
    ytext = f"{year:04d}"
    qualify = st.sampled_from(QUALIFIERS)
    return [
        ytext[:2] + "XX",
        ytext[:3] + "X",
        ytext + draw(qualify),
        f"{ytext}-XX",
        f"{ytext}-{month:02d}" + draw(qualify),
        f"{ytext}-{month:02d}-XX",
        f"{ytext}-{month:02d}-{day:02d}" + draw(qualify),
    ]


# --- projections: small event histories (tests/system/test_projection_properties.py) --------
# Few programs, parties, years and fact keys, so that histories often touch one program,
# merge claims of one fact, supersede statuses, answer earlier events and register parts.

PROJECTION_PROGRAMS = ("p", "q")
PROJECTION_STREAMS = ("p", "q", "m1")
"""Streams of claims: the programs and "m1", which a history may register as part of "p"."""
PROJECTION_PARTIES = ("a", "b", "c")
PROJECTION_FACT_KEYS = ("", "", "", "f1", "f2")
ProjectionDraw = Callable[[st.SearchStrategy[Any]], Any]
"""A draw function: ``st.DrawFn`` in a composite strategy, or ``st.DataObject.draw``."""


@st.composite
def projection_dates(
    draw: st.DrawFn, first_year: int = 2000, last_year: int = 2003, intervals: bool = True
) -> str:
    """An EDTF date of day, month or year precision, or a closed interval of such dates."""
    year = draw(st.integers(first_year, last_year))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    shapes = ["day", "day", "month", "year"] + (["interval"] if intervals else [])
    shape = draw(st.sampled_from(shapes))
    if shape == "day":
        return f"{year:04d}-{month:02d}-{day:02d}"
    if shape == "month":
        return f"{year:04d}-{month:02d}"
    if shape == "year":
        return f"{year:04d}"
    end = draw(st.integers(year, last_year + 1))
    return f"{year:04d}-{month:02d}/{end:04d}"


def _projection_payload(draw: ProjectionDraw, kind: type[Event]) -> dict[str, Any]:
    party = st.sampled_from(PROJECTION_PARTIES)
    if kind is StatusChanged:
        return {"status": draw(st.sampled_from(("proposed", "agreed", "operating", "ended")))}
    if kind is TalksHeld:
        return {"parties": draw(st.lists(party, min_size=1, max_size=2, unique=True))}
    if kind is AgreementSigned:
        return {
            "agreement": draw(st.sampled_from(("mou", "treaty"))),
            "parties": draw(st.lists(party, min_size=1, max_size=3, unique=True)),
            "signatories": draw(st.lists(st.sampled_from(("s1", "s2")), max_size=2, unique=True)),
        }
    if kind in (MemberJoined, MemberLeft):
        return {"member": draw(party), "role": draw(st.sampled_from(("member", "founder")))}
    if kind in (Invited, InvitationConsidered, InvitationDeclined):
        return {"party": draw(party)}
    if kind is MilestoneReached:
        return {"milestone": draw(st.sampled_from(("launch", "landing")))}
    if kind is RestrictionEnacted:
        return {"restriction": "r", "restricted": (draw(party),), "counterparties": ("china",)}
    if kind is RestrictionLifted:
        return {"restriction": "r"}
    if kind is ClaimMade:
        return {"attribute": "rank", "value": draw(st.integers(1, 3))}
    if kind is MembersCounted:
        return {"count": draw(st.integers(0, 3)), "excluding": draw(st.lists(party, max_size=1))}
    if kind is Stated:
        return {"predicate": "held", "value": draw(st.integers(1, 3))}
    if kind is BeganNotBefore:
        return {"reason": "earliest evidence"}
    return {}


# Every claim type, derived so a new one is covered: all but answers and the catalogue.
PROJECTION_CLAIM_KINDS: tuple[type[Event], ...] = tuple(
    cls
    for cls in EVENT_TYPES.values()
    if cls not in (Corrected, Retracted) and cls.type_name not in CATALOGUE_TYPES
)


def projection_claim_event(
    draw: ProjectionDraw,
    position: int,
    sequence: int,
    recorded_at: datetime,
    dates: st.SearchStrategy[str] | None = None,
    fact_keys: tuple[str, ...] = PROJECTION_FACT_KEYS,
    kinds: tuple[type[Event], ...] = PROJECTION_CLAIM_KINDS,
) -> Event:
    """One claim-making event (never a correction or retraction) at a ledger position."""
    kind: type[Event] = draw(st.sampled_from(kinds))
    stream = draw(st.sampled_from(PROJECTION_STREAMS))
    return kind(
        id=uuid.UUID(int=position),
        stream=stream,
        valid_time=parse_edtf(draw(dates if dates is not None else projection_dates())),
        citation=Citation(source=draw(st.sampled_from(("s-a", "s-b"))), quote=f"q{position}"),
        subjects=draw(
            st.lists(st.sampled_from((*PROJECTION_PROGRAMS, *PROJECTION_PARTIES)), max_size=1)
        ),
        fact=draw(st.sampled_from(fact_keys)),
        summary=kind.type_name,
        sequence=sequence,
        position=position,
        recorded_at=recorded_at,
        **_projection_payload(draw, kind),
    )


@st.composite
def projection_histories(draw: st.DrawFn, max_size: int = 14) -> list[Event]:
    """A ledger's events in recorded order: claims, answers to them, and part registrations.

    Recorded times never go backwards; several events may share one (a batch import).
    """
    recorded_at = datetime(2021, 1, 1, tzinfo=UTC)
    events: list[Event] = []
    sequences: dict[str, int] = {}
    for position in range(1, draw(st.integers(1, max_size)) + 1):
        recorded_at += timedelta(hours=draw(st.integers(0, 2)))
        roll = draw(st.integers(0, 9))
        if roll == 1:
            event: Event = EntityRegistered(
                id=uuid.UUID(int=position),
                stream="m1",
                valid_time=parse_edtf("2000"),
                citation=Citation(source="s-a"),
                kind="mission",
                name_en="M1",
                part_of="p",
                position=position,
                recorded_at=recorded_at,
            )
        elif roll == 0 and events:
            target = draw(st.sampled_from(events))
            common: dict[str, Any] = {
                "id": uuid.UUID(int=position),
                "stream": target.stream,
                "valid_time": parse_edtf(draw(projection_dates())),
                "citation": Citation(source="s-fix", quote=f"q{position}"),
                "reason": "r",
                "target": target.id,
                "position": position,
                "recorded_at": recorded_at,
            }
            if draw(st.booleans()):
                event = Retracted(**common)
            else:
                payload = _projection_payload(draw, type(target))
                changes = {k: v for k, v in payload.items() if draw(st.booleans())}
                event = Corrected(changes=changes, **common)
        else:
            event = projection_claim_event(draw, position, 0, recorded_at)
        sequences[event.stream] = sequences.get(event.stream, 0) + 1
        events.append(attrs.evolve(event, sequence=sequences[event.stream]))
    return events


# --- end of projections section ---------------------------------------------------------------


# --- persistence: events as the store records them (tests/contract/test_chain_properties.py) -
# Any registered event type with any text a source may hold (Arabic, right-to-left marks,
# control characters; never NUL or lone surrogates, which no backend stores as text).

STORE_STREAMS = ("ilrs", "lunar-gateway", "nasa", "source:article", "برنامج")


def store_texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Text a stored event may carry in any field."""
    return st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        max_size=max_size,
    )


def store_names() -> st.SearchStrategy[str]:
    """Entity ids: mostly a few known ones (so streams repeat), sometimes any text."""
    return st.one_of(st.sampled_from(STORE_STREAMS), store_texts(8).filter(str.strip))


def store_scalars() -> st.SearchStrategy[Any]:
    """Values a claim can carry: JSON scalars only (no NaN or infinity)."""
    return st.one_of(
        store_texts(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
    )


def store_citations() -> st.SearchStrategy[Citation]:
    """Citations with or without a span, a holder of the quote and co-citing sources."""
    spans = st.one_of(
        st.just((None, None)),
        st.tuples(st.integers(0, 2**20), st.integers(0, 2**20)).map(lambda p: (min(p), max(p))),
    )
    return st.builds(
        lambda source, quote, span, quote_in, also: Citation(
            source=source,
            quote=quote,
            start=span[0],
            end=span[1],
            quote_in=quote_in,
            also_cited=tuple(also),
        ),
        store_names(),
        store_texts(40),
        spans,
        st.one_of(st.just(""), store_names()),
        st.lists(store_names(), max_size=2),
    )


def _store_field(hint: Any) -> st.SearchStrategy[Any]:
    """Values for a payload field of type ``hint`` (read from the event class)."""
    if hint is str:
        return store_texts()
    if hint is int:
        return st.integers(-(2**40), 2**40)
    if hint is uuid.UUID:
        return st.uuids()
    if typing.get_origin(hint) is tuple and typing.get_args(hint) == (str, ...):
        return st.lists(store_names(), max_size=3).map(tuple)
    if hint == tuple[tuple[str, str], ...]:  # names, aliases, identifiers: (tag, text) pairs
        return st.lists(st.tuples(store_names(), store_names()), max_size=3).map(tuple)
    if typing.get_origin(hint) is tuple:  # Corrected.changes: field name -> new value
        value = st.one_of(store_scalars(), st.lists(store_names(), max_size=2).map(tuple))
        return st.dictionaries(st.sampled_from(("status", "parties", "value", "role")), value)
    return store_scalars()


@st.composite
def stored_events(draw: st.DrawFn, kinds: tuple[type[Event], ...] | None = None) -> Event:
    """A new event of any registered type (no sequence, position or recorded time yet)."""
    kind: type[Event] = draw(st.sampled_from(kinds or tuple(EVENT_TYPES.values())))
    hints = typing.get_type_hints(kind)
    payload = {
        f.name: draw(_store_field(hints[f.name]))
        for f in attrs.fields(kind)
        if f.name not in ENVELOPE_FIELDS
    }
    return kind(
        id=draw(st.uuids()),
        stream=draw(store_names()),
        valid_time=draw(historical_dates()),
        citation=draw(store_citations()),
        subjects=draw(st.lists(store_names(), max_size=3)),
        participants=draw(st.lists(store_names(), max_size=2)),
        fact=draw(st.one_of(st.just(""), store_texts(6))),
        confidence=draw(st.sampled_from(Confidence)),
        phrase=draw(store_texts()),
        summary=draw(store_texts(30)),
        **payload,
    )


@st.composite
def recorded_batches(draw: st.DrawFn, max_batches: int = 3, max_size: int = 5) -> list[list[Event]]:
    """Batches to append in order; some events bring their own recorded time (any zone).

    Those times never go backwards and come after any reading of the tests' fake clock.
    """
    moment = datetime(2025, 1, 1, tzinfo=UTC)  # the past: never ahead of the real clock
    batches: list[list[Event]] = []
    for _ in range(draw(st.integers(1, max_batches))):
        batch = []
        for event in draw(st.lists(stored_events(), min_size=1, max_size=max_size)):
            if draw(st.booleans()):
                moment += timedelta(microseconds=draw(st.integers(0, 10**9)))
                zone = timezone(timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60))))
                event = attrs.evolve(event, recorded_at=moment.astimezone(zone))
            batch.append(event)
        batches.append(batch)
    return batches


ROW_STAMP = "2021-03-10T12:00:00.000000Z"
"""The recorded time of the rows :func:`stored_rows` builds."""


def stored_rows(events: list[Event], mapper: Mapper) -> list[tuple[Any, ...]]:
    """The rows a store would hold for ``events``, as a driver returns them (tuples)."""
    rows = []
    prev = bytes(32)
    for position, event in enumerate(events, 1):
        encoded = mapper.to_row(event)
        prev = mapper.seal(encoded, position, position, ROW_STAMP, prev)
        rows.append(tuple(encoded.row))
    return rows


def sample_events() -> list[Event]:
    """One event of every registered type, with every envelope field set (mapper tests)."""
    envelope: dict[str, Any] = {
        "stream": "ilrs",
        "valid_time": parse_edtf("2021-03-09"),
        "citation": Citation(
            source="article",
            quote="اتفقت روسيا والصين",
            start=3,
            end=21,
            quote_in="sheet",
            also_cited=("tass",),
        ),
        "subjects": ("russia", "china"),
        "participants": ("zhang-kejian",),
        "fact": "ilrs-agreement",
        "confidence": Confidence.HIGH,
        "phrase": "الثلاثاء",
        "summary": "Russia and China agree to build the ILRS",
    }
    examples: dict[str, dict[str, Any]] = {}
    for name, kind in EVENT_TYPES.items():
        hints = typing.get_type_hints(kind)
        payload: dict[str, Any] = {}
        for f in attrs.fields(kind):
            if f.name in ENVELOPE_FIELDS:
                continue
            hint = hints[f.name]
            if hint is uuid.UUID:
                payload[f.name] = uuid.UUID(int=7)
            elif hint is int:
                payload[f.name] = 9
            elif typing.get_origin(hint) is tuple and typing.get_args(hint) == (str, ...):
                payload[f.name] = ("russia", "الصين")
            elif typing.get_origin(hint) is tuple:
                payload[f.name] = {"status": "agreed", "parties": ("russia", "china")}
            elif hint is str:
                payload[f.name] = f"{f.name} of {name}"
            else:
                payload[f.name] = 2.5
        examples[name] = payload
    return [
        kind(id=uuid.UUID(int=i + 1), **envelope, **examples[name])
        for i, (name, kind) in enumerate(EVENT_TYPES.items())
    ]


# --- end of persistence section ----------------------------------------------------------------


# --- Evidence (``ledger.domain.claims``): claims about one happening ---------------------------

EVIDENCE_FIRST_DAY = day_ordinal(2020, 1, 1)
"""The first day of the small window the evidence strategies draw dates from."""


def evidence_claim(
    low: int | None, high: int | None, number: int, deprecated: bool = False
) -> Claim:
    """A claim about the happening "f" whose start lies in [low, high] (None: open; one
    bound at least, as every EDTF date has)."""
    from ledger.dates.calendar import ordinal_to_iso

    first = "" if low is None else ordinal_to_iso(low)
    last = "" if high is None else ordinal_to_iso(high)
    valid = first if low is not None and low == high else f"[{first}..{last}]"
    return Claim(
        id=f"c{number}",
        type="AgreementSigned",
        stream="p",
        fact="f",
        date=parse_edtf(valid),
        source=f"s{number}",
        rank="deprecated" if deprecated else "normal",
    )


@st.composite
def evidence_spans(draw: st.DrawFn) -> tuple[int | None, int | None]:
    """The possible start days of a claim: a day, a span, or open on one side."""
    low = draw(st.one_of(st.none(), st.integers(0, 60)))
    width = draw(st.integers(0, 30))
    high = draw(st.one_of(st.none(), st.just((low or 0) + width)))
    if low is None and high is None:
        high = width
    return (
        None if low is None else EVIDENCE_FIRST_DAY + low,
        None if high is None else EVIDENCE_FIRST_DAY + high,
    )


@st.composite
def evidence_claims(draw: st.DrawFn, max_size: int = 6) -> list[Claim]:
    """Claims about one happening, some maybe disagreeing."""
    spans = draw(st.lists(evidence_spans(), min_size=1, max_size=max_size))
    return [evidence_claim(low, high, i) for i, (low, high) in enumerate(spans)]

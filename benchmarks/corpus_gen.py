"""Realistic synthetic corpora for the benchmarks: domain events by the thousand or the million.

``generate(n, seed)`` yields exactly ``n`` domain events in append order, the same events for
the same ``(n, seed)``, holding only bounded state (a few deques) so that a million events
stream through in constant memory. The corpus looks like a historian's ledger at scale:

- a catalogue first: sources with text (English and Arabic, every quote cut from it with its
  character span), web pages known by URL (quoted through a fact sheet, with ``also_cited``),
  then countries, agencies, people, laws, thousands of programs and their missions
  (``part_of``), with English and Arabic names and aliases;
- then claims of every type, spread over the programs with a skew (a few programs hold most
  of the history), dated with mixed precision: days, months, years, qualified dates (``?``,
  ``~``, ``%``), intervals with open or unknown ends, "on or before" sets, decades, seasons;
- a share of claims sharing a fact key with an earlier one (consistent or conflicting
  dates), corrections (new date and payload fields) and retractions of earlier claims;
- recorded times that never go backwards, as the store requires.

``write_fixtures(n, seed, folder)`` renders a corpus of the same shape as the YAML fixtures
that ``ledger import`` reads (seeds with texts, sources, entities, claims), so that the whole
import path, validation included, can be measured end to end at a small size.

Run: ``python benchmarks/corpus_gen.py --n 10000`` prints the mix; ``--fixtures DIR`` writes
the YAML corpus.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import hashlib
import itertools
import random
import sys
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ledger.dates import day_ordinal, ordinal_to_iso, parse_edtf
from ledger.domain import events as ev
from ledger.domain.events import ENVELOPE_FIELDS, EVENT_TYPES, Citation, Confidence, Event

EVENT_CLASSES: tuple[type[Event], ...] = tuple(EVENT_TYPES.values())
"""Every event type the generator may produce (all the ledger has)."""


def payload_fields(cls: type[Event]) -> tuple[attrs.Attribute[Any], ...]:
    """The fields an event type adds to the envelope."""
    return tuple(f for f in attrs.fields(cls) if f.name not in ENVELOPE_FIELDS)


# --- names -----------------------------------------------------------------------------------

_SYLLABLES = (
    "ka",
    "ra",
    "lo",
    "mi",
    "ta",
    "se",
    "vo",
    "ne",
    "di",
    "sa",
    "ru",
    "ma",
    "li",
    "ko",
    "za",
    "ti",
    "be",
    "no",
    "ga",
    "vi",
    "la",
    "du",
    "re",
    "mo",
    "fa",
    "ze",
    "pa",
    "ho",
    "ni",
    "yu",
    "tan",
    "bel",
    "kor",
    "mar",
    "sol",
    "ven",
    "dor",
    "lun",
)
# One Arabic spelling per syllable, so every English name has its Arabic counterpart.
_ARABIC = dict(
    zip(
        _SYLLABLES,
        (
            "كا",
            "را",
            "لو",
            "مي",
            "تا",
            "سي",
            "فو",
            "ني",
            "دي",
            "سا",
            "رو",
            "ما",
            "لي",
            "كو",
            "زا",
            "تي",
            "بي",
            "نو",
            "غا",
            "في",
            "لا",
            "دو",
            "ري",
            "مو",
            "فا",
            "زي",
            "با",
            "هو",
            "ني",
            "يو",
            "تان",
            "بيل",
            "كور",
            "مار",
            "سول",
            "فين",
            "دور",
            "لون",
        ),
        strict=True,
    )
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_STATUSES = ("proposed", "in_talks", "agreed", "under_construction", "operating", "ended")
_MILESTONES = ("launch", "orbit insertion", "landing", "first light", "sample return", "docking")
_ATTRIBUTES = ("location", "budget", "crew size", "orbit", "lead agency", "signing mode")
_CONFIDENCES = (Confidence.HIGH, Confidence.MEDIUM_HIGH, Confidence.MEDIUM, Confidence.LOW)
_CONFIDENCE_WEIGHTS = (30, 25, 35, 10)


def _word(rng: random.Random, syllables: int) -> tuple[str, str]:
    parts = [rng.choice(_SYLLABLES) for _ in range(syllables)]
    return "".join(parts).capitalize(), "".join(_ARABIC[p] for p in parts)


@attrs.frozen
class Entity:
    """One entity of the catalogue: id (its stream), kind, names, what it is part of."""

    id: str
    kind: str
    name_en: str
    name_ar: str
    aliases: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()


class _Names:
    """Unique names: a new syllable word for each entity, numbered on a clash."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def new(self, kind: str, prefix_en: str = "", prefix_ar: str = "") -> tuple[str, str, str]:
        """(slug, English name, Arabic name), none of them used before."""
        for attempt in itertools.count():
            en, ar = _word(self._rng, 2 + self._rng.randrange(2))
            if attempt > 3:
                en, ar = f"{en} {attempt}", f"{ar} {attempt}"
            slug = f"{kind}-{en.lower().replace(' ', '-')}"
            name_en = f"{prefix_en}{en}".strip()
            name_ar = f"{prefix_ar}{ar}".strip()
            keys = {slug, name_en.casefold(), name_ar}
            if not keys & self._seen:
                self._seen |= keys
                return slug, name_en, name_ar
        raise AssertionError("unreachable")


# --- sources ---------------------------------------------------------------------------------


@attrs.frozen
class Sentence:
    """A sentence of a source's text: where it starts and ends, and its date phrase."""

    text: str
    start: int
    end: int
    phrase: str


@attrs.frozen
class Source:
    """A source: with a text (quotes are cut from it) or a web page quoted by a fact sheet."""

    id: str
    title: str
    language: str
    date: str
    url: str = ""
    text: str = ""
    sentences: tuple[Sentence, ...] = ()
    quoted_in: str = ""
    """For a web page: the fact sheet whose text holds the quotes about it."""


def _sentence(rng: random.Random, arabic: bool, subject: str, other: str) -> tuple[str, str]:
    """(sentence, the date phrase inside it) about ``subject``."""
    year = rng.randint(1960, 2030)
    month = rng.randrange(12)
    if arabic:
        phrase = rng.choice(
            [f"في شهر {_MONTHS_AR[month]}", f"في عام {year}", "العام الماضي", "منذ شهور"]
        )
        verb = rng.choice(["أعلنت", "وقعت", "ناقشت", "أطلقت", "أكدت"])
        tail = rng.choice(["بحسب بيان رسمي", "وفق ما نقلته وكالات الأنباء", "في مؤتمر صحفي"])
        return f"{verb} {subject} مع {other} {phrase} {tail}.", phrase
    phrase = rng.choice(
        [f"in {_MONTHS_EN[month]} {year}", f"in {year}", "last year", "for months", "on Tuesday"]
    )
    verb = rng.choice(["announced", "signed", "discussed", "launched", "confirmed", "reported"])
    tail = rng.choice(
        ["according to an official statement", "as news agencies reported", "at a briefing"]
    )
    return f"{subject} {verb} the plan with {other} {phrase}, {tail}.", phrase


def _make_text_source(
    rng: random.Random, index: int, names: Sequence[tuple[str, str]], sentences: int
) -> Source:
    arabic = rng.random() < 0.5
    year = rng.randint(1990, 2026)
    parts: list[Sentence] = []
    offset = 0
    chunks: list[str] = []
    for _ in range(sentences):
        subject_en, subject_ar = rng.choice(names)
        other_en, other_ar = rng.choice(names)
        # A counter inside each sentence keeps every sentence of a text distinct.
        text, phrase = _sentence(
            rng,
            arabic,
            subject_ar if arabic else subject_en,
            f"{other_ar if arabic else other_en} ({len(parts) + 1})",
        )
        parts.append(Sentence(text, offset, offset + len(text), phrase))
        chunks.append(text)
        offset += len(text) + 1
    title_en, title_ar = _word(rng, 3)
    return Source(
        id=f"src-{index:05d}",
        title=(f"تقرير {title_ar}" if arabic else f"Report on {title_en}"),
        language="ar" if arabic else "en",
        date=f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        text=" ".join(chunks),
        sentences=tuple(parts),
    )


# --- dates -----------------------------------------------------------------------------------


def _day_text(ordinal: int) -> str:
    return ordinal_to_iso(ordinal)


def _month_text(ordinal: int) -> str:
    return ordinal_to_iso(ordinal)[:7]


def _year_text(ordinal: int) -> str:
    return ordinal_to_iso(ordinal)[:4]


def random_date(rng: random.Random, around: int) -> str:
    """An EDTF date near the day ordinal ``around``, in the proportions of a real ledger."""
    day = around + rng.randint(-200, 400)
    shape = rng.random()
    if shape < 0.42:
        return _day_text(day)
    if shape < 0.62:
        return _month_text(day)
    if shape < 0.74:
        return _year_text(day)
    if shape < 0.82:
        base = _day_text(day) if rng.random() < 0.5 else _month_text(day)
        return base + rng.choice("?~%")
    if shape < 0.91:
        later = day + rng.randint(1, 500)
        first, last = _day_text(day), _day_text(later)
        if rng.random() < 0.4:
            first, last = _month_text(day), _month_text(later)
        ends = rng.random()
        if ends < 0.15:
            return f"/{last}"
        if ends < 0.30:
            return f"{first}/.."
        return f"{first}/{last}"
    if shape < 0.96:
        return f"[..{_day_text(day)}]"
    if shape < 0.98:
        return _year_text(day)[:3] + "X"
    return f"{_year_text(day)}-{rng.randint(21, 24)}"


def _coarser(edtf: str) -> str:
    """The same date at a lower precision (a second source that says less)."""
    plain = edtf.rstrip("?~%")
    if len(plain) == 10 and plain[4] == "-":
        return plain[:7]
    if len(plain) == 7 and plain[4] == "-":
        return plain[:4]
    return edtf


_ENTITY_FIELDS = frozenset({"member", "party", "by", "mission", "authority"})
"""Payload fields holding one entity id."""

# --- the generator ---------------------------------------------------------------------------

# Claim types and their weights per 1000 claims (catalogue events come first, separately).
_MIX: tuple[tuple[str, float], ...] = (
    ("StatusChanged", 130),
    ("TalksHeld", 65),
    ("AgreementSigned", 65),
    ("MemberJoined", 120),
    ("MemberLeft", 30),
    ("Invited", 40),
    ("InvitationConsidered", 20),
    ("InvitationDeclined", 20),
    ("MilestoneReached", 100),
    ("RestrictionEnacted", 6),
    ("RestrictionLifted", 3),
    ("ClaimMade", 170),
    ("MembersCounted", 25),
    ("EntityAliased", 8),
    ("shared-fact", 80),
    ("Corrected", 40),
    ("Retracted", 12),
)


@attrs.frozen
class Sizes:
    """How many of each kind of entity and source a corpus of ``n`` events has."""

    countries: int
    agencies: int
    programs: int
    missions: int
    persons: int
    laws: int
    text_sources: int
    web_sources: int
    fact_sheets: int

    @classmethod
    def for_events(cls, n: int) -> Sizes:
        """Sizes that grow with ``n``: thousands of programs at a million events."""
        programs = max(30, min(6000, n // 150))
        countries = max(12, min(195, n // 2000))
        text_sources = max(5, min(2500, n // 400))
        web_sources = max(5, min(2500, n // 400))
        return cls(
            countries=countries,
            agencies=countries + countries // 2,
            programs=programs,
            missions=programs * 3 // 2,
            persons=programs // 2 + 10,
            laws=max(2, min(100, programs // 50)),
            text_sources=text_sources,
            web_sources=web_sources,
            fact_sheets=max(1, web_sources // 50),
        )


@attrs.define
class _Recent:
    """A claim recently generated, as later claims may share its fact or answer it."""

    id: uuid.UUID
    type: type[Event]
    stream: str
    fact: str
    valid: str
    payload: dict[str, Any]
    subjects: tuple[str, ...]


class CorpusGenerator:
    """Streams the events of one corpus; see the module docstring."""

    START = datetime(2015, 1, 5, tzinfo=UTC)

    def __init__(self, n: int, seed: int = 2021, sentences_per_source: int = 40) -> None:
        self.n = n
        self.seed = seed
        self.rng = random.Random(seed)
        self.sizes = Sizes.for_events(n)
        self.sentences_per_source = sentences_per_source
        self.now = self.START
        self.entities: list[Entity] = []
        self.sources: list[Source] = []
        self._build_catalogue()

    # --- the catalogue ---------------------------------------------------------------------

    def _build_catalogue(self) -> None:
        rng, sizes = self.rng, self.sizes
        names = _Names(rng)

        def add(kind: str, en_prefix: str = "", ar_prefix: str = "", **kw: Any) -> Entity:
            slug, en, ar = names.new(kind, en_prefix, ar_prefix)
            aliases = (en.upper()[:6] + str(len(self.entities)),) if rng.random() < 0.3 else ()
            entity = Entity(slug, kind, en, ar, aliases=aliases, **kw)
            self.entities.append(entity)
            return entity

        self.countries = [add("country") for _ in range(sizes.countries)]
        self.agencies = [
            add("agency", "Space Agency of ", "وكالة الفضاء ") for _ in range(sizes.agencies)
        ]
        self.persons = [add("person") for _ in range(sizes.persons)]
        self.laws = [add("law", "Act of ", "قانون ") for _ in range(sizes.laws)]
        self.programs = [
            add(rng.choice(("program", "program", "program", "agreement")), "", "برنامج ")
            for _ in range(sizes.programs)
        ]
        self.missions = [
            add("mission", "", "مهمة ", part_of=(rng.choice(self.programs).id,))
            for _ in range(sizes.missions)
        ]
        self.parties = [e.id for e in self.countries + self.agencies]
        pairs = [(e.name_en, e.name_ar) for e in self.entities]
        self.sources = [
            _make_text_source(rng, i, pairs, self.sentences_per_source)
            for i in range(sizes.text_sources)
        ]
        sheets = [
            _make_text_source(rng, sizes.text_sources + i, pairs, self.sentences_per_source)
            for i in range(sizes.fact_sheets)
        ]
        sheets = [attrs.evolve(s, id=f"sheet-{i:03d}") for i, s in enumerate(sheets)]
        self.sheets = sheets
        self.web = [
            Source(
                id=f"web-{i:05d}",
                title=f"Web page {i}",
                language="en",
                date=f"{rng.randint(2000, 2026):04d}-{rng.randint(1, 12):02d}",
                url=f"https://example.org/space/{i}",
                quoted_in=rng.choice(sheets).id,
            )
            for i in range(sizes.web_sources)
        ]
        self._sheet_by_id = {s.id: s for s in sheets}
        # Program popularity follows a Zipf-like skew; cumulative weights for bisect.
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(self.programs))]
        self._cumulative = list(itertools.accumulate(weights))
        self.eras = {
            p.id: day_ordinal(rng.randint(1957, 2024), rng.randint(1, 12), 1)
            for p in self.programs + self.laws
        }
        self._status = dict.fromkeys((p.id for p in self.programs), 0)
        self._members: dict[str, list[str]] = {p.id: [] for p in self.programs}
        self._restrictions: collections.deque[tuple[str, str]] = collections.deque(maxlen=200)

    # --- helpers ---------------------------------------------------------------------------

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _tick(self) -> datetime:
        # Recorded times move forward by up to a minute; a batch of back-filled claims
        # sometimes shares one time.
        if self.rng.random() < 0.7:
            self.now += timedelta(microseconds=self.rng.randrange(1, 60_000_000))
        return self.now

    def _program(self) -> Entity:
        point = self.rng.random() * self._cumulative[-1]
        index = bisect.bisect_left(self._cumulative, point)
        return self.programs[min(index, len(self.programs) - 1)]

    def _citation(self) -> tuple[Citation, str]:
        """A citation and the date phrase of the quoted sentence."""
        rng = self.rng
        if rng.random() < 0.75:
            source = rng.choice(self.sources)
            sentence = rng.choice(source.sentences)
            return (
                Citation(
                    source=source.id,
                    quote=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                ),
                sentence.phrase,
            )
        page = rng.choice(self.web)
        sheet = self._sheet_by_id[page.quoted_in]
        sentence = rng.choice(sheet.sentences)
        also = tuple(rng.choice(self.web).id for _ in range(rng.randrange(3)))
        return (
            Citation(
                source=page.id,
                quote=sentence.text,
                start=sentence.start,
                end=sentence.end,
                quote_in=sheet.id,
                also_cited=tuple(a for a in dict.fromkeys(also) if a != page.id),
            ),
            sentence.phrase,
        )

    def _confidence(self) -> Confidence:
        return self.rng.choices(_CONFIDENCES, _CONFIDENCE_WEIGHTS)[0]

    # --- events ----------------------------------------------------------------------------

    def catalogue_events(self) -> Iterator[Event]:
        """Sources (with their texts), then entities, as registrations."""
        for source in [*self.sources, *self.sheets, *self.web]:
            holder = self._sheet_by_id.get(source.quoted_in)
            cited = holder or source
            first = cited.sentences[0] if cited.sentences else None
            yield ev.SourceRegistered(
                id=self._uuid(),
                stream=f"source:{source.id}",
                valid_time=parse_edtf(source.date),
                citation=Citation(
                    source=source.id,
                    quote=first.text if first else "",
                    start=first.start if first else None,
                    end=first.end if first else None,
                    quote_in=holder.id if holder else "",
                ),
                confidence=Confidence.HIGH,
                summary=f"Source registered: {source.title}",
                recorded_at=self._tick(),
                title=source.title,
                language=source.language,
                url=source.url,
                text=source.text,
            )
        for entity in self.entities:
            citation, _ = self._citation()
            yield ev.EntityRegistered(
                id=self._uuid(),
                stream=entity.id,
                valid_time=parse_edtf(_year_text(self.eras.get(entity.id, 730000))),
                citation=citation,
                confidence=Confidence.HIGH,
                summary=f"Entity registered: {entity.name_en}",
                recorded_at=self._tick(),
                kind=entity.kind,
                name_en=entity.name_en,
                name_ar=entity.name_ar,
                aliases=entity.aliases,
                part_of=entity.part_of,
            )

    def events(self) -> Iterator[Event]:
        """Exactly ``n`` events: the catalogue, then claims (the catalogue is cut if n is tiny)."""
        produced = 0
        for event in self.catalogue_events():
            if produced == self.n:
                return
            produced += 1
            yield event
        kinds = [k for k, _ in _MIX]
        weights = list(itertools.accumulate(w for _, w in _MIX))
        recent: collections.deque[_Recent] = collections.deque(maxlen=5000)
        serial = 0
        while produced < self.n:
            kind = self.rng.choices(kinds, cum_weights=weights)[0]
            serial += 1
            claim = self._claim(kind, serial, recent)
            if claim is None:
                continue
            produced += 1
            yield claim

    def _claim(self, kind: str, serial: int, recent: collections.deque[_Recent]) -> Event | None:
        rng = self.rng
        if kind in ("shared-fact", "Corrected", "Retracted"):
            return self._answer(kind, recent) if recent else None
        if kind == "EntityAliased":
            entity = rng.choice(self.entities)
            en, ar = _word(rng, 2)
            citation, _ = self._citation()
            return ev.EntityAliased(
                id=self._uuid(),
                stream=entity.id,
                valid_time=parse_edtf(_year_text(self.eras.get(entity.id, 735000))),
                citation=citation,
                summary=f"{entity.name_en} is also called {en}",
                recorded_at=self._tick(),
                aliases=(f"{en} {serial}", f"{ar} {serial}"),
            )
        program = self._program()
        stream = program.id
        era = self.eras[stream]
        payload, cls, around = self._payload(kind, program, era)
        citation, phrase = self._citation()
        subjects: tuple[str, ...] = ()
        if rng.random() < 0.3:
            subjects = (rng.choice(self.programs).id,)
        participants = tuple(rng.choice(self.parties) for _ in range(rng.randrange(3)))
        valid = random_date(rng, around)
        fact = f"{stream}-{serial}" if rng.random() < 0.35 else ""
        event_id = self._uuid()
        event: Event = cls(
            id=event_id,
            stream=stream,
            valid_time=parse_edtf(valid),
            citation=citation,
            subjects=subjects,
            participants=tuple(dict.fromkeys(participants)),
            fact=fact,
            confidence=self._confidence(),
            phrase=phrase if rng.random() < 0.25 else "",
            summary=f"{program.name_en}: {kind} ({valid})",
            recorded_at=self._tick(),
            **payload,
        )
        recent.append(_Recent(event_id, cls, stream, fact, valid, payload, subjects))
        return event

    def _payload(
        self, kind: str, program: Entity, era: int
    ) -> tuple[dict[str, Any], type[Any], int]:
        """(payload fields, event class, a day near which it happened) of one claim."""
        rng = self.rng
        stream = program.id
        around = era + rng.randint(0, 365 * 25)
        if kind == "StatusChanged":
            step = self._status[stream]
            self._status[stream] = min(step + 1, len(_STATUSES) - 1)
            return {"status": _STATUSES[step]}, ev.StatusChanged, era + step * 700
        if kind == "TalksHeld":
            parties = tuple(dict.fromkeys(rng.choice(self.parties) for _ in range(2)))
            return {"parties": parties, "topic": "cooperation"}, ev.TalksHeld, around
        if kind == "AgreementSigned":
            parties = tuple(dict.fromkeys(rng.choice(self.parties) for _ in range(3)))
            signatories = tuple(dict.fromkeys(rng.choice(self.persons).id for _ in range(2)))
            mode = rng.choice(("", "", "by video conference", "in person"))
            return (
                {
                    "agreement": f"Agreement on {program.name_en} ({around % 97})",
                    "parties": parties,
                    "signatories": signatories,
                    "mode": mode,
                },
                ev.AgreementSigned,
                around,
            )
        if kind == "MemberJoined":
            member = rng.choice(self.parties)
            members = self._members[stream]
            members.append(member)
            del members[:-40]
            return (
                {"member": member, "role": rng.choice(("member", "partner", "party"))},
                ev.MemberJoined,
                around,
            )
        if kind == "MemberLeft":
            members = self._members[stream]
            member = rng.choice(members) if members else rng.choice(self.parties)
            return {"member": member, "role": "member"}, ev.MemberLeft, around + 900
        if kind == "Invited":
            return (
                {"party": rng.choice(self.parties), "by": rng.choice(self.agencies).id},
                ev.Invited,
                around,
            )
        if kind == "InvitationConsidered":
            return {"party": rng.choice(self.parties)}, ev.InvitationConsidered, around
        if kind == "InvitationDeclined":
            return (
                {"party": rng.choice(self.parties), "reason": "budget constraints"},
                ev.InvitationDeclined,
                around,
            )
        if kind == "MilestoneReached":
            missions = [m for m in rng.sample(self.missions, 3) if stream in m.part_of]
            return (
                {
                    "milestone": rng.choice(_MILESTONES),
                    "mission": missions[0].id if missions else "",
                },
                ev.MilestoneReached,
                around,
            )
        if kind == "RestrictionEnacted":
            name = f"Restriction {len(self._restrictions) + 1} on {program.name_en}"
            self._restrictions.append((name, stream))
            return (
                {
                    "restriction": name,
                    "restricted": (rng.choice(self.agencies).id,),
                    "counterparties": (rng.choice(self.countries).id,),
                    "authority": rng.choice(self.laws).id,
                },
                ev.RestrictionEnacted,
                around,
            )
        if kind == "RestrictionLifted" and self._restrictions:
            name, _ = rng.choice(self._restrictions)
            return {"restriction": name}, ev.RestrictionLifted, around + 2000
        if kind == "MembersCounted":
            return (
                {"count": rng.randint(2, 30), "excluding": (rng.choice(self.parties),)},
                ev.MembersCounted,
                around,
            )
        attribute = rng.choice(_ATTRIBUTES)
        value: Any = rng.choice(
            (f"{attribute} value {rng.randrange(50)}", rng.randrange(1000), rng.random() < 0.5)
        )
        return {"attribute": attribute, "value": value}, ev.ClaimMade, around

    def _answer(self, kind: str, recent: collections.deque[_Recent]) -> Event | None:
        """A claim sharing an earlier one's fact, or a correction or retraction of it."""
        rng = self.rng
        target = recent[rng.randrange(len(recent))]
        citation, _ = self._citation()
        if kind == "shared-fact":
            if not target.fact:
                return None
            conflict = rng.random() < 0.2
            if conflict:
                try:
                    low = parse_edtf(target.valid).earliest
                except Exception:
                    return None
                valid = random_date(rng, (low or 730000) + 3000)
            else:
                valid = _coarser(target.valid)
            return target.type(
                id=self._uuid(),
                stream=target.stream,
                valid_time=parse_edtf(valid),
                citation=citation,
                subjects=target.subjects,
                fact=target.fact,
                confidence=self._confidence(),
                summary=f"Another source on {target.fact}",
                recorded_at=self._tick(),
                **target.payload,
            )
        if kind == "Retracted":
            return ev.Retracted(
                id=self._uuid(),
                stream=target.stream,
                valid_time=parse_edtf(target.valid),
                citation=citation,
                confidence=Confidence.HIGH,
                summary=f"Retraction of {target.id}",
                recorded_at=self._tick(),
                target=target.id,
                reason="the source confused two events",
            )
        changes: dict[str, Any] = {}
        for name, value in target.payload.items():
            if isinstance(value, str) and value and rng.random() < 0.5:
                # A field naming an entity is corrected to another entity, a label to a label.
                entity = name in _ENTITY_FIELDS
                changes[name] = rng.choice(self.parties) if entity else f"{value} (corrected)"
        try:
            low = parse_edtf(target.valid).earliest
        except Exception:
            return None
        return ev.Corrected(
            id=self._uuid(),
            stream=target.stream,
            valid_time=parse_edtf(random_date(rng, (low or 730000) + 30)),
            citation=citation,
            confidence=Confidence.HIGH,
            summary=f"Correction of {target.id}",
            recorded_at=self._tick(),
            target=target.id,
            reason="a later source gives the exact day",
            changes=changes,
        )


def generate(n: int, seed: int = 2021) -> Iterator[Event]:
    """Exactly ``n`` domain events of a realistic corpus, deterministic for ``(n, seed)``."""
    return CorpusGenerator(n, seed).events()


def batches(n: int, seed: int = 2021, size: int = 10_000) -> Iterator[list[Event]]:
    """:func:`generate` in lists of ``size`` (the benchmarks time each batch's writing)."""
    iterator = generate(n, seed)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- the same corpus as YAML fixtures -----------------------------------------------------------


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _yaml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_yaml_text(v) for v in values) + "]"


_PAYLOAD_SKIP = frozenset({"target", "changes"})


def write_fixtures(n: int, seed: int, folder: Path) -> Path:
    """Write a corpus of about ``n`` events as seeds and YAML fixtures; returns the manifest.

    The shape is the generator's (the same catalogue, types, dates, facts, corrections and
    retractions), rendered as a historian would write it: every source with a text is a seed,
    and every claim quotes a sentence written for it into its source's text (a fixture quote
    must occur once in its source). Claims are spread over files recorded on successive days.
    """
    generator = CorpusGenerator(n, seed, sentences_per_source=4)
    seeds = folder / "seeds"
    fixtures = folder / "fixtures"
    seeds.mkdir(parents=True, exist_ok=True)
    fixtures.mkdir(parents=True, exist_ok=True)
    slugs: dict[uuid.UUID, str] = {}
    quotes: dict[str, list[str]] = collections.defaultdict(list)
    claim_blocks: list[list[str]] = [[]]
    per_file = 1000
    for count, event in enumerate(generator.events()):
        if isinstance(event, ev.SourceRegistered | ev.EntityRegistered):
            continue
        slug = f"claim-{count:07d}"
        slugs[event.id] = slug
        source = event.citation.source
        holder = event.citation.quote_in or source
        quote = f"{event.citation.quote[:-1]} [{slug}]."
        quotes[holder].append(quote)
        claim_blocks[-1].append(_claim_yaml(event, slug, quote, slugs))
        if len(claim_blocks[-1]) >= per_file:
            claim_blocks.append([])
    _write_sources(generator, seeds, fixtures, quotes)
    _write_entities(generator, fixtures)
    files = ["sources.yaml", "entities.yaml"]
    day = generator.START + timedelta(days=1)
    for index, block in enumerate(b for b in claim_blocks if b):
        name = f"claims-{index:03d}.yaml"
        files.append(name)
        stamp = (day + timedelta(days=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        head = f'recorded_at: {stamp}\nreference: "{stamp[:10]}"\nconfidence: medium\nevents:\n'
        (fixtures / name).write_text(head + "".join(block), encoding="utf-8")
    manifest = fixtures / "corpus.yaml"
    manifest.write_text(
        "seeds: ../seeds\nfiles:\n" + "".join(f"  - {f}\n" for f in files), encoding="utf-8"
    )
    return manifest


def _claim_yaml(event: Event, slug: str, quote: str, slugs: dict[uuid.UUID, str]) -> str:
    lines = [
        f"  - id: {slug}",
        f"    type: {event.type_name}",
        f"    stream: {event.stream}",
        f"    date: {_yaml_text(event.valid_time.edtf)}",
        f"    quote: {_yaml_text(quote)}",
        f"    summary: {_yaml_text(event.summary)}",
        f"    confidence: {event.confidence.value}",
        f"    source: {event.citation.source}",
    ]
    if event.phrase:
        lines.append(f"    phrase: {_yaml_text(event.phrase)}")
        lines.append("    date_reason: read from the context of the report")
    if event.citation.quote_in:
        lines.append(f"    quote_in: {event.citation.quote_in}")
    if event.citation.also_cited:
        lines.append(f"    also_cited: {_yaml_list(event.citation.also_cited)}")
    if event.subjects:
        lines.append(f"    subjects: {_yaml_list(event.subjects)}")
    if event.participants:
        lines.append(f"    participants: {_yaml_list(event.participants)}")
    if event.fact:
        lines.append(f"    fact: {event.fact}")
    for field in attrs.fields(type(event)):
        if field.name in _ENVELOPE or field.name in _PAYLOAD_SKIP:
            continue
        value = getattr(event, field.name)
        if isinstance(value, tuple):
            lines.append(f"    {field.name}: {_yaml_list(value)}")
        elif isinstance(value, str):
            lines.append(f"    {field.name}: {_yaml_text(value)}")
        else:
            lines.append(f"    {field.name}: {str(value).lower()}")
    if isinstance(event, ev.Corrected | ev.Retracted):
        lines.append(f"    target: {slugs[event.target]}")
    if isinstance(event, ev.Corrected) and event.changes:
        lines.append("    changes:")
        lines.extend(f"      {k}: {_yaml_text(str(v))}" for k, v in event.changes)
    return "\n".join(lines) + "\n"


_ENVELOPE = frozenset(f.name for f in attrs.fields(Event))


def _write_sources(
    generator: CorpusGenerator, seeds: Path, fixtures: Path, quotes: dict[str, list[str]]
) -> None:
    catalogue = generator.sources[0].id
    sheet = generator.sheets[0].id
    entries = []
    names = " ".join(f"{e.name_en} / {e.name_ar}." for e in generator.entities)
    urls = " ".join(page.url for page in generator.web)
    for source in [*generator.sources, *generator.sheets]:
        # A seed's title is quoted from its text; its claims' quotes follow.
        body = "\n".join([source.title, *quotes.get(source.id, [])])
        if source.id == catalogue:
            body += "\n" + names
        if source.id == sheet:
            body += "\n" + urls
        text_name = f"{source.id}.txt"
        (seeds / text_name).write_text(body + "\n", encoding="utf-8")
        digest = hashlib.sha256((body + "\n").encode("utf-8")).hexdigest()
        (seeds / f"{source.id}.yaml").write_text(
            f"id: {source.id}\ntext: {text_name}\nsha256: {digest}\n"
            f"title: {_yaml_text(source.title)}\nlanguage: {source.language}\n"
            f'date: "{source.date}"\nconfidence: medium\n',
            encoding="utf-8",
        )
        entries.append(f"  - seed: {source.id}.yaml\n")
    for page in generator.web:
        entries.append(
            f"  - id: {page.id}\n    url: {page.url}\n    title: {_yaml_text(page.title)}\n"
            f'    language: en\n    date: "{page.date}"\n'
        )
    stamp = generator.START.strftime("%Y-%m-%dT%H:%M:%SZ")
    (fixtures / "sources.yaml").write_text(
        f"recorded_at: {stamp}\nquote_in: {sheet}\nsources:\n" + "".join(entries),
        encoding="utf-8",
    )


def _write_entities(generator: CorpusGenerator, fixtures: Path) -> None:
    entries = []
    for e in generator.entities:
        lines = [
            f"  - id: {e.id}",
            f"    kind: {e.kind}",
            f"    name_en: {_yaml_text(e.name_en)}",
            f"    name_ar: {_yaml_text(e.name_ar)}",
            f"    quote: {_yaml_text(e.name_en)}",
        ]
        if e.aliases:
            lines.append(f"    aliases: {_yaml_list(e.aliases)}")
        if e.part_of:
            lines.append(f"    part_of: {_yaml_list(e.part_of)}")
        entries.append("\n".join(lines) + "\n")
    stamp = generator.START.strftime("%Y-%m-%dT%H:%M:%SZ")
    (fixtures / "entities.yaml").write_text(
        f"recorded_at: {stamp}\nsource: {generator.sources[0].id}\nconfidence: high\n"
        "entities:\n" + "".join(entries),
        encoding="utf-8",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the mix of a generated corpus (and write it as fixtures with ``--fixtures``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="events to generate")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--fixtures", type=Path, help="write the corpus as YAML fixtures here")
    args = parser.parse_args(argv)
    if args.fixtures:
        manifest = write_fixtures(args.n, args.seed, args.fixtures)
        print(f"wrote {manifest}")
        return 0
    generator = CorpusGenerator(args.n, args.seed)
    types: collections.Counter[str] = collections.Counter()
    precision: collections.Counter[str] = collections.Counter()
    shared = 0
    for event in generator.events():
        types[event.type_name] += 1
        precision[str(event.valid_time.precision)] += 1
        shared += bool(event.fact)
    print(f"{args.n} events, seed {args.seed}: {generator.sizes}")
    for name, count in types.most_common():
        print(f"  {name:<22} {count:>9} {count / args.n:6.1%}")
    print("  dates: " + ", ".join(f"{k} {v / args.n:.0%}" for k, v in precision.most_common()))
    print(f"  with a fact key: {shared / args.n:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

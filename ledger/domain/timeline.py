"""A timeline: the claims in historical order, each with its date as its source gives it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

import attrs

from ledger.dates import HistoricalDate
from ledger.domain.claims import Answer, Claim, FactDate, effective, fact_dates
from ledger.domain.display import Displayed
from ledger.domain.events import CATALOGUE_TYPES
from ledger.domain.starts import START
from ledger.domain.state import Evidence, Row

_CATALOGUE = CATALOGUE_TYPES | {START}
"""Types left out of timelines: the catalogue, and starts (a bound on other claims' dates,
not a happening: drawn as one it would look like something that took the whole year)."""


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One claim on the timeline: when (as the source dates it), what, and who says so."""

    date: HistoricalDate
    earliest: int | None
    latest: int | None
    entity: str
    subjects: tuple[str, ...] = ()
    event_type: str
    summary: str = ""
    source: str
    quote: str = ""
    phrase: str = ""
    confidence: str = ""
    event_id: str
    recorded_at: datetime | None = None
    fact: str = ""
    fact_date: str = ""
    """The happening's date merged over every claim about it (differs when others narrow it)."""
    conflict: bool = False
    """Whether other claims about the same happening give a disjoint date."""
    corrected: bool = False
    quote_in: str = ""
    """The source whose text holds the quote, when not ``source``."""
    also_cited: tuple[str, ...] = ()
    rank: str = "normal"
    rank_reason: str = ""
    rank_by: str = ""
    """The id of the correction that set the rank (empty: never ranked)."""
    role: str = "decides"
    """What the claim does for its happening's date: "decides", "supports", "deprecated"."""
    remarks: tuple[str, ...] = ()
    """Known errors of the text its quote is in, then the reasons of the corrections applied
    to it."""

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source credited with the claim (its own, then those listed beside it)."""
        return tuple(dict.fromkeys((self.source, *self.also_cited)))

    def evidence(self) -> Evidence:
        """The claim as an answer cites it (its source, quote, rank, role and remarks)."""
        return Evidence(
            event_id=self.event_id,
            event_type=self.event_type,
            source=self.source,
            quote=self.quote,
            date=self.date,
            phrase=self.phrase,
            confidence=self.confidence,
            recorded_at=self.recorded_at,
            summary=self.summary,
            quote_in=self.quote_in,
            also_cited=self.also_cited,
            rank=self.rank,
            rank_reason=self.rank_reason,
            rank_by=self.rank_by,
            role=self.role,
            remarks=self.remarks,
        )

    def row(self) -> Row:
        """The entry as one report line."""
        return {
            "date": self.date.edtf,
            "entity": self.entity,
            "event": self.event_type,
            "summary": self.summary,
            "source": self.source,
            "quote": self.quote,
            "phrase": self.phrase,
            "confidence": self.confidence,
            "fact_date": self.fact_date,
            "conflict": int(self.conflict),
            "corrected": int(self.corrected),
            "quote_in": self.quote_in,
            "source_count": len(self.sources),
            "rank": self.rank,
            "rank_reason": self.rank_reason,
            "rank_by": self.rank_by,
            "remarks": " | ".join(self.remarks),
            "role": self.role,
            "event_id": self.event_id,
        }


@attrs.frozen(kw_only=True, repr=False)
class Timeline(Displayed):
    """Claims in historical order, for one program (or the whole ledger) and a span of time."""

    program: str | None = None
    start: str | None = None
    end: str | None = None
    entries: tuple[TimelineEntry, ...] = ()

    def summary(self) -> str:
        """Whose timeline, over which span, how many claims from when to when."""
        span = f" from {self.start or '..'} to {self.end or '..'}" if self.start or self.end else ""
        if not self.entries:
            return f"{self.program or 'whole ledger'}{span}: no claims"
        first, last = self.entries[0].date, self.entries[-1].date
        return f"{self.program or 'whole ledger'}{span}: {len(self)} claims, {first} ... {last}"

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def rows(self) -> list[Row]:
        """One line per claim."""
        return [entry.row() for entry in self.entries]


def _overlaps(claim: Claim, first: int | None, last: int | None) -> bool:
    """Whether the claim's days may fall within [first, last] (None: unbounded)."""
    if first is not None and claim.latest is not None and claim.latest < first:
        return False
    return not (last is not None and claim.earliest is not None and claim.earliest > last)


def _key(claim: Claim) -> tuple[float, float, int]:
    low = float("-inf") if claim.earliest is None else claim.earliest
    high = float("inf") if claim.latest is None else claim.latest
    return (low, high, claim.position)


def timeline_of(
    claims: Iterable[Claim],
    program: str | None = None,
    start: tuple[str, int] | None = None,
    end: tuple[str, int] | None = None,
    dates: Mapping[str, FactDate] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
) -> Timeline:
    """The effective claims that may fall between ``start`` and ``end``, in historical order.

    ``start`` and ``end`` are (EDTF, day ordinal) pairs: the first day of the start and the
    last day of the end. ``evidence`` (a compiled table's) gives each claim's remarks with the
    known errors of the text its quote is in; without it, only corrections' reasons.
    """
    claims = [c for c in claims if c.type not in _CATALOGUE]
    dates = fact_dates(claims) if dates is None else dates
    first = None if start is None else start[1]
    last = None if end is None else end[1]
    entries = tuple(
        TimelineEntry(
            date=c.date,
            earliest=c.earliest,
            latest=c.latest,
            entity=c.stream,
            subjects=c.subjects,
            event_type=c.type,
            summary=c.summary,
            source=c.source,
            quote=c.quote,
            phrase=c.phrase,
            confidence=c.confidence,
            event_id=c.id,
            recorded_at=c.recorded_at,
            fact=c.fact,
            fact_date=dates[c.fact].edtf,
            conflict=dates[c.fact].conflict,
            corrected=bool(c.corrections),
            quote_in=c.quote_in,
            also_cited=c.also_cited,
            rank=c.rank,
            rank_reason=c.rank_reason,
            rank_by=c.rank_by,
            role=dates[c.fact].role_of(c.id),
            remarks=_remarks(c, evidence),
        )
        for c in sorted(claims, key=_key)
        if _overlaps(c, first, last)
    )
    return Timeline(
        program=program,
        start=None if start is None else start[0],
        end=None if end is None else end[0],
        entries=entries,
    )


def _remarks(claim: Claim, evidence: Mapping[str, Evidence] | None) -> tuple[str, ...]:
    cited = None if evidence is None else evidence.get(claim.id)
    if cited is not None:
        return cited.remarks
    return tuple(reason for _, reason in claim.remarks if reason)


def ledger_claims(claims: Iterable[Claim], answers: Iterable[Answer]) -> list[Claim]:
    """Every claim of a ledger that still counts, for a ledger-wide timeline."""
    return effective(claims, list(answers))

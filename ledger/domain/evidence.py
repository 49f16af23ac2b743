"""The evidence behind an answer: citations with their provenance and rank, and disagreements.

An :class:`Evidence` is one claim as an answer cites it: who makes it, in which text its quote
is found (a seed, or a fact sheet quoting a page the ledger holds no text of), its date and
confidence, its rank, and what it does for its happening's date. A :class:`Conflict` keeps
every side of a disagreement with its sources, confidence and rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TypeAlias

import attrs

from ledger.dates import HistoricalDate
from ledger.domain.display import Displayed

Row: TypeAlias = dict[str, str | int | None]
"""One line of a report: column name to a plain value."""


@attrs.frozen(kw_only=True)
class Evidence:
    """One event that supports a fact: who says it, in which words, dated how."""

    event_id: str
    event_type: str
    source: str
    quote: str = ""
    date: HistoricalDate | None = None
    """The event's valid time (as corrected, when a correction applies)."""
    phrase: str = ""
    confidence: str = ""
    recorded_at: datetime | None = None
    summary: str = ""
    corrected_by: tuple[str, ...] = ()
    quote_in: str = ""
    """The source whose text holds the quote when it is not ``source``: the quote is that
    text's words about ``source`` (a fact sheet citing a web page), not ``source``'s own."""
    also_cited: tuple[str, ...] = ()
    """Further sources the holder lists beside ``source`` for the same claim."""
    rank: str = "normal"
    rank_reason: str = ""
    rank_by: str = ""
    """The correction that set the rank, if any."""
    role: str = "decides"
    """What the claim does for its own happening's date: "decides" (one of the most precise
    claims), "supports" (a compatible vaguer claim) or "deprecated" (shown, not deciding);
    in a fact's ``why``, "ends" for a claim of something that may have ended the fact, and
    "bounds" for the start of an entity that its date cannot precede, "start-conflict" for
    one that its date wholly precedes (one of the two is wrong)."""
    remarks: tuple[str, ...] = ()
    """The reasons of the corrections applied to the claim, and known errors in its quote."""

    @property
    def holder(self) -> str:
        """The source whose text holds the quote."""
        return self.quote_in or self.source

    @property
    def cited(self) -> str:
        """The source with the text the quote is read in: "src" or "src, as cited by sheet"."""
        return self.source if not self.quote_in else f"{self.source}, as cited by {self.quote_in}"

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source credited with the claim (its own, then those listed beside it)."""
        return tuple(dict.fromkeys((self.source, *self.also_cited)))


def attested_sources(why: Iterable[Evidence]) -> tuple[str, ...]:
    """The distinct sources behind evidence that is not deprecated, first seen first."""
    return tuple(dict.fromkeys(s for e in why if e.rank != "deprecated" for s in e.sources))


def why_columns(why: tuple[Evidence, ...]) -> Row:
    """The citation columns shared by every row: sources, quotes and event ids.

    Flat text for CSV; the values themselves (``why``) keep them as tuples.
    """
    return {
        "sources": "; ".join(dict.fromkeys(e.cited for e in why)),
        "quotes": " | ".join(dict.fromkeys(e.quote for e in why if e.quote)),
        "events": " ".join(e.event_id for e in why),
    }


@attrs.frozen(kw_only=True)
class ConflictingClaim:
    """One side of a disagreement: a value, its date, and what supports it."""

    value: str
    date: str
    why: tuple[Evidence, ...] = ()
    derived: bool = False
    """True for a value the ledger derives (a count of recorded members), not a quote."""
    confidence: str = ""
    """The best confidence among its claims."""
    rank: str = "normal"
    """"deprecated" when every claim of this side was marked wrong by a correction."""
    rank_reason: str = ""
    rank_by: str = ""
    """The correction that deprecated it (empty: not deprecated)."""

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources of this side."""
        return tuple(dict.fromkeys(s for e in self.why for s in e.sources))


@attrs.frozen(kw_only=True)
class Conflict:
    """Sources that disagree about one thing; every side is kept and shown."""

    kind: str
    """"date" (one happening, disjoint dates), "value" (one attribute, different values) or
    "count" (a stated count against the recorded memberships)."""
    entity: str
    about: str
    """The fact key, attribute or count in dispute."""
    claims: tuple[ConflictingClaim, ...]

    @property
    def resolved(self) -> bool:
        """Whether at most one side still stands (the others are deprecated)."""
        return sum(1 for c in self.claims if c.rank != "deprecated") <= 1

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the disagreement across programs."""
        return (self.kind, self.entity, self.about)

    def rows(self) -> list[Row]:
        """One line per side of the disagreement."""
        return [
            {
                "kind": self.kind,
                "entity": self.entity,
                "about": self.about,
                "value": claim.value,
                "date": claim.date,
                "derived": int(claim.derived),
                "confidence": claim.confidence,
                "source_count": len(claim.sources),
                "rank": claim.rank,
                "rank_reason": claim.rank_reason,
                "rank_by": claim.rank_by,
                "resolved": int(self.resolved),
                **why_columns(claim.why),
            }
            for claim in self.claims
        ]


@attrs.frozen(kw_only=True, repr=False)
class Conflicts(Displayed):
    """Every disagreement in the ledger (or in one program), with each side."""

    conflicts: tuple[Conflict, ...] = ()

    def summary(self) -> str:
        """How many disagreements, of which kinds."""
        kinds = ", ".join(sorted({c.kind for c in self.conflicts}))
        return f"{len(self.conflicts)} disagreements" + (f" ({kinds})" if kinds else "")

    def __iter__(self) -> Iterator[Conflict]:
        return iter(self.conflicts)

    def __len__(self) -> int:
        return len(self.conflicts)

    def rows(self) -> list[Row]:
        """One line per side of every disagreement."""
        return [row for conflict in self.conflicts for row in conflict.rows()]

"""What a program looks like as of a date: frozen values that explain themselves.

Every fact carries two separate answers. *When*: a certainty (certain: it had begun by every
day asked about; possible: the dates allow it), from the dates alone. *How well attested*:
the best confidence of the claims behind it, how many sources make them, and a rank in the
manner of Wikidata (preferred, normal, deprecated, with the reason and the correction that
set it). ``why`` lists the events behind it, each with its source, the text that holds its
quote, its date and what it does for the fact (decides, supports, deprecated, may end it).
Each result has ``rows()``: plain dicts of str/int/None for tables, CSV and JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

import attrs

from ledger.domain.display import Displayed
from ledger.domain.evidence import (
    Conflict,
    ConflictingClaim,
    Conflicts,
    Evidence,
    Row,
    attested_sources,
    why_columns,
)

__all__ = [
    "AgreementFact",
    "AttributeFact",
    "Certainty",
    "Conflict",
    "ConflictingClaim",
    "Conflicts",
    "CountFact",
    "Evidence",
    "Fact",
    "InvitationFact",
    "MemberFact",
    "MilestoneFact",
    "ProgramState",
    "RestrictionFact",
    "Row",
    "StatusFact",
    "TalksFact",
    "attested_sources",
]


class Certainty(enum.StrEnum):
    """How sure a fact is as of the date asked: certain, or only possible."""

    CERTAIN = "certain"
    POSSIBLE = "possible"


def _join(values: tuple[str, ...]) -> str:
    return ", ".join(values)


@attrs.frozen(kw_only=True)
class Fact:
    """Base of the facts in a state: a certainty, a date as known, and the evidence."""

    section: ClassVar[str] = "fact"

    certainty: Certainty
    date: str
    """When it began, as precisely as the claims allow (merged over claims of one fact)."""
    why: tuple[Evidence, ...] = ()
    confidence: str = ""
    """The best confidence among the claims that make the fact (deprecated ones aside)."""
    sources: tuple[str, ...] = ()
    """The distinct sources making those claims (the independent attestations)."""
    rank: str = "normal"
    """"preferred", "normal" or "deprecated" (every claim behind it deprecated)."""
    rank_reason: str = ""
    rank_by: str = ""
    """The id of the correction that set the rank (empty: never ranked)."""
    contested: bool = False
    """Whether sources disagree about it (disjoint dates, or another value)."""

    @property
    def label(self) -> str:
        """The fact's main name (a status, a member, an agreement...)."""
        return ""

    @property
    def detail(self) -> str:
        """Secondary information (a role, an answer, the signatories...)."""
        return ""

    @property
    def certain(self) -> bool:
        """Whether the fact is certain as of the date asked."""
        return self.certainty is Certainty.CERTAIN

    def row(self) -> Row:
        """The fact as one report line."""
        return {
            "section": self.section,
            "fact": self.label,
            "detail": self.detail,
            "date": self.date,
            "certainty": self.certainty.value,
            "confidence": self.confidence,
            "source_count": len(self.sources),
            "rank": self.rank,
            "contested": int(self.contested),
            **why_columns(self.why),
        }


@attrs.frozen(kw_only=True)
class StatusFact(Fact):
    """The program was in this status (proposed, in_talks, agreed, operating...)."""

    section: ClassVar[str] = "status"
    status: str

    @property
    def label(self) -> str:
        """The status."""
        return self.status


@attrs.frozen(kw_only=True)
class MemberFact(Fact):
    """An entity was a member or partner of the program, in a role."""

    section: ClassVar[str] = "member"
    member: str
    role: str
    until: str | None = None
    """The date of a departure that may already have happened, if any."""

    @property
    def label(self) -> str:
        """The member's entity id."""
        return self.member

    @property
    def detail(self) -> str:
        """The role, and a possible departure."""
        return self.role if self.until is None else f"{self.role}; may have left {self.until}"


@attrs.frozen(kw_only=True)
class InvitationFact(Fact):
    """A party invited to the program, and where its answer stood."""

    section: ClassVar[str] = "invitation"
    party: str
    answer: str
    """"invited", "considering" or "declined"."""
    by: str = ""
    role: str = ""
    reason: str = ""

    @property
    def label(self) -> str:
        """The invited party."""
        return self.party

    @property
    def detail(self) -> str:
        """The answer, and why when declined."""
        return f"{self.answer}: {self.reason}" if self.reason else self.answer


@attrs.frozen(kw_only=True)
class AgreementFact(Fact):
    """An agreement on the program with its parties and the people who signed it."""

    section: ClassVar[str] = "agreement"
    agreement: str
    parties: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    mode: str = ""

    @property
    def label(self) -> str:
        """The agreement's name or id."""
        return self.agreement

    @property
    def detail(self) -> str:
        """Parties, signatories and mode."""
        parts = [f"parties: {_join(self.parties)}"]
        if self.signatories:
            parts.append(f"signed by: {_join(self.signatories)}")
        if self.mode:
            parts.append(self.mode)
        return "; ".join(parts)


@attrs.frozen(kw_only=True)
class MilestoneFact(Fact):
    """A mission of the program reached a milestone."""

    section: ClassVar[str] = "milestone"
    milestone: str
    mission: str

    @property
    def label(self) -> str:
        """The milestone."""
        return self.milestone

    @property
    def detail(self) -> str:
        """The mission."""
        return self.mission


@attrs.frozen(kw_only=True)
class RestrictionFact(Fact):
    """A restriction in force: who may not work with whom, on whose authority."""

    section: ClassVar[str] = "restriction"
    restriction: str
    restricted: tuple[str, ...] = ()
    counterparties: tuple[str, ...] = ()
    authority: str = ""
    until: str | None = None
    """The date of a lifting that may already have happened, if any."""

    @property
    def label(self) -> str:
        """The restriction's name or id."""
        return self.restriction

    @property
    def detail(self) -> str:
        """Who is restricted from working with whom."""
        text = f"{_join(self.restricted)} not with {_join(self.counterparties) or 'anyone'}"
        if self.authority:
            text += f" ({self.authority})"
        return text if self.until is None else f"{text}; may be lifted {self.until}"


@attrs.frozen(kw_only=True)
class TalksFact(Fact):
    """Parties held talks about the program."""

    section: ClassVar[str] = "talks"
    parties: tuple[str, ...]
    topic: str = ""

    @property
    def label(self) -> str:
        """The parties."""
        return _join(self.parties)

    @property
    def detail(self) -> str:
        """The topic."""
        return self.topic


@attrs.frozen(kw_only=True)
class AttributeFact(Fact):
    """A source's value for an attribute of the program (a location, a rank...)."""

    section: ClassVar[str] = "attribute"
    attribute: str
    value: str | int | float | bool

    @property
    def label(self) -> str:
        """The attribute."""
        return self.attribute

    @property
    def detail(self) -> str:
        """The value (a yes/no value in words, not Python's ``True``/``False``)."""
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        return str(self.value)


@attrs.frozen(kw_only=True)
class CountFact(Fact):
    """A source's count of members, beside the range derived from recorded memberships."""

    section: ClassVar[str] = "count"
    count: int
    excluding: tuple[str, ...] = ()
    role: str = ""
    derived_low: int = 0
    """Members certain on every day of the claim's date (as far as known by the as-of)."""
    derived_high: int = 0
    """Members possible on some day of it."""

    @property
    def label(self) -> str:
        """What was counted."""
        what = f"{self.role} count" if self.role else "member count"
        return f"{what} excluding {_join(self.excluding)}" if self.excluding else what

    @property
    def agrees(self) -> bool:
        """Whether the stated count fits the recorded memberships."""
        return self.derived_low <= self.count <= self.derived_high

    @property
    def detail(self) -> str:
        """Stated and derived counts."""
        derived = (
            str(self.derived_low)
            if self.derived_low == self.derived_high
            else f"{self.derived_low}-{self.derived_high}"
        )
        return f"stated {self.count}, recorded {derived}"


@attrs.frozen(kw_only=True, repr=False)
class ProgramState(Displayed):
    """A program as of a date (day, month or year), as known at a recorded time."""

    program: str
    as_of: str
    known_at: datetime | None = None
    """The recorded time the answer is as of (UTC); None for everything recorded."""
    name: str = ""
    parts: tuple[str, ...] = ()
    """Entities registered as part of the program (its missions), whose events count too."""
    statuses: tuple[StatusFact, ...] = ()
    """The status or statuses it may be in: one certain, or several possible."""
    status_history: tuple[StatusFact, ...] = ()
    """Every status it had (or may have) entered by then, oldest first."""
    members: tuple[MemberFact, ...] = ()
    invitations: tuple[InvitationFact, ...] = ()
    agreements: tuple[AgreementFact, ...] = ()
    milestones: tuple[MilestoneFact, ...] = ()
    restrictions: tuple[RestrictionFact, ...] = ()
    talks: tuple[TalksFact, ...] = ()
    attributes: tuple[AttributeFact, ...] = ()
    counts: tuple[CountFact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    began: tuple[Evidence, ...] = ()
    """The program's earliest possible start, as the claims that set it (none: unknown)."""

    def summary(self) -> str:
        """The program, the date, its status and how many facts of each kind."""
        known = f", known at {self.known_at.isoformat()}" if self.known_at else ""
        counts = [
            f"{len(facts)} {name}"
            for name, facts in (
                ("members", self.members),
                ("agreements", self.agreements),
                ("milestones", self.milestones),
                ("conflicts", self.conflicts),
            )
            if facts
        ]
        status = f": {self.status}" if self.status else ": no status"
        return f"{self.program} as of {self.as_of}{known}{status}" + "".join(
            f", {c}" for c in counts
        )

    @property
    def status(self) -> str | None:
        """The latest status it may be in (see ``statuses`` for how sure that is)."""
        return self.statuses[-1].status if self.statuses else None

    def member_ids(self, certainty: Certainty | None = None) -> tuple[str, ...]:
        """The members' entity ids, optionally only those of one certainty."""
        found = (m.member for m in self.members if certainty is None or m.certainty is certainty)
        return tuple(dict.fromkeys(found))

    def signatories(self) -> tuple[str, ...]:
        """Everyone who signed one of its agreements by then."""
        return tuple(dict.fromkeys(s for a in self.agreements for s in a.signatories))

    def facts(self) -> Iterator[Fact]:
        """Every fact of the state, section by section."""
        yield from self.statuses
        yield from self.members
        yield from self.invitations
        yield from self.agreements
        yield from self.milestones
        yield from self.restrictions
        yield from self.talks
        yield from self.attributes
        yield from self.counts

    def rows(self) -> list[Row]:
        """One line per fact, then per side of each conflict (section "conflict")."""
        head: Row = {"program": self.program, "as_of": self.as_of}
        rows = [{**head, **fact.row()} for fact in self.facts()]
        for conflict in self.conflicts:
            for claim in conflict.claims:
                rows.append(
                    {
                        **head,
                        "section": "conflict",
                        "fact": conflict.about,
                        "detail": f"{conflict.kind}: {claim.value}",
                        "date": claim.date,
                        "certainty": None,
                        "confidence": claim.confidence,
                        "source_count": len(claim.sources),
                        "rank": claim.rank,
                        "contested": 1,
                        **why_columns(claim.why),
                    }
                )
        return rows

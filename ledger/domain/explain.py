"""Why one line of an answer says what it says: the claims, their roles, the rules applied.

:func:`explain` takes a state and a fact (by entity id, label or words of its detail) and lists,
for each matching fact, the steps behind it: how its date was found (the claims that decide
it, those that only support it, those deprecated), why it is certain or only possible as of
the date asked, how well it is attested, what may have ended it, the corrections and known
errors that bear on its claims, and the tie-breaks used. Every step names its events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from ledger.domain.evidence import Conflict, Evidence, Row
from ledger.domain.state import AgreementFact, Certainty, Fact, MemberFact, ProgramState
from ledger.errors import QueryError


@attrs.frozen(kw_only=True)
class Step:
    """One rule applied to a fact, in words, with the events it rests on."""

    rule: str
    """"date", "supports", "deprecated", "start", "when", "ends", "attested", "contested",
    "remark" or "tie-break"."""
    text: str
    events: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class FactExplanation:
    """A fact of the answer and the steps that make it."""

    fact: Fact
    steps: tuple[Step, ...]

    def rows(self) -> list[Row]:
        """One line per step."""
        return [
            {
                "section": self.fact.section,
                "fact": self.fact.label,
                "detail": self.fact.detail,
                "date": self.fact.date,
                "certainty": self.fact.certainty.value,
                "rule": step.rule,
                "explanation": step.text,
                "events": " ".join(step.events),
            }
            for step in self.steps
        ]


@attrs.frozen(kw_only=True)
class Explanation:
    """Why the lines of an answer that match a question say what they say."""

    program: str
    as_of: str
    known_at: datetime | None
    query: str
    facts: tuple[FactExplanation, ...]

    def rows(self) -> list[Row]:
        """One line per step of every fact explained."""
        return [
            {"program": self.program, "as_of": self.as_of, **row}
            for found in self.facts
            for row in found.rows()
        ]

    def evidence(self) -> tuple[Evidence, ...]:
        """Every claim cited, once, in the order first cited."""
        seen: dict[str, Evidence] = {}
        for found in self.facts:
            for e in found.fact.why:
                seen.setdefault(e.event_id, e)
        return tuple(seen.values())


def matches(fact: Fact, wanted: frozenset[str]) -> bool:
    """Whether a fact is the one asked about: by its label, or an id or words in its detail."""
    label = fact.label.casefold()
    detail = fact.detail.casefold()
    return any(w == label or (len(w) > 2 and (w in label or w in detail)) for w in wanted)


_CITED_ONLY = ("ends", "bounds", "start-conflict")
"""Roles of evidence cited beside a fact's own claims (what may end it, what bounds it)."""


def _ids(why: tuple[Evidence, ...], role: str) -> tuple[str, ...]:
    return tuple(e.event_id for e in why if e.role == role)


def _who(why: tuple[Evidence, ...], role: str) -> str:
    return ", ".join(dict.fromkeys(e.cited for e in why if e.role == role))


def steps_of(fact: Fact, state: ProgramState) -> tuple[Step, ...]:
    """The steps behind one fact of a state."""
    why = fact.why
    steps: list[Step] = []
    deciding = _ids(why, "decides") or tuple(e.event_id for e in why if e.role not in _CITED_ONLY)
    steps.append(
        Step(
            rule="date",
            text=f"dated {fact.date} by the most precise claims about the happening "
            f"({_who(why, 'decides') or 'its only claims'}); compatible dates intersect",
            events=deciding,
        )
    )
    if _ids(why, "supports"):
        steps.append(
            Step(
                rule="supports",
                text="vaguer claims agree with that date and count as support, not as rivals: "
                + _who(why, "supports"),
                events=_ids(why, "supports"),
            )
        )
    for e in why:
        if e.rank == "deprecated":
            steps.append(
                Step(
                    rule="deprecated",
                    text=f"{e.cited} ({e.date}) is deprecated by correction {e.rank_by}: "
                    f"{e.rank_reason} Shown, but it does not decide.",
                    events=(e.event_id, *((e.rank_by,) if e.rank_by else ())),
                )
            )
    steps.extend(_start_steps(fact))
    if fact.certainty is Certainty.CERTAIN:
        when = f"certain: it had begun by every day of {state.as_of} and nothing ended it"
    else:
        when = (
            f"possible: its date ({fact.date}) allows it to have begun by {state.as_of} but "
            "does not make it sure, or something may have ended it"
        )
    steps.append(Step(rule="when", text=when, events=deciding))
    ending = [e for e in why if e.role == "ends"]
    if ending:
        steps.append(
            Step(
                rule="ends",
                text="may have ended it by then (a different status, answer or departure "
                "not surely before it): "
                + "; ".join(f"{e.summary or e.event_type} ({e.date})" for e in ending),
                events=tuple(e.event_id for e in ending),
            )
        )
    steps.append(
        Step(
            rule="attested",
            text=f"best confidence {fact.confidence or 'unknown'}, {len(fact.sources)} "
            f"source(s) ({', '.join(fact.sources)}), rank {fact.rank}"
            + (f": {fact.rank_reason}" if fact.rank_reason else ""),
            events=tuple(e.event_id for e in why if e.role not in _CITED_ONLY),
        )
    )
    if fact.contested:
        cited = {e.event_id for e in why}
        sides = [
            f"{c.kind} of {c.about}: "
            + " vs ".join(f"{s.value or s.date} ({s.rank}, {s.confidence})" for s in c.claims)
            for c in state.conflicts
            if any(e.event_id in cited for s in c.claims for e in s.why)
        ]
        steps.append(
            Step(
                rule="contested",
                text="sources disagree: " + ("; ".join(sides) or "another value is claimed"),
            )
        )
    for e in why:
        for remark in e.remarks:
            if remark != e.rank_reason and e.role not in ("bounds", "start-conflict"):
                steps.append(Step(rule="remark", text=f"{e.cited}: {remark}", events=(e.event_id,)))
    steps.extend(_tie_breaks(fact, state.conflicts))
    return tuple(steps)


def _start_steps(fact: Fact) -> list[Step]:
    """The entity's earliest possible start, where it bounds the fact's date, or where the
    fact is dated wholly before it (one of the two is then wrong)."""
    found: list[Step] = []
    for e in fact.why:
        if e.role not in ("bounds", "start-conflict"):
            continue
        start = f"{e.summary or 'the start of ' + e.source} ({e.date}; {e.cited}, {e.confidence})"
        if e.role == "bounds":
            text = (
                f"bounded by the entity's earliest possible start, {start}: nothing of it can "
                "have begun earlier, so the date's open or earlier start is read from that day on"
            )
        else:
            text = (
                f"dated wholly before the entity's earliest possible start, {start}: one of "
                "the two is wrong; the claim keeps its own date (not moved) until a correction "
                "says which"
            )
        reason = " ".join(e.remarks)
        found.append(
            Step(rule="start", text=text + (f". {reason}" if reason else ""), events=(e.event_id,))
        )
    return found


def began_note(state: ProgramState) -> str:
    """The program's earliest possible start, said where it can explain an empty answer."""
    if not state.began:
        return ""
    starts = "; ".join(f"{e.summary or e.date} ({e.cited}, {e.event_id})" for e in state.began)
    return f"; nothing of it can have begun before its earliest possible start: {starts}"


def _tie_breaks(fact: Fact, conflicts: Sequence[Conflict] = ()) -> list[Step]:
    """The choices the answer made where its claims left more than one reading."""
    found: list[Step] = []
    if isinstance(fact, AgreementFact) and fact.mode:
        modes = {e.event_id for e in fact.why if e.role != "ends"}
        found.append(
            Step(
                rule="tie-break",
                text=f"the mode shown ({fact.mode}) is that of the most confident claim that "
                "gives one, deprecated claims aside",
                events=tuple(modes),
            )
        )
    if isinstance(fact, MemberFact):
        found.append(
            Step(
                rule="tie-break",
                text=f"filed under the role {fact.role!r}: the role of its own joining when one "
                "may have happened by then, else 'party' of an agreement",
            )
        )
    if len({e.date for e in fact.why if e.role == "decides"}) > 1:
        cited = {e.event_id for e in fact.why}
        disputed = any(
            c.kind == "date" and any(e.event_id in cited for side in c.claims for e in side.why)
            for c in conflicts
        )
        text = (
            "its claims give several dates that cannot all be right: it is dated by their "
            "span, and stays possible until the latest has passed"
            if disputed
            # Several happenings that read the same (two refusals, each dated by its own
            # claims) are one line, not rivals.
            else f"several happenings read as this one line, each dated by its own claims: it "
            f"shows {fact.date}, the first that had surely begun (else the first that may have)"
        )
        found.append(Step(rule="tie-break", text=text))
    return found


def explain(state: ProgramState, query: str, entity: str | None = None) -> Explanation:
    """The steps behind the facts of ``state`` that ``query`` names (or entity id ``entity``).

    Raises:
        QueryError: no fact of the state matches.
    """
    wanted = frozenset(w.casefold() for w in (query, entity) if w)
    found = tuple(
        FactExplanation(fact=fact, steps=steps_of(fact, state))
        for fact in state.facts()
        if matches(fact, wanted)
    )
    if not found:
        labels = ", ".join(dict.fromkeys(f.label for f in state.facts())) or "none"
        raise QueryError(
            f"no line of {state.program} as of {state.as_of} is about {query!r} "
            f"(its lines: {labels}){began_note(state)}"
        )
    return Explanation(
        program=state.program,
        as_of=state.as_of,
        known_at=state.known_at,
        query=query,
        facts=found,
    )

"""Entities' earliest possible starts, and the dates of happenings bounded by them.

Nothing of a program (its status, members, agreements, attributes) can have begun before the
program itself. A :class:`~ledger.domain.events.BeganNotBefore` claim gives an entity's
earliest possible start; every happening about the entity (its stream or one of its subjects)
is then dated from that day on: an open start ``[..2021-01-12]`` becomes
``[2017-09-27..2021-01-12]``. The bound is applied after the claims of a happening are merged,
and only raises the earliest day, so the refinement rules keep holding: a compatible more
precise claim still never widens a date, and a compatible vaguer one still never changes it.

Several start claims about one entity can all be right (each only says "not before"): the
latest of their first days bounds it, the others support it. Deprecated ones never bound. A
happening dated wholly before the start is not moved: it keeps its date and is marked as
contradicting the start (``FactDate.before_start``), a conflict to resolve by a correction.
An entity without a start claim is bounded by nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from ledger.dates.calendar import ordinal_to_iso
from ledger.domain.claims import Claim, FactDate

START = "BeganNotBefore"
"""The event type of a start claim."""


@attrs.frozen(kw_only=True)
class Start:
    """An entity's earliest possible start, from its live start claims."""

    entity: str
    day: int
    """The first day anything of the entity can have begun (ordinal)."""
    claims: tuple[str, ...]
    """The start claims whose first day it is (the ones that decide the bound)."""


def starts_of(claims: Iterable[Claim]) -> dict[str, Start]:
    """Each entity's start: the latest first day of its live (not deprecated) start claims."""
    found: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.type == START and not claim.deprecated and claim.low is not None:
            found.setdefault(claim.stream, []).append(claim)
    starts: dict[str, Start] = {}
    for entity, own in found.items():
        day = max(c.low for c in own if c.low is not None)
        starts[entity] = Start(
            entity=entity, day=day, claims=tuple(c.id for c in own if c.low == day)
        )
    return starts


def _bounded_edtf(date: FactDate, day: int) -> str:
    """The date shown once its earliest day is ``day``: an open or earlier start made explicit.

    A date written as a span (``/2021-03-09``, its start unknown) keeps its text: a set of
    start days cannot stand for the start of a span in EDTF; ``why`` names the bound.
    """
    if "/" in date.edtf or date.conflict:
        return date.edtf
    if date.high is not None and date.high == day:
        return ordinal_to_iso(day)
    last = "" if date.high is None else ordinal_to_iso(date.high)
    return f"[{ordinal_to_iso(day)}..{last}]"


def bounded(
    dates: Mapping[str, FactDate], claims: Sequence[Claim], starts: Mapping[str, Start]
) -> dict[str, FactDate]:
    """The happenings' dates with the starts of the entities they are about applied."""
    if not starts:
        return dict(dates)
    about: dict[str, set[str]] = {}
    for claim in claims:
        if claim.type != START:
            about.setdefault(claim.fact, set()).update(claim.about)
    result = dict(dates)
    for fact, entities in about.items():
        applying = [starts[e] for e in sorted(entities) if e in starts]
        if not applying:
            continue
        day = max(s.day for s in applying)
        by = tuple(c for s in applying if s.day == day for c in s.claims)
        date = dates[fact]
        if date.low is not None and date.low >= day:
            continue  # already dated from the start on: nothing to bound
        if date.high is not None and date.high < day:
            # Wholly before the start: one of the two is wrong. Not moved, not hidden.
            result[fact] = attrs.evolve(date, before_start=by)
            continue
        result[fact] = attrs.evolve(date, low=day, edtf=_bounded_edtf(date, day), bounded_by=by)
    return result

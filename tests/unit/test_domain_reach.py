"""The reach index: parts, answers and restrictions found by position, saved and reloaded."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projection_builders import Recorder
from strategies import PROJECTION_PROGRAMS, projection_histories

from ledger.domain.events import (
    ClaimMade,
    Corrected,
    EntityRegistered,
    Event,
    RestrictionEnacted,
    RestrictionLifted,
    Retracted,
)
from ledger.domain.fold import parts_of
from ledger.domain.reach import ReachIndex

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def index_of(events: list[Event]) -> ReachIndex:
    index = ReachIndex()
    index.fold(events)
    return index


@pytest.mark.slow
@SETTINGS
@given(projection_histories(), st.sampled_from(PROJECTION_PROGRAMS), st.data())
def test_parts_are_those_the_fold_finds_by_any_known_at(
    events: list[Event], program: str, data: st.DataObject
) -> None:
    """The index's parts of a program equal ``parts_of`` over all the events, and over the
    events recorded by any of their recorded times."""
    index = index_of(events)
    assert index.parts(program) == parts_of(program, events)
    known_at = data.draw(st.sampled_from([e.recorded_at for e in events]))
    assert known_at is not None
    by_then = [e for e in events if e.recorded_at is not None and e.recorded_at <= known_at]
    assert index.parts(program, known_at) == parts_of(program, by_then)


@pytest.mark.slow
@SETTINGS
@given(projection_histories())
def test_an_index_position_is_the_last_event_folded(events: list[Event]) -> None:
    """An index's position is the last one folded."""
    assert index_of(events).position == max(e.position for e in events)


def test_answers_are_found_through_answers_to_answers() -> None:
    """A retraction of a correction of a claim is found from the claim, and nothing else is."""
    rec = Recorder()
    claim = rec.add(ClaimMade, "ilrs", "2021", attribute="status", value="planned")
    other = rec.add(ClaimMade, "ilrs", "2021", attribute="status", value="agreed")
    fix = rec.add(Corrected, "errata", "2021", target=claim.id, reason="r")
    undo = rec.add(Retracted, "elsewhere", "2021", target=fix.id, reason="r")
    rec.add(Retracted, "errata", "2021", target=other.id, reason="r")
    index = index_of(rec.events)
    assert index.answer_positions([str(claim.id)]) == {fix.position, undo.position}
    assert index.answer_positions(["not-an-id"]) == set()


def test_restrictions_naming_the_scope_and_their_liftings_are_found() -> None:
    """An enactment naming a part of the scope as restricted or counterparty is found, with
    a lifting of it that names nobody; restrictions of others are not."""
    rec = Recorder()
    rec.add(EntityRegistered, "nasa", "2021", kind="agency", name_en="NASA")
    wolf = rec.add(
        RestrictionEnacted, "law", "2011", restriction="wolf", restricted="x", counterparties="nasa"
    )
    lifted = rec.add(RestrictionLifted, "law", "2030", restriction="wolf")
    rec.add(RestrictionEnacted, "law2", "2011", restriction="other", restricted="esa")
    index = index_of(rec.events)
    assert index.restriction_positions({"nasa"}) == {wolf.position, lifted.position}
    assert index.restriction_positions({"law"}) == {wolf.position, lifted.position}
    assert index.restriction_positions({"roscosmos"}) == set()

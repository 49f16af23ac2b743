"""Properties of projections: known-at and as-of filtering, rebuilds, later events, determinism."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    PROJECTION_CLAIM_KINDS,
    PROJECTION_PROGRAMS,
    projection_claim_event,
    projection_dates,
    projection_histories,
)

from ledger.domain.asof import Period, state_as_of
from ledger.domain.claims import fact_dates
from ledger.domain.events import Event
from ledger.domain.fold import FactTable, build, fold_into
from ledger.domain.lines import compile_table
from ledger.domain.starts import START, bounded, starts_of
from ledger.domain.state import ProgramState
from ledger.persistence.snapshots import decode_table as decode
from ledger.persistence.snapshots import encode_table as encode

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
programs = st.sampled_from(PROJECTION_PROGRAMS)
as_of_dates = projection_dates(intervals=False)


def state_of(events: list[Event], program: str, as_of: str) -> ProgramState:
    return state_as_of(compile_table(build(program, events)), as_of)


def only_admitting(events: list[Event], program: str, period: Period) -> FactTable:
    """A table of just the claims (answers applied) whose happening can have begun by the end
    of ``period``; claims of one fact are kept or dropped together, as the fact is dated
    (bounded by the entities' starts). Start claims are kept whatever their date: they are
    bounds on the other claims, not happenings."""
    table = build(program, events)
    claims = table.effective_claims()
    dates = bounded(fact_dates(claims), claims, starts_of(claims))
    kept = FactTable(program=program, scope=set(table.scope), parts=list(table.parts))
    kept.items.update(
        (c.id, c) for c in claims if c.type == START or dates[c.fact].admits(period.last)
    )
    return kept


@SETTINGS
@given(projection_histories(), programs, as_of_dates, st.data())
def test_state_known_at_k_equals_folding_what_was_recorded_by_k_and_admits_d(
    events: list[Event], program: str, as_of: str, data: st.DataObject
) -> None:
    """State as of D known at K equals a fold of the claims recorded by K that admit D."""
    times = [e.recorded_at for e in events if e.recorded_at is not None]
    known_at = data.draw(st.sampled_from(times))
    recorded = [e for e in events if e.recorded_at is not None and e.recorded_at <= known_at]
    period = Period.of(as_of)
    expected = state_as_of(compile_table(only_admitting(recorded, program, period)), period)
    assert state_of(recorded, program, as_of) == expected


@SETTINGS
@given(projection_histories(), programs, as_of_dates, st.data())
def test_incremental_folding_through_snapshots_equals_a_rebuild(
    events: list[Event], program: str, as_of: str, data: st.DataObject
) -> None:
    """Folding in batches, saving and loading a snapshot between them, equals one rebuild."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(events)), max_size=4)))
    table = FactTable(program=program)
    done = 0
    for cut in [*cuts, len(events)]:
        table = fold_into(table, events[done:cut])
        done = max(done, cut)
        loaded = decode(encode(table))
        assert loaded is not None
        table = build(program, events[:done]) if loaded.stale else loaded
    assert table.position == (events[-1].position if events else 0)
    assert state_as_of(compile_table(table), as_of) == state_of(events, program, as_of)


@SETTINGS
@given(projection_histories(), programs, st.integers(2000, 2001), st.data())
def test_a_later_claim_never_changes_an_earlier_state(
    events: list[Event], program: str, year: int, data: st.DataObject
) -> None:
    """A new claim of its own (no answer, no shared fact) dated after D leaves D's state alone.

    A start claim is left out: "began not before D+1" speaks of every day before it (nothing
    of the entity had begun by D; see ledger.domain.starts), so it rightly changes D's state.
    """
    as_of = data.draw(projection_dates(first_year=year, last_year=year, intervals=False))
    last = events[-1]
    assert last.recorded_at is not None
    extra = projection_claim_event(
        data.draw,
        last.position + 1,
        1,
        last.recorded_at + timedelta(days=1),
        dates=projection_dates(first_year=year + 1),
        fact_keys=("",),
        kinds=tuple(kind for kind in PROJECTION_CLAIM_KINDS if kind.type_name != START),
    )
    assert extra.valid_time.earliest is not None
    assert extra.valid_time.earliest > Period.of(as_of).last
    assert state_of([*events, extra], program, as_of) == state_of(events, program, as_of)


@SETTINGS
@given(projection_histories(), programs, as_of_dates)
def test_replay_is_deterministic(events: list[Event], program: str, as_of: str) -> None:
    """Folding the same events twice gives the same snapshot bytes and the same state."""
    assert encode(build(program, events)) == encode(build(program, events))
    assert state_of(events, program, as_of) == state_of(list(events), program, as_of)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projection_histories(), programs, as_of_dates, st.data())
def test_service_catching_up_on_a_store_equals_a_rebuild(
    events: list[Event], program: str, as_of: str, data: st.DataObject
) -> None:
    """The service, asked between appends, answers as a fold of everything recorded, and a
    new service asked as known at an earlier time as a fold of what was recorded by then."""
    from ledger.application.ledger import Ledger
    from ledger.persistence.store import EventStore

    cuts = sorted(data.draw(st.lists(st.integers(1, len(events)), max_size=3)))
    store = EventStore.open("sqlite://")
    try:
        service = Ledger(store)
        done = 0
        for cut in [*cuts, len(events)]:
            if cut > done:
                store.append(events[done:cut])
                done = cut
            if any(program in e.about for e in events[:done]):
                service.state(program, as_of)
        recorded = list(store.iter_events())
        assume(any(program in e.about for e in recorded))
        assert service.state(program, as_of) == state_of(recorded, program, as_of)
        assert Ledger(store).state(program, as_of) == state_of(recorded, program, as_of)
        # A new service folding as known at an earlier time goes through the saved reach index.
        known_at = data.draw(st.sampled_from([e.recorded_at for e in recorded]))
        assert known_at is not None
        by_then = [e for e in recorded if e.recorded_at is not None and e.recorded_at <= known_at]
        then = Ledger(store).state(program, as_of, known_at=known_at)
        assert attrs.evolve(then, known_at=None) == state_of(by_then, program, as_of)
    finally:
        store.close()

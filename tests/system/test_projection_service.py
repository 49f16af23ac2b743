"""The projection service on every store backend: incremental folding, checkpoints, known-at.

The ``store`` fixture (tests/conftest.py) runs each test on SQLite in memory, SQLite on disk
and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from conftest import saved_payload, seal_and_save
from projection_builders import Recorder

from ledger.application.checkpoints import CHECKPOINT_PREFIX, REACH_CHECKPOINT
from ledger.application.ledger import Ledger
from ledger.domain.asof import state_as_of
from ledger.domain.events import (
    AgreementSigned,
    ClaimMade,
    Corrected,
    EntityRegistered,
    Event,
    MemberJoined,
    MilestoneReached,
    RestrictionEnacted,
    RestrictionLifted,
    StatusChanged,
    TalksHeld,
)
from ledger.domain.fold import build
from ledger.domain.lines import compile_table
from ledger.domain.reach import ReachIndex
from ledger.domain.state import Certainty, ProgramState
from ledger.errors import QueryError, UnknownEntityError
from ledger.persistence.snapshots import decode_reach, decode_table, encode_reach
from ledger.persistence.store import EventStore


def recorded(rec: Recorder) -> None:
    """Catalogue and claims of a small ledger (ILRS, a mission, a law)."""
    rec.add(EntityRegistered, "ilrs", "2021", kind="program", name_en="ILRS", name_ar="محطة القمر")
    rec.add(EntityRegistered, "russia", "2021", kind="country", name_en="Russia", name_ar="روسيا")
    rec.add(EntityRegistered, "nasa", "2021", kind="agency", name_en="NASA")
    rec.add(EntityRegistered, "ce5", "2021", kind="mission", name_en="Chang'e 5", part_of="ilrs")
    rec.add(TalksHeld, "ilrs", "2020-07/2021-03-09", parties=("russia", "china"))
    rec.add(
        AgreementSigned,
        "ilrs",
        "2021-03-09",
        agreement="mou",
        parties=("china", "russia"),
        signatories=("zhang-kejian", "dmitry-rogozin"),
    )
    rec.add(MilestoneReached, "ce5", "2020-12", milestone="sample return", fact="ce5-return")
    rec.add(
        RestrictionEnacted,
        "wolf",
        "2011",
        restriction="wolf",
        restricted="nasa",
        counterparties="china",
        fact="wolf",
    )


def states_equal(service: Ledger, events: list[Event], program: str) -> None:
    """The service's states equal those of a fresh fold of ``events``, on several days."""
    fresh = compile_table(build(program, events))
    for day in ("2011-03-01", "2020-12-10", "2021-03-08", "2021-03", "2021-03-10", "2030"):
        assert service.state(program, day) == state_as_of(fresh, day)


def test_state_follows_appends_incrementally(store: EventStore) -> None:
    """After each append the service answers as a fresh fold of all events would."""
    rec = Recorder()
    recorded(rec)
    service = Ledger(store)
    store.append(rec.events)
    states_equal(service, list(store.iter_events()), "ilrs")
    rec.later(days=1)
    rec.add(MemberJoined, "ilrs", "2021-04", member="belarus", role="partner")
    rec.add(MilestoneReached, "ce5", "2020-12-16", milestone="sample return", fact="ce5-return")
    store.append(rec.events[-2:])
    states_equal(service, list(store.iter_events()), "ilrs")
    assert service.table("ilrs").position == store.head()


def test_checkpoint_is_saved_and_used_by_a_new_service(store: EventStore) -> None:
    """A checkpoint holds the table and its position; a new service starts from it."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    first = Ledger(store)
    expected = first.state("ilrs", "2021-03-10")
    payload = saved_payload(store, CHECKPOINT_PREFIX + "ilrs")
    assert payload is not None
    saved = decode_table(payload)
    assert saved is not None
    assert saved.position == store.head()
    second = Ledger(store)
    assert second.state("ilrs", "2021-03-10") == expected
    assert second.table("ilrs").claims() == saved.claims()


def test_an_unreadable_checkpoint_is_rebuilt(store: EventStore) -> None:
    """A checkpoint of another format is ignored and the table refolded from the events."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    seal_and_save(store, CHECKPOINT_PREFIX + "ilrs", store.head(), b'{"format": "old"}')
    states_equal(Ledger(store), list(store.iter_events()), "ilrs")


def test_incremental_path_equals_a_rebuild(store: EventStore) -> None:
    """Tables caught up append by append equal tables rebuilt from the events alone."""
    rec = Recorder()
    recorded(rec)
    service = Ledger(store)
    for event in rec.events:
        store.append(event)
        service.state("ilrs", "2021")
    rebuilt = Ledger(store, checkpoints=False)
    for program in ("ilrs", "nasa"):
        for day in ("2011-06", "2020-12-10", "2021-03-10"):
            assert service.state(program, day) == rebuilt.state(program, day)
    service.rebuild()
    assert service.state("ilrs", "2021-03-10") == rebuilt.state("ilrs", "2021-03-10")


def test_known_at_before_the_checkpoint_folds_what_was_recorded_then(store: EventStore) -> None:
    """As known at an earlier time, later records (here an exact date) are not used."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    known = rec.now
    rec.later(days=30)
    rec.add(
        RestrictionEnacted, "wolf", "2011-04-15", restriction="wolf", restricted="nasa", fact="wolf"
    )
    store.append(rec.events[-1])
    service = Ledger(store)
    assert service.state("nasa", "2011-03-01").restrictions == ()
    (then,) = service.state("nasa", "2011-03-01", known_at=known).restrictions
    assert then.certainty is Certainty.POSSIBLE
    assert service.state("nasa", "2011-03-01", known_at=known).known_at == known
    assert service.state("nasa", "2011-03-01", known_at=rec.now).restrictions == ()
    with pytest.raises(QueryError):
        service.state("nasa", "2011", known_at=known.replace(tzinfo=None))


def test_a_part_registered_late_brings_its_earlier_events(store: EventStore) -> None:
    """Events of a mission recorded before it was registered as a part count once it is."""
    rec = Recorder()
    rec.add(EntityRegistered, "gateway", "2019", kind="program", name_en="Gateway")
    rec.add(MilestoneReached, "halo", "2024", milestone="launch")
    service = Ledger(store)
    store.append(rec.events)
    assert service.state("gateway", "2025").milestones == ()
    rec.add(EntityRegistered, "halo", "2020", kind="mission", name_en="HALO", part_of="gateway")
    store.append(rec.events[-1])
    assert [m.mission for m in service.state("gateway", "2025").milestones] == ["halo"]


def test_answers_and_liftings_from_other_streams_apply(store: EventStore) -> None:
    """A correction filed elsewhere, and a lifting on the law's stream, reach the program."""
    rec = Recorder()
    rec.add(RestrictionEnacted, "wolf", "2011", restriction="wolf", restricted="nasa")
    joined = rec.add(MemberJoined, "nasa", "1990", member="x")
    service = Ledger(store)
    store.append(rec.events)
    assert [m.member for m in service.state("nasa", "2000").members] == ["x"]
    rec.add(Corrected, "errata", "2005", target=joined.id, reason="later")
    rec.add(RestrictionLifted, "wolf", "2020", restriction="wolf")
    store.append(rec.events[-2:])
    assert service.state("nasa", "2000").members == ()
    assert service.state("nasa", "2021").restrictions == ()


def test_names_resolve_in_english_and_arabic(store: EventStore) -> None:
    """Programs may be named by id, English or Arabic name; unknown names suggest others."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    service = Ledger(store)
    assert service.resolve("ILRS") == service.resolve("محطة القمر") == "ilrs"
    with pytest.raises(UnknownEntityError) as caught:
        service.state("ILRX", "2021")
    assert "ilrs" in {service.resolve(name) for name in caught.value.suggestions}


def test_timeline_diff_programs_and_conflicts(store: EventStore) -> None:
    """The other questions answer from the same tables, as plain rows."""
    rec = Recorder()
    recorded(rec)
    rec.add(ClaimMade, "ilrs", "2021", attribute="orbit", value="surface", source="tass")
    rec.add(ClaimMade, "ilrs", "2021", attribute="orbit", value="lunar orbit", source="article")
    rec.add(StatusChanged, "ilrs", "2030", status="operating")
    store.append(rec.events)
    service = Ledger(store)
    timeline = service.timeline("ilrs", start="2021", end="2021")
    assert [e.event_type for e in timeline] == [
        "TalksHeld",
        "ClaimMade",
        "ClaimMade",
        "AgreementSigned",
    ]
    assert len(service.timeline()) == len(service.timeline(start="1900", end="2100"))
    diff = service.diff("ilrs", "2021-03-08", "2021-03-10")
    assert ("agreement", "mou", "absent", "certain") in {
        (c.section, c.fact, c.before, c.after) for c in diff
    }
    assert service.programs().ids() == ("ce5", "ilrs")
    conflicts = service.conflicts()
    assert [(c.kind, c.about) for c in conflicts] == [("value", "orbit")]
    assert {r["sources"] for r in conflicts.rows()} == {"tass", "article"}


def test_states_are_cached_until_the_ledger_changes(store: EventStore) -> None:
    """A repeated question returns the cached value; an append makes a new one."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    service = Ledger(store)
    first = service.state("ilrs", "2021-03-10")
    assert service.state("ilrs", "2021-03-10") is first
    rec.later(hours=1)
    rec.add(MemberJoined, "ilrs", "2021-03-10", member="x")
    store.append(rec.events[-1])
    again: ProgramState = service.state("ilrs", "2021-03-10")
    assert again is not first
    assert "x" in again.member_ids()


def test_ledger_delegates_to_the_projections() -> None:
    """Ledger.state/timeline/diff/programs/conflicts answer as the service does."""
    import ledger

    rec = Recorder()
    recorded(rec)
    with ledger.open("sqlite://") as book:
        book.append(rec.events)
        state = book.state("ILRS", "2021-03-10")
        assert isinstance(state, ledger.ProgramState)
        assert state == book.state("ilrs", "2021-03-10")
        assert isinstance(book.timeline("ilrs"), ledger.Timeline)
        assert isinstance(book.diff("ilrs", "2021-03-08", "2021-03-10"), ledger.Diff)
        assert isinstance(book.programs(), ledger.Programs)
        assert isinstance(book.conflicts(), ledger.Conflicts)


def test_memory_bounds_do_not_change_answers(store: EventStore) -> None:
    """With one table and one state kept in memory, answers are the same as unbounded."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    small = Ledger(store, max_tables=1, states_per_table=1)
    large = Ledger(store, checkpoints=False)
    for _ in range(2):
        for program in ("ilrs", "nasa", "ce5"):
            for day in ("2011-03", "2020-12-10", "2021-03-10"):
                assert small.state(program, day) == large.state(program, day)


def test_a_new_service_finds_answers_filed_elsewhere_through_the_saved_reach_index(
    store: EventStore,
) -> None:
    """A program first asked after the reach index was saved still takes in the corrections
    and liftings filed on other streams since then (the index catches up from its position)."""
    rec = Recorder()
    recorded(rec)
    joined = rec.add(MemberJoined, "nasa", "1990", member="x")
    store.append(rec.events)
    Ledger(store).state("ilrs", "2021")  # builds and saves the reach index
    saved = saved_payload(store, REACH_CHECKPOINT)
    assert saved is not None
    assert json.loads(saved)["value"]["position"] == store.head()
    rec.add(Corrected, "errata", "2005", target=joined.id, reason="later")
    rec.add(RestrictionLifted, "wolf", "2020", restriction="wolf")
    store.append(rec.events[-2:])
    fresh = Ledger(store)
    assert fresh.state("nasa", "2000").members == ()
    assert fresh.state("nasa", "2021").restrictions == ()
    states_equal(fresh, list(store.iter_events()), "nasa")


def test_an_unreadable_reach_index_is_rebuilt_from_the_events(store: EventStore) -> None:
    """A reach index saved in another format is ignored and folded again from the ledger."""
    rec = Recorder()
    recorded(rec)
    store.append(rec.events)
    seal_and_save(store, REACH_CHECKPOINT, store.head(), b'{"format": "old"}')
    states_equal(Ledger(store), list(store.iter_events()), "ilrs")
    states_equal(Ledger(store), list(store.iter_events()), "nasa")
    saved = saved_payload(store, REACH_CHECKPOINT)
    assert saved is not None
    assert decode_reach(saved) is not None


def test_rebuilding_refolds_a_wrong_reach_index_from_the_events(store: EventStore) -> None:
    """A saved reach index that lost entries (sealed by the key holder: a bug, not a forgery)
    is trusted until rebuilt; ``rebuild_index`` and
    ``rebuild`` (what ``ledger rebuild`` runs) find the answer filed elsewhere again."""
    rec = Recorder()
    recorded(rec)
    joined = rec.add(MemberJoined, "nasa", "1990", member="x")
    rec.add(Corrected, "errata", "2005", target=joined.id, reason="later")
    store.append(rec.events)
    seal_and_save(
        store, REACH_CHECKPOINT, store.head(), encode_reach(ReachIndex(position=store.head()))
    )
    assert [m.member for m in Ledger(store).state("nasa", "2000").members] == ["x"]
    service = Ledger(store)
    service.rebuild_index()
    service.rebuild("nasa")
    assert service.state("nasa", "2000").members == ()
    assert Ledger(store).state("nasa", "2000").members == ()
    states_equal(Ledger(store), list(store.iter_events()), "nasa")

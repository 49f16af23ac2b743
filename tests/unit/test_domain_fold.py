"""The fold: which events a program's fact table takes in, and how it follows parts."""

from __future__ import annotations

from projection_builders import Recorder

from ledger.domain.events import (
    ClaimMade,
    Corrected,
    EntityAliased,
    EntityRegistered,
    MilestoneReached,
    RestrictionEnacted,
    Retracted,
    SourceRegistered,
    StatusChanged,
)
from ledger.domain.fold import FactTable, build, fold_into, parts_of


def _ids(table: FactTable) -> list[str]:
    return [c.id for c in table.claims()]


def test_table_takes_its_own_and_subject_events_only() -> None:
    """Events on the program's stream or naming it as a subject are kept; others are not."""
    rec = Recorder()
    own = rec.add(StatusChanged, "ilrs", "2021", status="agreed")
    named = rec.add(ClaimMade, "russia", "2021", attribute="a", value=1, subjects=("ilrs",))
    rec.add(StatusChanged, "gateway", "2021", status="proposed")
    table = build("ilrs", rec.events)
    assert _ids(table) == [str(own.id), str(named.id)]


def test_restrictions_reach_restricted_and_counterparties() -> None:
    """A restriction is in the table of each entity it restricts or shields."""
    rec = Recorder()
    law = rec.add(
        RestrictionEnacted,
        "wolf",
        "2011",
        restriction="w",
        restricted="nasa",
        counterparties="china",
    )
    for program in ("wolf", "nasa", "china"):
        assert _ids(build(program, rec.events)) == [str(law.id)]
    assert _ids(build("russia", rec.events)) == []


def test_parts_bring_their_events_transitively() -> None:
    """Entities registered as part of the program (and parts of parts) count as the program."""
    rec = Recorder()
    rec.add(EntityRegistered, "change", "2004", kind="program", name_en="Chang'e")
    rec.add(EntityRegistered, "change-5", "2017", kind="mission", name_en="CE5", part_of="change")
    rec.add(EntityRegistered, "ce5-lander", "2017", kind="craft", name_en="L", part_of="change-5")
    landing = rec.add(MilestoneReached, "ce5-lander", "2020-12-01", milestone="landing")
    table = fold_into(FactTable(program="change"), rec.events)
    assert table.parts == ["change-5", "ce5-lander"]
    assert _ids(table) == [str(landing.id)]
    assert (table.name_en, table.kind, table.stale) == ("Chang'e", "program", False)


def test_part_registered_after_its_events_marks_the_table_stale() -> None:
    """Incremental folding flags a late part; a rebuild then takes its earlier events in."""
    rec = Recorder()
    early = rec.add(MilestoneReached, "ce5", "2020-12", milestone="return")
    rec.add(EntityRegistered, "ce5", "2017", kind="mission", name_en="CE5", part_of="change")
    table = fold_into(FactTable(program="change"), rec.events)
    assert table.stale
    assert _ids(table) == []
    rebuilt = build("change", rec.events)
    assert not rebuilt.stale
    assert _ids(rebuilt) == [str(early.id)]


def test_answers_are_kept_only_for_held_claims() -> None:
    """Corrections and retractions are kept when they answer a claim the table holds."""
    rec = Recorder()
    mine = rec.add(StatusChanged, "p", "2020", status="a")
    other = rec.add(StatusChanged, "q", "2020", status="b")
    rec.add(Corrected, "p", "2019", target=mine.id, reason="r")
    rec.add(Retracted, "q", "2021", target=other.id, reason="r")
    table = build("p", rec.events)
    assert [a.target for a in table.answers] == [str(mine.id)]


def test_position_advances_over_unrelated_events() -> None:
    """The table records the last position folded even when that event did not concern it."""
    rec = Recorder()
    rec.add(StatusChanged, "p", "2020", status="a")
    rec.add(SourceRegistered, "source:x", "2021", title="X")
    rec.add(EntityAliased, "p", "2021", aliases="P")
    last = rec.add(StatusChanged, "q", "2020", status="b")
    table = build("p", rec.events)
    assert table.position == last.position
    assert table.recorded_at == rec.now
    assert len(table.claims()) == 1


def test_parts_of_finds_descendants_once() -> None:
    """parts_of walks part_of links down from the program, each entity once."""
    rec = Recorder()
    rec.add(EntityRegistered, "a", "2020", kind="mission", name_en="A", part_of=("p", "b"))
    rec.add(EntityRegistered, "b", "2020", kind="mission", name_en="B", part_of="p")
    rec.add(EntityRegistered, "c", "2020", kind="mission", name_en="C", part_of="a")
    assert sorted(parts_of("p", rec.events)) == ["a", "b", "c"]

"""States as of a day or a period: every event type, certainty, corrections and periods."""

from __future__ import annotations

import pytest
from projection_builders import Recorder

from ledger.domain import events as ev
from ledger.domain.asof import Period, state_as_of
from ledger.domain.fold import build
from ledger.domain.lines import compile_table
from ledger.domain.state import Certainty, ProgramState
from ledger.errors import InvalidDateError

CERTAIN, POSSIBLE = Certainty.CERTAIN, Certainty.POSSIBLE


def state(rec: Recorder, program: str, as_of: str) -> ProgramState:
    return state_as_of(compile_table(build(program, rec.events)), as_of)


def statuses(s: ProgramState) -> list[tuple[str, Certainty]]:
    return [(f.status, f.certainty) for f in s.statuses]


def members(s: ProgramState) -> list[tuple[str, str, Certainty]]:
    return [(m.member, m.role, m.certainty) for m in s.members]


def test_status_changed_gives_the_latest_begun_status() -> None:
    """A later status that has surely begun replaces the earlier one; history keeps both."""
    rec = Recorder()
    rec.add(ev.StatusChanged, "p", "2019-05", status="proposed")
    rec.add(ev.StatusChanged, "p", "2020-01-10", status="operating")
    assert state(rec, "p", "2019-04-30").statuses == ()
    assert statuses(state(rec, "p", "2019-12-01")) == [("proposed", CERTAIN)]
    later = state(rec, "p", "2020-02-01")
    assert statuses(later) == [("operating", CERTAIN)]
    assert [h.status for h in later.status_history] == ["proposed", "operating"]
    assert later.status == "operating"


def test_a_possibly_begun_status_makes_the_current_one_possible() -> None:
    """While a later status may or may not have begun, both are only possible."""
    rec = Recorder()
    rec.add(ev.StatusChanged, "p", "2019", status="proposed")
    rec.add(ev.StatusChanged, "p", "2020-03", status="agreed")
    assert statuses(state(rec, "p", "2020-03-15")) == [
        ("proposed", POSSIBLE),
        ("agreed", POSSIBLE),
    ]


def test_talks_imply_in_talks_until_a_later_status() -> None:
    """TalksHeld gives status in_talks and a talks fact; an agreement then supersedes it."""
    rec = Recorder()
    rec.add(ev.TalksHeld, "ilrs", "2020-07/2021-03-09", parties=("russia", "china"), topic="base")
    rec.add(ev.AgreementSigned, "ilrs", "2021-03-09", agreement="mou", parties=("china", "russia"))
    before = state(rec, "ilrs", "2021-03-08")
    assert statuses(before) == [("in_talks", CERTAIN)]
    assert [(t.parties, t.topic) for t in before.talks] == [(("russia", "china"), "base")]
    assert statuses(state(rec, "ilrs", "2021-03-10")) == [("agreed", CERTAIN)]


def test_agreement_makes_parties_partners_and_lists_signatories() -> None:
    """AgreementSigned implies agreed; its parties are members in role party; signers kept."""
    rec = Recorder()
    rec.add(
        ev.AgreementSigned,
        "ilrs",
        "2021-03-09",
        agreement="mou",
        parties=("china", "russia"),
        signatories=("zhang-kejian", "dmitry-rogozin"),
        mode="video",
    )
    s = state(rec, "ilrs", "2021-03-10")
    assert members(s) == [("china", "party", CERTAIN), ("russia", "party", CERTAIN)]
    assert s.signatories() == ("zhang-kejian", "dmitry-rogozin")
    assert s.agreements[0].mode == "video"
    assert state(rec, "ilrs", "2021-03-08").agreements == ()


def test_member_joined_role_overrides_party_role() -> None:
    """A MemberJoined for a party gives the role its agreement membership is shown in."""
    rec = Recorder()
    rec.add(ev.AgreementSigned, "p", "2021", agreement="a", parties=("x", "y"))
    rec.add(ev.MemberJoined, "p", "2021-06", member="x", role="founder")
    s = state(rec, "p", "2022")
    assert members(s) == [("x", "founder", CERTAIN), ("y", "party", CERTAIN)]


def test_member_left_ends_membership_and_a_possible_departure_is_shown() -> None:
    """A member is gone once surely left, possible while the departure may have come."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "iss", "1998", member="ru", role="partner")
    leave = rec.add(ev.MemberLeft, "iss", "2024", member="ru", role="partner")
    assert members(state(rec, "iss", "2023-12-31")) == [("ru", "partner", CERTAIN)]
    maybe = state(rec, "iss", "2024-06-01")
    assert members(maybe) == [("ru", "partner", POSSIBLE)]
    assert maybe.members[0].until == "2024"
    assert str(leave.id) in [e.event_id for e in maybe.members[0].why]
    assert state(rec, "iss", "2025-01-01").members == ()


def test_rejoining_after_leaving_is_a_member_again() -> None:
    """A departure only ends the memberships that began before it."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2000", member="x")
    rec.add(ev.MemberLeft, "p", "2005", member="x")
    rec.add(ev.MemberJoined, "p", "2010", member="x")
    assert state(rec, "p", "2007").members == ()
    assert members(state(rec, "p", "2011")) == [("x", "member", CERTAIN)]


def test_invitation_answers_progress() -> None:
    """An invited party's answer moves from invited to considering to declined."""
    rec = Recorder()
    rec.add(ev.Invited, "gateway", "2017-09-27", party="russia", by="nasa", role="partner")
    rec.add(ev.InvitationConsidered, "gateway", "2017-10/2020-10", party="russia")
    rec.add(ev.InvitationDeclined, "gateway", "2021-01-25", party="russia", reason="too US-centric")

    def answers(day: str) -> list[tuple[str, str, Certainty]]:
        return [(i.party, i.answer, i.certainty) for i in state(rec, "gateway", day).invitations]

    assert answers("2017-09-01") == []
    assert answers("2017-09-28") == [("russia", "invited", CERTAIN)]
    assert answers("2018-01-01") == [("russia", "considering", CERTAIN)]
    declined = state(rec, "gateway", "2021-03-09").invitations
    assert [(i.answer, i.reason) for i in declined] == [("declined", "too US-centric")]


def test_milestones_of_parts_show_with_their_certainty() -> None:
    """A mission's milestone shows in its program's state; a month date makes it possible."""
    rec = Recorder()
    rec.add(ev.EntityRegistered, "change", "2004", kind="program", name_en="Chang'e")
    rec.add(ev.EntityRegistered, "ce5", "2017", kind="mission", name_en="CE5", part_of="change")
    rec.add(ev.MilestoneReached, "ce5", "2020-12", milestone="sample return")
    for program in ("change", "ce5"):
        mid = state(rec, program, "2020-12-10")
        assert [(m.milestone, m.mission, m.certainty) for m in mid.milestones] == [
            ("sample return", "ce5", POSSIBLE)
        ]
    assert state(rec, "change", "2021").milestones[0].certainty is CERTAIN
    assert state(rec, "change", "2020-11-30").milestones == ()
    assert state(rec, "change", "2021").parts == ("ce5",)


def test_restriction_in_force_until_lifted_for_every_party() -> None:
    """A restriction is in force from enactment until lifted, for the law and those it names."""
    rec = Recorder()
    rec.add(
        ev.RestrictionEnacted,
        "wolf",
        "2011-04-15",
        restriction="wolf",
        restricted="nasa",
        counterparties="china",
        authority="congress",
    )
    rec.add(ev.RestrictionLifted, "wolf", "2030-01-01", restriction="wolf")
    for program in ("wolf", "nasa", "china"):
        assert state(rec, program, "2011-04-14").restrictions == ()
        (fact,) = state(rec, program, "2012").restrictions
        assert (fact.restricted, fact.counterparties, fact.certainty) == (
            ("nasa",),
            ("china",),
            CERTAIN,
        )
        assert state(rec, program, "2030-01-02").restrictions == ()


def test_claim_made_is_an_attribute_and_different_values_conflict() -> None:
    """ClaimMade gives attribute facts; two values for one attribute are a value conflict."""
    rec = Recorder()
    rec.add(ev.ClaimMade, "russia", "2020", attribute="budget rank", value=3, source="article")
    rec.add(ev.ClaimMade, "russia", "2020", attribute="budget rank", value=4, source="euroconsult")
    s = state(rec, "russia", "2021")
    assert sorted((a.attribute, a.value) for a in s.attributes) == [
        ("budget rank", 3),
        ("budget rank", 4),
    ]
    (conflict,) = s.conflicts
    assert (conflict.kind, conflict.entity, conflict.about) == ("value", "russia", "budget rank")
    assert [c.value for c in conflict.claims] == ["3", "4"]


def test_same_value_from_two_sources_is_no_conflict() -> None:
    """Sources that agree on a value do not conflict; the fact cites both."""
    rec = Recorder()
    rec.add(ev.ClaimMade, "p", "2020", attribute="site", value="moon", source="a")
    rec.add(ev.ClaimMade, "p", "2020", attribute="site", value="moon", source="b")
    s = state(rec, "p", "2021")
    assert s.conflicts == ()
    assert [e.source for e in s.attributes[0].why] == ["a", "b"]


def test_members_counted_against_recorded_memberships() -> None:
    """A stated count below the members surely recorded is a count conflict."""
    rec = Recorder()
    rec.add(ev.AgreementSigned, "aa", "2020-10-13", agreement="aa", parties=("us", "au", "ca"))
    rec.add(ev.MemberJoined, "aa", "2020-11-12", member="ua", role="party")
    rec.add(ev.MembersCounted, "aa", "2021-03-09", count=2, excluding="us", source="article")
    s = state(rec, "aa", "2021-03-09")
    (count,) = s.counts
    assert (count.count, count.derived_low, count.derived_high, count.agrees) == (2, 3, 3, False)
    (conflict,) = s.conflicts
    assert conflict.kind == "count"
    assert [(c.value, c.derived) for c in conflict.claims] == [("2", False), ("3", True)]
    assert conflict.claims[1].why, "the recorded side cites the memberships it counts"
    assert "ru" not in s.member_ids()


def test_a_count_above_the_recorded_members_is_no_conflict() -> None:
    """More members stated than recorded is no disagreement: the record may be incomplete."""
    rec = Recorder()
    rec.add(ev.AgreementSigned, "aa", "2020-10-13", agreement="aa", parties=("us", "au", "ca"))
    rec.add(ev.MembersCounted, "aa", "2021-03-09", count=9, excluding="us", source="article")
    s = state(rec, "aa", "2021-03-09")
    assert not s.counts[0].agrees
    assert s.conflicts == ()


def test_a_count_that_fits_is_no_conflict() -> None:
    """A count within the derived range is shown without conflict."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2020", member="a")
    rec.add(ev.MemberJoined, "p", "2021-06", member="b")
    rec.add(ev.MembersCounted, "p", "2021-06-15", count=2)
    s = state(rec, "p", "2021-06-15")
    assert s.conflicts == ()
    assert s.counts[0].agrees


def test_correction_changes_the_state_from_its_recording_on() -> None:
    """A correction redates its target; folding only what was recorded before it does not."""
    rec = Recorder()
    joined = rec.add(ev.MemberJoined, "p", "2020", member="x")
    before = list(rec.events)
    rec.later(days=1)
    rec.add(ev.Corrected, "p", "2022", target=joined.id, reason="joined later")
    assert state(rec, "p", "2021").members == ()
    old = state_as_of(compile_table(build("p", before)), "2021")
    assert [m.member for m in old.members] == ["x"]


def test_retraction_removes_the_fact() -> None:
    """A retracted claim contributes nothing to the state."""
    rec = Recorder()
    joined = rec.add(ev.MemberJoined, "p", "2020", member="x")
    rec.add(ev.Retracted, "p", "2021", target=joined.id, reason="not so")
    assert state(rec, "p", "2022").members == ()


def test_merged_fact_uses_the_narrowed_date() -> None:
    """A precise claim of the same fact turns a vague claim's 'possible' into 'not yet'."""
    rec = Recorder()
    rec.add(ev.MilestoneReached, "ce5", "2020-12", milestone="return", fact="ret")
    assert state(rec, "ce5", "2020-12-10").milestones[0].certainty is POSSIBLE
    rec.add(ev.MilestoneReached, "ce5", "2020-12-16", milestone="return", fact="ret")
    assert state(rec, "ce5", "2020-12-10").milestones == ()
    (fact,) = state(rec, "ce5", "2020-12-17").milestones
    assert (fact.date, fact.certainty, len(fact.why)) == ("2020-12-16", CERTAIN, 2)


def test_disjoint_dates_of_one_fact_conflict_and_widen() -> None:
    """Claims of one fact with disjoint dates are a date conflict; between them it is possible."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "aa", "2020-11-12", member="ua", fact="ua-signs")
    rec.add(ev.MemberJoined, "aa", "2020-11-14", member="ua", fact="ua-signs", source="other")
    s = state(rec, "aa", "2020-11-13")
    assert members(s) == [("ua", "member", POSSIBLE)]
    assert [c.kind for c in s.conflicts] == ["date"]
    assert state(rec, "aa", "2020-11-11").conflicts == ()


def test_period_is_certain_only_if_certain_on_its_first_day() -> None:
    """As of a month or year: certain if certain on day one, absent if not by the last day."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2020-06-15", member="x")
    assert members(state(rec, "p", "2020-06")) == [("x", "member", POSSIBLE)]
    assert members(state(rec, "p", "2020-07")) == [("x", "member", CERTAIN)]
    assert state(rec, "p", "2020-05").members == ()
    assert members(state(rec, "p", "2020")) == [("x", "member", POSSIBLE)]


def test_period_during_which_a_member_left_is_possible() -> None:
    """A member who left during the period held on some of its days: possible."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2000", member="x")
    rec.add(ev.MemberLeft, "p", "2020-06-15", member="x")
    assert members(state(rec, "p", "2020")) == [("x", "member", POSSIBLE)]
    assert state(rec, "p", "2021").members == ()


def test_period_holding_only_mid_way_is_possible() -> None:
    """A membership that began and ended inside the period is possible, not absent."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2020-03", member="x")
    rec.add(ev.MemberLeft, "p", "2020-09", member="x")
    assert members(state(rec, "p", "2020")) == [("x", "member", POSSIBLE)]


def test_as_of_needs_closed_dates() -> None:
    """An open-ended as-of date is refused with a date error."""
    with pytest.raises(InvalidDateError):
        Period.of("../2020")
    assert Period.of("2021-03").edtf == "2021-03"


def test_rows_are_plain_values() -> None:
    """rows() gives one dict of str/int/None per fact, with its sources and quotes."""
    rec = Recorder()
    rec.add(ev.AgreementSigned, "p", "2021", agreement="a", parties="x", quote="«وقعت»")
    rec.add(ev.ClaimMade, "p", "2021", attribute="n", value=1)
    rec.add(ev.ClaimMade, "p", "2021", attribute="n", value=2)
    rows = state(rec, "p", "2022").rows()
    assert {r["section"] for r in rows} == {
        "status",
        "member",
        "agreement",
        "attribute",
        "conflict",
    }
    for row in rows:
        assert all(v is None or isinstance(v, str | int) for v in row.values())
    assert any(r["quotes"] == "«وقعت»" for r in rows)


def test_party_takes_its_joined_role_only_once_the_joining_may_have_happened() -> None:
    """Before its own joining a party is shown as "party"; from then on in its joined role."""
    rec = Recorder()
    rec.add(ev.AgreementSigned, "p", "2021-01-10", agreement="a", parties="x")
    rec.add(ev.MemberJoined, "p", "2021-06-01", member="x", role="founder")
    assert members(state(rec, "p", "2021-03-01")) == [("x", "party", CERTAIN)]
    assert members(state(rec, "p", "2021-07-01")) == [("x", "founder", CERTAIN)]
    assert len(state(rec, "p", "2021-07-01").members[0].why) == 2

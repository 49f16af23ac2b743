"""Conflicts: disjoint dates of one fact, different values of one attribute, stated counts,
and answers to an invitation said to hold over a span in which another was given."""

from __future__ import annotations

from projection_builders import Recorder

from ledger.dates import day_ordinal
from ledger.domain import events as ev
from ledger.domain.conflicts import conflicts_of, derived_members
from ledger.domain.evidence import Conflict
from ledger.domain.fold import build
from ledger.domain.lines import compile_table


def test_conflicts_list_every_side_with_its_evidence() -> None:
    """Each kind of disagreement keeps every side and the events behind it."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "aa", "2020-11-12", member="ua", fact="ua", source="embassy")
    rec.add(ev.MemberJoined, "aa", "2020-11-14", member="ua", fact="ua", source="list")
    rec.add(ev.ClaimMade, "aa", "2021", attribute="seat", value="dc", source="a")
    rec.add(ev.ClaimMade, "aa", "2021", attribute="seat", value="ny", source="b")
    rec.add(ev.MembersCounted, "aa", "2021-03-09", count=0, source="article")
    found = conflicts_of(compile_table(build("aa", rec.events)))
    assert [(c.kind, c.about) for c in found] == [
        ("date", "ua"),
        ("value", "seat"),
        ("count", "members"),
    ]
    assert [e.source for side in found[0].claims for e in side.why] == ["embassy", "list"]
    assert [side.value for side in found[2].claims] == ["0", "1"]
    assert found[2].claims[1].derived


def test_conflicts_only_among_claims_begun_by_the_day() -> None:
    """A claim that cannot have begun by the day does not take part in a conflict yet."""
    rec = Recorder()
    rec.add(ev.ClaimMade, "p", "2020", attribute="seat", value="dc")
    rec.add(ev.ClaimMade, "p", "2022", attribute="seat", value="ny")
    compiled = compile_table(build("p", rec.events))
    assert conflicts_of(compiled, day_ordinal(2021, 1, 1)) == []
    assert len(conflicts_of(compiled, day_ordinal(2022, 1, 1))) == 1
    assert len(conflicts_of(compiled)) == 1


def test_derived_members_count_certain_and_possible() -> None:
    """The derived count is a range: members certain on every day, and those possible."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2020", member="a")
    rec.add(ev.MemberJoined, "p", "2021-03", member="b")
    rec.add(ev.MemberJoined, "p", "2021-01", member="c", role="observer")
    rec.add(ev.MemberLeft, "p", "2021-02-01", member="c")
    compiled = compile_table(build("p", rec.events))
    day = day_ordinal(2021, 3, 15)
    low, high, why = derived_members(compiled, "p", "", (), day, day)
    assert (low, high, len(why)) == (1, 2, 2)
    assert derived_members(compiled, "p", "", ("a",), day, day)[:2] == (0, 1)
    assert derived_members(compiled, "p", "member", (), day, day)[:2] == (1, 2)


def test_a_role_nobody_holds_counts_every_member() -> None:
    """A count in a role no recorded member holds is compared with all members."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2020", member="a", role="party")
    compiled = compile_table(build("p", rec.events))
    day = day_ordinal(2021, 1, 1)
    assert derived_members(compiled, "p", "signatory", (), day, day)[:2] == (1, 1)


def test_date_conflict_sides_group_claims_of_one_date() -> None:
    """Two sources giving the same date are one side of a date conflict, citing both."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "aa", "2021-05-24", member="kr", fact="kr", source="nasa")
    rec.add(ev.MemberJoined, "aa", "2021-05-24", member="kr", fact="kr", source="embassy")
    rec.add(ev.MemberJoined, "aa", "2021-05-27", member="kr", fact="kr", source="ministry")
    (conflict,) = conflicts_of(compile_table(build("aa", rec.events)))
    assert [(side.value, [e.source for e in side.why]) for side in conflict.claims] == [
        ("2021-05-24", ["nasa", "embassy"]),
        ("2021-05-27", ["ministry"]),
    ]


def test_lines_by_the_end_of_time() -> None:
    """As of no particular day, dated lines hold; ended ones do not; open ones may."""
    rec = Recorder()
    rec.add(ev.MemberJoined, "p", "2020", member="a")
    rec.add(ev.MemberJoined, "p", "2020", member="b")
    rec.add(ev.MemberLeft, "p", "2021", member="b")
    rec.add(ev.MemberJoined, "p", "2020/..", member="c")
    compiled = compile_table(build("p", rec.events))
    holds = {line.data.member: line.holds_by(None).value for line in compiled.lines}
    assert holds == {"a": "yes", "b": "no", "c": "yes"}


def _answers(*claims: tuple[type[ev.Event], str, str]) -> list[Conflict]:
    """The answer disputes among invitation claims (type, EDTF, fact key) about party "ru"."""
    rec = Recorder()
    for cls, date, fact in claims:
        rec.add(cls, "gw", date, party="ru", fact=fact, source=f"s-{date}")
    compiled = compile_table(build("gw", rec.events))
    return [c for c in conflicts_of(compiled) if c.about.startswith("answer to")]


def test_an_answer_said_to_last_past_another_answer_is_a_conflict() -> None:
    """Weighing said to last to March 2021, against a refusal of October 2020 within it."""
    (found,) = _answers(
        (ev.InvitationConsidered, "2017-09-27/2021-03-09", "w"),
        (ev.InvitationDeclined, "2020-10-12", "d"),
    )
    assert (found.kind, found.entity, found.about) == (
        "value",
        "gw",
        "answer to the invitation: ru",
    )
    assert [(s.value, s.date) for s in found.claims] == [
        ("considering", "2017-09-27/2021-03-09"),
        ("declined", "2020-10-12"),
    ]
    assert not found.resolved


def test_an_answer_that_ends_the_span_or_may_precede_it_is_no_conflict() -> None:
    """A refusal on the span's last day, or one that may have come before the weighing began,
    does not contradict it; nor does an invitation (the inviter's act) within it."""
    assert (
        _answers(
            (ev.InvitationConsidered, "2017-09-27/2020-10-12", "w"),
            (ev.InvitationDeclined, "2020-10-12", "d"),
        )
        == []
    )
    assert (
        _answers(
            (ev.InvitationConsidered, "/2021-03-09", "w"),
            (ev.InvitationDeclined, "2020-12", "d"),
        )
        == []
    )
    assert (
        _answers(
            (ev.InvitationConsidered, "2017-09-27/2021-03-09", "w"),
            (ev.Invited, "2020-10-14", "i"),
        )
        == []
    )


def test_a_refinement_of_when_the_weighing_began_makes_the_span_contradict() -> None:
    """An open-started span is dated by a claim of the same happening; then a refusal surely
    within it is a conflict, and the refinement's own span (ending at the refusal) is not."""
    (found,) = _answers(
        (ev.InvitationConsidered, "/2021-03-09", "w"),
        (ev.InvitationConsidered, "2017-09-27/2020-10-12", "w"),
        (ev.InvitationDeclined, "2020-12", "d"),
    )
    assert [(s.value, s.date) for s in found.claims] == [
        ("considering", "/2021-03-09"),
        ("declined", "2020-12"),
    ]

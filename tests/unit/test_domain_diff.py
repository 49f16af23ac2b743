"""Diffs: what changed in a program between two dates, and the events that changed it."""

from __future__ import annotations

from projection_builders import Recorder

from ledger.domain.diff import diff_of
from ledger.domain.events import AgreementSigned, MemberLeft, StatusChanged, TalksHeld
from ledger.domain.fold import build
from ledger.domain.lines import compile_table


def _recorded() -> Recorder:
    rec = Recorder()
    rec.add(TalksHeld, "ilrs", "2020-07/2021-03-09", parties=("ru", "cn"))
    rec.add(AgreementSigned, "ilrs", "2021-03-09", agreement="mou", parties=("cn", "ru"))
    rec.add(MemberLeft, "ilrs", "2022-06", member="ru")
    rec.add(StatusChanged, "ilrs", "2023", status="under_construction")
    return rec


def test_diff_lists_appearances_with_the_events_that_caused_them() -> None:
    """Facts that began between the dates are listed with the claims dated in between."""
    rec = _recorded()
    signed = rec.events[1]
    diff = diff_of(compile_table(build("ilrs", rec.events)), "2021-03-08", "2021-03-10")
    changes = {(c.section, c.fact): (c.before, c.after) for c in diff}
    assert changes == {
        ("status", "in_talks"): ("certain", "absent"),
        ("status", "agreed"): ("absent", "certain"),
        ("agreement", "mou"): ("absent", "certain"),
        ("member", "cn"): ("absent", "certain"),
        ("member", "ru"): ("absent", "certain"),
    }
    assert all([e.event_id for e in c.why] == [str(signed.id)] for c in diff)


def test_diff_shows_departures_and_certainty_changes() -> None:
    """A departure removes a member (citing the departure); a period answer can firm up."""
    rec = _recorded()
    compiled = compile_table(build("ilrs", rec.events))
    diff = diff_of(compiled, "2022-01-01", "2022-07-01")
    (change,) = [c for c in diff if c.section == "member"]
    assert (change.fact, change.before, change.after) == ("ru", "certain", "absent")
    assert [e.event_type for e in change.why] == ["MemberLeft"]
    firmer = diff_of(compiled, "2021-03", "2021-04")
    assert ("member", "cn", "possible", "certain") in {
        (c.section, c.fact, c.before, c.after) for c in firmer
    }


def test_no_change_gives_an_empty_diff() -> None:
    """Two dates with the same state differ in nothing."""
    compiled = compile_table(build("ilrs", _recorded().events))
    diff = diff_of(compiled, "2021-04-01", "2021-05-01")
    assert len(diff) == 0
    assert diff.rows() == []
    assert (diff.program, diff.from_date, diff.to_date) == ("ilrs", "2021-04-01", "2021-05-01")

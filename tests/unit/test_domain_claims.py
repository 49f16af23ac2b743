"""Claims: events reduced for projections, answers applied, dates of one fact merged."""

from __future__ import annotations

import uuid

from projection_builders import Recorder

from ledger.dates import Truth, day_ordinal, parse_edtf
from ledger.domain.claims import (
    Answer,
    Claim,
    answer_of,
    claim_of,
    effective,
    fact_dates,
    merge_dates,
    truth_by,
)
from ledger.domain.events import Corrected, MemberJoined, Retracted, StatusChanged


def _claims(rec: Recorder) -> tuple[list[Claim], list[Answer]]:
    claims = [claim_of(e) for e in rec.events if not isinstance(e, Corrected | Retracted)]
    answers = [answer_of(e) for e in rec.events if isinstance(e, Corrected | Retracted)]
    return claims, answers


def test_claim_keeps_citation_bounds_and_payload() -> None:
    """A claim keeps the source, quote, start bounds and payload of its event."""
    rec = Recorder()
    event = rec.add(StatusChanged, "ilrs", "2020-07/2021-03", status="proposed", quote="q")
    claim = claim_of(event)
    date = parse_edtf("2020-07/2021-03")
    assert (claim.source, claim.quote, claim.valid) == ("article", "q", "2020-07/2021-03")
    assert (claim.low, claim.high) == (date.start_earliest, date.start_latest)
    assert (claim.earliest, claim.latest) == (date.earliest, date.latest)
    assert claim.get("status") == "proposed"
    assert claim.fact == str(event.id)


def test_retraction_removes_its_target() -> None:
    """A retracted claim no longer counts."""
    rec = Recorder()
    target = rec.add(StatusChanged, "p", "2020", status="agreed")
    rec.add(Retracted, "p", "2021", target=target.id, reason="wrong")
    claims, answers = _claims(rec)
    assert effective(claims, answers) == []


def test_correction_redates_and_replaces_payload() -> None:
    """A correction sets the target's valid time and replaces the fields it names."""
    rec = Recorder()
    target = rec.add(MemberJoined, "p", "2020", member="x", role="member")
    fix = rec.add(
        Corrected, "p", "2019-05", target=target.id, reason="r", changes={"role": "partner"}
    )
    claims, answers = _claims(rec)
    (claim,) = effective(claims, answers)
    assert (claim.valid, claim.get("role"), claim.get("member")) == ("2019-05", "partner", "x")
    assert claim.corrections == (str(fix.id),)
    assert claim.low == day_ordinal(2019, 5, 1)


def test_correction_ignores_fields_the_event_does_not_have() -> None:
    """Changes naming fields the target's type lacks are ignored, not invented."""
    rec = Recorder()
    target = rec.add(StatusChanged, "p", "2020", status="agreed")
    rec.add(Corrected, "p", "2020", target=target.id, reason="r", changes={"colour": "red"})
    claims, answers = _claims(rec)
    (claim,) = effective(claims, answers)
    assert claim.payload == (("status", "agreed"),)


def test_retracting_a_correction_restores_the_original() -> None:
    """A correction that is itself retracted no longer applies."""
    rec = Recorder()
    target = rec.add(StatusChanged, "p", "2020", status="agreed")
    fix = rec.add(Corrected, "p", "2019", target=target.id, reason="r")
    rec.add(Retracted, "p", "2021", target=fix.id, reason="the correction was wrong")
    claims, answers = _claims(rec)
    (claim,) = effective(claims, answers)
    assert (claim.valid, claim.corrections) == ("2020", ())


def test_retracting_a_retraction_restores_the_claim() -> None:
    """A retraction that is itself retracted no longer removes its target."""
    rec = Recorder()
    target = rec.add(StatusChanged, "p", "2020", status="agreed")
    first = rec.add(Retracted, "p", "2021", target=target.id, reason="r")
    rec.add(Retracted, "p", "2021", target=first.id, reason="r2")
    claims, answers = _claims(rec)
    assert [c.id for c in effective(claims, answers)] == [str(target.id)]


def test_answers_to_unknown_events_change_nothing() -> None:
    """An answer whose target is not among the claims is ignored."""
    rec = Recorder()
    rec.add(StatusChanged, "p", "2020", status="agreed")
    rec.add(Retracted, "p", "2021", target=uuid.uuid4(), reason="r")
    claims, answers = _claims(rec)
    assert effective(claims, answers) == claims


def test_consistent_claims_narrow_to_the_most_precise() -> None:
    """Claims of one fact that agree narrow the date to their intersection."""
    rec = Recorder()
    rec.add(StatusChanged, "law", "2011", status="in_force", fact="f")
    rec.add(StatusChanged, "law", "2011-04-15", status="in_force", fact="f")
    claims, _ = _claims(rec)
    date = merge_dates(claims)
    day = day_ordinal(2011, 4, 15)
    assert (date.low, date.high, date.edtf, date.conflict) == (day, day, "2011-04-15", False)


def test_partly_overlapping_claims_show_the_intersection_as_a_set_of_days() -> None:
    """An intersection no claim gives on its own is shown as an EDTF range, not a made-up day."""
    rec = Recorder()
    rec.add(StatusChanged, "p", "2011-03/2011-05", status="x", fact="f")
    rec.add(StatusChanged, "p", "[2011-03-20..2011-04-10]", status="x", fact="f")
    rec.add(StatusChanged, "p", "2011-03", status="x", fact="f")
    claims, _ = _claims(rec)
    date = merge_dates(claims)
    assert date.edtf == "[2011-03-20..2011-03-31]"
    assert not date.conflict


def test_disjoint_claims_are_a_conflict_dated_by_their_union() -> None:
    """Claims of one fact with disjoint dates conflict; the fact is only as sure as the union."""
    rec = Recorder()
    rec.add(MemberJoined, "aa", "2020-11-12", member="ua", fact="f")
    rec.add(MemberJoined, "aa", "2020-11-14", member="ua", fact="f")
    claims, _ = _claims(rec)
    date = merge_dates(claims)
    assert date.conflict
    assert date.edtf == "[2020-11-12,2020-11-14]"
    assert date.began_by(day_ordinal(2020, 11, 13)) is Truth.MAYBE
    assert date.began_by(day_ordinal(2020, 11, 14)) is Truth.YES
    assert date.began_by(day_ordinal(2020, 11, 11)) is Truth.NO


def test_fact_dates_group_claims_by_fact_key() -> None:
    """Claims without a fact key are each their own fact."""
    rec = Recorder()
    rec.add(StatusChanged, "p", "2011", status="a")
    rec.add(StatusChanged, "p", "2012", status="b")
    rec.add(StatusChanged, "p", "2013", status="c", fact="k")
    claims, _ = _claims(rec)
    assert len(fact_dates(claims)) == 3


def test_truth_by_reads_bounds_and_the_end_of_time() -> None:
    """Three-valued "begun by": YES, NO, MAYBE, and a None day meaning the end of time."""
    assert truth_by(1, 5, 5) is Truth.YES
    assert truth_by(6, 9, 5) is Truth.NO
    assert truth_by(1, 9, 5) is Truth.MAYBE
    assert truth_by(None, None, 5) is Truth.MAYBE
    assert truth_by(1, 9, None) is Truth.YES
    assert truth_by(1, None, None) is Truth.MAYBE


def test_conflicting_one_of_sets_are_spliced_not_nested() -> None:
    """A disjoint claim dated by a one-of set shows as members of one EDTF set."""
    rec = Recorder()
    rec.add(MemberJoined, "aa", "2020-11-12", member="ua", fact="f")
    rec.add(MemberJoined, "aa", "[2020-11-13..2020-11-14]", member="ua", fact="f")
    claims, _ = _claims(rec)
    assert merge_dates(claims).edtf == "[2020-11-12,2020-11-13..2020-11-14]"
    assert parse_edtf(merge_dates(claims).edtf).earliest == day_ordinal(2020, 11, 12)

"""An entity's earliest possible start bounds the dates of what is about it: the small cases."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from strategies import EVIDENCE_FIRST_DAY, evidence_claim, evidence_claims

from ledger.dates import parse_edtf
from ledger.dates.calendar import ordinal_to_iso
from ledger.domain.claims import Claim, fact_dates
from ledger.domain.starts import START, bounded, starts_of

DAY = EVIDENCE_FIRST_DAY


def _start(edtf: str, number: int = 0, stream: str = "p", deprecated: bool = False) -> Claim:
    return Claim(
        id=f"start{number}",
        type=START,
        stream=stream,
        fact=f"start{number}",
        date=parse_edtf(edtf),
        source="sheet",
        payload=(("reason", "earliest evidence"),),
        rank="deprecated" if deprecated else "normal",
    )


def test_an_open_start_is_read_from_the_program_start_on() -> None:
    """An undated claim ([..X]) about a program with a start is dated [start..X], and says
    which start claim bounded it."""
    claims = [evidence_claim(None, DAY + 30, 0), _start(ordinal_to_iso(DAY + 10))]
    date = bounded(fact_dates(claims), claims, starts_of(claims))["f"]
    assert (date.low, date.high) == (DAY + 10, DAY + 30)
    assert date.edtf == f"[{ordinal_to_iso(DAY + 10)}..{ordinal_to_iso(DAY + 30)}]"
    assert date.bounded_by == ("start0",)


def test_a_date_after_the_start_is_left_as_it_is() -> None:
    """A happening already dated from the start on is not touched (nor marked)."""
    claims = [evidence_claim(DAY + 20, DAY + 30, 0), _start(ordinal_to_iso(DAY))]
    assert bounded(fact_dates(claims), claims, starts_of(claims)) == fact_dates(claims)


def test_a_happening_wholly_before_the_start_is_not_moved() -> None:
    """A claim dated entirely before the start keeps its date and is marked as contradicting
    the start, instead of being moved onto it."""
    claims = [evidence_claim(DAY, DAY + 5, 0), _start(ordinal_to_iso(DAY + 10))]
    before = fact_dates(claims)["f"]
    date = bounded(fact_dates(claims), claims, starts_of(claims))["f"]
    assert (date.low, date.high, date.edtf) == (before.low, before.high, before.edtf)
    assert date.before_start == ("start0",)
    assert date.bounded_by == ()


def test_the_latest_of_several_starts_bounds_and_a_deprecated_one_never_does() -> None:
    """Start claims each say "not before", so the latest first day bounds; a deprecated
    start, however late, bounds nothing."""
    claims = [
        evidence_claim(None, DAY + 60, 0),
        _start(ordinal_to_iso(DAY + 5), 1),
        _start(ordinal_to_iso(DAY + 9), 2),
        _start(ordinal_to_iso(DAY + 50), 3, deprecated=True),
    ]
    date = bounded(fact_dates(claims), claims, starts_of(claims))["f"]
    assert date.low == DAY + 9
    assert date.bounded_by == ("start2",)


def test_a_start_of_another_entity_bounds_nothing() -> None:
    """Only the starts of the entities a happening is about bound it: a program whose start
    is unknown keeps its open starts."""
    claims = [evidence_claim(None, DAY + 30, 0), _start(ordinal_to_iso(DAY + 10), stream="q")]
    assert bounded(fact_dates(claims), claims, starts_of(claims)) == fact_dates(claims)


def test_a_span_with_an_unknown_start_keeps_its_text() -> None:
    """A span ("/X") is bounded in its days, but keeps its EDTF: a set of start days cannot
    be the start of an EDTF interval."""
    talks = Claim(
        id="talks",
        type="TalksHeld",
        stream="p",
        fact="t",
        date=parse_edtf(f"/{ordinal_to_iso(DAY + 30)}"),
        source="article",
    )
    claims = [talks, _start(ordinal_to_iso(DAY + 10))]
    date = bounded(fact_dates(claims), claims, starts_of(claims))["t"]
    assert date.low == DAY + 10
    assert date.edtf == talks.valid


@given(evidence_claims(), st.integers(-5, 80))
def test_a_start_only_ever_raises_the_earliest_day(claims: list[Claim], offset: int) -> None:
    """Whatever the claims, a start never lowers a bound, never touches the latest day, and
    leaves conflicts as they were."""
    start = _start(ordinal_to_iso(DAY + offset))
    before = fact_dates(claims)["f"]
    after = bounded(fact_dates([*claims, start]), [*claims, start], starts_of([start]))["f"]
    assert (after.high, after.conflict) == (before.high, before.conflict)
    if before.low is not None:
        assert after.low is not None
        assert after.low >= before.low


def test_a_happening_before_the_start_is_a_conflict_shown_in_why() -> None:
    """Through the engine: a joining dated before its program's start keeps its date (the
    member is there as of its day), is contested, listed as a date conflict against the start,
    and why says that one of the two is wrong."""
    from projection_builders import Recorder

    from ledger.domain.asof import state_as_of
    from ledger.domain.conflicts import conflicts_of
    from ledger.domain.events import BeganNotBefore, MemberJoined
    from ledger.domain.explain import explain
    from ledger.domain.fold import build
    from ledger.domain.lines import compile_table

    rec = Recorder()
    rec.add(BeganNotBefore, "p", "2020-01-01", reason="earliest evidence", source="sheet")
    rec.add(MemberJoined, "p", "2019-03-01", member="m", role="partner", fact="f")
    compiled = compile_table(build("p", rec.events))
    state = state_as_of(compiled, "2019-06-01")
    (member,) = state.members
    assert member.date == "2019-03-01"
    assert member.contested
    (conflict,) = conflicts_of(compiled)
    assert conflict.kind == "date"
    assert [side.value for side in conflict.claims] == ["2019-03-01", "began not before 2020-01-01"]
    steps = explain(state, "m").facts[0].steps
    (start,) = [s for s in steps if s.rule == "start"]
    assert "wholly before" in start.text

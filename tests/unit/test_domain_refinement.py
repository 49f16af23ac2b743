"""Claims about one happening combine by refinement: properties and the rules' small cases."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import EVIDENCE_FIRST_DAY, evidence_claim, evidence_claims, evidence_spans

from ledger.dates import Truth
from ledger.domain.claims import Claim, FactDate, merge_dates

_DAYS = range(EVIDENCE_FIRST_DAY - 2, EVIDENCE_FIRST_DAY + 100)


def _inf(value: int | None, default: float) -> float:
    return default if value is None else value


def _when(date: FactDate) -> list[Truth]:
    """The *when* of an answer on every day of the window."""
    return [date.began_by(day) for day in _DAYS]


def _inside(low: int | None, high: int | None, outer: FactDate) -> bool:
    return _inf(outer.low, float("-inf")) <= _inf(low, float("-inf")) and _inf(
        high, float("inf")
    ) <= _inf(outer.high, float("inf"))


@given(evidence_claims(), evidence_spans())
def test_a_compatible_more_precise_claim_never_widens_the_bounds(
    claims: list[Claim], span: tuple[int | None, int | None]
) -> None:
    """A claim within the fact's bounds leaves the bounds as they were or narrower."""
    before = merge_dates(claims)
    low, high = span
    if not _inside(low, high, before):
        return
    after = merge_dates([*claims, evidence_claim(low, high, len(claims))])
    assert _inside(after.low, after.high, before)


@given(evidence_claims(), st.integers(0, 20), st.integers(0, 20), st.booleans(), st.booleans())
def test_a_compatible_vaguer_claim_never_changes_when(
    claims: list[Claim], before_by: int, after_by: int, open_low: bool, open_high: bool
) -> None:
    """A claim whose dates hold the fact's bounds changes no answer's certainty on any day."""
    date = merge_dates(claims)
    low = None if open_low or date.low is None else date.low - before_by
    high = None if open_high or date.high is None else date.high + after_by
    assume(low is not None or high is not None)  # no EDTF date is open at both ends
    after = merge_dates([*claims, evidence_claim(low, high, len(claims))])
    assert _when(after) == _when(date)
    assert (after.low, after.high, after.conflict) == (date.low, date.high, date.conflict)


@given(evidence_claims(), evidence_spans())
def test_a_deprecated_claim_never_decides(
    claims: list[Claim], span: tuple[int | None, int | None]
) -> None:
    """Adding a deprecated claim, whatever its date, changes neither bounds nor conflict."""
    date = merge_dates(claims)
    wrong = evidence_claim(*span, len(claims), deprecated=True)
    after = merge_dates([*claims, wrong])
    assert (after.low, after.high, after.conflict, after.edtf) == (
        date.low,
        date.high,
        date.conflict,
        date.edtf,
    )
    assert after.role_of(wrong.id) == "deprecated"


@given(evidence_claims())
def test_every_side_is_a_refinement_of_its_claims(claims: list[Claim]) -> None:
    """Each side's date lies within every claim it counts, and within the fact's bounds."""
    date = merge_dates(claims)
    by_id = {c.id: c for c in claims}
    for side in date.sides:
        for claim_id in (*side.claims, *side.support):
            claim = by_id[claim_id]
            assert _inf(claim.low, float("-inf")) <= _inf(side.low, float("-inf"))
            assert _inf(side.high, float("inf")) <= _inf(claim.high, float("inf"))
        assert _inside(side.low, side.high, date)
    assert date.conflict == (len(date.sides) > 1)


def test_a_precise_claim_narrows_a_vague_one_that_supports_it() -> None:
    """An undated "on or before" claim and a dated one: the dated one decides, no conflict."""
    vague = evidence_claim(None, EVIDENCE_FIRST_DAY + 60, 0)
    exact = evidence_claim(EVIDENCE_FIRST_DAY + 10, EVIDENCE_FIRST_DAY + 10, 1)
    date = merge_dates([vague, exact])
    assert (date.low, date.high, date.conflict) == (exact.low, exact.high, False)
    assert date.edtf == exact.valid
    assert (date.role_of("c0"), date.role_of("c1")) == ("supports", "decides")


def test_disjoint_claims_are_sides_and_a_vague_one_supports_both() -> None:
    """Two disjoint days are a conflict; a vague claim holding both supports each side."""
    first = evidence_claim(EVIDENCE_FIRST_DAY + 10, EVIDENCE_FIRST_DAY + 10, 0)
    second = evidence_claim(EVIDENCE_FIRST_DAY + 13, EVIDENCE_FIRST_DAY + 13, 1)
    vague = evidence_claim(None, EVIDENCE_FIRST_DAY + 60, 2)
    date = merge_dates([first, second, vague])
    assert date.conflict
    assert (date.low, date.high) == (first.low, second.high)
    assert [side.claims for side in date.sides] == [("c0",), ("c1",)]
    assert all(side.support == ("c2",) for side in date.sides)


def test_only_deprecated_claims_still_date_the_happening() -> None:
    """When every claim is deprecated, they date it (it is shown), all deprecated."""
    wrong = evidence_claim(EVIDENCE_FIRST_DAY, EVIDENCE_FIRST_DAY, 0, deprecated=True)
    date = merge_dates([wrong])
    assert (date.low, date.deprecated) == (wrong.low, ("c0",))


def test_claims_meeting_on_one_day_date_it_to_that_day() -> None:
    """Two open-ended claims whose only common day is one day show that day, not a range."""
    first = EVIDENCE_FIRST_DAY
    date = merge_dates([evidence_claim(None, first, 0), evidence_claim(first, None, 1)])
    assert (date.low, date.high, date.edtf, date.conflict) == (first, first, "2020-01-01", False)

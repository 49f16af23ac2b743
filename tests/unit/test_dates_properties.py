"""Properties of historical dates: round trips, ordered bounds, refinements, three values."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    date_parts,
    day_ordinals,
    edtf_strings,
    historical_dates,
    masked_days,
    refinement_chains,
)

from ledger.dates import (
    HistoricalDate,
    Kind,
    Truth,
    day_ordinal,
    describe,
    ordinal_to_iso,
    ordinal_to_ymd,
    parse_edtf,
    truth_over,
)
from ledger.dates.edtf import clear_cache, parse_edtf_uncached

pytestmark = pytest.mark.slow

EXAMPLES = settings(max_examples=150, deadline=None)


def _contains(outer: HistoricalDate, inner: HistoricalDate) -> bool:
    """Whether inner's bounds lie within outer's (a None bound of outer contains anything)."""
    assert inner.earliest is not None
    assert inner.latest is not None
    low_ok = outer.earliest is None or outer.earliest <= inner.earliest
    high_ok = outer.latest is None or inner.latest <= outer.latest
    return low_ok and high_ok


@EXAMPLES
@given(edtf_strings())
def test_round_trip_keeps_everything(text: str) -> None:
    """parse(str(d)) == d, with the same bounds, precision, qualifiers and start bounds."""
    value = parse_edtf(text)
    again = parse_edtf(str(value))
    assert again == value
    assert describe(again) == describe(value)
    assert (again.start_earliest, again.start_latest) == (value.start_earliest, value.start_latest)
    assert str(again) == str(value)


@EXAMPLES
@given(edtf_strings())
def test_cached_and_uncached_parses_agree(text: str) -> None:
    """The cache returns the same value as a cold parse, bounds included."""
    clear_cache()
    cold = parse_edtf_uncached(text)
    warm = parse_edtf(text)
    assert cold == warm
    assert describe(cold) == describe(warm)


@EXAMPLES
@given(historical_dates())
def test_bounds_are_ordered(value: HistoricalDate) -> None:
    """earliest <= latest, and the start's bounds lie within the whole value's bounds."""
    if value.earliest is not None and value.latest is not None:
        assert value.earliest <= value.latest
    if value.start_earliest is not None and value.start_latest is not None:
        assert value.start_earliest <= value.start_latest
    assert value.start_earliest == value.earliest
    if value.latest is not None:
        assert value.start_latest is not None
        assert value.start_latest <= value.latest


@EXAMPLES
@given(historical_dates())
def test_interval_bounds_come_from_its_ends(value: HistoricalDate) -> None:
    """An interval's earliest is its start's earliest and its latest its end's latest."""
    if value.kind is not Kind.INTERVAL:
        return
    expected_low = value.start.earliest if value.start is not None else None
    expected_high = value.end.latest if value.end is not None else None
    assert (value.earliest, value.latest) == (expected_low, expected_high)


@EXAMPLES
@given(refinement_chains())
def test_refinements_lie_inside_coarser_dates(chain: list[str]) -> None:
    """Century contains decade contains year contains month contains day (qualified or not)."""
    values = [parse_edtf(text) for text in chain]
    for coarse, fine in itertools.pairwise(values):
        assert _contains(coarse, fine), (coarse, fine)


@EXAMPLES
@given(masked_days())
def test_x_digits_widen_to_contain_the_day(masked: str) -> None:
    """Replacing digits of a day with X gives bounds that contain that day and are tight."""
    value = parse_edtf(masked)
    assert value.earliest is not None
    assert value.latest is not None
    # Tight: the earliest and latest days themselves match the pattern.
    for ordinal in (value.earliest, value.latest):
        iso = ordinal_to_iso(ordinal)
        assert len(iso) == len(masked)
        assert all(p in ("X", c) for p, c in zip(masked, iso, strict=True)), (masked, iso)


@EXAMPLES
@given(masked_days(), st.data())
def test_more_x_digits_give_wider_bounds(masked: str, data: st.DataObject) -> None:
    """Masking one more digit never narrows the bounds."""
    digits = [i for i, c in enumerate(masked) if c.isdigit()]
    if not digits:
        return
    index = data.draw(st.sampled_from(digits))
    wider = masked[:index] + "X" + masked[index + 1 :]
    if wider.startswith("-XXXX"):
        return
    assert _contains(parse_edtf(wider), parse_edtf(masked))


@EXAMPLES
@given(historical_dates(), day_ordinals())
def test_three_valued_answer_agrees_with_bounds(value: HistoricalDate, day: int) -> None:
    """YES iff latest <= day, NO iff earliest > day, MAYBE otherwise; None is never decisive."""
    answer = value.happened_by(day)
    if value.latest is not None and value.latest <= day:
        assert answer is Truth.YES
    elif value.earliest is not None and value.earliest > day:
        assert answer is Truth.NO
    else:
        assert answer is Truth.MAYBE


@EXAMPLES
@given(historical_dates(), day_ordinals(), st.integers(0, 5000))
def test_answers_only_move_towards_yes(value: HistoricalDate, day: int, later: int) -> None:
    """As the day advances the answer goes NO -> MAYBE -> YES, never back."""
    rank = {Truth.NO: 0, Truth.MAYBE: 1, Truth.YES: 2}
    assert rank[value.happened_by(day)] <= rank[value.happened_by(day + later)]
    assert rank[value.began_by(day)] <= rank[value.began_by(day + later)]


@EXAMPLES
@given(historical_dates(), day_ordinals())
def test_beginning_comes_no_later_than_happening(value: HistoricalDate, day: int) -> None:
    """Certainly happened by D implies certainly begun by D; not begun implies not happened."""
    if value.happened_by(day) is Truth.YES:
        assert value.began_by(day) is Truth.YES
    if value.began_by(day) is Truth.NO:
        assert value.happened_by(day) is Truth.NO


@EXAMPLES
@given(historical_dates(), historical_dates())
def test_as_of_a_period_agrees_with_its_first_and_last_day(
    value: HistoricalDate, period: HistoricalDate
) -> None:
    """Over a period: YES means YES at its first day, NO means NO at its last day."""
    for measure, by in (("happened", value.happened_by), ("began", value.began_by)):
        answer = truth_over(value, period, measure)  # type: ignore[arg-type]
        if answer is Truth.YES:
            assert period.earliest is not None
            assert by(period.earliest) is Truth.YES
        elif answer is Truth.NO:
            assert period.latest is not None
            assert by(period.latest) is Truth.NO
        else:
            assert period.earliest is None or by(period.earliest) is not Truth.YES
            assert period.latest is None or by(period.latest) is not Truth.NO


@EXAMPLES
@given(date_parts(1, 9999))
def test_ordinals_match_datetime(parts: tuple[int, int, int]) -> None:
    """day_ordinal equals date.toordinal wherever datetime can represent the day."""
    assert day_ordinal(*parts) == datetime.date(*parts).toordinal()


@EXAMPLES
@given(st.integers(-(10**12), 10**12))
def test_ordinals_round_trip_for_any_year(ordinal: int) -> None:
    """ordinal_to_ymd inverts day_ordinal far into BCE and far beyond 9999."""
    assert day_ordinal(*ordinal_to_ymd(ordinal)) == ordinal


@EXAMPLES
@given(day_ordinals())
def test_iso_text_of_an_ordinal_parses_back_to_it(ordinal: int) -> None:
    """ordinal_to_iso gives EDTF-readable text for years -9999..9999 naming the same day."""
    value = parse_edtf(ordinal_to_iso(ordinal))
    assert value.earliest == value.latest == ordinal


@EXAMPLES
@given(historical_dates())
def test_pendulum_bounds_match_ordinals(value: HistoricalDate) -> None:
    """Pendulum bounds name the same days as the ordinals, or None outside years 1..9999."""
    for ordinal, as_date in zip(
        (value.earliest, value.latest), value.to_pendulum_bounds(), strict=True
    ):
        if ordinal is None or not 1 <= ordinal_to_ymd(ordinal)[0] <= 9999:
            assert as_date is None
        else:
            assert as_date is not None
            assert as_date.toordinal() == ordinal

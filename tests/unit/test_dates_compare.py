"""Three-valued "as of" answers and timeline sort keys."""

from __future__ import annotations

import pytest

from ledger.dates import (
    Truth,
    began_over,
    day_ordinal,
    happened_over,
    latest_sort_key,
    parse_edtf,
    sort_key,
    truth_over,
)

D = day_ordinal


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("2020-12", D(2020, 11, 30), Truth.NO),
        ("2020-12", D(2020, 12, 1), Truth.MAYBE),
        ("2020-12", D(2020, 12, 30), Truth.MAYBE),
        ("2020-12", D(2020, 12, 31), Truth.YES),
        ("2020-12~", D(2020, 12, 31), Truth.YES),
        ("../2021-03-09", D(1, 1, 1), Truth.MAYBE),
        ("../2021-03-09", D(2021, 3, 9), Truth.YES),
        ("2021-03-09/..", D(9999, 1, 1), Truth.MAYBE),
        ("2021-03-09/..", D(2021, 3, 8), Truth.NO),
    ],
)
def test_happened_by(text: str, day: int, expected: Truth) -> None:
    """YES once the latest day has passed, NO before the earliest, MAYBE between or unknown."""
    assert parse_edtf(text).happened_by(day) is expected


def test_began_by_uses_the_start_of_an_interval() -> None:
    """An interval has begun once its start's latest day has passed, before it has ended."""
    talks = parse_edtf("2020-07/2021-03-09")
    assert talks.began_by(D(2020, 7, 31)) is Truth.YES
    assert talks.happened_by(D(2020, 7, 31)) is Truth.MAYBE
    assert talks.began_by(D(2020, 7, 15)) is Truth.MAYBE
    assert talks.began_by(D(2020, 6, 30)) is Truth.NO


def test_began_by_with_unknown_start_is_bounded_by_the_end() -> None:
    """An unknown start is never NO, but it certainly began by the time it ended."""
    value = parse_edtf("/2006")
    assert value.began_by(D(1, 1, 1)) is Truth.MAYBE
    assert value.began_by(D(2006, 12, 30)) is Truth.MAYBE
    assert value.began_by(D(2006, 12, 31)) is Truth.YES


def test_began_by_of_sets() -> None:
    """One-of sets begin with the chosen member; all-of sets with their first member."""
    one_of = parse_edtf("[1667,1760-12]")
    all_of = parse_edtf("{1667,1760-12}")
    assert one_of.began_by(D(1700, 1, 1)) is Truth.MAYBE
    assert all_of.began_by(D(1700, 1, 1)) is Truth.YES
    assert all_of.happened_by(D(1700, 1, 1)) is Truth.MAYBE


def test_truth_over_a_period() -> None:
    """As of a month: YES if YES on its first day, NO if NO on its last day, else MAYBE."""
    claim = parse_edtf("2020-12-14")
    assert truth_over(claim, parse_edtf("2021-01")) is Truth.YES
    assert truth_over(claim, parse_edtf("2020-12")) is Truth.MAYBE
    assert truth_over(claim, parse_edtf("2020-11")) is Truth.NO
    assert happened_over(claim, parse_edtf("2020")) is Truth.MAYBE
    assert claim.happened_as_of(parse_edtf("2021")) is Truth.YES


def test_began_over_a_period() -> None:
    """began_over answers with the start's bounds over a period."""
    talks = parse_edtf("2020-07/2021-03-09")
    assert began_over(talks, parse_edtf("2020-08")) is Truth.YES
    assert happened_over(talks, parse_edtf("2020-08")) is Truth.MAYBE
    assert happened_over(talks, parse_edtf("2020-06")) is Truth.NO
    assert talks.began_as_of(parse_edtf("2020-07")) is Truth.MAYBE
    assert talks.began_as_of(parse_edtf("2020-06")) is Truth.NO


def test_truth_over_rejects_unknown_measure() -> None:
    """Only 'happened' and 'began' are measures."""
    with pytest.raises(ValueError, match="measure"):
        truth_over(parse_edtf("2020"), parse_edtf("2021"), "ended")  # type: ignore[arg-type]


def test_truth_refuses_plain_truthiness() -> None:
    """bool(Truth.NO) raises: a three-valued answer must be compared explicitly."""
    with pytest.raises(TypeError, match="three-valued"):
        bool(Truth.NO)


def test_sort_keys_order_a_timeline() -> None:
    """Timelines sort by earliest day (unknown first), then latest (unknown last)."""
    texts = ["2021", "../2020", "2020-12", "2020", "2020/..", "2020-12-14"]
    ordered = sorted((parse_edtf(t) for t in texts), key=sort_key)
    assert [v.edtf for v in ordered] == [
        "../2020",
        "2020",
        "2020/..",
        "2020-12",
        "2020-12-14",
        "2021",
    ]
    by_latest = sorted((parse_edtf(t) for t in texts), key=latest_sort_key)
    assert [v.edtf for v in by_latest] == [
        "2020-12-14",
        "../2020",
        "2020",
        "2020-12",
        "2021",
        "2020/..",
    ]

"""The HistoricalDate value: equality, structure of intervals and sets, bounds, pendulum."""

from __future__ import annotations

import pickle

import attrs
import pendulum
import pytest

from ledger.dates import End, Kind, Precision, Qualifier, day_ordinal, parse_edtf
from ledger.dates.calendar import ordinal_to_iso


def iso(ordinal: int | None) -> str | None:
    """ISO text of an ordinal or None."""
    return None if ordinal is None else ordinal_to_iso(ordinal)


def test_value_is_frozen_hashable_and_equal_by_canonical_string() -> None:
    """Equal strings give equal, equally hashed values; fields cannot be reassigned."""
    first, second = parse_edtf("?2004-06-~11"), parse_edtf("2004?-06-~11")
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1
    assert first != parse_edtf("2004-06-11")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.earliest = 0  # type: ignore[misc]


def test_value_pickles() -> None:
    """Values survive pickling (multiprocessing, caches) with their bounds."""
    value = parse_edtf("1984?/2004-06~")
    again = pickle.loads(pickle.dumps(value))
    assert again == value
    assert (again.earliest, again.latest) == (value.earliest, value.latest)


def test_repr_and_str() -> None:
    """str() is the canonical EDTF and repr() shows it."""
    value = parse_edtf("2020-12")
    assert str(value) == "2020-12"
    assert repr(value) == "HistoricalDate('2020-12')"


def test_unknown_and_open_ends_are_distinct() -> None:
    """'1985/' (unknown end) and '1985/..' (open end) differ but neither invents a bound."""
    unknown, open_ = parse_edtf("1985/"), parse_edtf("1985/..")
    assert unknown != open_
    assert (unknown.end_kind, open_.end_kind) == (End.UNKNOWN, End.OPEN)
    assert unknown.latest is None
    assert open_.latest is None
    assert unknown.earliest == open_.earliest == day_ordinal(1985, 1, 1)
    assert parse_edtf("/1985").start_kind is End.UNKNOWN
    assert parse_edtf("../1985").start_kind is End.OPEN


def test_interval_keeps_its_ends() -> None:
    """An interval exposes its start and end as values, with their own precision."""
    value = parse_edtf("2004-02-01/2005")
    assert value.kind is Kind.INTERVAL
    assert value.is_interval
    assert value.start == parse_edtf("2004-02-01")
    assert value.end == parse_edtf("2005")
    assert value.start is not None
    assert value.start.precision is Precision.DAY


def test_set_members_and_ranges() -> None:
    """Sets keep their members; a '..' member is a range with an open side."""
    value = parse_edtf("[1667, 1760-12..]")
    assert value.kind is Kind.ONE_OF
    assert [m.kind for m in value.members] == [Kind.DATE, Kind.RANGE]
    assert value.members[1].edtf == "1760-12.."
    assert value.members[1].end_kind is End.OPEN
    assert parse_edtf("{1960,1961-12}").kind is Kind.ALL_OF


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2004-02-XX", "2004-02-01", "2004-02-29"),
        ("2003-02-XX", "2003-02-01", "2003-02-28"),
        ("1900-02-XX", "1900-02-01", "1900-02-28"),
        ("2000-02-XX", "2000-02-01", "2000-02-29"),
        ("XXXX-02-29", "0000-02-29", "9996-02-29"),
        ("2004-XX-31", "2004-01-31", "2004-12-31"),
        ("2004-XX-3X", "2004-01-30", "2004-12-31"),
        ("2004-0X-3X", "2004-01-30", "2004-09-30"),
        ("1X9X", "1090-01-01", "1999-12-31"),
        ("-1XXX", "-1999-01-01", "-1000-12-31"),
        ("-01X5", "-0195-01-01", "-0105-12-31"),
    ],
)
def test_x_digits_widen_to_exactly_what_the_digits_allow(
    text: str, earliest: str, latest: str
) -> None:
    """Unspecified digits widen bounds to the existing days they can name, no further."""
    value = parse_edtf(text)
    assert (iso(value.earliest), iso(value.latest)) == (earliest, latest)


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("1985-04-1X", "month"),
        ("1X9X", "unspecified"),
        ("XXXX", "unspecified"),
        ("2XXX", "millennium"),
        ("Y-17E7", "year"),
        ("2001-21", "season"),
        ("2001-38", "quadrimester"),
    ],
)
def test_precision_names_the_finest_known_unit(text: str, precision: str) -> None:
    """Precision follows the documented rules for X digits, long years and groupings."""
    assert parse_edtf(text).precision == precision


def test_qualifiers_do_not_move_bounds() -> None:
    """'?', '~' and '%' are reported but leave the bounds of the plain date."""
    plain = parse_edtf("2004-06-11")
    for text in ("2004-06-11?", "2004-06-11~", "2004-06-11%", "2004?-06-~11", "?2004-%06-11"):
        value = parse_edtf(text)
        assert (value.earliest, value.latest) == (plain.earliest, plain.latest)
        assert value.qualifiers


def test_qualifiers_are_kept_per_part() -> None:
    """Level 2 qualifiers record which part they apply to, following the spec's grouping."""
    assert parse_edtf("2004-06~-11").qualified == (
        ("year", Qualifier.APPROXIMATE),
        ("month", Qualifier.APPROXIMATE),
    )
    value = parse_edtf("2004?-06-~11")
    assert value.qualified == (("year", Qualifier.UNCERTAIN), ("day", Qualifier.APPROXIMATE))
    assert value.qualifiers == (Qualifier.UNCERTAIN, Qualifier.APPROXIMATE)
    assert parse_edtf("1984?/2004~").qualifiers == (Qualifier.UNCERTAIN, Qualifier.APPROXIMATE)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2001-24", "2001-12-01", "2002-02-28"),
        ("2003-24", "2003-12-01", "2004-02-29"),
        ("2001-30", "2001-12-01", "2002-02-28"),
        ("2001-31", "2001-03-01", "2001-05-31"),
        ("2001-35", "2001-07-01", "2001-09-30"),
        ("2001-38", "2001-05-01", "2001-08-31"),
        ("-0044-21", "-0044-03-01", "-0044-05-31"),
    ],
)
def test_groupings(text: str, earliest: str, latest: str) -> None:
    """Seasons, quarters, quadrimesters and semesters cover their documented months."""
    value = parse_edtf(text)
    assert (iso(value.earliest), iso(value.latest)) == (earliest, latest)


def test_pendulum_bounds_where_representable() -> None:
    """Pendulum dates for years 1..9999; None for BCE, year 0, > 9999 and unknown bounds."""
    assert parse_edtf("2020-12").to_pendulum_bounds() == (
        pendulum.Date(2020, 12, 1),
        pendulum.Date(2020, 12, 31),
    )
    assert parse_edtf("-0044-03-15").to_pendulum_bounds() == (None, None)
    assert parse_edtf("0000").to_pendulum_bounds() == (None, None)
    assert parse_edtf("Y12000").to_pendulum_bounds() == (None, None)
    assert parse_edtf("../2021-03-09").to_pendulum_bounds() == (None, pendulum.Date(2021, 3, 9))

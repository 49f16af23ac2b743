"""Where marks and labels go: date order in every row, no two extents of a row overlapping."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from ledger.dates import day_ordinal
from ledger.reports.marks import Mark
from ledger.reports.placement import LABEL_CHARS, place_lane, shorten, ticks

LO, HI = float(day_ordinal(2017, 1, 1)), float(day_ordinal(2031, 1, 1))
DAYS_PER_IN = (HI - LO) / 9.0


def width(text: str) -> float:
    """A label's width in inches at about 0.06 inch a character."""
    return 0.06 * len(text)


@st.composite
def marks(draw: st.DrawFn) -> Mark:
    """A mark somewhere between 2017 and 2030: a day, a span, or open at one end."""
    start = draw(st.integers(int(LO), int(HI) - 400))
    kind = draw(st.sampled_from(["day", "span", "open-left", "open-right"]))
    label = draw(st.text("abcdefgh ", min_size=1, max_size=90)).strip() or "x"
    if kind == "day":
        return Mark(label, start, start, exact=True)
    end = start + draw(st.integers(0, 300))
    if kind == "open-left":
        return Mark(label, None, end)
    if kind == "open-right":
        return Mark(label, start, None)
    return Mark(label, start, end)


@given(st.lists(marks(), max_size=25))
def test_rows_keep_date_order_and_never_overlap(lane: list[Mark]) -> None:
    """Numbers follow date order; in each row, items sit left to right without touching."""
    placed = place_lane(lane, 1, LO, HI, DAYS_PER_IN, width)
    assert [p.number for p in placed] == list(range(1, len(lane) + 1))
    keys = [p.mark.sort_key() for p in placed]
    assert keys == sorted(keys)
    for row in {p.row for p in placed}:
        items = [p for p in placed if p.row == row]
        for before, after in itertools.pairwise(items):
            assert before.extent[1] <= after.extent[0]
            assert before.text_x < after.text_x
    for item in placed:
        assert item.text.split(" ", 1)[0] == str(item.number)
        assert item.extent[0] <= item.x0 <= item.x1 <= item.extent[1]


def test_a_label_is_shortened_only_where_the_axis_ends() -> None:
    """A label near the right edge is cut with an ellipsis; the same label earlier is whole."""
    label = "The Gateway is the planned space station"
    early = Mark(label, day_ordinal(2018, 1, 1), day_ordinal(2018, 1, 1), exact=True)
    late = Mark(label, day_ordinal(2029, 6, 1), day_ordinal(2029, 6, 1), exact=True)
    first, second = place_lane([late, early], 1, LO, HI, DAYS_PER_IN, width)
    assert first.mark is early
    assert first.text == f"1 {label}"
    assert second.text.endswith("…")
    assert second.text.startswith("2 The")


def test_shorten_keeps_short_text_and_cuts_long_text() -> None:
    """Text within the limit is unchanged (spaces normalised); longer text ends in an ellipsis."""
    assert shorten("a  b", 10) == "a b"
    cut = shorten("x" * 100, LABEL_CHARS)
    assert len(cut) == LABEL_CHARS
    assert cut.endswith("…")


def test_ticks_fall_within_the_axis_at_whole_years() -> None:
    """Ticks over fourteen years are whole years inside the limits, about five to nine."""
    positions, labels = ticks(LO, HI)
    assert 5 <= len(positions) <= 9
    assert all(LO <= p <= HI for p in positions)
    assert all(label.isdigit() for label in labels)

"""Where each mark of a lane and its label go: date order kept, no two labels overlapping.

Marks are taken in historical order and each label starts at its mark (at the known end of a
span open to the left) and runs to the right, so reading a row left to right is reading it in
date order. A mark goes to the first row of its lane where neither it nor its label touches
what is already there; a label too long for the room left before the axis ends is shortened
(the legend and the tooltip keep it whole, under the same number).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import attrs

from ledger.dates.calendar import day_ordinal, format_year, ordinal_to_ymd
from ledger.reports.marks import Mark

__all__ = ["LABEL_CHARS", "Placed", "place_lane", "shorten", "ticks", "year_label"]

LABEL_CHARS = 48
"""The longest label drawn beside a mark; the legend gives every label whole."""


@attrs.frozen
class Placed:
    """A mark laid out: its number, its drawn extent in days, its row and its shown label."""

    mark: Mark
    number: int
    x0: float
    x1: float
    left_open: bool
    right_open: bool
    text: str
    text_x: float
    extent: tuple[float, float]
    row: int


def shorten(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters with an ellipsis (whole if it fits)."""
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    return text[: max(chars - 1, 0)].rstrip() + "…"


def _label(number: int, mark: Mark, room: float, width: Callable[[str], float]) -> str:
    """The longest "N label" (at most LABEL_CHARS) whose width fits ``room``; at least "N"."""
    chars = LABEL_CHARS
    while chars > 3:
        text = f"{number} {shorten(mark.label, chars)}"
        if width(text) <= room:
            return text
        # Guess the length that fits from this one's width, then check again.
        chars = min(chars - 1, int(chars * room / max(width(text), 1e-9)))
    return str(number)


def place_lane(
    marks: Sequence[Mark],
    first_number: int,
    lo: float,
    hi: float,
    days_per_in: float,
    width_in: Callable[[str], float],
) -> list[Placed]:
    """The lane's marks in historical order, numbered from ``first_number``, packed in rows.

    ``lo``/``hi`` are the axis limits in days, ``days_per_in`` its scale, and ``width_in``
    measures a label in inches. Within a row, extents (mark and label) never overlap.
    """
    pad = 0.06 * days_per_in
    placed: list[Placed] = []
    row_ends: list[float] = []
    for offset, mark in enumerate(sorted(marks, key=Mark.sort_key)):
        number = first_number + offset
        left_open, right_open = mark.earliest is None, mark.latest is None
        x0 = max(lo, float(mark.earliest)) if mark.earliest is not None else lo
        x1 = float(mark.latest + 1) if mark.latest is not None else hi
        x1 = x0 if mark.exact else min(max(x1, x0), hi)
        anchor = (x1 if left_open and not right_open else x0) + pad
        text = _label(number, mark, (hi - anchor) / days_per_in, width_in)
        end = max(x1, anchor + width_in(text) * days_per_in) + pad
        extent = (min(x0, anchor), end)
        row = next((r for r, taken in enumerate(row_ends) if taken <= extent[0]), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        placed.append(
            Placed(mark, number, x0, x1, left_open, right_open, text, anchor, extent, row)
        )
    return placed


def year_label(year: int) -> str:
    """A tick label for an astronomical year: ``2021``, ``44 BCE`` (year -43)."""
    return f"{1 - year} BCE" if year <= 0 else str(year)


def ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Tick positions (ordinals) and labels at whole months or years, about five to nine."""
    span_years = (hi - lo) / 365.2425
    first_year = ordinal_to_ymd(int(lo))[0]
    if span_years <= 4:
        for months in (1, 2, 3, 6, 12):
            if span_years * 12 / months <= 9:
                break
        year, month = first_year, 1
        positions: list[float] = []
        labels: list[str] = []
        while True:
            day = day_ordinal(year, month, 1)
            if day > hi:
                break
            if day >= lo and (month - 1) % months == 0:
                positions.append(day)
                labels.append(
                    f"{format_year(year)}-{month:02d}" if months < 12 else year_label(year)
                )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return positions, labels
    step = 1
    for base in _steps():
        step = base
        if span_years / step <= 9:
            break
    start = -(-first_year // step) * step
    positions, labels = [], []
    year = start
    while (day := day_ordinal(year, 1, 1)) <= hi:
        if day >= lo:
            positions.append(day)
            labels.append(year_label(year))
        year += step
    return positions, labels


def _steps() -> Iterator[int]:
    scale = 1
    while True:
        for base in (1, 2, 5):
            yield base * scale
        scale *= 10

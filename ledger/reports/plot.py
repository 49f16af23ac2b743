"""A timeline picture: one lane per program, exact days as points, uncertain dates as spans.

Input is plain frozen values (``ledger.reports.marks``: ``Lane`` of ``Mark``) holding day
ordinals, so the picture does not depend on how a projection is computed; where marks and
labels go is ``ledger.reports.placement``'s. matplotlib (the ``plot`` extra) is imported only
when a picture is drawn, so the CLI starts fast without it.

Every mark is numbered in date order and its label, shortened where room is short, starts at
the mark; the legend under the picture gives every label whole with its date and certainty,
and in SVG each mark and label carries the same text as a tooltip (``<title>``).

Arabic labels. In SVG the text stays real text (``svg.fonttype = 'none'``) in *logical* order:
browsers shape and order Arabic themselves, the labels stay searchable and copyable, and a
visually pre-ordered string would be reversed a second time by the browser's bidi. In PNG and
PDF matplotlib draws the glyphs: from 3.11 it shapes text with libraqm, so logical text is
again right; older versions draw code points one by one, so labels are reshaped
(arabic-reshaper) and put in visual order (python-bidi) for them only. The font list prefers
DejaVu Sans (it has Arabic glyphs and ships with matplotlib) and other installed families with
Arabic; matplotlib falls back glyph by glyph along the list.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path

from ledger.errors import MissingExtraError, UnknownFormatError
from ledger.reports.canvas import Canvas, Window, describe, drawing_style
from ledger.reports.files import write_whole
from ledger.reports.marks import Lane, Mark, TimelineEntryLike, lane_of, mark_for
from ledger.reports.placement import year_label

__all__ = [
    "PICTURE_FORMATS",
    "Lane",
    "Mark",
    "TimelineEntryLike",
    "Window",
    "describe",
    "lane_of",
    "legend_lines",
    "mark_for",
    "plot_timeline",
    "timeline_svg",
    "year_label",
]

PICTURE_FORMATS: tuple[str, ...] = ("pdf", "png", "svg")

WHOLE = Window()
"""No window: the picture runs as far as its marks go."""
_PNG_DPI = 150


def plot_timeline(
    lanes: Sequence[Lane],
    out: Path,
    as_of: int | None = None,
    title: str | None = None,
    *,
    window: Window = WHOLE,
    legend: bool = True,
) -> Path:
    """Draw ``lanes`` to ``out``, SVG, PNG or PDF by its suffix; the same input, the same file."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in PICTURE_FORMATS:
        raise UnknownFormatError(out.suffix or str(out), PICTURE_FORMATS)
    return write_whole(out, _render(lanes, fmt, as_of, title, window, legend))


def timeline_svg(
    lanes: Sequence[Lane],
    as_of: int | None = None,
    title: str | None = None,
    *,
    window: Window = WHOLE,
    legend: bool = True,
) -> str:
    """The timeline picture as SVG text (for an HTML report or a notebook)."""
    return _render(lanes, "svg", as_of, title, window, legend).decode("utf-8")


def legend_lines(lanes: Sequence[Lane], window: Window = WHOLE) -> list[tuple[int, Mark]]:
    """Every mark the picture numbers, with its number: lanes in order, each in date order."""
    numbered: list[tuple[int, Mark]] = []
    for lane in lanes:
        for mark in lane.within(window.first, window.last).ordered():
            numbered.append((len(numbered) + 1, mark))
    return numbered


def _require_matplotlib() -> None:
    try:
        import matplotlib.backends.backend_agg  # noqa: F401
    except ImportError as error:
        raise MissingExtraError("the timeline picture", "plot", "matplotlib") from error


def _render(
    lanes: Sequence[Lane],
    fmt: str,
    as_of: int | None,
    title: str | None,
    window: Window,
    legend: bool,
) -> bytes:
    _require_matplotlib()
    shown = [lane.within(window.first, window.last) for lane in lanes]
    with drawing_style():
        timeline = Canvas(shown, as_of, title, raster=fmt != "svg", window=window)
        figure = timeline.draw(legend=legend)
        buffer = io.BytesIO()
        if fmt == "svg":
            metadata: dict[str, str | None] = {
                "Date": None,
                "Creator": None,
                "Format": None,
                "Type": None,
            }
            figure.savefig(buffer, format="svg", metadata=metadata)
            return _with_tooltips(buffer.getvalue().decode("utf-8"), timeline.tips).encode()
        if fmt == "pdf":
            figure.savefig(
                buffer,
                format="pdf",
                metadata={"Creator": None, "Producer": None, "CreationDate": None},
            )
        else:
            figure.savefig(buffer, format="png", dpi=_PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


_GROUP = re.compile(r'<g id="((?:mark|label)-\d+)">')


def _with_tooltips(svg: str, tips: dict[str, str]) -> str:
    """The SVG with a ``<title>`` (a browser's tooltip) first in each mark's and label's group."""

    def titled(match: re.Match[str]) -> str:
        tip = tips.get(match.group(1))
        return match.group() if tip is None else f"{match.group()}<title>{escape(tip)}</title>"

    return _GROUP.sub(titled, svg)

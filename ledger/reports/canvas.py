"""Drawing one timeline picture with matplotlib: lanes, marks, labels, the key and the legend.

Used by ``ledger.reports.plot`` (which chooses the format and writes the file); matplotlib is
imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from ledger.dates.calendar import day_ordinal, ordinal_to_iso
from ledger.errors import MissingExtraError
from ledger.reports.marks import CERTAIN, CONFLICT, NOT_YET, POSSIBLE, Lane, Mark
from ledger.reports.placement import Placed, place_lane, ticks
from ledger.reports.tables import has_rtl

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Canvas", "Window", "describe", "drawing_style", "raster_text"]

_COLOURS = {CERTAIN: "#1f4e99", POSSIBLE: "#e08a1e", CONFLICT: "#c0392b", NOT_YET: "#8c8c8c"}
_LABEL_COLOURS = {CERTAIN: "#1b1b1b", POSSIBLE: "#5a4a30", CONFLICT: "#a93226", NOT_YET: "#6e6e6e"}
_ALPHA = {CERTAIN: 0.95, POSSIBLE: 0.6, CONFLICT: 0.8, NOT_YET: 0.45}

_FONT_PREFERENCE = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "Amiri",
    "Arial",
    "Tahoma",
)
_WIDTH_IN = 11.0
_ROW_IN = 0.34
_FONT_PT = 8.0
_NOTE_PT = 6.5
_NOTE_IN = 0.13
_NOTE_CHARS = 170
_DPI = 100
_FADE_STEPS = 12


@attrs.frozen
class Window:
    """The stretch of history a picture shows, as day ordinals (None: as far as marks go)."""

    first: int | None = None
    last: int | None = None


def describe(number: int, mark: Mark) -> str:
    """A mark in words, for the legend and the tooltip: number, date, label, certainty, note."""
    date = f"{mark.date}  " if mark.date else ""
    note = f"; {mark.note}" if mark.note else ""
    return f"{number}  {date}{mark.label}  ({mark.style}{note})"


def _native_shaping() -> bool:
    """Whether this matplotlib shapes complex scripts itself (libraqm, matplotlib >= 3.11)."""
    from matplotlib import ft2font

    return hasattr(ft2font.FT2Font, "_layout")


def raster_text(text: str) -> str:
    """``text`` as the PNG rasteriser must receive it to show Arabic joined and in order."""
    if not has_rtl(text) or _native_shaping():
        return text
    if "\n" in text:
        return "\n".join(raster_text(line) for line in text.split("\n"))
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError as error:
        raise MissingExtraError(
            "Arabic labels in PNG pictures", "plot", "arabic-reshaper"
        ) from error
    return str(get_display(arabic_reshaper.reshape(text)))


def _font_families() -> list[str]:
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    chosen = [name for name in _FONT_PREFERENCE if name in installed]
    return [*chosen, "sans-serif"]


@contextmanager
def drawing_style() -> Iterator[None]:
    """matplotlib settings for one picture, leaving the caller's (a notebook's) untouched."""
    import matplotlib

    with (
        matplotlib.rc_context(
            {
                "font.family": _font_families(),
                "font.size": _FONT_PT,
                # Real text in SVG, and fixed ids: the same input gives the same file.
                "svg.fonttype": "none",
                "svg.hashsalt": "ledger-timeline",
                # TrueType in PDF keeps Arabic and other scripts' glyphs whole.
                "pdf.fonttype": 42,
                # A user's TeX setting would need TeX, and TeX fonts lack Arabic.
                "text.usetex": False,
            }
        ),
        warnings.catch_warnings(),
    ):
        # A glyph no installed font has is drawn as a box; that is not worth a warning per label.
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing", category=UserWarning)
        yield


class Canvas:
    """Lays out and draws one picture; a class only to share the figure's measures."""

    def __init__(
        self,
        lanes: list[Lane],
        as_of: int | None,
        title: str | None,
        raster: bool,
        window: Window | None = None,
    ):
        self.lanes = lanes
        self.as_of = as_of
        self.title = title
        self.raster = raster
        self.window = window or Window()
        self.tips: dict[str, str] = {}
        """Tooltip text by SVG group id, filled as marks are drawn."""

    def text(self, value: str) -> str:
        return raster_text(value) if self.raster else value

    def lane_text(self, value: str, room_in: float, width_in: Any) -> str:
        """A lane label, its " / "-separated names (English / Arabic) on lines if too wide."""
        if width_in(self.text(value), fontweight="bold") <= room_in or " / " not in value:
            return value
        return "\n".join(part.strip() for part in value.split(" / "))

    def draw(self, legend: bool = True) -> Figure:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(_WIDTH_IN, 2.0), dpi=_DPI)
        FigureCanvasAgg(figure)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]

        def width_in(value: str, **kw: Any) -> float:
            probe = figure.text(0, 0, value, fontsize=_FONT_PT, parse_math=False, **kw)
            width = float(probe.get_window_extent(renderer).width) / _DPI
            probe.remove()
            return width

        lo, hi = self.x_range()
        lane_texts = [self.lane_text(lane.label, _WIDTH_IN * 0.3, width_in) for lane in self.lanes]
        label_in = max(
            (width_in(self.text(text), fontweight="bold") for text in lane_texts), default=0.5
        )
        left_in = min(label_in + 0.25, _WIDTH_IN * 0.4)
        axis_in = _WIDTH_IN - left_in - 0.3
        days_per_in = (hi - lo) / axis_in

        placed: list[list[Placed]] = []
        for lane in self.lanes:
            first = sum(map(len, placed)) + 1
            placed.append(
                place_lane(lane.items, first, lo, hi, days_per_in, lambda t: width_in(self.text(t)))
            )
        rows = [
            max(max((p.row for p in lane), default=0) + 1, text.count("\n") + 1)
            for lane, text in zip(placed, lane_texts, strict=True)
        ]
        notes = self.notes([p for lane in placed for p in lane]) if legend else []
        gap = 0.5
        plot_rows = max(sum(rows) + gap * max(len(rows) - 1, 0), 1)
        top_in = 0.75 if self.title else 0.45
        notes_in = len(notes) * _NOTE_IN + (0.15 if notes else 0)
        bottom_in = 0.85 + notes_in
        height = top_in + bottom_in + plot_rows * _ROW_IN
        figure.set_size_inches(_WIDTH_IN, height)
        ax = figure.add_axes(
            (
                left_in / _WIDTH_IN,
                bottom_in / height,
                axis_in / _WIDTH_IN,
                plot_rows * _ROW_IN / height,
            )
        )
        ax.set_xlim(lo, hi)
        ax.set_ylim(plot_rows, 0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_yticks([])
        positions, labels = ticks(lo, hi)
        ax.set_xticks(positions, labels)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)

        top = 0.0
        for index, (lane, marks, count) in enumerate(zip(self.lanes, placed, rows, strict=True)):
            if index % 2 == 0:
                ax.axhspan(
                    top - gap / 2 if index else top,
                    top + count + gap / 2,
                    color="#f3f5f8",
                    zorder=0,
                    linewidth=0,
                )
            label = ax.text(
                -0.012,
                top + count / 2,
                self.text(lane_texts[index]),
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontweight="bold",
                parse_math=False,
                gid=f"lane-{index + 1}",
            )
            _set_language(label, lane.label)
            for item in marks:
                self.draw_mark(ax, item, top + item.row, lo, hi)
            top += count + gap
        if not any(lane.items for lane in self.lanes):
            ax.set_xticks([])
            ax.text(
                0.5,
                0.5,
                "no dated events",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="#666666",
                parse_math=False,
            )
        if self.as_of is not None and lo <= self.as_of <= hi:
            ax.axvline(
                self.as_of, color="#111111", linestyle="--", linewidth=1.1, zorder=5, gid="as-of"
            )
            ax.text(
                self.as_of,
                1.0,
                f"as of {ordinal_to_iso(self.as_of)}",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=_FONT_PT,
                parse_math=False,
                gid="as-of-label",
            )
        if self.title:
            title = figure.text(
                0.01,
                1 - 0.12 / height,
                self.text(self.title),
                ha="left",
                va="top",
                fontsize=_FONT_PT + 3,
                fontweight="bold",
                parse_math=False,
                gid="title",
            )
            _set_language(title, self.title)
        self.key(figure, (notes_in + 0.05) / height)
        for line, (gid, text) in enumerate(notes):
            note = figure.text(
                0.02,
                (notes_in - 0.1 - line * _NOTE_IN) / height,
                self.text(text),
                ha="left",
                va="top",
                fontsize=_NOTE_PT,
                parse_math=False,
                gid=gid,
            )
            _set_language(note, text)
        return figure

    @staticmethod
    def notes(placed: Sequence[Placed]) -> list[tuple[str, str]]:
        """The legend's lines: each mark's number, date, whole label, certainty and note."""
        lines: list[tuple[str, str]] = []
        for item in placed:
            wrapped = textwrap.wrap(describe(item.number, item.mark), _NOTE_CHARS)
            for part, text in enumerate(wrapped):
                gid = f"note-{item.number}" if part == 0 else f"note-{item.number}-{part}"
                lines.append((gid, text if part == 0 else f"      {text}"))
        return lines

    def x_range(self) -> tuple[float, float]:
        days = [
            d
            for lane in self.lanes
            for m in lane.items
            for d in (m.earliest, m.latest)
            if d is not None
        ]
        if self.as_of is not None:
            days.append(self.as_of)
        if not days:
            centre = day_ordinal(2000, 1, 1)
            lo, hi = centre - 365.0, centre + 365.0
        else:
            lo, hi = min(days), max(days) + 1
            pad = max((hi - lo) * 0.04, 30.0)
            marks = [m for lane in self.lanes for m in lane.items]
            # Room for an open end to visibly run on past the last known day.
            lo -= pad * (3 if any(m.earliest is None for m in marks) else 1)
            hi += pad * (3 if any(m.latest is None for m in marks) else 1)
        if self.window.first is not None:
            lo = float(self.window.first)
        if self.window.last is not None:
            hi = float(self.window.last + 1)
        return (lo, hi) if lo < hi else (lo, lo + 1.0)

    def draw_mark(self, ax: Axes, item: Placed, row_top: float, lo: float, hi: float) -> None:
        mark = item.mark
        style = mark.style
        colour, alpha = _COLOURS[style], _ALPHA[style]
        y = row_top + 0.72
        gid = f"mark-{item.number}"
        self.tips[gid] = self.tips[f"label-{item.number}"] = describe(item.number, mark)
        ticks: dict[str, Any] = {
            "marker": "|",
            "markersize": 7,
            "color": colour,
            "linestyle": "none",
        }
        if mark.exact:
            ax.plot(
                [item.x0],
                [y],
                marker="o",
                markersize=6,
                color=colour,
                alpha=alpha,
                linestyle="none",
                zorder=4,
                gid=gid,
            )
        elif item.left_open and item.right_open:
            ax.plot(
                [lo, hi],
                [y, y],
                color=colour,
                alpha=0.35,
                linestyle=":",
                linewidth=2,
                zorder=3,
                gid=gid,
            )
        elif item.left_open or item.right_open:
            known = item.x1 if item.left_open else item.x0
            edge = lo if item.left_open else hi
            self.fade(ax, known, edge, y, colour, alpha)
            ax.plot(
                [edge],
                [y],
                marker="<" if item.left_open else ">",
                markersize=5,
                color=colour,
                alpha=0.5,
                linestyle="none",
                zorder=4,
                clip_on=False,
            )
            ax.plot([known], [y], alpha=alpha, zorder=4, gid=gid, **ticks)
        else:
            # A span narrower than a marker still shows its two bounds as ticks.
            ax.plot(
                [item.x0, item.x1],
                [y, y],
                color=colour,
                alpha=alpha * 0.55,
                linewidth=6,
                solid_capstyle="butt",
                zorder=3,
                gid=gid,
            )
            ax.plot([item.x0, item.x1], [y, y], alpha=alpha, zorder=4, **ticks)
        text = ax.text(
            item.text_x,
            row_top + 0.45,
            self.text(item.text),
            ha="left",
            va="bottom",
            # No italic for the uncertain: DejaVu Sans Oblique has no Arabic glyphs.
            color=_LABEL_COLOURS[style],
            parse_math=False,
            clip_on=False,
            zorder=6,
            gid=f"label-{item.number}",
        )
        _set_language(text, mark.label)

    @staticmethod
    def fade(ax: Axes, known: float, edge: float, y: float, colour: str, alpha: float) -> None:
        """A span from a known bound to the axis edge, fading out towards the unknown end."""
        step = (edge - known) / _FADE_STEPS
        for i in range(_FADE_STEPS):
            strength = alpha * 0.55 * (1 - i / _FADE_STEPS)
            ax.plot(
                [known + i * step, known + (i + 1) * step],
                [y, y],
                color=colour,
                alpha=strength,
                linewidth=6,
                solid_capstyle="butt",
                zorder=3,
            )

    def key(self, figure: Figure, bottom: float) -> None:
        """What the styles mean, in one row under the axis."""
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], marker="o", color=_COLOURS[CERTAIN], linestyle="none"),
            Line2D([], [], color=_COLOURS[CERTAIN], linewidth=6, alpha=0.55),
            Line2D([], [], color=_COLOURS[POSSIBLE], linewidth=6, alpha=0.45),
            Line2D([], [], color=_COLOURS[NOT_YET], linewidth=6, alpha=0.3),
            Line2D([], [], color=_COLOURS[CONFLICT], linewidth=6, alpha=0.6),
            Line2D([], [], marker=">", color=_COLOURS[CERTAIN], alpha=0.5, linewidth=2),
        ]
        labels = [
            "exact day",
            "certain, within its bounds",
            "possible",
            "not yet",
            "conflicting claims",
            "open or unknown end",
        ]
        if self.as_of is not None:
            handles.append(Line2D([], [], color="#111111", linestyle="--"))
            labels.append("as-of date")
        figure.legend(
            handles,
            labels,
            loc="lower center",
            ncol=len(labels),
            frameon=False,
            fontsize=_FONT_PT - 0.5,
            bbox_to_anchor=(0.5, bottom),
        )


def _set_language(text: Any, value: str) -> None:
    # libraqm picks Arabic letter forms better when told the language (matplotlib >= 3.11).
    if has_rtl(value) and hasattr(text, "set_language"):
        text.set_language("ar")

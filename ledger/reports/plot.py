"""A timeline picture: one lane per program, exact days as points, uncertain dates as spans.

Input is plain frozen values (``Lane`` of ``Mark``) holding day ordinals, so the picture does
not depend on how a projection is computed. matplotlib (the ``plot`` extra) is imported only
when a picture is drawn, so the CLI starts fast without it.

Arabic labels. In SVG the text stays real text (``svg.fonttype = 'none'``) in *logical* order:
browsers shape and order Arabic themselves, the labels stay searchable and copyable, and a
visually pre-ordered string would be reversed a second time by the browser's bidi. In PNG the
rasteriser draws the glyphs: matplotlib 3.11 and later shape text with libraqm, so logical text
is again right; older versions draw code points one by one, so labels are reshaped
(arabic-reshaper) and put in visual order (python-bidi) for PNG only. The font list prefers
DejaVu Sans (it has Arabic glyphs and ships with matplotlib) and other installed families with
Arabic; matplotlib falls back glyph by glyph along the list.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ledger.dates import HistoricalDate, Precision, Truth, parse_edtf
from ledger.dates.calendar import day_ordinal, format_year, ordinal_to_iso, ordinal_to_ymd
from ledger.errors import MissingExtraError, ReportError, UnknownFormatError
from ledger.reports.tables import has_rtl

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PICTURE_FORMATS",
    "Lane",
    "Mark",
    "TimelineEntryLike",
    "lane_of",
    "mark_for",
    "plot_timeline",
    "timeline_svg",
]

PICTURE_FORMATS: tuple[str, ...] = ("png", "svg")

CERTAIN = "certain"
POSSIBLE = "possible"
CONFLICT = "conflict"
NOT_YET = "not yet"
# The projection's words (Truth values) and the picture's words for the same thing.
_CERTAINTY_ALIASES = {
    "yes": CERTAIN,
    "certain": CERTAIN,
    "maybe": POSSIBLE,
    "possible": POSSIBLE,
    "conflict": CONFLICT,
    "disputed": CONFLICT,
    "no": NOT_YET,
    "not yet": NOT_YET,
}
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
_DPI = 100
_PNG_DPI = 150
_FADE_STEPS = 12


@attrs.frozen
class Mark:
    """One dated thing in a lane: bounds as day ordinals (None: unknown or open end).

    ``exact`` marks a single known day (drawn as a point). ``certainty`` is the projection's
    word for it as of the picture's date: certain/yes, possible/maybe, conflict, not yet/no.
    """

    label: str
    earliest: int | None
    latest: int | None
    exact: bool = False
    certainty: str = CERTAIN

    def __attrs_post_init__(self) -> None:
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise ReportError(
                f"mark {self.label!r}: earliest day {self.earliest} is after latest {self.latest}"
            )
        if self.exact and (self.earliest is None or self.earliest != self.latest):
            raise ReportError(
                f"mark {self.label!r}: an exact date needs earliest == latest, "
                f"got {self.earliest}..{self.latest}"
            )

    @property
    def style(self) -> str:
        """The certainty as one of the picture's four styles (unknown words read as possible)."""
        return _CERTAINTY_ALIASES.get(self.certainty.strip().lower(), POSSIBLE)


@attrs.frozen
class Lane:
    """One program's row of marks, drawn in the order of their dates."""

    label: str
    items: tuple[Mark, ...] = ()


def mark_for(label: str, value: HistoricalDate, certainty: str = CERTAIN) -> Mark:
    """The mark of a historical date: a point when it names one day without qualifier."""
    exact = (
        value.precision == Precision.DAY
        and value.earliest is not None
        and value.earliest == value.latest
        and not value.qualifiers
    )
    return Mark(label, value.earliest, value.latest, exact, certainty)


class TimelineEntryLike(Protocol):
    """What ``lane_of`` reads from a timeline entry (``ledger.domain.timeline.TimelineEntry``)."""

    @property
    def date(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def event_type(self) -> str: ...
    @property
    def conflict(self) -> bool: ...
    @property
    def fact(self) -> str: ...
    @property
    def fact_date(self) -> str: ...


_LABEL_CHARS = 48
_TRUTH_STYLE = {Truth.YES: CERTAIN, Truth.MAYBE: POSSIBLE, Truth.NO: NOT_YET}


def lane_of(
    label: str,
    entries: Iterable[TimelineEntryLike],
    as_of: int | None = None,
    *,
    merge_facts: bool = True,
) -> Lane:
    """A program's lane from its timeline: one mark per happening, sure or not as of ``as_of``.

    Claims that share a fact key and agree are one mark at their merged (narrowest) date, its
    label counting the claims; claims that disagree stay separate marks, drawn as conflicts.
    A mark is certain if it had begun by ``as_of``, possible if its dates allow it, not yet
    otherwise (every claim is drawn as stated when no ``as_of`` is given). Labels are the
    claims' summaries, shortened to keep the picture readable.
    """
    groups: dict[str, list[TimelineEntryLike]] = {}
    for index, entry in enumerate(entries):
        key = entry.fact if merge_facts and entry.fact else f"#{index}"
        groups.setdefault(key, []).append(entry)
    marks = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1 and not first.conflict:
            text = _short(first.summary or first.event_type, f" ({len(group)} sources)")
            marks.append(_mark(text, first.fact_date or first.date, False, as_of))
            continue
        for entry in group:
            marks.append(
                _mark(_short(entry.summary or entry.event_type), entry.date, entry.conflict, as_of)
            )
    return Lane(label, tuple(marks))


def _short(text: str, suffix: str = "") -> str:
    text = " ".join(text.split())
    room = _LABEL_CHARS - len(suffix)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return text + suffix


def _mark(label: str, edtf: str, conflict: bool, as_of: int | None) -> Mark:
    value = parse_edtf(edtf)
    if conflict:
        certainty = CONFLICT
    elif as_of is None:
        certainty = CERTAIN
    else:
        certainty = _TRUTH_STYLE[value.began_by(as_of)]
    return mark_for(label, value, certainty)


def plot_timeline(
    lanes: Sequence[Lane],
    out: Path,
    as_of: int | None = None,
    title: str | None = None,
) -> Path:
    """Draw ``lanes`` to ``out``, SVG or PNG by its suffix; the same input gives the same file."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in PICTURE_FORMATS:
        raise UnknownFormatError(out.suffix or str(out), PICTURE_FORMATS)
    out.write_bytes(_render(lanes, fmt, as_of, title))
    return out


def timeline_svg(lanes: Sequence[Lane], as_of: int | None = None, title: str | None = None) -> str:
    """The timeline picture as SVG text (for an HTML report or a notebook)."""
    return _render(lanes, "svg", as_of, title).decode("utf-8")


# --- drawing -------------------------------------------------------------------------------


def _require_matplotlib() -> None:
    try:
        import matplotlib.backends.backend_agg  # noqa: F401
    except ImportError as error:
        raise MissingExtraError("the timeline picture", "plot", "matplotlib") from error


def _native_shaping() -> bool:
    """Whether this matplotlib shapes complex scripts itself (libraqm, matplotlib >= 3.11)."""
    from matplotlib import ft2font

    return hasattr(ft2font.FT2Font, "_layout")


def _raster_text(text: str) -> str:
    """``text`` as the PNG rasteriser must receive it to show Arabic joined and in order."""
    if not has_rtl(text) or _native_shaping():
        return text
    if "\n" in text:
        return "\n".join(_raster_text(line) for line in text.split("\n"))
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
def _style() -> Iterator[None]:
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
                # A user's TeX setting would need TeX, and TeX fonts lack Arabic.
                "text.usetex": False,
            }
        ),
        warnings.catch_warnings(),
    ):
        # A glyph no installed font has is drawn as a box; that is not worth a warning per label.
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing", category=UserWarning)
        yield


def _render(lanes: Sequence[Lane], fmt: str, as_of: int | None, title: str | None) -> bytes:
    _require_matplotlib()
    with _style():
        figure = _Timeline(list(lanes), as_of, title, raster=fmt == "png").draw()
        buffer = io.BytesIO()
        if fmt == "svg":
            metadata: dict[str, str | None] = {
                "Date": None,
                "Creator": None,
                "Format": None,
                "Type": None,
            }
            figure.savefig(buffer, format="svg", metadata=metadata)
        else:
            figure.savefig(buffer, format="png", dpi=_PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def year_label(year: int) -> str:
    """A tick label for an astronomical year: ``2021``, ``44 BCE`` (year -43)."""
    return f"{1 - year} BCE" if year <= 0 else str(year)


def _ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
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


@attrs.define
class _Placed:
    mark: Mark
    x0: float
    x1: float
    left_open: bool
    right_open: bool
    text_x: float = 0.0
    text_ha: str = "left"
    extent: tuple[float, float] = (0.0, 0.0)
    row: int = 0


class _Timeline:
    """Lays out and draws one picture; a class only to share the figure's measures."""

    def __init__(self, lanes: list[Lane], as_of: int | None, title: str | None, raster: bool):
        self.lanes = lanes
        self.as_of = as_of
        self.title = title
        self.raster = raster

    def text(self, value: str) -> str:
        return _raster_text(value) if self.raster else value

    def lane_text(self, value: str, room_in: float, width_in: Any) -> str:
        """A lane label, its " / "-separated names (English / Arabic) on lines if too wide."""
        if width_in(self.text(value), fontweight="bold") <= room_in or " / " not in value:
            return value
        return "\n".join(part.strip() for part in value.split(" / "))

    def draw(self) -> Figure:
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
        room_in = _WIDTH_IN * 0.3
        lane_texts = [self.lane_text(lane.label, room_in, width_in) for lane in self.lanes]
        label_in = max(
            (width_in(self.text(text), fontweight="bold") for text in lane_texts), default=0.5
        )
        left_in = min(label_in + 0.25, _WIDTH_IN * 0.4)
        right_in = 0.3
        axis_in = _WIDTH_IN - left_in - right_in
        days_per_in = (hi - lo) / axis_in

        placed = [self.place(lane, lo, hi, days_per_in, width_in) for lane in self.lanes]
        rows = [
            max(max((p.row for p in lane), default=0) + 1, text.count("\n") + 1)
            for lane, text in zip(placed, lane_texts, strict=True)
        ]
        gap = 0.5
        plot_rows = sum(rows) + gap * max(len(rows) - 1, 0)
        top_in = 0.75 if self.title else 0.45
        bottom_in = 0.85
        height = top_in + bottom_in + max(plot_rows, 1) * _ROW_IN
        figure.set_size_inches(_WIDTH_IN, height)
        ax = figure.add_axes(
            (
                left_in / _WIDTH_IN,
                bottom_in / height,
                axis_in / _WIDTH_IN,
                max(plot_rows, 1) * _ROW_IN / height,
            )
        )
        ax.set_xlim(lo, hi)
        ax.set_ylim(max(plot_rows, 1), 0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.set_yticks([])
        positions, labels = _ticks(lo, hi)
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
        if self.as_of is not None:
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
        self.legend(figure, height)
        return figure

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
            return centre - 365.0, centre + 365.0
        lo, hi = min(days), max(days) + 1
        pad = max((hi - lo) * 0.04, 30.0)
        marks = [m for lane in self.lanes for m in lane.items]
        # Room for an open end to visibly run on past the last known day.
        left = pad * (3 if any(m.earliest is None for m in marks) else 1)
        right = pad * (3 if any(m.latest is None for m in marks) else 1)
        return lo - left, hi + right

    def place(
        self, lane: Lane, lo: float, hi: float, days_per_in: float, width_in: Any
    ) -> list[_Placed]:
        """Each mark's extent and label position, packed into as few rows as do not overlap."""
        placed = []
        for mark in lane.items:
            x0 = float(mark.earliest) if mark.earliest is not None else lo
            x1 = float(mark.latest + 1) if mark.latest is not None else hi
            if mark.exact:
                x1 = x0
            item = _Placed(mark, x0, x1, mark.earliest is None, mark.latest is None)
            text_days = width_in(self.text(mark.label)) * days_per_in
            pad = 0.06 * days_per_in
            anchor = (x0 if not item.left_open else x1) + pad
            if anchor + text_days <= hi:
                item.text_x, item.text_ha = anchor, "left"
                item.extent = (min(x0, anchor), max(x1, anchor + text_days) + pad)
            else:
                end = min(x1, hi) if not mark.exact else x0 - pad
                item.text_x, item.text_ha = end, "right"
                item.extent = (min(x0, end - text_days), max(x1, end) + pad)
            placed.append(item)
        placed.sort(key=lambda p: (p.extent[0], p.extent[1], p.mark.label))
        row_ends: list[float] = []
        for item in placed:
            for row, end in enumerate(row_ends):
                if end <= item.extent[0]:
                    item.row = row
                    row_ends[row] = item.extent[1]
                    break
            else:
                item.row = len(row_ends)
                row_ends.append(item.extent[1])
        return placed

    def draw_mark(self, ax: Axes, item: _Placed, row_top: float, lo: float, hi: float) -> None:
        mark = item.mark
        style = mark.style
        colour, alpha = _COLOURS[style], _ALPHA[style]
        y = row_top + 0.72
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
            )
        elif item.left_open and item.right_open:
            ax.plot(
                [lo, hi], [y, y], color=colour, alpha=0.35, linestyle=":", linewidth=2, zorder=3
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
            ax.plot(
                [known],
                [y],
                marker="|",
                markersize=7,
                color=colour,
                alpha=alpha,
                linestyle="none",
                zorder=4,
            )
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
            )
            ax.plot(
                [item.x0, item.x1],
                [y, y],
                marker="|",
                markersize=7,
                color=colour,
                alpha=alpha,
                linestyle="none",
                zorder=4,
            )
        text = ax.text(
            item.text_x,
            row_top + 0.45,
            self.text(mark.label),
            ha=item.text_ha,
            va="bottom",
            # No italic for the uncertain: DejaVu Sans Oblique has no Arabic glyphs.
            color=_LABEL_COLOURS[style],
            parse_math=False,
            clip_on=False,
            zorder=6,
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

    def legend(self, figure: Figure, height: float) -> None:
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], marker="o", color=_COLOURS[CERTAIN], linestyle="none"),
            Line2D([], [], color=_COLOURS[CERTAIN], linewidth=6, alpha=0.55),
            Line2D([], [], color=_COLOURS[POSSIBLE], linewidth=6, alpha=0.45),
            Line2D([], [], color=_COLOURS[CONFLICT], linewidth=6, alpha=0.6),
            Line2D([], [], marker=">", color=_COLOURS[CERTAIN], alpha=0.5, linewidth=2),
        ]
        labels = [
            "exact day",
            "known span (bounds ticked)",
            "possible",
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
            bbox_to_anchor=(0.5, 0.04 / height),
        )


def _set_language(text: Any, value: str) -> None:
    # libraqm picks Arabic letter forms better when told the language (matplotlib >= 3.11).
    if has_rtl(value) and hasattr(text, "set_language"):
        text.set_language("ar")

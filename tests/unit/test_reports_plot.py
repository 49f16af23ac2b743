"""Tests for ledger.reports.plot: the timeline picture in SVG and PNG."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ledger.dates import day_ordinal, parse_edtf
from ledger.domain.timeline import TimelineEntry
from ledger.errors import LedgerError, MissingExtraError, ReportError, UnknownFormatError
from ledger.reports import canvas, plot
from ledger.reports.plot import (
    Lane,
    Mark,
    Window,
    lane_of,
    mark_for,
    plot_timeline,
    timeline_svg,
    year_label,
)

np = pytest.importorskip("numpy")
pytest.importorskip("matplotlib")

SVG_NS = "{http://www.w3.org/2000/svg}"
AS_OF = day_ordinal(2021, 3, 10)
LANES = (
    Lane(
        "ILRS",
        (
            Mark("signed", day_ordinal(2021, 3, 9), day_ordinal(2021, 3, 9), True, "certain"),
            Mark("talks محادثات", day_ordinal(2020, 9, 1), day_ordinal(2021, 3, 8), False, "maybe"),
            Mark("station complete", day_ordinal(2030, 1, 1), None, False, "possible"),
        ),
    ),
    Lane(
        "البوابة القمرية Lunar Gateway",
        (Mark("proposed", None, day_ordinal(2017, 12, 31), False, "yes"),),
    ),
    Lane("مُحَادَثَات", (Mark("law passed", 734138, 734502, False, "conflict"),)),
    Lane("R&D <lab>", ()),
)


def svg_texts(svg: str) -> list[str]:
    """Every text string drawn in the SVG, as a browser would read it."""
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")]


def test_svg_names_every_lane_as_real_text() -> None:
    """Each lane label, Arabic in logical order, is a <text> element of the SVG."""
    texts = svg_texts(timeline_svg(LANES, as_of=AS_OF))
    for lane in LANES:
        assert lane.label in texts
    for mark in LANES[0].items:
        assert any(mark.label in text for text in texts)


def test_as_of_line_and_label_are_drawn_only_when_asked() -> None:
    """The as-of date adds a labelled vertical line; without it there is none."""
    with_line = timeline_svg(LANES, as_of=AS_OF)
    assert '<g id="as-of">' in with_line
    assert "as of 2021-03-10" in svg_texts(with_line)
    without = timeline_svg(LANES)
    assert '<g id="as-of"' not in without
    assert not any(t.startswith("as of") for t in svg_texts(without))


@pytest.mark.slow
def test_files_by_suffix_and_deterministic(tmp_path: Path) -> None:
    """SVG and PNG files are written by suffix, and the same input gives the same bytes."""
    for name in ("a.svg", "b.svg", "a.png", "b.PNG"):
        assert plot_timeline(LANES, tmp_path / name, as_of=AS_OF, title="Lunar programs") == (
            tmp_path / name
        )
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.PNG").read_bytes()
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "a.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    other = timeline_svg(LANES, as_of=AS_OF + 1, title="Lunar programs")
    assert other != (tmp_path / "a.svg").read_text(encoding="utf-8")


def test_svg_carries_no_date_or_creator_metadata() -> None:
    """Nothing in the SVG depends on when or by which version it was drawn."""
    svg = timeline_svg(LANES, as_of=AS_OF)
    assert "<dc:date>" not in svg
    assert "matplotlib.org" not in svg


def test_unknown_picture_suffix_is_refused(tmp_path: Path) -> None:
    """Only .svg, .png and .pdf are written; anything else names the valid formats."""
    with pytest.raises(UnknownFormatError, match="pdf, png, svg"):
        plot_timeline(LANES, tmp_path / "picture.jpg")
    assert not (tmp_path / "picture.jpg").exists()


def _figure_lines(lanes: tuple[Lane, ...]) -> tuple[tuple[float, float], list[list[float]]]:
    """The x limits and the x data of every line the picture draws."""
    figure = canvas.Canvas(list(lanes), AS_OF, None, raster=False).draw()
    ax = figure.axes[0]
    lo, hi = ax.get_xlim()
    return (lo, hi), [
        [float(x) for x in np.asarray(line.get_xdata(), dtype=float)] for line in ax.get_lines()
    ]


def test_marks_are_points_spans_and_open_ended_spans() -> None:
    """Exact days are points; bounded dates span earliest to the day after latest; open
    ends run to the axis edge."""
    exact, span, open_right = LANES[0].items
    (lo, hi), xs = _figure_lines((LANES[0], LANES[1]))
    assert [float(exact.earliest or 0)] in xs
    assert [float(span.earliest or 0), float((span.latest or 0) + 1)] in xs
    assert any(x[-1] == pytest.approx(hi) and x[0] > float(open_right.earliest or 0) for x in xs)
    assert any(x[0] == pytest.approx(lo) for x in xs)


def test_far_years_map_onto_the_axis() -> None:
    """Dates BCE and after 9999 are drawn and labelled on the same axis."""
    lanes = (
        Lane(
            "Rome",
            (
                Mark("founded", day_ordinal(-752, 4, 21), day_ordinal(-752, 4, 21), True),
                Mark("far future", day_ordinal(12000, 1, 1), None),
            ),
        ),
    )
    texts = svg_texts(timeline_svg(lanes, as_of=AS_OF))
    assert "Rome" in texts
    assert any("BCE" in t for t in texts)
    assert year_label(-43) == "44 BCE"
    assert year_label(0) == "1 BCE"


def test_short_spans_get_month_ticks() -> None:
    """A picture of a few months is labelled by month."""
    lanes = (Lane("ILRS", (Mark("March", day_ordinal(2021, 3, 1), day_ordinal(2021, 3, 31)),)),)
    assert "2021-03" in svg_texts(timeline_svg(lanes))


def test_empty_lanes_still_render() -> None:
    """Lanes without marks are drawn with their names and a note."""
    texts = svg_texts(timeline_svg((Lane("Nothing yet"),)))
    assert "Nothing yet" in texts
    assert "no dated events" in texts


def test_marks_validate_their_bounds() -> None:
    """A mark with bounds out of order, or an exact mark that is a span, is refused."""
    with pytest.raises(ReportError, match="after latest"):
        Mark("x", 10, 5)
    with pytest.raises(ReportError, match="exact"):
        Mark("x", 5, 10, exact=True)
    assert Mark("x", 5, 10, certainty="Maybe").style == "possible"
    assert Mark("x", 5, 10, certainty="odd").style == "possible"


def test_mark_for_historical_dates() -> None:
    """A day without qualifier is exact; a month or an uncertain day is a span."""
    day = mark_for("signed", parse_edtf("2021-03-09"))
    assert day.exact
    assert day.earliest == day.latest == day_ordinal(2021, 3, 9)
    month = mark_for("talks", parse_edtf("2020-12"), "maybe")
    assert not month.exact
    assert (month.earliest, month.latest) == (day_ordinal(2020, 12, 1), day_ordinal(2020, 12, 31))
    assert not mark_for("x", parse_edtf("2021-03-09?")).exact
    assert mark_for("x", parse_edtf("2021/..")).latest is None


def test_png_text_is_logical_when_matplotlib_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """With native shaping PNG labels stay logical; without it they are reshaped and reordered."""
    label = "محطة ILRS"
    monkeypatch.setattr(canvas, "_native_shaping", lambda: True)
    assert canvas.raster_text(label) == label
    monkeypatch.setattr(canvas, "_native_shaping", lambda: False)
    visual = canvas.raster_text(label)
    assert visual != label
    assert visual.startswith("ILRS")
    assert any("\ufe70" <= ch <= "\ufeff" for ch in visual)  # joined presentation forms
    assert canvas.raster_text("ILRS") == "ILRS"


def test_missing_matplotlib_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without matplotlib the error is a LedgerError naming the pip command for the plot extra."""
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    with pytest.raises(MissingExtraError, match=r"-m pip install .*\[plot\]") as caught:
        plot_timeline(LANES, tmp_path / "x.svg")
    assert isinstance(caught.value, LedgerError)
    assert isinstance(caught.value, ImportError)


def test_importing_reports_does_not_import_matplotlib() -> None:
    """The reports package and the plot module load without importing matplotlib."""
    code = (
        "import sys, ledger.reports, ledger.reports.plot; "
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    # The same ledger package this test run imports (installed or from the source tree).
    root = Path(plot.__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


def _entry(
    date: str, summary: str, conflict: bool = False, fact: str = "", fact_date: str = ""
) -> TimelineEntry:
    """A timeline entry with only what a lane reads."""
    value = parse_edtf(date)
    return TimelineEntry(
        fact=fact,
        fact_date=fact_date,
        date=value,
        earliest=value.earliest,
        latest=value.latest,
        entity="ilrs",
        event_type="TalksHeld",
        summary=summary,
        source="article",
        event_id="e1",
        conflict=conflict,
    )


def test_lane_of_timeline_entries_sets_certainty_as_of_a_day() -> None:
    """Claims begun by the as-of day are certain, those that may have are possible, later
    ones not yet; conflicting ones are conflicts; long summaries stay whole."""
    entries = [
        _entry("2021-03-09", "signed"),
        _entry("2020-09/2021-04", "talks"),
        _entry("2021-03", "month"),
        _entry("2030", "later"),
        _entry("2011", "law " + "x" * 80, conflict=True),
    ]
    lane = lane_of("ILRS", entries, as_of=AS_OF)
    assert lane.label == "ILRS"
    assert [m.style for m in lane.items] == [
        "certain",
        "certain",
        "possible",
        "not yet",
        "conflict",
    ]
    assert lane.items[0].exact
    assert not lane.items[1].exact
    assert lane.items[4].label == "law " + "x" * 80
    assert lane.items[0].date == "2021-03-09"
    assert {m.style for m in lane_of("ILRS", entries[:4]).items} == {"certain"}


def test_lane_of_merges_agreeing_claims_and_keeps_disagreeing_ones() -> None:
    """Claims of one happening that agree are one mark at the narrowed date; claims that
    disagree stay separate conflict marks."""
    entries = [
        _entry("2011", "law passed", fact="wolf", fact_date="2011-04-15"),
        _entry("2011-04-15", "law passed (public record)", fact="wolf", fact_date="2011-04-15"),
        _entry("2021-03-09", "signed", conflict=True, fact="sk", fact_date="2021-03-09/2021-05-27"),
        _entry(
            "2021-05-27",
            "signed later",
            conflict=True,
            fact="sk",
            fact_date="2021-03-09/2021-05-27",
        ),
    ]
    lane = lane_of("Wolf Amendment", entries, as_of=AS_OF)
    assert [m.label for m in lane.items] == ["law passed (2 sources)", "signed", "signed later"]
    assert lane.items[0].exact
    assert lane.items[0].earliest == day_ordinal(2011, 4, 15)
    assert [m.style for m in lane.items] == ["certain", "conflict", "conflict"]
    assert len(lane_of("x", entries, merge_facts=False).items) == 4


def test_long_lane_labels_put_each_name_on_its_own_line() -> None:
    """A lane named "English / Arabic" too wide for the margin shows both names whole."""
    english = "China–France bilateral space cooperation (CNSA–CNES) programme"
    arabic = "التعاون الفضائي الثنائي بين الصين وفرنسا"
    texts = svg_texts(timeline_svg((Lane(f"{english} / {arabic}", LANES[0].items),)))
    assert english in texts
    assert arabic in texts


def _label_boxes(lanes: tuple[Lane, ...]) -> dict[str, tuple[float, float, float, float]]:
    """Each drawn mark label's box in display pixels, by its number."""
    figure = canvas.Canvas(list(lanes), AS_OF, None, raster=False).draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = {}
    for text in figure.axes[0].texts:
        gid = text.get_gid() or ""
        if gid.startswith("label-"):
            box = text.get_window_extent(renderer)
            boxes[gid] = (box.x0, box.y0, box.x1, box.y1)
    return boxes


CROWDED = (
    Lane(
        "Gateway",
        (
            *(
                Mark(f"claim number {i} about the Gateway, said that week", day, day, True)
                for i, day in enumerate(range(day_ordinal(2020, 12, 1), day_ordinal(2020, 12, 8)))
            ),
            Mark("the whole decade", day_ordinal(2020, 1, 1), day_ordinal(2029, 12, 31)),
        ),
    ),
    LANES[0],
)


def test_labels_of_a_crowded_week_do_not_overlap() -> None:
    """Seven claims of one week and a decade-long span get labels that never overlap."""
    boxes = list(_label_boxes(CROWDED).values())
    assert len(boxes) == 8 + 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)


def test_every_mark_has_its_whole_label_as_tooltip_and_in_the_legend() -> None:
    """Each mark and label group carries a <title> with the whole label; the legend lists it."""
    long = "A label far longer than the picture shows beside its mark, kept whole elsewhere"
    lanes = (Lane("ILRS", (Mark(long, AS_OF, AS_OF, True, date="2021-03-10"),)),)
    svg = timeline_svg(lanes, AS_OF)
    root = ET.fromstring(svg)
    titles = {
        group.get("id"): "".join(group.find(f"{SVG_NS}title").itertext())  # type: ignore[union-attr]
        for group in root.iter(f"{SVG_NS}g")
        if group.find(f"{SVG_NS}title") is not None
    }
    assert set(titles) == {"mark-1", "label-1"}
    assert all(long in tip and "2021-03-10" in tip and "certain" in tip for tip in titles.values())
    assert any(long in text and text.startswith("1 ") for text in svg_texts(svg))
    assert not any(long in text for text in svg_texts(timeline_svg(lanes, AS_OF, legend=False)))


def test_a_window_keeps_only_marks_that_may_fall_within_it() -> None:
    """--from/--to: the axis spans the window; marks wholly outside it are left out."""
    window = Window(day_ordinal(2021, 1, 1), day_ordinal(2021, 12, 31))
    figure_lanes = [lane.within(window.first, window.last) for lane in LANES]
    assert [m.label for m in figure_lanes[0].items] == ["signed", "talks محادثات"]
    assert figure_lanes[1].items == ()
    texts = svg_texts(timeline_svg(LANES, AS_OF, window=window))
    assert not any("station complete" in t for t in texts)
    assert any("signed" in t for t in texts)
    figure = canvas.Canvas(figure_lanes, AS_OF, None, raster=False, window=window).draw()
    assert figure.axes[0].get_xlim() == (window.first, (window.last or 0) + 1)


@pytest.mark.slow
def test_pdf_is_written_and_deterministic(tmp_path: Path) -> None:
    """A .pdf suffix gives a PDF file, the same bytes for the same input."""
    first = plot_timeline(LANES, tmp_path / "a.pdf", AS_OF).read_bytes()
    assert first.startswith(b"%PDF")
    assert plot_timeline(LANES, tmp_path / "b.pdf", AS_OF).read_bytes() == first

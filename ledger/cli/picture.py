"""``ledger plot`` and ``ledger report``: the timeline picture, and an offline HTML report."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from ledger.app import Ledger
from ledger.cli.database import open_ledger
from ledger.cli.history import CONFLICT_COLUMNS
from ledger.cli.output import add_parser, write_file
from ledger.cli.state import COLUMNS, heading, merged_rows, names_of
from ledger.dates import parse_edtf
from ledger.domain.state import Row
from ledger.errors import OutputError
from ledger.reports.html import Section
from ledger.reports.plot import Lane


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``plot`` and ``report`` commands."""
    plot = add_parser(
        sub,
        common,
        "plot",
        summary="draw the timeline: one lane per program, exact days as points, spans for "
        "uncertain dates",
        description="Draw a timeline picture (SVG or PNG, by the suffix of --out): one lane "
        "per program, exact days as points, uncertain dates as spans showing their bounds, "
        "conflicting claims apart, and the as-of line. Labels are English / Arabic. Needs the "
        "'plot' extra (matplotlib).",
        example="ledger plot ILRS 'Lunar Gateway' --out timeline.svg --as-of 2021-03-10",
    )
    plot.add_argument(
        "programs",
        metavar="PROGRAM",
        nargs="*",
        help="programs to draw, any name or alias (default: every program)",
    )
    plot.add_argument("--out", required=True, metavar="FILE", help="FILE.svg or FILE.png")
    plot.add_argument(
        "--as-of", metavar="DATE", default=None, help="EDTF date of the as-of line (none if absent)"
    )
    plot.add_argument("--title", default=None, help="a title above the picture")
    plot.set_defaults(handler=handle_plot)

    report = add_parser(
        sub,
        common,
        "report",
        summary="write a self-contained HTML report: picture, each program's state, conflicts",
        description="Write one HTML file that opens in a browser with no network: the "
        "timeline picture, the state of every program as of the date, and every "
        "disagreement between sources. Needs the 'plot' extra (matplotlib).",
        example="ledger report --out report.html --as-of 2021-03-10",
    )
    report.add_argument("--out", required=True, metavar="FILE", help="FILE.html")
    report.add_argument(
        "--as-of", metavar="DATE", default=None, help="EDTF date of the states (default: today)"
    )
    report.set_defaults(handler=handle_report)


def _as_of_day(as_of: str | None) -> int | None:
    """The day of the as-of line: the first day of the date asked (certain means by then)."""
    return None if as_of is None else parse_edtf(as_of).earliest


def lanes_for(opened: Ledger, programs: list[str], as_of: int | None) -> list[Lane]:
    """One lane per program (every program when none is named), labelled English / Arabic."""
    from ledger.reports.plot import lane_of

    ids = [opened.projections.resolve(p) for p in programs] or list(opened.programs().ids())
    lanes = []
    for entity in dict.fromkeys(ids):
        english, arabic = names_of(opened, entity)
        label = " / ".join(n for n in (english, arabic) if n) or entity
        lanes.append(lane_of(label, opened.timeline(entity).entries, as_of))
    return lanes


def handle_plot(args: argparse.Namespace, out: TextIO) -> int:
    """Draw the picture to --out."""
    from ledger.reports.plot import plot_timeline

    as_of = _as_of_day(args.as_of)
    with open_ledger(args) as opened:
        lanes = lanes_for(opened, args.programs, as_of)
    try:
        written = plot_timeline(lanes, Path(args.out), as_of, args.title)
    except OSError as e:
        raise OutputError(args.out, e.strerror or str(e)) from None
    print(f"{len(lanes)} lanes -> {written}", file=out)
    return 0


def _picked(rows: list[Row]) -> list[Row]:
    return [{c: row.get(c) for c in COLUMNS} for row in rows]


def handle_report(args: argparse.Namespace, out: TextIO) -> int:
    """Write the HTML report to --out."""
    from ledger.reports.html import html_report
    from ledger.reports.plot import timeline_svg

    as_of = args.as_of or datetime.now(UTC).date().isoformat()
    day = _as_of_day(as_of)
    sections: list[Section] = []
    with open_ledger(args) as opened:
        lanes = lanes_for(opened, [], day)
        for entity in opened.programs().ids():
            state = opened.state(entity, as_of)
            english, arabic = names_of(opened, entity)
            sections.append((heading(state, english, arabic), _picked(merged_rows(state.rows()))))
        conflicts = opened.conflicts()
    sides = [{c: row.get(c) for c in CONFLICT_COLUMNS} for row in conflicts.rows()]
    sections.append((f"Disagreements between sources ({len(conflicts)})", sides))
    title = f"Ledger report as of {parse_edtf(as_of).edtf}"
    page = html_report(title, sections, timeline_svg(lanes, day, title))
    write_file(args.out, page)
    print(f"{len(sections) - 1} programs, {len(conflicts)} conflicts -> {args.out}", file=out)
    return 0

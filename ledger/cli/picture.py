"""``ledger plot`` and ``ledger report``: the timeline picture, and an offline HTML report."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from ledger.application.ledger import Ledger
from ledger.cli.database import open_ledger
from ledger.cli.output import add_parser, write_file
from ledger.cli.state import names_of
from ledger.dates import parse_edtf
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
        description="Draw a timeline picture (SVG, PNG or PDF, by the suffix of --out): one "
        "lane per program, exact days as points, uncertain dates as spans showing their "
        "bounds, coloured by their certainty as of --as-of, conflicting claims apart, and the "
        "as-of line. Each lane is in date order; every mark is numbered, and the legend under "
        "the picture (and, in SVG, the tooltip of each mark) gives its whole label, date and "
        "certainty. Lane names are English / Arabic. Needs the 'plot' extra (matplotlib).",
        example="ledger plot ILRS 'Lunar Gateway' --out timeline.svg --as-of 2021-03-10 "
        "--from 2020 --to 2021",
    )
    plot.add_argument(
        "programs",
        metavar="PROGRAM",
        nargs="*",
        help="programs to draw, any name or alias (default: every program)",
    )
    plot.add_argument("--out", required=True, metavar="FILE", help="FILE.svg, FILE.png or FILE.pdf")
    plot.add_argument(
        "--as-of", metavar="DATE", default=None, help="EDTF date of the as-of line (none if absent)"
    )
    plot.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        default=None,
        help="EDTF date: show history from its first day (default: the earliest mark)",
    )
    plot.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        default=None,
        help="EDTF date: show history up to its last day (default: the latest mark)",
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


def lanes_for(opened: Ledger, programs: list[str], as_of: str | None) -> list[Lane]:
    """One lane per program (every program when none is named), labelled English / Arabic.

    Marks are styled as of ``as_of``: a day, or honestly over a month or a year.
    """
    from ledger.views.pictures import lane_over

    ids = [opened.resolve(p) for p in programs] or list(opened.programs().ids())
    lanes = []
    for entity in dict.fromkeys(ids):
        english, arabic = names_of(opened, entity)
        label = " / ".join(n for n in (english, arabic) if n) or entity
        lanes.append(lane_over(label, opened.timeline(entity).entries, as_of))
    return lanes


def handle_plot(args: argparse.Namespace, out: TextIO) -> int:
    """Draw the picture to --out."""
    from ledger.reports.plot import Window, plot_timeline

    as_of = _as_of_day(args.as_of)
    window = Window(
        None if args.start is None else parse_edtf(args.start).earliest,
        None if args.end is None else parse_edtf(args.end).latest,
    )
    if "\x00" in args.out:  # checked before drawing: no file system accepts the name
        raise OutputError(args.out, "a file name cannot hold a NUL character")
    with open_ledger(args) as opened:
        lanes = lanes_for(opened, args.programs, args.as_of)
    try:
        written = plot_timeline(lanes, Path(args.out), as_of, args.title, window=window)
    except OSError as e:
        raise OutputError(args.out, e.strerror or str(e)) from None
    print(f"{len(lanes)} lanes -> {written}", file=out)
    return 0


def handle_report(args: argparse.Namespace, out: TextIO) -> int:
    """Write the HTML report to --out: the picture, each program's state, the disagreements."""
    from ledger.reports.html import html_report
    from ledger.reports.plot import timeline_svg
    from ledger.views.listings import conflicts_names
    from ledger.views.state import conflict_table, state_names, state_view

    as_of = args.as_of or datetime.now(UTC).date().isoformat()
    day = _as_of_day(as_of)
    sections: list[Section] = []
    with open_ledger(args) as opened:
        lanes = lanes_for(opened, [], as_of)
        for entity in opened.programs().ids():
            state = opened.state(entity, as_of)
            facts = state_view(state, state_names(opened, state)).tables[0]
            sections.append((facts.title, facts.rows or ({"": facts.empty},)))
        conflicts = opened.conflicts()
        names = conflicts_names(opened, conflicts)
    title = f"Disagreements between sources ({len(conflicts)})"
    sides = conflict_table(list(conflicts), names, title=title, with_entity=True)
    sections.append((sides.title, sides.rows))
    title = f"Ledger report as of {parse_edtf(as_of).edtf}"
    # The page heading names the report: a title inside the picture would say it twice.
    page = html_report(title, sections, timeline_svg(lanes, day))
    write_file(args.out, page)
    print(f"{len(sections) - 1} programs, {len(conflicts)} conflicts -> {args.out}", file=out)
    return 0

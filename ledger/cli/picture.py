"""``ledger plot`` and ``ledger report``: the timeline picture, and an offline HTML report."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands, add_known_at, add_parser, write_file
from ledger.dates import parse_edtf
from ledger.errors import OutputError, ReportError


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
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
        handler=handle_plot,
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
    add_known_at(plot)
    plot.add_argument("--title", default=None, help="a title above the picture")

    report = add_parser(
        sub,
        common,
        "report",
        summary="write a self-contained HTML report: picture, states, claims with their "
        "quotes, conflicts",
        description="Write one HTML file that opens in a browser with no network: a table of "
        "contents, filters by program and period, the timeline picture, the state of every "
        "program as of the date and every claim in date order, each line with its quote, a "
        "link to its source, its certainty and its confidence; then the disagreements, the "
        "corrections and the sources. With --known-at, only what the ledger had recorded by "
        "then. The picture needs the 'plot' extra (matplotlib); without it the report says so "
        "and has everything else.",
        example="ledger report --out report.html --as-of 2021-03-10",
        handler=handle_report,
    )
    report.add_argument("--out", required=True, metavar="FILE", help="FILE.html")
    report.add_argument(
        "--as-of", metavar="DATE", default=None, help="EDTF date of the states (default: today)"
    )
    add_known_at(report)


def _as_of_day(as_of: str | None) -> int | None:
    """The day of the as-of line: the first day of the date asked (certain means by then)."""
    return None if as_of is None else parse_edtf(as_of).earliest


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
        lanes = opened.lanes(args.programs, args.known_at, args.as_of)
    try:
        written = plot_timeline(lanes, Path(args.out), as_of, _title(args.title), window=window)
    except OSError as e:
        raise OutputError(args.out, e.strerror or str(e)) from None
    print(f"{len(lanes)} lanes -> {written}", file=out)
    return 0


def handle_report(args: argparse.Namespace, out: TextIO) -> int:
    """Write the HTML report to --out: contents, filters, picture, states, claims, conflicts."""
    as_of = args.as_of or datetime.now(UTC).date().isoformat()
    with open_ledger(args) as opened:
        page = opened.report_page(as_of, args.known_at)
    write_file(args.out, page.html)
    print(f"{page.summary} -> {args.out}", file=out)
    return 0


def _title(title: str | None) -> str | None:
    """The --title as given; undecodable bytes of the command line refused in one line."""
    if title is not None:
        try:
            title.encode("utf-8")
        except UnicodeEncodeError:
            raise ReportError(
                f"--title {title!r} is not valid text (it holds undecodable bytes)"
            ) from None
    return title

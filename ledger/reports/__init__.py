"""Rendering for people: tables in every tabulate format plus csv/json, a timeline picture, HTML.

The same functions serve the CLI and notebooks. The picture needs the optional ``plot`` extra;
matplotlib is imported only when a picture is drawn, so importing this package stays cheap.
"""

from __future__ import annotations

from ledger.reports.html import html_report
from ledger.reports.plot import Lane, Mark, mark_for, plot_timeline, timeline_svg
from ledger.reports.tables import FORMATS, cell_text, render

__all__ = [
    "FORMATS",
    "Lane",
    "Mark",
    "cell_text",
    "html_report",
    "mark_for",
    "plot_timeline",
    "render",
    "timeline_svg",
]

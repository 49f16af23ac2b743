"""Rendering for people: tables in every tabulate format plus csv/json, a timeline picture, HTML.

The same functions serve the CLI and notebooks. The picture needs the optional ``plot`` extra;
matplotlib is imported only when a picture is drawn, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.dates.lazy import lazy_attributes
from ledger.reports.tables import FORMATS, cell_text, render

if TYPE_CHECKING:
    from ledger.reports.html import html_report
    from ledger.reports.plot import Lane, Mark, mark_for, plot_timeline, timeline_svg

# The page and the picture are imported when first used: a table needs neither.
_LAZY = {
    "html_report": "ledger.reports.html",
    "Lane": "ledger.reports.plot",
    "Mark": "ledger.reports.plot",
    "mark_for": "ledger.reports.plot",
    "plot_timeline": "ledger.reports.plot",
    "timeline_svg": "ledger.reports.plot",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


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

"""Rendering for people: tables in every tabulate format plus csv/json, a timeline picture, HTML.

The same functions serve the CLI and notebooks. The picture needs the optional ``plot`` extra
and is imported lazily (``ledger.reports.plot``), so importing this package stays cheap.
"""

from __future__ import annotations

from ledger.reports.html import html_report
from ledger.reports.tables import FORMATS, cell_text, render

__all__ = ["FORMATS", "cell_text", "html_report", "render"]

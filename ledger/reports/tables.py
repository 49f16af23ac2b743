"""Rows of values rendered as a table in any tabulate format, or as csv, json or jsonl.

Text tables keep Arabic columns aligned: widths are display cells measured with wcwidth (Arabic
harakat take no cell), never code points. Cell values are shown in logical order, as stored;
the terminal does the bidi. So that a bidi-aware terminal cannot swap two neighbouring Arabic
cells (the separator between two right-to-left runs would join them into one run), every line
of a cell holding right-to-left letters ends with an invisible LEFT-TO-RIGHT MARK in the formats
meant to be read as they are; markup and machine formats get the bare values.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import enum
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence, Set
from html import escape

import tabulate

from ledger.dates.hostile import bidi_visible, spreadsheet_safe
from ledger.errors import UnknownFormatError

__all__ = [
    "DATA_FORMATS",
    "FORMATS",
    "TABLE_FORMATS",
    "cell_text",
    "columns_of",
    "has_rtl",
    "is_number",
    "json_value",
    "numeric_columns",
    "render",
    "visible_text",
]

TABLE_FORMATS: tuple[str, ...] = tuple(sorted(tabulate.tabulate_formats))
"""Every format tabulate knows, as installed."""

DATA_FORMATS: tuple[str, ...] = ("csv", "csv-raw", "json", "jsonl")
"""Formats for programs rather than people: exact values, no padding, no title. ``csv`` marks
cells a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@`` first) with a leading
``'`` and shows control characters; ``csv-raw`` writes every cell exactly as stored."""

FORMATS: tuple[str, ...] = tuple(sorted({*TABLE_FORMATS, *DATA_FORMATS}))
"""Every format ``render`` accepts (for argparse ``choices``)."""

# Markup and machine formats: their output is read through a renderer or a parser, where an
# added mark would be noise, and a free-standing title line would break the document.
_MARKUP_FORMATS = frozenset(
    {
        "asciidoc",
        "html",
        "jira",
        "latex",
        "latex_booktabs",
        "latex_longtable",
        "latex_raw",
        "mediawiki",
        "moinmoin",
        "textile",
        "tsv",
        "unsafehtml",
        "youtrack",
    }
)

# Formats where a cell's lines are laid out one under the other. Elsewhere a line break would
# end the row (tsv) or read as a new row once rendered (markdown, org, jira): it becomes a space.
_MULTILINE_FORMATS = frozenset(tabulate.multiline_formats) - {"github", "jira", "orgtbl", "pipe"}

_LRM = "\u200e"
# Everything str.splitlines() breaks on, so that tabulate and the terminal agree on lines.
_LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Left in a cell, these make wcwidth give up (-1) and the terminal act on them (ESC starts
# escape sequences): shown as their visible Control Pictures instead.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f]")


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def cell_text(value: object) -> str:
    """The text a table cell shows for ``value``: None is empty, collections are comma lists."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        inner = value.value
        return inner if isinstance(inner, str) else value.name.lower()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return ", ".join(f"{cell_text(k)}: {cell_text(v)}" for k, v in value.items())
    if isinstance(value, Set):
        return ", ".join(sorted(cell_text(v) for v in value))
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


def json_value(value: object) -> object:
    """``value`` as a JSON-ready value: numbers, text, booleans and null stay native."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        # NaN and infinities are not JSON; their text keeps the information.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value) if isinstance(value.value, str | int) else cell_text(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {cell_text(k): json_value(v) for k, v in value.items()}
    if isinstance(value, Set):
        return sorted((json_value(v) for v in value), key=cell_text)
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        return [json_value(v) for v in value]
    return str(value)


def is_number(value: object) -> bool:
    """Whether ``value`` is a number shown right-aligned (booleans and enums are not)."""
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(
        value, bool | enum.Enum
    )


def visible_text(text: str) -> str:
    """``text`` with every line break as ``\n``, tabs as spaces, other controls made visible
    (bidi overrides as ``<U+202E>``: they would reorder the screen)."""
    text = _CONTROLS.sub(_control_picture, _LINE_BREAKS.sub("\n", text).replace("\t", " "))
    return bidi_visible(text)


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew...)."""
    if text.isascii():  # most cells: ids, dates, English
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _table_text(text: str, fmt: str) -> str:
    """A cell's text made safe for a padded table of format ``fmt`` (see the module doc)."""
    text = visible_text(text)
    if fmt not in _MULTILINE_FORMATS:
        text = text.replace("\n", " ")
    if fmt in _MARKUP_FORMATS or not has_rtl(text):
        return text
    return "\n".join(line + _LRM if has_rtl(line) else line for line in text.split("\n"))


def numeric_columns(rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> list[bool]:
    """For each column, whether it holds numbers only (and at least one): those align right."""
    return [
        any(row.get(c) is not None for row in rows)
        and all(row.get(c) is None or is_number(row.get(c)) for row in rows)
        for c in columns
    ]


def columns_of(rows: Iterable[Mapping[str, object]]) -> list[str]:
    """Every key of ``rows``, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _one_line(text: str) -> str:
    return " ".join(_LINE_BREAKS.sub("\n", text).split())


def _with_title(table: str, title: str, fmt: str) -> str:
    line = _one_line(title)
    if fmt in ("html", "unsafehtml"):
        return table.replace("<table>", f"<table>\n<caption>{escape(line)}</caption>", 1)
    if fmt.startswith("latex"):
        return f"% {line}\n{table}"
    if fmt == "mediawiki":
        # tabulate leaves a placeholder caption line to fill.
        return table.replace("|+ <!-- caption -->", f"|+ {line}", 1)
    if fmt == "asciidoc":
        return f".{line}\n{table}"
    if fmt == "orgtbl":
        return f"#+CAPTION: {line}\n{table}"
    if fmt == "tsv":
        return table
    return f"{_table_text(line, fmt)}\n\n{table}"


def _csv_text(value: object) -> str:
    """A csv cell: true/false for booleans, lists joined by " | " (a quote may hold commas)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " | ".join(cell_text(v) for v in value)
    return cell_text(value)


def _csv_cell(value: object, guard: bool) -> str:
    """A csv cell as written: controls visible (ESC never reaches a terminal), and unless
    ``guard`` is off, text a spreadsheet would run as a formula marked as text (``'=...``)."""
    text = _csv_text(value)
    if not guard:
        return text
    text = _CONTROLS.sub(_control_picture, text)
    return text if is_number(value) else spreadsheet_safe(text)


def _csv(rows: list[Mapping[str, object]], columns: list[str], guard: bool = True) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(row.get(c), guard) for c in columns] for row in rows)
    # RFC 4180 allows the last record without its line break; callers print() the text.
    return buffer.getvalue().removesuffix("\r\n")


def render(
    rows: Sequence[Mapping[str, object]],
    fmt: str = "simple",
    columns: Sequence[str] | None = None,
    title: str | None = None,
    *,
    tight: bool = False,
) -> str:
    """``rows`` as text in format ``fmt`` (any of ``FORMATS``), without a final line break.

    ``columns`` picks and orders the columns (default: every key, in order of first
    appearance); a key missing from a row, like None, shows as an empty cell (null in json).
    ``title`` heads the people-facing formats and is left out of csv, json, jsonl and tsv.
    """
    if fmt not in FORMATS:
        raise UnknownFormatError(fmt, FORMATS)
    rows = list(rows)
    cols = list(columns) if columns is not None else columns_of(rows)
    if fmt in ("csv", "csv-raw"):
        return _csv(rows, cols, guard=fmt == "csv")
    if fmt == "latex":
        # A whole document that compiles (Arabic, wrapping columns); the other latex_*
        # formats stay tabulate's fragments.
        from ledger.reports.latex import latex_document

        return latex_document([(title or "", cols, rows)])
    if fmt == "json":
        objects = [{c: json_value(row.get(c)) for c in cols} for row in rows]
        return json.dumps(objects, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(
            json.dumps({c: json_value(row.get(c)) for c in cols}, ensure_ascii=False)
            for row in rows
        )
    numeric = numeric_columns(rows, cols)
    body = [[_table_text(cell_text(row.get(c)), fmt) for c in cols] for row in rows]
    # Values arrive as text: tabulate must not re-read "007" as 7 or print 1234567.0 as
    # 1.23457e+06; number columns still align right.
    # ``tight`` drops tabulate's extra padding of columns as wide as their header: what a
    # many-column table needs to fit a narrow terminal. tabulate has no argument for it.
    padding, tabulate.MIN_PADDING = tabulate.MIN_PADDING, 0 if tight else tabulate.MIN_PADDING
    try:
        table = tabulate.tabulate(
            body,
            headers=[_table_text(c, fmt) for c in cols],
            tablefmt=fmt,
            disable_numparse=True,
            colalign=["right" if n else "left" for n in numeric] if cols else None,
        )
    finally:
        tabulate.MIN_PADDING = padding
    return _with_title(table, title, fmt) if title else table

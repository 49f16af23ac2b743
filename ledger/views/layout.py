"""Views made of tables: one for people (names, wrapped cells, a title) and one for programs.

A view renders in any format of ``ledger.reports.tables``: the data formats (csv, json,
jsonl) give the exact rows with ids and every column; the table formats give the tables for
people, their long cells wrapped so that the whole fits the width asked for.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from collections.abc import Sequence

import attrs
from wcwidth import wcswidth

from ledger.domain.state import Evidence, Row
from ledger.reports.tables import (
    DATA_FORMATS,
    cell_text,
    has_rtl,
    json_value,
    render,
    visible_text,
)

__all__ = ["DEFAULT_WIDTH", "Footnotes", "Table", "View", "blank_repeats", "fit", "keeps_lines"]

DEFAULT_WIDTH = 120
"""Cells wrap to fit this many columns when no width is given."""

_MIN_WRAP = 12
_LEAST = 6
"""The narrowest a wrapped column gets when breaking words is the only way to fit."""


@attrs.frozen
class Table:
    """A table for people: a title, its columns, its rows, and which columns may wrap."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    wrap: frozenset[str] = frozenset()
    empty: str = ""
    """What to say instead of the table when it has no rows (empty: leave it out)."""


@attrs.frozen
class View:
    """The tables people read, and the rows and columns the data formats give instead."""

    tables: tuple[Table, ...]
    data: tuple[Row, ...]
    data_columns: tuple[str, ...] | None = None
    """The data formats' columns, in order (None: every key of the rows)."""
    document: object = None
    """What json gives instead of the rows when set (nested records: a state with its facts
    and, apart, its disagreements); csv and jsonl keep the flat rows."""

    def render(self, fmt: str = "simple", width: int | None = None) -> str:
        """The view in format ``fmt``, without a final line break; tables fit ``width``."""
        if fmt == "json" and self.document is not None:
            return json.dumps(json_value(self.document), ensure_ascii=False, indent=2)
        if fmt in DATA_FORMATS:
            return render(self.data, fmt, self.data_columns)
        if fmt == "latex":
            from ledger.reports.latex import latex_document

            return latex_document(
                [
                    (t.title, t.columns, t.rows or (({t.columns[0]: t.empty},) if t.empty else ()))
                    for t in self.tables
                    if t.rows or t.empty
                ]
            )
        parts = []
        for table in self.tables:
            if not table.rows:
                if table.empty:
                    parts.append(f"{table.title}\n\n{table.empty}" if table.title else table.empty)
                continue
            rows, tight = _fitted(table, fmt, width or DEFAULT_WIDTH)
            if table.title and keeps_lines(fmt):
                # A title as long as the table is wide would run past the terminal's edge.
                title = _title_lines(table.title, width or DEFAULT_WIDTH)
                parts.append(f"{title}\n\n{render(rows, fmt, table.columns, tight=tight)}")
            else:
                heading = table.title or None
                parts.append(render(rows, fmt, table.columns, title=heading, tight=tight))
        return "\n\n".join(parts)


def _title_lines(title: str, width: int) -> str:
    """A title wrapped to ``width``, each line holding Arabic ended by a LEFT-TO-RIGHT MARK as
    the table's cells are (see ``ledger.reports.tables``)."""
    lines = textwrap.wrap(visible_text(" ".join(title.split())), width, break_on_hyphens=False)
    return "\n".join(line + "\u200e" if has_rtl(line) else line for line in lines)


def _fitted(table: Table, fmt: str, width: int) -> tuple[Sequence[Row], bool]:
    """The table's rows wrapped so that, rendered in ``fmt``, they fit ``width`` if they can,
    and whether it takes the tight layout (no extra header padding) to get there.

    The format's own padding depends on the cells, so the table is measured once rendered,
    and fitted again to a smaller budget by what it overshot.
    """
    if not keeps_lines(fmt):
        return table.rows, False
    for tight in (False, True):
        budget = width
        rows = fit(table.rows, table.columns, table.wrap, budget, fmt, tight=tight)
        for _ in range(3):
            drawn = render(rows, fmt, table.columns, tight=tight)
            excess = max(map(_width, drawn.splitlines()), default=0) - width
            if excess <= 0:
                return rows, tight
            budget -= excess
            rows = fit(table.rows, table.columns, table.wrap, budget, fmt, tight=tight)
    return rows, True


@functools.cache
def keeps_lines(fmt: str) -> bool:
    """Whether format ``fmt`` shows a cell's lines one under the other (else they are joined
    with spaces, and wrapping would only split words that belong together)."""
    if fmt in DATA_FORMATS or fmt == "latex":
        return False
    return "a b" not in render([{"c": "a\nb"}], fmt, ["c"])


def _overhead(columns: Sequence[str], fmt: str, tight: bool = False) -> int:
    """How many characters format ``fmt`` adds around and between these columns."""
    return _drawn_overhead(tuple(columns), fmt, tight)


@functools.lru_cache(maxsize=256)
def _drawn_overhead(columns: tuple[str, ...], fmt: str, tight: bool) -> int:
    if fmt in DATA_FORMATS:
        return 0
    # Cells wider than their headers, as in a table worth fitting (headers get extra padding).
    cells = {c: "x" * (_width(c) + 4) for c in columns}
    sample = render([cells], fmt, columns, tight=tight)
    widest = max(map(_width, sample.splitlines()), default=0)
    return max(0, widest - sum(map(len, cells.values())))


_MARK = "\x00"  # a break opportunity, removed once the text is wrapped
# Where an interval or a set of dates may break: after "/", ".." and ",".
_BREAKS = re.compile(r"(/(?=[\[\d.])|\.\.(?=[\d\[])|,)")


# The fitter measures and wraps the same cells many times (each column's budget, each try of
# a layout, every table of a view): the text functions below are pure, so they are cached.
_CACHED = functools.lru_cache(maxsize=8192)


@_CACHED
def _wrapped(text: str, width: int, force: bool = False, hyphens: bool = True) -> str:
    """``text`` in lines of at most ``width``, breaking words only after their own hyphens or
    slashes, and only words too long for the line (a long source id, an interval); with
    ``force``, also inside a word, when nothing else fits."""
    lines = []
    for part in text.split("\n"):
        long = _longest_word(part) > width
        marked = _BREAKS.sub(rf"\1{_MARK} ", part) if long else part
        filled = textwrap.fill(
            marked, width, break_long_words=force, break_on_hyphens=long and hyphens
        )
        lines.append(filled.replace(f"{_MARK} ", "").replace(_MARK, ""))
    return "\n".join(lines)


_DATES = frozenset({"date", "before", "after"})
"""Columns holding EDTF dates."""


@_CACHED
def _date_piece(text: str) -> int:
    """The widest part of a date between the breaks of intervals and sets (see _BREAKS)."""
    pieces = [p for line in text.split("\n") for p in _BREAKS.sub("\\1\n", line).split("\n")]
    return max((_width(p) for p in pieces), default=0)


@_CACHED
def _longest_word(text: str) -> int:
    return max(map(_width, text.split()), default=0)


@_CACHED
def _longest_piece(text: str) -> int:
    """The width of the longest part of ``text`` that no wrapping can break."""
    return _width(_wrapped(text, 1)) if text else 0


@_CACHED
def _width(text: str) -> int:
    return max((max(wcswidth(line), len(line)) for line in text.split("\n")), default=0)


def fit(
    rows: Sequence[Row],
    columns: Sequence[str],
    wrap: frozenset[str],
    width: int,
    fmt: str = "grid",
    *,
    tight: bool = False,
) -> list[Row]:
    """``rows`` as text, cells of the ``wrap`` columns broken into lines to fit ``width``.

    The widest wrappable column gives way first (the leftmost among equals, so the result
    never depends on the order of a set); none goes below a readable minimum or breaks a
    word except after a hyphen, so a table may still be wider than asked.
    """
    texts = [{c: cell_text(row.get(c)) for c in columns} for row in rows]
    widths = {c: max([_width(c), *(_width(t[c]) for t in texts)]) for c in columns}
    wrappable = [c for c in columns if c in wrap]
    excess = sum(widths.values()) - (width - _overhead(columns, fmt, tight))
    # Columns give way down to their longest word; only if that is not enough, down to the
    # longest piece between hyphens and slashes; last, down to a few characters, breaking
    # words, rather than run past the terminal's edge.
    # A date breaks only after the "/" of an interval, never inside a date ("2020-/07").
    dates = {
        c: max([_date_piece(t[c]) for t in texts], default=0) for c in wrappable if c in _DATES
    }
    for piece in (_longest_word, _longest_piece, None):
        least = {
            c: max([_width(c), *(piece(t[c]) for t in texts), _MIN_WRAP, dates.get(c, 0)])
            if piece is not None
            else max(_width(c), _LEAST, dates.get(c, 0))
            for c in wrappable
        }
        while excess > 0:
            shrinkable = [c for c in wrappable if widths[c] > least[c]]
            if not shrinkable:
                break
            widths[max(shrinkable, key=widths.__getitem__)] -= 1
            excess -= 1
    out: list[Row] = []
    for row, text in zip(rows, texts, strict=True):
        line: Row = {c: row.get(c) for c in columns}
        for c in wrappable:
            if _width(text[c]) > widths[c]:
                force = widths[c] < _longest_piece(text[c]) and c not in _DATES
                line[c] = _wrapped(text[c], widths[c], force, hyphens=c not in _DATES)
        out.append(line)
    return out


def blank_repeats(rows: Sequence[Row], columns: Sequence[str]) -> list[Row]:
    """``rows`` with the ``columns`` left empty where they repeat the row above (groups)."""
    out: list[Row] = []
    previous: tuple[object, ...] | None = None
    for row in rows:
        key = tuple(row.get(c) for c in columns)
        out.append({**row, **dict.fromkeys(columns, "")} if key == previous else dict(row))
        previous = key
    return out


class Footnotes:
    """Quotes cited by number, like a historian's footnotes: one note per event, reused.

    Many facts rest on the same claims (an agreement makes a status, members and the
    agreement itself); each claim's quote is printed once and the facts refer to it.
    """

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._notes: list[Evidence] = []

    def refs(self, why: Sequence[Evidence]) -> str:
        """The note numbers of these claims ("1-3, 5"), numbering new ones as they come."""
        numbers = []
        for evidence in why:
            number = self._numbers.get(evidence.event_id)
            if number is None:
                self._notes.append(evidence)
                number = self._numbers[evidence.event_id] = len(self._notes)
            numbers.append(number)
        return _ranges(sorted(set(numbers)))

    def table(self, title: str = "Quotes") -> Table:
        """The notes: number, source (and the text holding the quote) and event id, the exact
        quote, and what a reader must know of it (rank, role, corrections, known errors)."""
        rows: tuple[Row, ...] = tuple(
            {
                "n": number,
                "source, event": "\n".join(
                    (
                        evidence.source,
                        *((f"as cited by {evidence.quote_in}",) if evidence.quote_in else ()),
                        evidence.event_id,
                    )
                ),
                "date": "" if evidence.date is None else evidence.date.edtf,
                "quote": evidence.quote,
                "remarks": _remarks(evidence),
            }
            for number, evidence in enumerate(self._notes, start=1)
        )
        columns: tuple[str, ...] = ("n", "source, event", "date", "quote")
        if any(row["remarks"] for row in rows):
            columns += ("remarks",)
        return Table(title, columns, rows, frozenset({"quote", "remarks", "source, event", "date"}))


def _remarks(evidence: Evidence) -> str:
    """What a reader must know of a quoted claim: its rank, its role, corrections."""
    notes = []
    if evidence.rank != "normal":
        notes.append(f"[{evidence.rank}: {evidence.rank_reason}]")
    elif evidence.role == "supports":
        notes.append("[supports a more precise claim]")
    elif evidence.role == "ends":
        notes.append("[may have ended it by then]")
    elif evidence.role == "bounds":
        notes.append("[its earliest possible start: nothing of it can have begun before]")
    elif evidence.role == "start-conflict":
        notes.append("[its earliest possible start, which this date precedes: one is wrong]")
    notes.extend(f"[{remark}]" for remark in evidence.remarks if remark != evidence.rank_reason)
    return "\n".join(notes)


def _ranges(numbers: Sequence[int]) -> str:
    """Note numbers as ranges: "1-3, 5" for [1, 2, 3, 5]."""
    parts: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    return ", ".join(parts)

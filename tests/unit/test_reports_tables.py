"""Tests for ledger.reports.tables: every format, Arabic alignment, exact data formats."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import itertools
import json
import re
from collections.abc import Mapping, Sequence

import pytest
import tabulate
import wcwidth
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError, UnknownFormatError
from ledger.reports.tables import DATA_FORMATS, FORMATS, cell_text, render

LRM = "\u200e"

# Letters with harakat (zero display cells), a mixed Arabic/Latin cell, plain Latin.
ROWS: list[dict[str, object]] = [
    {"program": "ILRS", "arabic": "مَحَطَّةُ أبحاث القمر الدولية", "note": "وكالة ناسا NASA", "n": 3},
    {"program": "Lunar Gateway", "arabic": "البوابة القمرية", "note": "Gateway بوابة", "n": 12},
    {"program": "Artemis", "arabic": "أرتميس", "note": None, "n": None},
]

BOX_FORMATS = [
    "grid",
    "github",
    "pipe",
    "psql",
    "orgtbl",
    "pretty",
    "fancy_grid",
    "simple_grid",
    "rounded_grid",
    "heavy_grid",
    "double_grid",
    "mixed_grid",
    "outline",
    "fancy_outline",
]
SEPARATORS = set("|+:║╬╦╩╔╗╚╝╠╣═│┃┼┬┴├┤┌┐└┘╭╮╰╯╋┳┻┣┫┏┓┗┛╒╕╘╛╞╡╪╤╧┍┑┕┙┝┥┿┯┷")


def display_cells(line: str) -> list[tuple[int, str]]:
    """Each character of ``line`` with the display column it is drawn in."""
    out: list[tuple[int, str]] = []
    col = 0
    for ch in line:
        width = wcwidth.wcwidth(ch)
        assert width >= 0, f"unmeasurable character {ch!r} in {line!r}"
        # A zero-width character (haraka, mark) belongs to the character before it.
        out.append((col - 1 if width == 0 and col else col, ch))
        col += width
    return out


def separator_columns(line: str) -> set[int]:
    """Display columns that hold a table-drawing character."""
    return {col for col, ch in display_cells(line) if ch in SEPARATORS}


def slice_columns(line: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The text of ``line`` that falls in each display-column span, stripped, marks removed."""
    parts = ["" for _ in spans]
    for col, ch in display_cells(line):
        for i, (start, end) in enumerate(spans):
            if start <= col < end:
                parts[i] += ch
    return [p.replace(LRM, "").strip() for p in parts]


def expected_cells(rows: Sequence[Mapping[str, object]], cols: Sequence[str]) -> list[list[str]]:
    """What each cell should show."""
    return [list(cols)] + [[cell_text(r.get(c)) for c in cols] for r in rows]


def test_formats_cover_tabulate_and_data_formats() -> None:
    """FORMATS offers every tabulate format plus csv, json and jsonl."""
    assert set(FORMATS) == set(tabulate.tabulate_formats) | {"csv", "json", "jsonl"}
    assert set(DATA_FORMATS) == {"csv", "json", "jsonl"}
    assert list(FORMATS) == sorted(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_arabic_cells(fmt: str) -> None:
    """Each format renders the table and shows every header and Arabic value unchanged."""
    text = render(ROWS, fmt)
    assert text
    if fmt == "latex":
        # The document marks each Arabic run for babel: read the runs back without the marks.
        text = re.sub(r"\\foreignlanguage\{arabic\}\{([^}]*)\}", r"\1", text)
    for value in ("program", "arabic", "ILRS", "Lunar Gateway"):
        assert value in text
    for row in ROWS:
        for cell in (row["arabic"], row["note"]):
            if cell is not None:
                assert str(cell) in text
    assert "None" not in text


@pytest.mark.parametrize("fmt", BOX_FORMATS)
def test_box_formats_align_arabic_columns(fmt: str) -> None:
    """Every line has the same display width, separators line up, cells read back intact."""
    lines = render(ROWS, fmt).splitlines()
    assert len({wcwidth.wcswidth(line) for line in lines}) == 1, lines
    content = [line for line in lines if any(ch.isalnum() for ch in line)]
    columns = separator_columns(content[0])
    assert all(separator_columns(line) == columns for line in content)
    edges = sorted(columns)
    spans = [(a + 1, b) for a, b in itertools.pairwise(edges)]
    cols = ["program", "arabic", "note", "n"]
    assert [slice_columns(line, spans) for line in content] == expected_cells(ROWS, cols)


@pytest.mark.parametrize("fmt", ["simple", "plain", "rst", "presto"])
def test_column_formats_align_arabic_columns(fmt: str) -> None:
    """Cells of whitespace-separated formats sit in the same display columns on every line."""
    cols = ["program", "arabic", "note", "n"]
    lines = render(ROWS, fmt, columns=cols).splitlines()
    # Column spans are the runs of the rule under the header (plain has none: take simple's).
    rule = next(
        line
        for line in render(ROWS, fmt if fmt != "plain" else "simple").splitlines()
        if set(line) <= set("-=+ ") and any(c in line for c in "-=")
    )
    spans = [(m.start(), m.end()) for m in re.finditer(r"[-=]+", rule)]
    content = [line for line in lines if any(ch.isalnum() for ch in line)]
    assert [slice_columns(line, spans) for line in content] == expected_cells(ROWS, cols)


arabic_text = (
    st.text(
        alphabet=st.sampled_from(
            list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى")
            + list("\u064e\u064f\u0650\u0651\u0652\u064b")
            + list("abcXYZ019 -")
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(lambda s: bool(s) and wcwidth.wcswidth(s) > 0)
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(arabic_text, arabic_text), min_size=1, max_size=5))
def test_grid_alignment_holds_for_any_arabic_text(pairs: list[tuple[str, str]]) -> None:
    """Arabic letters, harakat and Latin in any mix give equal-width, readable grid lines."""
    rows = [{"a": a, "b": b} for a, b in pairs]
    lines = render(rows, "grid").splitlines()
    assert len({wcwidth.wcswidth(line) for line in lines}) == 1
    edges = sorted(separator_columns(lines[0]))
    spans = [(a + 1, b) for a, b in itertools.pairwise(edges)]
    body = [slice_columns(line, spans) for line in lines[3::2]]
    assert body == [[a, b] for a, b in pairs]


def test_values_are_shown_as_given() -> None:
    """Strings that look like numbers keep their text; floats keep their digits; None is empty."""
    rows = [{"code": "007", "exp": "1e5", "x": 1234567.0, "none": None}]
    text = render(rows, "plain")
    assert "007" in text
    assert "1e5" in text
    assert "1234567.0" in text
    assert "None" not in text
    assert "100000" not in text


def test_number_columns_align_right() -> None:
    """A column of numbers is right-aligned, a column of text left-aligned."""
    rows = [{"name": "a", "count": 5}, {"name": "bbbbbb", "count": 12345}]
    lines = render(rows, "plain").splitlines()
    assert lines[1].startswith("a ")
    assert lines[1].endswith("    5")


def test_right_to_left_cells_end_with_a_mark_in_terminal_formats_only() -> None:
    """A left-to-right mark follows Arabic cells in terminal tables, not in markup or data."""
    assert "القمرية" + LRM in render(ROWS, "grid")
    assert "القمرية" + LRM in render(ROWS, "simple")
    assert "ILRS" + LRM not in render(ROWS, "grid")
    for fmt in ("html", "latex", "tsv", "mediawiki", "csv", "json", "jsonl"):
        assert LRM not in render(ROWS, fmt)


def test_control_characters_are_made_visible_in_tables() -> None:
    """Escape sequences and tabs cannot reach the terminal or break alignment."""
    rows = [{"a": "red\x1b[31mtext\tend"}, {"a": "x"}]
    text = render(rows, "grid")
    assert "\x1b" not in text
    assert "\t" not in text
    assert "␛[31m" in text
    assert len({wcwidth.wcswidth(line) for line in text.splitlines()}) == 1


def test_multiline_cells_stay_in_one_row_in_markdown() -> None:
    """A line break splits a grid cell over lines but becomes a space in pipe tables."""
    rows = [{"a": "سطر أول\nsecond"}]
    assert "سطر أول second" in render(rows, "pipe")
    assert "سطر أول second" in render(rows, "tsv")
    grid = render(rows, "grid").splitlines()
    assert any("second" in line for line in grid)
    assert not any("أول second" in g for g in grid)


def test_title_heads_people_formats_and_not_data() -> None:
    """A title appears above text tables, as an HTML caption (escaped), and never in data."""
    assert render(ROWS, "grid", title="Programs").startswith("Programs\n\n+")
    html = render(ROWS, "html", title="<b>برامج</b>")
    assert "<caption>&lt;b&gt;برامج&lt;/b&gt;</caption>" in html
    assert "|+ Programs" in render(ROWS, "mediawiki", title="Programs")
    assert render(ROWS, "latex_booktabs", title="Programs").startswith("% Programs\n")
    assert "\\section*{Programs}" in render(ROWS, "latex", title="Programs")
    for fmt in ("csv", "json", "jsonl", "tsv"):
        assert "Programs" not in render(ROWS, fmt, title="Programs")


def test_columns_select_and_order() -> None:
    """``columns`` picks and orders columns; a key missing from a row shows empty."""
    text = render(ROWS, "csv", columns=["n", "program", "missing"])
    assert text.splitlines()[0] == "n,program,missing"
    assert text.splitlines()[1] == "3,ILRS,"


def test_csv_round_trips_text_with_quotes_commas_and_newlines() -> None:
    """csv.DictReader reads back exactly the cell texts, RFC 4180 line endings included."""
    rows: list[dict[str, object]] = [
        *ROWS,
        {"program": 'say "hi", then\nleave', "arabic": "قال: «نعم»", "n": 0},
    ]
    text = render(rows, "csv")
    assert "\r\n" in text
    assert not text.endswith("\r\n")
    back = list(csv.DictReader(io.StringIO(text, newline="")))
    cols = ["program", "arabic", "note", "n"]
    assert [[r[c] for c in cols] for r in back] == expected_cells(rows, cols)[1:]


class Level(enum.Enum):
    """A sample enum."""

    HIGH = "high"


def test_json_and_jsonl_round_trip_native_values() -> None:
    """json is a list of objects with native numbers and null; jsonl holds one object a line."""
    rows: list[dict[str, object]] = [
        *ROWS,
        {
            "program": "x",
            "when": dt.date(2021, 3, 9),
            "tags": ("a", "ب"),
            "level": Level.HIGH,
            "ok": True,
        },
    ]
    cols = ["program", "arabic", "note", "n", "when", "tags", "level", "ok"]
    expected = [
        {
            "program": r.get("program"),
            "arabic": r.get("arabic"),
            "note": r.get("note"),
            "n": r.get("n"),
            "when": None,
            "tags": None,
            "level": None,
            "ok": None,
        }
        for r in ROWS
    ] + [
        {
            "program": "x",
            "arabic": None,
            "note": None,
            "n": None,
            "when": "2021-03-09",
            "tags": ["a", "ب"],
            "level": "high",
            "ok": True,
        }
    ]
    text = render(rows, "json")
    assert "مَحَطَّةُ" in text  # not \u escapes
    assert json.loads(text) == expected
    assert [json.loads(line) for line in render(rows, "jsonl").splitlines()] == expected
    assert list(json.loads(text)[0]) == cols


def test_empty_rows_render_headers_or_nothing() -> None:
    """No rows give a header-only table, an empty json list and no jsonl lines."""
    assert "program" in render([], "grid", columns=["program"])
    assert render([], "json") == "[]"
    assert render([], "jsonl") == ""
    assert render([], "csv", columns=["a", "b"]) == "a,b"


def test_unknown_format_names_the_valid_ones() -> None:
    """An unknown format raises an error that is a ValueError and lists the valid formats."""
    with pytest.raises(UnknownFormatError) as caught:
        render(ROWS, "excel")
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, LedgerError)
    assert error.fmt == "excel"
    assert "grid" in error.valid
    assert "'excel'" in str(error)
    assert "csv" in str(error)
    assert "latex_booktabs" in str(error)


def test_cell_text_of_common_values() -> None:
    """Cells show None as empty, booleans as yes/no, dates in ISO, collections as lists."""
    assert cell_text(None) == ""
    assert cell_text(True) == "yes"
    assert cell_text(dt.datetime(2021, 3, 9, 12, 0, tzinfo=dt.UTC)) == "2021-03-09T12:00:00+00:00"
    assert cell_text(["روسيا", "China"]) == "روسيا, China"
    assert cell_text(frozenset({"b", "a"})) == "a, b"
    assert cell_text(Level.HIGH) == "high"

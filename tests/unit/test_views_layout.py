"""Views for people: cells wrapped to a width, repeated group cells blanked, quotes as notes."""

from __future__ import annotations

import json

import pytest
from wcwidth import wcswidth

from ledger.domain.state import Evidence, Row
from ledger.views.layout import Footnotes, Table, View, blank_repeats, fit, keeps_lines


def widest_line(text: str) -> int:
    """The display width of the widest line of ``text``."""
    return max(wcswidth(line) for line in text.splitlines())


LONG: list[Row] = [
    {
        "n": 1,
        "fact": "an agreement with a rather long name that needs several lines",
        "detail": "parties: China, Russia; signed by: Zhang Kejian, Dmitry Rogozin",
    },
    {"n": 22, "fact": "short", "detail": "وقعت روسيا والصين اتفاقية لبناء محطة أبحاث القمر"},
]


@pytest.mark.parametrize("width", [60, 80, 100])
def test_fit_keeps_a_simple_table_within_the_width(width: int) -> None:
    """Wrappable cells are broken into lines so that the rendered table fits the width."""
    table = Table("", ("n", "fact", "detail"), tuple(LONG), frozenset({"fact", "detail"}))
    view = View((table,), ())
    text = view.render("simple", width)
    assert widest_line(text) <= width


def test_fit_keeps_words_whole_and_numbers_as_numbers() -> None:
    """Wrapping breaks only between words, and leaves unwrapped cells (numbers) untouched."""
    rows = fit(LONG, ("n", "fact", "detail"), frozenset({"fact", "detail"}), 50, "simple")
    assert [r["n"] for r in rows] == [1, 22]
    assert str(rows[0]["fact"]).split() == str(LONG[0]["fact"]).split()
    assert "\n" in str(rows[0]["fact"])


def test_fit_breaks_a_long_id_only_after_its_hyphens() -> None:
    """A source id too long for the column breaks after a hyphen, never inside a word."""
    rows: list[Row] = [{"sources": "russiabusinesstoday-moon-base-talks; tass-1263979"}]
    wrapped = str(fit(rows, ("sources",), frozenset({"sources"}), 24, "plain")[0]["sources"])
    assert all(len(line) <= 24 for line in wrapped.splitlines())
    joined = wrapped.replace("\n", "").replace(" ", "")
    assert joined == "russiabusinesstoday-moon-base-talks;tass-1263979"
    assert "russiabusinesstoday-\n" in wrapped


def test_fit_leaves_a_table_that_fits_alone() -> None:
    """Nothing is wrapped when the table already fits."""
    rows: list[Row] = [{"fact": "a b c", "detail": "d e f"}]
    assert fit(rows, ("fact", "detail"), frozenset({"fact", "detail"}), 80) == rows


def test_blank_repeats_empties_group_cells_under_the_first() -> None:
    """Consecutive rows of one group show its cells once; a new group shows them again."""
    rows: list[Row] = [
        {"about": "location", "value": "orbit"},
        {"about": "location", "value": "surface"},
        {"about": "mode", "value": "virtually"},
    ]
    shown = blank_repeats(rows, ("about",))
    assert [r["about"] for r in shown] == ["location", "", "mode"]
    assert [r["value"] for r in shown] == ["orbit", "surface", "virtually"]


def evidence(event_id: str, quote: str) -> Evidence:
    """A claim backing a fact, with its quote."""
    return Evidence(event_id=event_id, event_type="ClaimMade", source="article-ar", quote=quote)


def test_footnotes_number_each_claim_once_and_give_ranges() -> None:
    """A claim cited by several lines keeps its number; consecutive numbers read as ranges."""
    notes = Footnotes()
    a, b, c, d = (evidence(str(i), f"quote {i}") for i in range(4))
    assert notes.refs([a, b, c]) == "1-3"
    assert notes.refs([c, a]) == "1, 3"
    assert notes.refs([d, b]) == "2, 4"
    table = notes.table()
    assert [r["n"] for r in table.rows] == [1, 2, 3, 4]
    assert [r["quote"] for r in table.rows] == ["quote 0", "quote 1", "quote 2", "quote 3"]
    assert all(str(r["source, event"]).endswith(f"\n{i}") for i, r in enumerate(table.rows))


def test_view_gives_exact_rows_to_data_formats_and_tables_to_people() -> None:
    """json holds the data rows and columns; a table format holds the people's table."""
    people = Table("Title", ("fact",), ({"fact": "China"},))
    view = View((people,), ({"fact": "china", "extra": 1},), ("fact", "extra"))
    assert json.loads(view.render("json")) == [{"fact": "china", "extra": 1}]
    text = view.render("simple")
    assert text.startswith("Title")
    assert "China" in text
    assert "extra" not in text


def test_empty_table_says_why_instead_of_an_empty_grid() -> None:
    """A table without rows prints its title and its explanation; one without one is left out."""
    view = View(
        (Table("Heading", ("fact",), (), empty="nothing had begun"), Table("Other", ("x",), ())),
        (),
    )
    assert view.render("grid") == "Heading\n\nnothing had begun"


def test_only_formats_that_keep_lines_get_wrapped_cells() -> None:
    """grid and simple show a cell's lines; html and github would join them, so no wrapping."""
    table = Table("", ("fact",), ({"fact": "word " * 40},), frozenset({"fact"}))
    assert keeps_lines("grid")
    assert not keeps_lines("github")
    assert widest_line(View((table,), ()).render("simple", 40)) <= 40
    assert ("word " * 40).strip() in View((table,), ()).render("html", 40)

"""``ledger plot`` and ``ledger report``: the picture names every lane; the report is offline."""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import pytest
from cli_run import run

import ledger

pytest.importorskip("matplotlib")
pytestmark = pytest.mark.usefixtures("cli_env")


def svg_text(svg: str) -> str:
    """Every <text> element's content, joined by spaces and whitespace-normalised."""
    parts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    plain = " ".join(unescape(re.sub(r"<[^>]+>", " ", p)) for p in parts)
    return " ".join(plain.split())


@pytest.mark.slow
def test_svg_names_every_program_lane(article_db: str, tmp_path: Path) -> None:
    """Without PROGRAM, the SVG has one lane per program, each named in the picture's text."""
    out = tmp_path / "timeline.svg"
    code, stdout, err = run("plot", "--out", str(out), "--as-of", "2021-03-10", "--db", article_db)
    with ledger.open(article_db) as opened:
        programs = list(opened.programs())
    text = svg_text(out.read_text(encoding="utf-8"))
    assert (code, err) == (0, "")
    assert stdout.startswith(f"{len(programs)} lanes")
    for program in programs:
        assert program.name_en in text
        assert program.name_ar in text


@pytest.mark.slow
def test_plot_named_programs_in_arabic(article_db: str, tmp_path: Path) -> None:
    """Programs named in Arabic get their own lanes."""
    out = tmp_path / "two.svg"
    code, stdout, _ = run("plot", "بوابة القمر", "ILRS", "--out", str(out), "--db", article_db)
    text = svg_text(out.read_text(encoding="utf-8"))
    assert code == 0
    assert stdout.startswith("2 lanes")
    assert "Lunar Gateway" in text
    assert "International Lunar Research Station" in text
    assert "Wolf Amendment" not in text


@pytest.mark.slow
def test_plot_from_to_keeps_the_period_and_writes_pdf(article_db: str, tmp_path: Path) -> None:
    """--from/--to leave out what cannot fall in the period; a .pdf suffix writes a PDF."""
    whole, part, pdf = (tmp_path / n for n in ("whole.svg", "part.svg", "ilrs.pdf"))
    assert run("plot", "ILRS", "Wolf Amendment", "--out", str(whole), "--db", article_db)[0] == 0
    code, _, err = run(
        "plot", "ILRS", "Wolf Amendment", "--out", str(part), "--from", "2021", "--to", "2021",
        "--db", article_db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Wolf Amendment" in svg_text(part.read_text(encoding="utf-8"))
    assert "2011-04-15" in svg_text(whole.read_text(encoding="utf-8"))
    assert "2011-04-15" not in svg_text(part.read_text(encoding="utf-8"))
    assert run("plot", "ILRS", "--out", str(pdf), "--db", article_db)[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_plot_known_at_draws_only_what_was_recorded_by_then(
    article_db: str, tmp_path: Path
) -> None:
    """--known-at before the corpus was recorded draws the lane with no marks at all."""
    out = tmp_path / "then.svg"
    code, _, err = run(
        "plot", "ILRS", "--known-at", "1990-01-01", "--out", str(out), "--db", article_db
    )
    assert (code, err) == (0, "")
    text = svg_text(out.read_text(encoding="utf-8"))
    assert "no dated events" in text
    assert "International Lunar Research Station" in text


@pytest.mark.slow
def test_report_holds_state_tables_and_no_network_reference(
    article_db: str, tmp_path: Path
) -> None:
    """The HTML report has each program's state table (by name) and conflicts; the web
    addresses it holds are links a reader may follow, never resources it loads."""
    out = tmp_path / "report.html"
    code, _, err = run("report", "--out", str(out), "--as-of", "2021-03-10", "--db", article_db)
    page = out.read_text(encoding="utf-8")
    assert (code, err) == (0, "")
    assert "<svg" in page
    assert "International Lunar Research Station" in page
    assert 'id="p-ilrs"' in page
    assert "States as of 2021-03-10" in page
    assert "Zhang Kejian" in page
    assert "Disagreements between sources" in page
    assert page.count("<table>") >= 2
    addresses = re.findall(r'(\w+)="(https?://[^"]*)"', page)
    assert addresses
    assert {attribute for attribute, _ in addresses} == {"href"}
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert not re.search(r"https?://", page.split("<body>")[0])


def test_report_lines_carry_quote_source_link_certainty_and_confidence(
    article_db: str, tmp_path: Path
) -> None:
    """Each claim line has its quote, a link to its source's entry, a certainty badge and its
    confidence; the contents link to every section; --known-at is honoured."""
    out = tmp_path / "report.html"
    code, _, _ = run("report", "--out", str(out), "--as-of", "2021-03-10", "--db", article_db)
    page = out.read_text(encoding="utf-8")
    assert code == 0
    timeline = page[page.index('<section id="timeline">') : page.index('<section id="conflicts">')]
    lines = timeline.split('<tr class="line"')[1:]
    assert len(lines) > 50
    for line in lines:
        assert '<a class="ref" href="#src-' in line
        assert 'class="badge ' in line
    assert sum("<blockquote" in line for line in lines) > len(lines) // 2
    assert any(">medium<" in line or ">high<" in line for line in lines)
    for section in ("picture", "programs", "timeline", "conflicts", "corrections", "sources"):
        assert f'<a href="#{section}">' in page
        assert f'<section id="{section}">' in page
    then = tmp_path / "then.html"
    code, stdout, _ = run(
        "report", "--out", str(then), "--as-of", "2021-03-10", "--known-at", "1990-01-01",
        "--db", article_db,
    )  # fmt: skip
    assert code == 0
    assert "0 conflicts" in stdout
    assert '<tr class="line"' not in then.read_text(encoding="utf-8")


@pytest.mark.slow
def test_report_names_itself_once_in_its_heading_not_again_in_the_picture(
    article_db: str, tmp_path: Path
) -> None:
    """The report's title shows as the page heading and the window title, not also inside
    the timeline picture (where it read as a second heading)."""
    out = tmp_path / "report.html"
    code, _, err = run("report", "--out", str(out), "--as-of", "2021-03-10", "--db", article_db)
    page = out.read_text(encoding="utf-8")
    assert (code, err) == (0, "")
    picture = page[page.index("<svg") : page.index("</svg>")]
    assert "Ledger report as of 2021-03-10" in page.split("<svg")[0]
    assert "Ledger report as of" not in picture


def test_report_without_matplotlib_has_everything_but_the_picture(
    article_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a plain install (no plot extra) the report is written, saying how to get the
    picture, with every state and claim line."""
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    out = tmp_path / "report.html"
    code, _, err = run("report", "--out", str(out), "--as-of", "2021-03-10", "--db", article_db)
    page = out.read_text(encoding="utf-8")
    assert (code, err) == (0, "")
    assert "<svg" not in page
    assert "No picture in this report" in page
    assert "[plot]" in page
    assert page.count('<tr class="line"') > 50

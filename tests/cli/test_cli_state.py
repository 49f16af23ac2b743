"""``ledger state``: a program as of a date, by any name, with certainty and sources."""

from __future__ import annotations

import json
import re

import pytest
from cli_run import run
from wcwidth import wcswidth

from ledger.cli.state import merged_rows
from ledger.domain.state import Row
from ledger.reports.tables import FORMATS
from ledger.views.layout import keeps_lines

pytestmark = pytest.mark.usefixtures("cli_env")


def state_rows(db: str, *argv: str) -> list[dict[str, object]]:
    """The state's rows as JSON objects."""
    code, out, err = run("state", *argv, "--format", "json", "--db", db)
    assert (code, err) == (0, "")
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_ilrs_has_no_agreement_before_the_signing(article_db: str) -> None:
    """As of 2021-03-08 the ILRS has no agreement and no members."""
    rows = state_rows(article_db, "ILRS", "--as-of", "2021-03-08")
    sections = {r["section"] for r in rows}
    assert "agreement" not in sections
    assert "member" not in sections


def test_ilrs_agreement_names_parties_and_signatories(article_db: str) -> None:
    """As of 2021-03-10 the ILRS lists China and Russia and both signatories, certainly."""
    rows = state_rows(article_db, "ILRS", "--as-of", "2021-03-10")
    members = {r["fact"] for r in rows if r["section"] == "member"}
    assert {"china", "russia"} <= members
    agreements = [r for r in rows if r["section"] == "agreement"]
    assert agreements
    detail = str(agreements[0]["detail"])
    assert "zhang-kejian" in detail
    assert "dmitry-rogozin" in detail
    assert agreements[0]["certainty"] == "certain"


def test_text_output_has_heading_in_both_languages(article_db: str) -> None:
    """The heading names the program in English and Arabic, the as-of date and known-at."""
    code, out, _ = run("state", "ILRS", "--as-of", "2021-03-10", "--db", article_db)
    first = out.splitlines()[0]
    assert code == 0
    assert "International Lunar Research Station" in first
    assert "محطة أبحاث القمر الدولية" in first
    assert "as of 2021-03-10" in first
    assert "known at everything recorded" in first


def test_wolf_amendment_possible_when_known_only_from_the_article(article_db: str) -> None:
    """Known at 2021-03-10 the law is dated "2011": possible as of 2011-03-01."""
    rows = state_rows(
        article_db, "Wolf Amendment", "--as-of", "2011-03-01", "--known-at", "2021-03-10"
    )
    restrictions = [r for r in rows if r["section"] == "restriction"]
    assert restrictions
    assert {r["certainty"] for r in restrictions} == {"possible"}


def test_wolf_amendment_not_yet_with_everything_recorded(article_db: str) -> None:
    """With the later exact date (2011-04-15) the restriction is not in force on 2011-03-01."""
    rows = state_rows(article_db, "Wolf Amendment", "--as-of", "2011-03-01")
    assert [r for r in rows if r["section"] == "restriction"] == []


def test_arabic_name_gives_the_same_state(article_db: str) -> None:
    """«بوابة القمر» and "Lunar Gateway" are the same program."""
    arabic = run("state", "بوابة القمر", "--as-of", "2021-03-10", "--db", article_db)
    english = run("state", "Lunar Gateway", "--as-of", "2021-03-10", "--db", article_db)
    assert arabic == english
    assert arabic[0] == 0


def test_arabic_agency_name_resolves(article_db: str) -> None:
    """«روسكوزموس» resolves to Roscosmos."""
    code, out, err = run("state", "روسكوزموس", "--as-of", "2021-03-10", "--db", article_db)
    assert (code, err) == (0, "")
    assert "(roscosmos)" in out.splitlines()[0]


def test_why_shows_quotes_and_event_ids(article_db: str) -> None:
    """--why adds the quotes (the article's Arabic words) and the event ids."""
    rows = state_rows(article_db, "ILRS", "--as-of", "2021-03-10", "--why")
    quotes = " ".join(str(r["quotes"]) for r in rows)
    assert "وقعت روسيا والصين" in quotes
    assert all(r["events"] for r in rows)
    plain = state_rows(article_db, "ILRS", "--as-of", "2021-03-10")
    assert "quotes" not in plain[0]


def test_conflict_rows_come_last(article_db: str) -> None:
    """The ILRS's conflicting claims (signing mode, location) follow every fact."""
    rows = state_rows(article_db, "ILRS", "--as-of", "2021-03-10")
    sections = [r["section"] for r in rows]
    assert "conflict" in sections
    first = sections.index("conflict")
    assert set(sections[first:]) == {"conflict"}


def test_duplicate_rows_merge_their_sources() -> None:
    """Two rows for one status become one, sources joined and certainty the stronger."""
    rows: list[Row] = [
        {"section": "status", "fact": "agreed", "detail": "", "date": "2021-03-09",
         "certainty": "possible", "sources": "a", "quotes": "q1", "events": "e1"},
        {"section": "conflict", "fact": "x", "detail": "value: 1", "date": "2021",
         "certainty": None, "sources": "c", "quotes": "", "events": "e3"},
        {"section": "status", "fact": "agreed", "detail": "", "date": "2021-03-09",
         "certainty": "certain", "sources": "b; a", "quotes": "q2", "events": "e2"},
    ]  # fmt: skip
    merged = merged_rows(rows)
    assert [r["section"] for r in merged] == ["status", "conflict"]
    assert merged[0]["sources"] == "a; b"
    assert merged[0]["quotes"] == "q1 | q2"
    assert merged[0]["events"] == "e1 e2"
    assert merged[0]["certainty"] == "certain"
    assert merged[0]["date"] == "2021-03-09"


def test_text_names_members_and_signatories(article_db: str) -> None:
    """The table for people names China, Russia, Zhang Kejian and Dmitry Rogozin, not ids."""
    code, out, err = run("state", "ILRS", "--as-of", "2021-03-10", "--db", article_db)
    flat = " ".join(out.split())
    assert (code, err) == (0, "")
    for name in ("China", "Russia", "Zhang Kejian", "Dmitry Rogozin"):
        assert name in flat
    assert "zhang-kejian" not in out


def test_text_before_the_signing_has_no_agreement(article_db: str) -> None:
    """As of 2021-03-08 the ILRS is in talks: no agreement line, no signatory."""
    code, out, _ = run("state", "ILRS", "--as-of", "2021-03-08", "--db", article_db)
    assert code == 0
    assert "in_talks" in out
    assert "agreement " not in out
    assert "Zhang Kejian" not in " ".join(out.split())


def test_text_wolf_amendment_possible_known_at_the_article(article_db: str) -> None:
    """Known at 2021-03-10 the law is possible on 2011-03-01; with everything, not in force."""
    _, known, _ = run(
        "state", "تعديل وولف", "--as-of", "2011-03-01", "--known-at", "2021-03-10",
        "--db", article_db,
    )  # fmt: skip
    _, everything, _ = run("state", "Wolf Amendment", "--as-of", "2011-03-01", "--db", article_db)
    assert "possible" in known
    assert "known at end of 2021-03-10 UTC" in known.splitlines()[0]
    assert "not in force" in everything
    assert "possible" not in everything


def test_text_fits_a_terminal(article_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 120 columns, no line of the ILRS table (heading aside) is wider than 120."""
    monkeypatch.setenv("COLUMNS", "120")
    _, out, _ = run("state", "ILRS", "--as-of", "2021-03-10", "--why", "--db", article_db)
    assert max(wcswidth(line) for line in out.splitlines()[1:]) <= 120


def test_text_why_numbers_quotes_once(article_db: str) -> None:
    """--why adds a notes column and a Quotes table listing each claim once, with its event."""
    code, out, _ = run("state", "ILRS", "--as-of", "2021-03-10", "--why", "--db", article_db)
    quotes = out[out.index("\nQuotes\n") :]
    ids = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", quotes)
    assert code == 0
    assert "notes" in out.splitlines()[2]
    assert "وقعت روسيا والصين" in quotes
    assert ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("names", "shown"), [("ar", "الصين"), ("id", "china")])
def test_names_option_picks_arabic_or_ids(article_db: str, names: str, shown: str) -> None:
    """--names ar shows members by their Arabic names, --names id by their ids."""
    code, out, _ = run(
        "state", "ILRS", "--as-of", "2021-03-10", "--names", names, "--db", article_db
    )
    members = [line for line in out.splitlines() if line.startswith("member")]
    assert code == 0
    assert any(shown in line for line in members)


@pytest.mark.parametrize("fmt", FORMATS)
def test_state_renders_in_every_format(article_db: str, fmt: str) -> None:
    """Every format renders the state; where cells cannot hold lines, nothing is wrapped."""
    code, out, err = run(
        "state", "ILRS", "--as-of", "2021-03-10", "--why", "--format", fmt, "--db", article_db
    )
    assert (code, err) == (0, "")
    assert "tass-1263979" in out
    if not keeps_lines(fmt):
        assert "russiabusinesstoday-moon-base-talks" in out

"""``ledger state``: a program as of a date, by any name, with certainty and sources."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cli_run import run
from wcwidth import wcswidth

from ledger.reports.tables import FORMATS
from ledger.views.layout import keeps_lines

pytestmark = pytest.mark.usefixtures("cli_env")


def state_document(db: str, *argv: str) -> dict[str, Any]:
    """The state as its JSON document."""
    code, out, err = run("state", *argv, "--format", "json", "--db", db)
    assert (code, err) == (0, "")
    document: dict[str, Any] = json.loads(out)
    return document


def state_rows(db: str, *argv: str) -> list[dict[str, Any]]:
    """The state's fact records."""
    facts: list[dict[str, Any]] = state_document(db, *argv)["facts"]
    return facts


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


def test_json_keeps_conflicts_apart_with_lists_bounds_and_booleans(article_db: str) -> None:
    """The ILRS's disagreements are their own list, each side with lists of sources; facts
    give ISO bounds and a real boolean; csv stays flat, one fact a row."""
    document = state_document(article_db, "ILRS", "--as-of", "2021-03-10")
    assert {r["section"] for r in document["facts"]}.isdisjoint({"conflict"})
    assert document["conflicts"]
    for conflict in document["conflicts"]:
        assert {"kind", "entity", "about", "sides"} <= set(conflict)
        assert all(isinstance(side["sources"], list) for side in conflict["sides"])
        assert all(isinstance(side["derived"], bool) for side in conflict["sides"])
    member = next(r for r in document["facts"] if r["fact"] == "china")
    assert member["certain"] is True
    assert member["earliest"] == member["latest"] == "2021-03-09"
    assert isinstance(member["sources"], list)
    assert "article-ar" in member["sources"]
    assert document["as_of_earliest"] == document["as_of_latest"] == "2021-03-10"
    code, out, _ = run(
        "state", "ILRS", "--as-of", "2021-03-10", "--format", "csv", "--db", article_db
    )
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split(",")[:4] == ["program", "as_of", "section", "fact"]
    assert len(lines) == len(document["facts"])
    assert any(",true," in line for line in lines)


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


@pytest.mark.sweep
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

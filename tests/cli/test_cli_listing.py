"""Listing commands on the article's ledger: programs, timeline, diff, events, sources, conflicts,
export, and every output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import attrs
import pytest
from cli_run import run

import ledger
from ledger.dates import parse_edtf
from ledger.domain.events import EVENT_TYPES, Citation, Event
from ledger.reports.tables import FORMATS

pytestmark = pytest.mark.usefixtures("cli_env")


def json_rows(*argv: str) -> list[dict[str, object]]:
    """Run a command with --format json; its rows."""
    code, out, err = run(*argv, "--format", "json")
    assert (code, err) == (0, "")
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_programs_lists_ids_and_both_names(article_db: str) -> None:
    """programs lists the ILRS, the Gateway and the Wolf Amendment with Arabic names."""
    rows = json_rows("programs", "--db", article_db)
    by_id = {r["id"]: r for r in rows}
    assert {"ilrs", "lunar-gateway", "wolf-amendment"} <= set(by_id)
    assert by_id["lunar-gateway"]["name_ar"] == "بوابة القمر"
    assert by_id["lunar-gateway"]["part_of"] == "artemis-program"


@pytest.mark.sweep
@pytest.mark.parametrize("fmt", FORMATS)
def test_programs_renders_in_every_format(article_db: str, fmt: str) -> None:
    """Every format of FORMATS renders the programs, naming the ILRS."""
    code, out, err = run("programs", "--format", fmt, "--db", article_db)
    assert (code, err) == (0, "")
    assert "ilrs" in out


def test_programs_csv_and_json_parse_back_to_the_rows(article_db: str) -> None:
    """csv and json of programs read back to the library's rows."""
    with ledger.open(article_db) as opened:
        expected = opened.programs().rows()
    assert json_rows("programs", "--db", article_db) == expected
    code, out, _ = run("programs", "--format", "csv", "--db", article_db)
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert parsed == [{k: str(v) for k, v in row.items()} for row in expected]


def test_timeline_of_ilrs_holds_the_signing(article_db: str) -> None:
    """The ILRS timeline has the article's undated AgreementSigned, narrowed to 2021-03-09
    by the other sources (the article alone gives no day)."""
    rows = json_rows("timeline", "ILRS", "--db", article_db)
    signings = [r for r in rows if r["event"] == "AgreementSigned"]
    assert any(
        r["date"] == "[..2021-03-09]"
        and r["fact_date"] == "2021-03-09"
        and r["source"] == "article-ar"
        for r in signings
    )


def test_timeline_bounds_filter_claims(article_db: str) -> None:
    """--to 2020-12 leaves out every claim that begins after 2020."""
    rows = json_rows("timeline", "--to", "2020-12", "--db", article_db)
    last = parse_edtf("2020-12").latest
    assert rows
    assert last is not None
    for row in rows:
        earliest = parse_edtf(str(row["date"])).earliest
        assert earliest is None or earliest <= last


def test_diff_shows_talks_ending_and_agreement(article_db: str) -> None:
    """ILRS 2021-03-08 -> 2021-03-10: in talks ends, agreed becomes certain."""
    rows = json_rows("diff", "ILRS", "2021-03-08", "2021-03-10", "--db", article_db)
    changes = {(r["section"], r["fact"]): (r["before"], r["after"]) for r in rows}
    assert changes[("status", "agreed")] == ("absent", "certain")
    assert changes[("status", "in_talks")] == ("certain", "absent")


def test_events_filters_by_program_type_and_limit(article_db: str) -> None:
    """events --program «بوابة القمر» --type AgreementSigned keeps only Gateway agreements."""
    rows = json_rows(
        "events", "--program", "بوابة القمر", "--type", "AgreementSigned", "--db", article_db
    )
    assert len(rows) >= 2
    assert {r["type"] for r in rows} == {"AgreementSigned"}
    limited = json_rows(
        "events", "--subject", "lunar-gateway", "--type", "AgreementSigned", "--limit", "1",
        "--db", article_db,
    )  # fmt: skip
    assert limited == rows[:1]


def test_events_known_at_keeps_what_was_recorded_by_then(article_db: str) -> None:
    """--known-at keeps exactly the events recorded by the end of that day."""
    everything = json_rows("events", "--db", article_db)
    first_day = min(str(r["recorded_at"]) for r in everything)[:10]
    rows = json_rows("events", "--known-at", first_day, "--db", article_db)
    expected = [r for r in everything if str(r["recorded_at"])[:10] <= first_day]
    assert rows == expected
    assert 0 < len(rows) < len(everything)


def test_sources_lists_the_article(article_db: str) -> None:
    """sources lists every SourceRegistered event, the Arabic article among them."""
    rows = json_rows("sources", "--db", article_db)
    with ledger.open(article_db) as opened:
        count = len(list(opened.events(types=["SourceRegistered"])))
    assert len(rows) == count
    article = next(r for r in rows if r["id"] == "article-ar")
    assert article["language"] == "ar"


def test_conflicts_show_both_sides_of_the_accords_count(article_db: str) -> None:
    """The article's "nine other countries", deprecated as an overcount, sits beside the
    fact sheet's eight; each disagreement is one JSON record with its sides, each side with
    its rank and attestation."""
    conflicts = json_rows("conflicts", "--db", article_db)
    counts = [c for c in conflicts if c["kind"] == "count" and c["entity"] == "artemis-accords"]
    sides = [side for c in counts for side in c["sides"]]  # type: ignore[attr-defined]
    assert {(s["value"], s["derived"], s["rank"]) for s in sides} == {
        ("9", False, "deprecated"),
        ("8", False, "normal"),
    }
    assert all(c["resolved"] for c in counts)
    assert all(s["attestation"]["sources"] >= 1 for s in sides)
    ranks = [c for c in conflicts if c["about"] == "space budget rank"]
    assert len({s["value"] for c in ranks for s in c["sides"]}) >= 2  # type: ignore[attr-defined]


def test_export_jsonl_is_lossless(article_db: str, tmp_path: Path) -> None:
    """Every event is one JSON line holding every field of its envelope, citation and payload."""
    out = tmp_path / "ledger.jsonl"
    code, _, _ = run("export", "--format", "jsonl", "--out", str(out), "--db", article_db)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with ledger.open(article_db) as opened:
        events = list(opened.events())
    assert code == 0
    assert [r["id"] for r in records] == [str(e.id) for e in events]
    for record, event in zip(records, events, strict=True):
        fields = {f.name for f in attrs.fields(type(event))} - {"citation"}
        assert fields == set(record) - {"type", "version", "citation", "payload"} | set(
            record["payload"]
        )
        assert set(record["citation"]) == {f.name for f in attrs.fields(Citation)}
        assert record["citation"]["quote"] == event.citation.quote
        assert parse_edtf(record["valid_time"]) == event.valid_time
        assert EVENT_TYPES.get(record["type"], Event) is type(event)


def test_export_csv_has_one_row_per_event(article_db: str) -> None:
    """csv export: one row per event, the payload as a JSON object."""
    code, out, _ = run("export", "--format", "csv", "--db", article_db)
    rows = list(csv.DictReader(io.StringIO(out)))
    with ledger.open(article_db) as opened:
        total = opened.digest().position
    assert code == 0
    assert len(rows) == total
    signing = next(r for r in rows if r["type"] == "AgreementSigned" and r["stream"] == "ilrs")
    assert "parties" in json.loads(signing["payload"])


def test_conflicts_text_names_entities_and_groups_sides(
    article_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """conflicts for people: entities by name, each disagreement's sides under one heading."""
    monkeypatch.setenv("COLUMNS", "240")
    code, out, err = run("conflicts", "--db", article_db)
    count = next(line for line in out.splitlines() if " count " in line)
    assert (code, err) == (0, "")
    # Nine: the Canada MOU's signing and announcement are no longer one disputed date, and
    # Russia weighing the Gateway to March 2021 disagrees with its refusals before then.
    assert out.startswith("Where sources disagree: 9 disagreements")
    assert "answer to the invitation: Russia" in out
    assert count.startswith("Artemis Accords ")
    assert "low, 1 source, deprecated" in out


def test_timeline_and_diff_text_name_entities(
    article_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """timeline and diff for people name the program's entities in English or Arabic."""
    monkeypatch.setenv("COLUMNS", "240")
    _, timeline, _ = run("timeline", "ILRS", "--names", "ar", "--db", article_db)
    _, diff, _ = run("diff", "ILRS", "2021-03-08", "2021-03-10", "--why", "--db", article_db)
    assert "محطة أبحاث القمر الدولية" in timeline.splitlines()[4]
    assert "absent → certain" in diff
    assert "China" in diff
    assert "\nQuotes\n" in diff


def test_events_by_source_keep_only_what_cites_it(article_db: str) -> None:
    """events --source tass-1263979 lists the events citing TASS, and no other source's."""
    rows = json_rows("events", "--source", "source:tass-1263979", "--db", article_db)
    with ledger.open(article_db) as opened:
        expected = [
            str(e.id)
            for e in opened.events()
            if "tass-1263979" in (e.citation.source, e.citation.quote_in, *e.citation.also_cited)
        ]
    assert [r["id"] for r in rows] == expected
    assert {r["source"] for r in rows} >= {"tass-1263979"}


def test_events_by_unknown_source_suggests(article_db: str) -> None:
    """An unknown --source exits 1 on one line naming the closest source ids."""
    code, _, err = run("events", "--source", "tass-126397", "--db", article_db)
    assert code == 1
    assert "unknown source 'tass-126397'" in err
    assert "'tass-1263979'" in err
    assert len(err.splitlines()) == 1


def test_conflicts_and_timeline_as_known_at_a_time(article_db: str) -> None:
    """--known-at 2021-03-10 (the article alone): one disagreement, the article's own about
    the ILRS's location; the timeline has no claim learned later."""
    code, out, err = run(
        "conflicts", "--db", article_db, "--known-at", "2021-03-10", "--format", "json"
    )
    assert (code, err) == (0, "")
    assert [(c["entity"], c["about"]) for c in json.loads(out)] == [("ilrs", "location")]
    code, out, _ = run(
        "timeline", "ILRS", "--db", article_db, "--known-at", "2021-03-10", "--format", "json"
    )
    assert code == 0
    assert {e["source"] for e in json.loads(out)} == {"article-ar"}

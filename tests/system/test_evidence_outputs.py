"""Both axes in the machine records and in the report: when, and how well attested (confidence,
sources, rank with its reason and correction, contest), with the known errors of the texts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ledger.application.ledger import Ledger
from ledger.domain.events import Corrected
from ledger.persistence.store import EventStore
from ledger.views.records import conflict_record, entry_record, fact_records
from ledger.views.report_page import report_page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE_ONLY = datetime(2021, 3, 10, 23, 59, 59, tzinfo=UTC)


@pytest.fixture(scope="module")
def service() -> Iterator[Ledger]:
    from ledger.corpus.loader import load_corpus

    store = EventStore.open("sqlite://")
    store.extend(list(load_corpus(FIXTURES).events))
    yield Ledger(store)
    store.close()


def _corrections_of(service: Ledger) -> dict[str, str]:
    """Each corrected claim's id -> the ids of the corrections that answer it."""
    found: dict[str, str] = {}
    for event in service.events(types=[Corrected]):
        assert isinstance(event, Corrected)
        found[str(event.id)] = str(event.target)
    return found


def test_a_deprecated_fact_record_names_its_reason_and_the_correction(service: Ledger) -> None:
    """The state's record of «فعليًا» carries rank, reason and the correction that set it."""
    state = service.state("ILRS", "2021-03-10")
    (record,) = [
        r for r in fact_records(state) if r["fact"] == "signing mode" and "فعليًا" in r["detail"]
    ]
    assert record["rank"] == "deprecated"
    assert "mistranslates" in record["rank_reason"]
    corrections = _corrections_of(service)
    assert record["rank_by"] in corrections
    assert corrections[record["rank_by"]] in record["events"]
    assert record["attestation"]["rank_by"] == record["rank_by"]


def test_a_normal_fact_record_has_no_rank_reason_nor_correction(service: Ledger) -> None:
    """A fact nothing ranked says so: normal, no reason, no correction."""
    state = service.state("ILRS", "2021-03-10")
    (record,) = [r for r in fact_records(state) if r["section"] == "status"]
    assert (record["rank"], record["rank_reason"], record["rank_by"]) == ("normal", "", None)


def test_timeline_records_carry_sources_rank_and_the_known_error_of_the_text(
    service: Ledger,
) -> None:
    """A timeline claim quoting «فعليًا» counts its sources, names the deprecating correction
    and carries the seed's known error, article alone as enriched."""
    entries = [e for e in service.timeline("ILRS") if e.quote == "الموقعة فعليًا"]
    (record,) = [entry_record(e) for e in entries]
    assert record["source_count"] == 1
    assert record["sources"] == ["article-ar"]
    assert record["rank"] == "deprecated"
    assert record["rank_by"] in _corrections_of(service)
    assert any(r.startswith("Known error of the text: «فعليًا»") for r in record["remarks"])
    (alone,) = [
        e for e in service.timeline("ILRS", known_at=ARTICLE_ONLY) if e.quote == "الموقعة فعليًا"
    ]
    assert alone.rank == "normal"
    assert not alone.rank_by
    assert any("«فعليًا»" in r for r in alone.remarks)


def test_a_deprecated_side_of_a_conflict_names_its_correction(service: Ledger) -> None:
    """South Korea's 27 May side: deprecated, with the correction that deprecated it."""
    (conflict,) = [c for c in service.conflicts() if c.about == "artemis-accords-south-korea"]
    sides = {s["date"]: s for s in conflict_record(conflict)["sides"]}
    assert sides["2021-05-27"]["rank_by"] in _corrections_of(service)
    assert sides["2021-05-24"]["rank_by"] is None


def test_the_report_shows_when_and_how_well_attested_apart(service: Ledger) -> None:
    """Every table of the report has a When and an Attested column; a deprecated line shows
    its rank, reason and correction; a contested one says so; *when* is never "conflict"."""
    page = report_page(service.report("2021-03-10"))
    assert "<th>Certainty</th>" not in page
    assert "<th>Confidence</th>" not in page
    assert "<th>Detail</th><th>Date</th><th>When</th><th>Attested</th>" in page
    assert "<th>Claim, quote and source</th><th>When</th><th>Attested</th>" in page
    assert "<th>Value</th><th>Date</th><th>Attested</th>" in page
    deprecated = next(e for e in service.timeline("ILRS") if e.quote == "الموقعة فعليًا")
    assert f'set by <code class="id">{deprecated.rank_by}</code>' in page
    assert 'class="badge deprecated"' in page
    assert 'class="badge contested"' in page
    assert 'class="badge conflict"' not in page
    assert 'class="badge resolved"' in page
    assert 'class="badge open"' in page


def test_the_report_shows_the_known_errors_of_the_texts_and_who_holds_each_quote(
    service: Ledger,
) -> None:
    """The article's translation errors are listed and remarked on the claims quoting them;
    a web page's quote is said to come from the fact sheet."""
    page = report_page(service.report("2021-03-10", "2021-03-10"))
    assert '<section id="errata">' in page
    errata = page[page.index('<section id="errata">') :]
    errata = errata[: errata.index("</section>")]
    assert errata.count("<tr>") == 1 + 7  # the heading, then the seed's seven errors
    assert page.count("Known error of the text: «فعليًا»") >= 2
    enriched = report_page(service.report("2021-03-10"))
    assert "(quote from " in enriched
    assert 'href="#src-public-facts"' in enriched
    assert "Wrong report (fact sheet E22)" in enriched


def test_a_faithful_translation_of_a_wrong_original_says_so(service: Ledger) -> None:
    """«التي تدور حول القمر» renders the English faithfully (the English is wrong): the
    remark says so instead of "translates X but means X"."""
    (orbit,) = [
        e
        for e in service.timeline("ILRS")
        if e.quote == "محطة أبحاث القمر الدولية ILRS التي تدور حول القمر"
    ]
    (known,) = [r for r in orbit.remarks if r.startswith("Known error of the text")]
    assert "translates 'orbiting the Moon' faithfully." in known
    assert "but means" not in known

"""The article's corpus as data: quotes in their seeds, the fact sheet's confidences kept,
every public source and signing of the fact sheet recorded, and its corrections in conflict."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from ledger.corpus import Corpus, load_corpus
from ledger.dates import parse_edtf
from ledger.domain.events import (
    AgreementSigned,
    ClaimMade,
    Confidence,
    EntityRegistered,
    Event,
    MembersCounted,
    SourceRegistered,
)

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
ARTICLE = "article-ar"
FACT_SHEET = "public-facts"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The repository's corpus, loaded once."""
    return load_corpus(REPO / "fixtures")


def claims(corpus: Corpus) -> Iterator[Event]:
    """The corpus's claims (neither sources nor entities)."""
    for event in corpus.events:
        if not isinstance(event, SourceRegistered | EntityRegistered):
            yield event


def texts(corpus: Corpus) -> dict[str, str]:
    """The text of every seeded source, by source id."""
    return {
        e.stream.removeprefix("source:"): e.text
        for e in corpus.events
        if isinstance(e, SourceRegistered) and e.text
    }


def test_seeds_match_their_recorded_checksums() -> None:
    """Each seed's text is byte for byte the one its metadata's SHA-256 names."""
    metas = sorted(SEEDS.glob("*.yaml"))
    assert metas
    for meta_path in metas:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        data = (SEEDS / meta["text"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], meta_path.name


def test_every_article_quote_is_in_the_seed(corpus: Corpus) -> None:
    """Each article claim quotes the seed exactly, at the span it records, once."""
    text = (SEEDS / "000_6c56f83bcb0769f5.txt").read_bytes().decode("utf-8")
    article = [e for e in claims(corpus) if e.citation.source == ARTICLE]
    assert len(article) >= 20
    for event in article:
        quote, start, end = event.citation.quote, event.citation.start, event.citation.end
        assert start is not None
        assert text[start:end] == quote, event.summary
        assert text.count(quote) == 1, event.summary
        assert event.phrase in quote


def test_every_quote_is_at_its_span(corpus: Corpus) -> None:
    """Every event's quote (claims, entities, sources) sits at its span in the text holding it."""
    held = texts(corpus)
    for event in corpus.events:
        citation = event.citation
        text = held[citation.quote_in or citation.source]
        assert citation.start is not None, event.summary
        assert text[citation.start : citation.end] == citation.quote, event.summary


_LEVELS = ("medium-high", "high", "medium", "low")


def _allowed(confidence_text: str) -> Confidence:
    """The highest confidence an entry's text names ("high (count) / medium (...)" -> high)."""
    named = re.findall("|".join(_LEVELS), confidence_text)
    assert named, confidence_text
    return max((Confidence(n) for n in named), key=lambda c: c.rank)


def _entry_at(sheet: str, offset: int) -> str | None:
    """The fact sheet entry id (E13...) of the table row holding ``offset``, if any."""
    start = sheet.rfind("\n", 0, offset) + 1
    found = re.match(r"\| (E\d+[a-z]?) \|", sheet[start:])
    return found.group(1) if found else None


def test_enrichment_never_raises_the_fact_sheets_confidence(corpus: Corpus) -> None:
    """Each claim quoted from the fact sheet is at most as confident as the sheet's entry."""
    entries = json.loads((SEEDS / "public-facts.json").read_text(encoding="utf-8"))
    confidence = {e["id"]: e["confidence"] for e in entries}
    sheet = texts(corpus)[FACT_SHEET]
    checked = 0
    for event in claims(corpus):
        if FACT_SHEET not in (event.citation.quote_in, event.citation.source):
            continue
        assert event.citation.start is not None
        entry = _entry_at(sheet, event.citation.start)
        assert entry is not None, f"{event.summary}: quote is not in an entry's row"
        allowed = _allowed(confidence[entry])
        assert event.confidence.rank <= allowed.rank, (event.summary, entry, allowed)
        checked += 1
    assert checked >= 40


def test_enrichment_is_recorded_after_the_article(corpus: Corpus) -> None:
    """Every claim from the fact sheet was learned after every claim of the article."""
    article = [_time(e) for e in claims(corpus) if e.citation.source == ARTICLE]
    sheet = [_time(e) for e in claims(corpus) if e.citation.source != ARTICLE]
    assert article
    assert sheet
    assert max(article) < min(sheet)


def _time(event: Event) -> datetime:
    """The recorded time a corpus event carries (always set by the loader)."""
    assert event.recorded_at is not None
    return event.recorded_at


def test_every_source_of_the_fact_sheet_is_registered(corpus: Corpus) -> None:
    """Each URL the fact sheet cites is a registered source with that URL."""
    entries = json.loads((SEEDS / "public-facts.json").read_text(encoding="utf-8"))
    urls = {s.split()[0] for e in entries for s in e["sources"]}
    registered = {e.url for e in corpus.events if isinstance(e, SourceRegistered)}
    assert urls <= registered


def test_every_cited_source_is_registered_before_its_claims(corpus: Corpus) -> None:
    """Each source a claim names (cited, quoted in, also cited) is registered earlier."""
    seen: set[str] = set()
    for event in corpus.events:
        if isinstance(event, SourceRegistered):
            seen.add(event.stream.removeprefix("source:"))
            continue
        citation = event.citation
        for source in (citation.source, citation.quote_in, *citation.also_cited):
            assert not source or source in seen, (event.summary, source)


def _signings_table(sheet: str) -> list[tuple[list[str], str]]:
    """The fact sheet's table of Artemis Accords signatories: (countries, day) per row."""
    part = sheet.split("## Artemis Accords signatories", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in part.splitlines()[3:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append(([c.strip() for c in cells[1].split(",")], cells[2]))
    return rows


def test_every_artemis_accords_signing_of_the_fact_sheet_is_recorded(corpus: Corpus) -> None:
    """Each row of the sheet's signatory table is a signing with those parties on that day."""
    sheet = texts(corpus)[FACT_SHEET]
    signings = [
        e
        for e in claims(corpus)
        if isinstance(e, AgreementSigned)
        and e.stream == "artemis-accords"
        and e.confidence is not Confidence.LOW
    ]
    table = _signings_table(sheet)
    assert len(table) == 7
    for countries, day in table:
        parties = {corpus.index.resolve(c) for c in countries}
        matching = [e for e in signings if set(e.parties) == parties]
        assert [e.valid_time.edtf for e in matching] == [day], countries


def test_russia_signed_none_of_the_accords(corpus: Corpus) -> None:
    """No recorded signing of the Artemis Accords has Russia as a party."""
    for event in claims(corpus):
        if isinstance(event, AgreementSigned) and event.stream == "artemis-accords":
            assert "russia" not in event.parties


def test_the_fact_sheet_narrows_the_articles_dates(corpus: Corpus) -> None:
    """Where the sheet dates a happening the article dates, its date lies within the article's."""
    by_fact: dict[str, list[Event]] = {}
    for event in claims(corpus):
        if event.fact:
            by_fact.setdefault(event.fact, []).append(event)
    compared = 0
    for events in by_fact.values():
        article = [e for e in events if e.citation.source == ARTICLE]
        others = [
            e for e in events if e.citation.source != ARTICLE and e.confidence is not Confidence.LOW
        ]
        for said in article:
            low, high = said.valid_time.start_earliest, said.valid_time.start_latest
            for found in others:
                start, end = found.valid_time.start_earliest, found.valid_time.start_latest
                if low is not None:
                    assert start is not None, found.summary
                    assert low <= start, (said.summary, found.summary)
                if high is not None:
                    assert end is not None, found.summary
                    assert end <= high, (said.summary, found.summary)
                compared += 1
    assert compared >= 10


@pytest.mark.parametrize(
    ("stream", "attribute"),
    [
        ("ilrs", "location"),
        ("ilrs", "signing mode"),
        ("russia", "space budget rank"),
        ("cnsa-cnes-cooperation", "source of the statement on the CNES talks"),
    ],
)
def test_the_articles_inaccuracies_are_conflicting_claims(
    corpus: Corpus, stream: str, attribute: str
) -> None:
    """For each inaccuracy the sheet finds, the article and public sources disagree on a value."""
    values: dict[bool, set[object]] = {True: set(), False: set()}
    for event in claims(corpus):
        if isinstance(event, ClaimMade) and (event.stream, event.attribute) == (stream, attribute):
            values[event.citation.source == ARTICLE].add(event.value)
    assert values[True]
    assert values[False]
    assert len(values[True] | values[False]) > 1


def test_the_articles_count_of_signatories_conflicts_with_the_sheets(corpus: Corpus) -> None:
    """The article counts nine other signatories on its day; the sheet eight."""
    counts = {
        (e.citation.source == ARTICLE, e.count)
        for e in claims(corpus)
        if isinstance(e, MembersCounted) and e.valid_time == parse_edtf("2021-03-09")
    }
    assert counts == {(True, 9), (False, 8)}


def test_the_issue_entities_exist_with_arabic_names(corpus: Corpus) -> None:
    """The entities the issue names are registered, each with an Arabic name."""
    names = [
        "ILRS",
        "Lunar Gateway",
        "Artemis program",
        "Artemis Accords",
        "International Space Station",
        "CLEP",
        "Chang'e 4",
        "Chang'e 5",
        "Wolf Amendment",
        "CNSA",
        "Roscosmos",
        "NASA",
        "ESA",
        "JAXA",
        "CSA",
        "CNES",
        "Zhang Kejian",
        "Dmitry Rogozin",
        "US Congress",
        "Trump administration",
    ]
    registered = {e.stream: e for e in corpus.events if isinstance(e, EntityRegistered)}
    for name in names:
        entity = registered[corpus.index.resolve(name)]
        assert entity.name_ar, name
    for mission in ("chang-e-4", "chang-e-5"):
        assert registered[mission].part_of == ("clep",)

"""The corpus credits each claim to sources that can report it: never a page published before
the happening it is credited with."""

from __future__ import annotations

from pathlib import Path

from ledger.corpus.loader import load_corpus
from ledger.domain.events import Corrected, Retracted, SourceRegistered

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_no_claim_is_credited_to_a_page_published_before_it_happened() -> None:
    """A source's latest possible publication day is never before the claim's earliest day."""
    events = list(load_corpus(FIXTURES).events)
    published = {
        e.stream.removeprefix("source:"): e.valid_time.latest
        for e in events
        if isinstance(e, SourceRegistered)
    }
    wrong = []
    for event in events:
        if isinstance(event, SourceRegistered | Corrected | Retracted):
            continue
        begun = event.valid_time.earliest
        for source in (event.citation.source, *event.citation.also_cited):
            latest = published.get(source)
            if begun is not None and latest is not None and latest < begun:
                wrong.append((event.fact or str(event.id), source))
    assert wrong == []


def test_the_gateway_refusals_are_credited_to_pages_of_their_time() -> None:
    """Russia's 2020 and 2021 refusals and Bridenstine's 2020 remarks are not credited to the
    2017 pages the fact sheet lists first for their entries."""
    events = [e for e in load_corpus(FIXTURES).events if e.stream == "lunar-gateway"]
    for event in events:
        start = event.valid_time.earliest
        if event.recorded_at is None or event.recorded_at.year < 2026 or start is None:
            continue
        if start >= 737425:  # 2020-01-01: a happening of 2020 or later
            cited = {event.citation.source, *event.citation.also_cited}
            assert not cited & {"nasa-roscosmos-joint-statement", "spacenews-deep-space-gateway"}

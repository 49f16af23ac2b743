"""Programs' earliest possible starts on the article's corpus (docs/evidence.md, "Nothing
before the program"): article alone and enriched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ledger.application.ledger import Ledger
from ledger.domain.state import Certainty, ProgramState
from ledger.errors import QueryError
from ledger.persistence.store import EventStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE_ONLY = datetime(2021, 3, 10, 23, 59, 59, tzinfo=UTC)
"""What the ledger knew the day it read the article (the starts came with the fact sheet)."""


@pytest.fixture(scope="module")
def service() -> Iterator[Ledger]:
    from ledger.corpus.loader import load_corpus

    store = EventStore.open("sqlite://")
    store.extend(list(load_corpus(FIXTURES).events))
    yield Ledger(store)
    store.close()


def _lines(state: ProgramState) -> list[tuple[str, str, Certainty]]:
    return [(f.section, f.label, f.certainty) for f in state.facts()]


@pytest.mark.parametrize("as_of", ["1990-01-01", "2016", "2016-12-31"])
def test_the_gateway_has_nothing_before_it_began(service: Ledger, as_of: str) -> None:
    """Enriched, the Gateway as of 1990 or 2016 has no line: its undated agreements cannot
    have begun before the program (not before 2017), and the state names that start."""
    state = service.state("lunar-gateway", as_of)
    assert _lines(state) == []
    assert [e.summary for e in state.began] == ["Lunar Gateway: began not before 2017"]


def test_the_gateway_in_2018_may_already_have_its_undated_agreements(service: Ledger) -> None:
    """As of 2018 NASA and Japan are possible members, dated from the start on, and the
    start is cited (as what bounds the date, never as a source)."""
    state = service.state("lunar-gateway", "2018")
    members = {m.member: m for m in state.members}
    assert {"nasa", "japan"} <= set(members)
    japan = members["japan"]
    assert japan.certainty is Certainty.POSSIBLE
    assert japan.date == "[2017-01-01..2021-01-12]"
    bounds = [e for e in japan.why if e.role == "bounds"]
    assert [e.source for e in bounds] == ["nasa-roscosmos-joint-statement"]
    assert "nasa-roscosmos-joint-statement" not in japan.sources


def test_why_shows_the_start_that_bounds_a_line(service: Ledger) -> None:
    """why Japan as of 2018: a "start" step says what the start is (earliest evidence, not
    a founding day) and names its event."""
    explanation = service.why("lunar-gateway", "2018", "Japan")
    (member,) = [f for f in explanation.facts if f.fact.section == "member"]
    (start,) = [s for s in member.steps if s.rule == "start"]
    assert "began not before 2017" in start.text
    assert "not a founding day" in start.text
    bound = next(e for e in member.fact.why if e.role == "bounds")
    assert start.events == (bound.event_id,)


def test_why_before_the_start_names_it(service: Ledger) -> None:
    """Asking why about a line before the program began says that nothing of it can have."""
    with pytest.raises(QueryError, match="earliest possible start: Lunar Gateway"):
        service.why("lunar-gateway", "1990-01-01", "Japan")


def test_the_gateway_article_alone_keeps_its_open_starts(service: Ledger) -> None:
    """Known at the article's day the ledger had no start for the Gateway (the article dates
    no beginning): its undated agreements stay possible in 1990, as the ledger knew them."""
    state = service.state("lunar-gateway", "1990-01-01", known_at=ARTICLE_ONLY)
    members = {m.member: m.certainty for m in state.members}
    assert members["japan"] is Certainty.POSSIBLE
    assert state.began == ()


@pytest.mark.parametrize("as_of", ["1970-01-01", "2017-10"])
def test_the_ilrs_has_nothing_before_november_2017(service: Ledger, as_of: str) -> None:
    """Enriched, the ILRS as of 1970 (or October 2017) has no line, not even the deprecated
    «فعليًا» signing mode, whose date was open."""
    assert _lines(service.state("ilrs", as_of)) == []


def test_the_ilrs_signing_mode_is_possible_from_the_start_on(service: Ledger) -> None:
    """As of 2019 the article's signing mode is possible again, dated from November 2017,
    and still deprecated."""
    state = service.state("ilrs", "2019")
    (mode,) = [a for a in state.attributes if a.attribute == "signing mode"]
    assert (mode.certainty, mode.date, mode.rank) == (
        Certainty.POSSIBLE,
        "[2017-11-01..2021-03-09]",
        "deprecated",
    )


def test_a_program_whose_start_is_unknown_keeps_its_open_starts(service: Ledger) -> None:
    """The CNSA–CNES cooperation has no start claim: its undated attribute is possible as of
    1970, as before."""
    state = service.state("cnsa-cnes-cooperation", "1970")
    assert state.began == ()
    assert [a.certainty for a in state.attributes] == [Certainty.POSSIBLE]


def test_the_artemis_program_before_it_began(service: Ledger) -> None:
    """Enriched, the Artemis program as of mid-2017 has no line: the article's Trump-era
    status ([2017-01-20..2021-01-20]) is read from Space Policy Directive 1 on."""
    assert _lines(service.state("artemis-program", "2017-06")) == []
    (active,) = [
        s for s in service.state("artemis-program", "2018").statuses if s.status == "active"
    ]
    assert active.date == "[2017-12-11..2021-01-20]"


def test_the_accords_name_their_start(service: Ledger) -> None:
    """The Accords' start is recorded and shown with their state (their own lines already
    begin after it)."""
    state = service.state("artemis-accords", "2018")
    assert [e.summary for e in state.began] == ["Artemis Accords: began not before 2019-05-13"]

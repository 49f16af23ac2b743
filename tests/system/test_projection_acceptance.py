"""The article's corpus through the projections: the acceptance checks of the projections issue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ledger.application.ledger import Ledger
from ledger.domain.events import Event, MilestoneReached, RestrictionEnacted
from ledger.domain.state import Certainty, ProgramState
from ledger.persistence.store import EventStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NEEDED = ("corpus.yaml", "article.yaml", "enrichment.yaml")

pytestmark = pytest.mark.skipif(
    not all((FIXTURES / name).is_file() for name in NEEDED),
    reason="the article's corpus (fixtures/article.yaml, fixtures/enrichment.yaml) is not here yet",
)


@pytest.fixture(scope="module")
def corpus() -> list[Event]:
    from ledger.corpus.loader import load_corpus

    return list(load_corpus(FIXTURES).events)


@pytest.fixture(scope="module")
def service(corpus: list[Event]) -> Iterator[Ledger]:
    store = EventStore.open("sqlite://")
    store.extend(corpus)
    yield Ledger(store)
    store.close()


def _recorded(event: Event) -> datetime:
    assert event.recorded_at is not None
    return event.recorded_at


def _wolf_claims(corpus: list[Event]) -> list[RestrictionEnacted]:
    """The claims that a law bars NASA from working with China, in recorded order."""
    return [
        e
        for e in corpus
        if isinstance(e, RestrictionEnacted)
        and "nasa" in e.restricted
        and "china" in e.counterparties
    ]


def _wolf(state: ProgramState) -> list[tuple[str, Certainty]]:
    return [
        (r.restriction, r.certainty)
        for r in state.restrictions
        if "nasa" in r.restricted and "china" in r.counterparties
    ]


def _article_time(corpus: list[Event]) -> datetime:
    """When the article's claims were recorded: before any public-source enrichment."""
    article = [e for e in corpus if e.citation.source == "article-ar"]
    return max(_recorded(e) for e in article)


def test_ilrs_not_agreed_the_day_before_the_signing(service: Ledger) -> None:
    """ILRS as of 2021-03-08: not yet agreed, no partners, no agreement."""
    state = service.state("ilrs", "2021-03-08")
    assert "agreed" not in [s.status for s in state.statuses]
    assert state.agreements == ()
    assert state.members == ()


def test_ilrs_agreed_with_partners_and_signatories_the_day_after(
    service: Ledger,
) -> None:
    """ILRS as of 2021-03-10: agreed; partners China and Russia; signed by Zhang and Rogozin."""
    state = service.state("ILRS", "2021-03-10")
    assert [(s.status, s.certainty) for s in state.statuses] == [("agreed", Certainty.CERTAIN)]
    # The agencies that signed for the two governments are parties too.
    assert sorted(state.member_ids(Certainty.CERTAIN)) == ["china", "cnsa", "roscosmos", "russia"]
    assert sorted(state.signatories()) == ["dmitry-rogozin", "zhang-kejian"]
    assert all(fact.why for fact in state.facts())


def test_wolf_amendment_before_and_after_2011(service: Ledger) -> None:
    """The restriction on NASA with China: not in force at the end of 2010, in force in 2012."""
    for program in ("nasa", "wolf-amendment", "china"):
        assert _wolf(service.state(program, "2010-12-31")) == []
        found = _wolf(service.state(program, "2012-01-01"))
        assert found
        assert {c for _, c in found} == {Certainty.CERTAIN}


def test_wolf_amendment_in_march_2011_depends_on_what_was_known(
    service: Ledger, corpus: list[Event]
) -> None:
    """As of 2011-03-01: possible from "in 2011" alone; not yet once 2011-04-15 is known."""
    claims = _wolf_claims(corpus)
    article, exact = claims[0], [c for c in claims if c.fact == claims[0].fact][1:]
    assert article.citation.source == "article-ar"
    assert exact, "the enrichment gives the enactment's exact day under the same fact"
    learned = min(_recorded(e) for e in exact)
    assert _recorded(article) < learned
    now = service.state("nasa", "2011-03-01")
    assert _wolf(now) == []
    for known in (_recorded(article), learned - timedelta(seconds=1)):
        then = service.state("nasa", "2011-03-01", known_at=known)
        assert [c for _, c in _wolf(then)] == [Certainty.POSSIBLE]


def test_wolf_amendment_from_the_article_alone_is_possible(corpus: list[Event]) -> None:
    """A ledger holding only the article's records says "possible" for March 2011."""
    known = _article_time(corpus)
    store = EventStore.open("sqlite://")
    store.extend(e for e in corpus if _recorded(e) <= known)
    state = Ledger(store).state("nasa", "2011-03-01")
    assert [c for _, c in _wolf(state)] == [Certainty.POSSIBLE]
    store.close()


def test_artemis_accords_without_russia_and_the_disputed_count(
    service: Ledger,
) -> None:
    """Artemis Accords as of 2021-03-09: Russia is no signatory; "nine others" (deprecated as
    an overcount) against the sheet's eight, which the recorded signings bear out."""
    state = service.state("artemis-accords", "2021-03-09")
    assert "russia" not in state.member_ids()
    assert all("russia" not in a.parties for a in state.agreements)
    (count,) = [c for c in state.conflicts if c.kind == "count"]
    assert [(s.value, s.why[0].source, s.rank) for s in count.claims] == [
        ("9", "article-ar", "deprecated"),
        ("8", "sciencetimes-31413", "normal"),
    ]
    assert count.resolved
    assert {(c.count, c.derived_low) for c in state.counts} == {(9, 8), (8, 8)}
    assert "united-states" in count.about
    assert any(r["section"] == "conflict" and r["detail"] == "count: 9" for r in state.rows())


def test_change_5_sample_return_in_december(service: Ledger, corpus: list[Event]) -> None:
    """Chang'e 5's sample return as of 2020-12-10: possible from "December", not yet once dated."""
    returns = [
        e for e in corpus if isinstance(e, MilestoneReached) and e.fact == "chang-e-5-sample-return"
    ]
    article = [e for e in returns if e.citation.source == "article-ar"]
    assert article
    assert len(returns) > len(article)

    def sample_return(state: ProgramState) -> list[Certainty]:
        return [m.certainty for m in state.milestones if m.milestone == "sample return"]

    known = max(_recorded(e) for e in article)
    assert sample_return(service.state("chang-e-5", "2020-12-10", known_at=known)) == [
        Certainty.POSSIBLE
    ]
    assert sample_return(service.state("chang-e-5", "2020-12-10")) == []
    assert sample_return(service.state("chang-e-5", "2020-12-31")) == [Certainty.CERTAIN]


def test_every_listed_program_has_a_state(service: Ledger) -> None:
    """Each program, mission, agreement and law of the corpus answers a state with evidence."""
    ids = service.programs().ids()
    assert {"ilrs", "lunar-gateway", "artemis-accords", "wolf-amendment", "chang-e-5"} <= set(ids)
    for program in ids:
        state = service.state(program, "2021-03")
        assert all(e.source for fact in state.facts() for e in fact.why)

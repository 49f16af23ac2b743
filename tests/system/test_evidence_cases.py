"""The worked cases of docs/evidence.md, on the article's corpus: article alone and enriched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ledger.application.ledger import Ledger
from ledger.domain.state import Certainty, Conflict, Fact, ProgramState
from ledger.persistence.store import EventStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ARTICLE_ONLY = datetime(2021, 3, 10, 23, 59, 59, tzinfo=UTC)
"""What the ledger knew the day it read the article (the enrichment came in 2026)."""


@pytest.fixture(scope="module")
def service() -> Iterator[Ledger]:
    from ledger.corpus.loader import load_corpus

    store = EventStore.open("sqlite://")
    store.extend(list(load_corpus(FIXTURES).events))
    yield Ledger(store)
    store.close()


def _find(facts: tuple[Fact, ...], label: str) -> Fact | None:
    return next((f for f in facts if f.label == label), None)


def _members(state: ProgramState) -> dict[str, Certainty]:
    return {m.member: m.certainty for m in state.members}


# --- Canada: a precise claim narrows a vague one; an announcement bounds a signing -----------


def test_canada_gateway_agreement_not_yet_before_any_dated_claim(
    service: Ledger,
) -> None:
    """Gateway as of 2020-10-01, enriched: neither the Canada MOU nor Canada's membership."""
    state = service.state("lunar-gateway", "2020-10-01")
    assert _find(state.agreements, "NASA–Canada Gateway agreement") is None
    assert "canada" not in _members(state)


def test_canada_gateway_agreement_dated_by_its_last_signature(
    service: Ledger,
) -> None:
    """As of 2020-11-20 the MOU is certain, dated 2020-11-15; the article and the
    announcement support that date instead of rivalling it."""
    state = service.state("lunar-gateway", "2020-11-20")
    found = _find(state.agreements, "NASA–Canada Gateway agreement")
    assert found is not None
    assert (found.certainty, found.date) == (Certainty.CERTAIN, "2020-11-15")
    roles = {e.source: e.role for e in found.why}
    assert roles["canada-treaty-105652"] == "decides"
    assert roles["article-ar"] == "supports"
    assert roles["spacenews-canada-gateway"] == "supports"
    assert not found.contested
    assert all(c.about != "gateway-canada-agreement" for c in service.conflicts())


def test_canada_before_the_signing_is_not_yet_on_2020_11_14(service: Ledger) -> None:
    """One day before the last signature the MOU had not been concluded."""
    state = service.state("lunar-gateway", "2020-11-14")
    assert _find(state.agreements, "NASA–Canada Gateway agreement") is None


def test_canada_from_the_article_alone_is_only_possible(service: Ledger) -> None:
    """Article alone, as of 2020-10-01: the undated agreement is possible, never certain."""
    state = service.state("lunar-gateway", "2020-10-01", known_at=ARTICLE_ONLY)
    found = _find(state.agreements, "NASA–Canada Gateway agreement")
    assert found is not None
    assert (found.certainty, found.date) == (Certainty.POSSIBLE, "[..2021-03-09]")
    after = service.state("lunar-gateway", "2021-03-10", known_at=ARTICLE_ONLY)
    assert _members(after)["canada"] is Certainty.CERTAIN


# --- South Korea: a report the fact sheet calls wrong is deprecated ----------------------------


def test_south_korea_signatory_certain_from_may_24(service: Ledger) -> None:
    """As of 2021-05-25 South Korea is certainly a signatory: the wrong 27 May does not decide."""
    state = service.state("artemis-accords", "2021-05-25")
    assert _members(state)["south-korea"] is Certainty.CERTAIN
    signing = next(m for m in state.members if m.member == "south-korea")
    assert signing.date == "2021-05-24"
    deprecated = [e for e in signing.why if e.rank == "deprecated"]
    assert [str(e.date) for e in deprecated] == ["2021-05-27"]
    assert "Wrong report" in deprecated[0].rank_reason
    assert deprecated[0].rank_by
    assert "south-korea" not in _members(service.state("artemis-accords", "2021-05-23"))


def test_south_korea_conflict_shown_resolved(service: Ledger) -> None:
    """The disagreement stays visible, each side with its sources, confidence and rank."""
    (conflict,) = [c for c in service.conflicts() if c.about == "artemis-accords-south-korea"]
    assert conflict.resolved
    sides = {s.date: (s.rank, s.confidence) for s in conflict.claims}
    assert sides == {"2021-05-24": ("normal", "high"), "2021-05-27": ("deprecated", "low")}


# --- The Gateway: a vague status is not cancelled by earlier events ------------------------------


@pytest.mark.parametrize("as_of", ["2021-03-10", "2025", "2029-12-31", "2030-06-01"])
def test_gateway_under_construction_possible_through_the_2020s(service: Ledger, as_of: str) -> None:
    """ "Being built in the next decade" (202X) stays possible, beside the agreed status."""
    state = service.state("lunar-gateway", as_of)
    statuses = {s.status: s.certainty for s in state.statuses}
    assert statuses.get("under_construction") is Certainty.POSSIBLE
    assert statuses.get("agreed") is Certainty.POSSIBLE


def test_gateway_under_construction_not_before_the_decade(service: Ledger) -> None:
    """Before 2020 the decade's construction cannot have begun."""
    state = service.state("lunar-gateway", "2019-12-31")
    assert "under_construction" not in {s.status for s in state.statuses}


# --- The ILRS: no exact day from the article alone -----------------------------------------------


def test_ilrs_signing_has_no_day_from_the_article_alone(service: Ledger) -> None:
    """Article alone: signed on or before publication, never "2021-03-09" exactly."""
    before = service.state("ILRS", "2021-03-08", known_at=ARTICLE_ONLY)
    statuses = {s.status: s.certainty for s in before.statuses}
    assert statuses["agreed"] is Certainty.POSSIBLE
    assert statuses["in_talks"] is Certainty.POSSIBLE
    after = service.state("ILRS", "2021-03-10", known_at=ARTICLE_ONLY)
    (agreement,) = after.agreements
    assert agreement.certainty is Certainty.CERTAIN
    assert agreement.date == "[..2021-03-09]"


def test_ilrs_enriched_is_dated_and_names_the_agencies(service: Ledger) -> None:
    """Enriched: signed 2021-03-09 (not yet on 03-08), CNSA and Roscosmos among the parties."""
    assert service.state("ILRS", "2021-03-08").agreements == ()
    state = service.state("ILRS", "2021-03-10")
    (agreement,) = state.agreements
    assert agreement.date == "2021-03-09"
    assert {"cnsa", "roscosmos"} <= set(agreement.parties)
    assert agreement.mode == "by video conference"
    assert agreement.confidence == "high"
    assert len(agreement.sources) > 2


def test_ilrs_mistranslation_deprecated_with_its_reason(service: Ledger) -> None:
    """«فعليًا» is shown, deprecated as a translation error, and no longer the only mode."""
    state = service.state("ILRS", "2021-03-10")
    modes = {a.detail: a for a in state.attributes if a.attribute == "signing mode"}
    wrong = modes["فعليًا (actually, in effect)"]
    assert wrong.rank == "deprecated"
    assert "Translation error" in wrong.rank_reason
    assert modes["virtually (by video conference)"].rank == "normal"
    article_only = service.state("ILRS", "2021-03-10", known_at=ARTICLE_ONLY)
    assert {a.rank for a in article_only.attributes} == {"normal"}


# --- Provenance and the smaller defects ----------------------------------------------------------


def test_enrichment_quotes_are_credited_to_the_fact_sheet(service: Ledger) -> None:
    """A web page's claim quotes the fact sheet's words, and says so; the ISS in 1993-1998 is
    credited to NASA's page first, the 2025 news item beside it."""
    state = service.state("iss", "1995")
    (member,) = state.members
    cited = {e.source: e for e in member.why}
    page = cited["nasa-iss-partners-agreement"]
    assert page.quote_in == "public-facts"
    assert page.cited == "nasa-iss-partners-agreement, as cited by public-facts"
    assert page.also_cited == ("newspravda-2025-09-02", "whatwhen-space-collaboration")
    assert cited["article-ar"].quote_in == ""


def test_iss_operating_not_agreed_in_2021(service: Ledger) -> None:
    """The ISS in 2021 is operating (from its first module), not merely agreed."""
    state = service.state("iss", "2021")
    assert [(s.status, s.certainty) for s in state.statuses] == [("operating", Certainty.CERTAIN)]


def test_a_yes_no_value_reads_as_words(service: Ledger) -> None:
    """ "signatory: russia" is "no", not Python's False."""
    state = service.state("artemis-accords", "2021-03-09")
    (russia,) = [a for a in state.attributes if a.attribute == "signatory: russia"]
    assert russia.detail == "no"


def test_the_law_number_names_the_wolf_amendment(service: Ledger) -> None:
    """ "P.L. 112-10" resolves to the Wolf Amendment."""
    assert service.resolve("P.L. 112-10") == "wolf-amendment"


# --- Explaining one line ----------------------------------------------------------------------


def test_why_names_the_deciding_the_supporting_and_the_deprecated(service: Ledger) -> None:
    """why South Korea as of 2021-05-25: the 24 May claim decides, the 27 May one is
    deprecated with its reason and correction."""
    explanation = service.why("artemis-accords", "2021-05-25", "South Korea")
    (member,) = [f for f in explanation.facts if f.fact.section == "member"]
    rules = {step.rule: step for step in member.steps}
    assert {"date", "deprecated", "when", "attested"} <= set(rules)
    assert "Wrong report" in rules["deprecated"].text
    assert rules["when"].text.startswith("certain")
    cited = {e.event_id for e in member.fact.why}
    assert set(rules["date"].events) <= cited


def test_why_of_an_article_only_line_is_possible_and_says_so(service: Ledger) -> None:
    """Article alone, the Canada agreement as of 2020-10-01 is possible, and why says why."""
    explanation = service.why("lunar-gateway", "2020-10-01", "Canada", known_at=ARTICLE_ONLY)
    assert explanation.facts
    for found in explanation.facts:
        (when,) = [s for s in found.steps if s.rule == "when"]
        assert when.text.startswith("possible")


def test_why_of_nothing_there_is_a_query_error(service: Ledger) -> None:
    """Asking about a line the state does not have names the lines it has."""
    from ledger.errors import QueryError

    with pytest.raises(QueryError, match="its lines"):
        service.why("ILRS", "2021-03-10", "Atlantis")


# --- The ILRS from the article alone: talks dated up to the signing end with it -------------


def test_ilrs_article_alone_is_surely_agreed_once_the_talks_interval_has_passed(
    service: Ledger,
) -> None:
    """As of 2021-03-10, known from the article alone, the talks (dated up to 2021-03-09)
    are over and the agreement (on or before 2021-03-09) is the one certain status."""
    state = service.state("ilrs", "2021-03-10", known_at=ARTICLE_ONLY)
    assert [(s.status, s.certainty) for s in state.statuses] == [("agreed", Certainty.CERTAIN)]


# --- Russia and the Gateway: weighing it to March 2021, against declining it before -----------


def _answer_conflict(conflicts: Iterable[Conflict]) -> Conflict | None:
    return next(
        (
            c
            for c in conflicts
            if (c.entity, c.about) == ("lunar-gateway", "answer to the invitation: russia")
        ),
        None,
    )


def test_russia_weighing_the_gateway_against_its_refusals_is_a_conflict(service: Ledger) -> None:
    """The article's "Russia was weighing" (to 2021-03-09) against the refusals of October
    2020 and January 2021: two sides, each with its sources and confidence, still open."""
    found = _answer_conflict(service.conflicts())
    assert found is not None
    assert not found.resolved
    sides = {s.value: s for s in found.claims}
    assert set(sides) == {"considering", "declined"}
    weighing, declined = sides["considering"], sides["declined"]
    assert (weighing.date, weighing.confidence, weighing.sources) == (
        "/2021-03-09",
        "medium",
        ("article-ar",),
    )
    assert any(
        "Russia had already declined in October 2020" in r for e in weighing.why for r in e.remarks
    )
    assert (declined.date, declined.confidence) == ("2020-10-12", "high")
    dates = {str(e.date) for e in declined.why}
    assert {"2020-10-12", "2021-01-25", "2020-12"} <= dates


def test_the_unverified_december_statement_stands_on_the_refusals_side(service: Ledger) -> None:
    """The December airlock statement agrees with the refusals (no rival of theirs) and is
    shown on their side with its remark: unverified, speaker unnamed."""
    found = _answer_conflict(service.conflicts())
    assert found is not None
    (declined,) = [s for s in found.claims if s.value == "declined"]
    (december,) = [e for e in declined.why if "غرفة معادلة الضغط" in e.quote]
    assert any(r.startswith("Unverified (fact sheet inaccuracy 8)") for r in december.remarks)


def test_russia_answer_conflict_as_of_dates_and_article_alone(service: Ledger) -> None:
    """Not yet before the first refusal; from it on, the Gateway's state lists it and marks
    the refusal contested; the article alone does not date the weighing, so no conflict."""
    assert _answer_conflict(service.state("lunar-gateway", "2020-10-01").conflicts) is None
    state = service.state("lunar-gateway", "2021-02-01")
    assert _answer_conflict(state.conflicts) is not None
    (russia,) = [i for i in state.invitations if i.party == "russia"]
    assert (russia.answer, russia.certainty, russia.contested) == (
        "declined",
        Certainty.CERTAIN,
        True,
    )
    assert _answer_conflict(service.conflicts(known_at=ARTICLE_ONLY)) is None


def test_why_tells_several_happenings_from_rival_dates(service: Ledger) -> None:
    """Russia's refusals (two happenings, one line) are not called rival dates; Ukraine's
    signing, dated 2020-11-12 and 13-14 November by different sources, is."""
    (russia,) = service.why("lunar-gateway", "2021-02-01", "russia").facts[:1]
    breaks = [s.text for s in russia.steps if s.rule == "tie-break"]
    assert any(t.startswith("several happenings read as this one line") for t in breaks)
    assert not any("cannot all be right" in t for t in breaks)
    ukraine = service.why("artemis-accords", "2020-12-01", "ukraine").facts[0]
    assert any("cannot all be right" in s.text for s in ukraine.steps if s.rule == "tie-break")


def test_a_possible_status_shows_the_date_it_surely_began_by(service: Ledger) -> None:
    """The Gateway as of 2020-11-20 is possibly still "agreed" (the 202X construction may have
    followed): dated by the ESA MOU of 2020-10-27, not by a vaguer claim that sorts first."""
    state = service.state("lunar-gateway", "2020-11-20")
    (agreed,) = [s for s in state.statuses if s.status == "agreed"]
    assert (agreed.certainty, agreed.date) == (Certainty.POSSIBLE, "2020-10-27")

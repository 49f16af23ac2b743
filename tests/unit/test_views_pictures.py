"""Timeline lanes as of a day, a month or a year: certain, possible and not yet as a state says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ledger
from ledger.domain.timeline import Timeline
from ledger.reports.plot import Lane
from ledger.views.pictures import lane_over, timeline_lanes


@pytest.fixture(scope="module")
def ilrs(article_db: str) -> Iterator[Timeline]:
    """The ILRS's timeline on the article's ledger."""
    with ledger.open(article_db) as opened:
        yield opened.timeline("ILRS")


def signing(lane: Lane) -> str:
    """The style of the lane's mark for the article's 2021-03-09 signing."""
    return next(m.style for m in lane.items if m.label.startswith("Russia and China sign"))


@pytest.mark.parametrize(
    ("as_of", "style"),
    [
        ("2021-03-08", "not yet"),
        ("2021-03-09", "certain"),
        ("2021-03", "possible"),
        ("2021", "possible"),
        ("2020", "not yet"),
        ("2022", "certain"),
        (None, "certain"),
    ],
)
def test_signing_mark_as_of_a_day_month_or_year(ilrs: Timeline, as_of: str, style: str) -> None:
    """The 2021-03-09 signing is possible as of March 2021 or 2021, not only 'not yet'."""
    assert signing(lane_over("ILRS", ilrs, as_of)) == style


def test_lane_over_a_period_keeps_the_marks_of_a_day(ilrs: Timeline) -> None:
    """Over a period the lane has the same marks, labels and bounds as on any day."""
    day, year = lane_over("ILRS", ilrs, "2021-03-10"), lane_over("ILRS", ilrs, "2021")
    assert [(m.label, m.earliest, m.latest) for m in day.items] == [
        (m.label, m.earliest, m.latest) for m in year.items
    ]


def test_one_lane_per_program_named_once_with_both_names(article_db: str) -> None:
    """Ledger.timelines takes each program once by any of its names (every program when none
    is named); timeline_lanes labels each lane English / Arabic and draws its timeline."""
    with ledger.open(article_db) as opened:
        timelines = opened.timelines(["ILRS", "محطة أبحاث القمر الدولية", "Lunar Gateway"])
        names = opened.names([t.program for t in timelines if t.program])
        every = opened.timelines()
        programs = opened.programs()
    lanes = timeline_lanes(timelines, names, "2021-03-10")
    assert [t.program for t in timelines] == ["ilrs", "lunar-gateway"]
    assert [lane.label for lane in lanes] == [
        "International Lunar Research Station / محطة أبحاث القمر الدولية",
        "Lunar Gateway / بوابة القمر",
    ]
    assert lanes[1] == lane_over(lanes[1].label, timelines[1].entries, "2021-03-10")
    assert [t.program for t in every] == list(programs.ids())

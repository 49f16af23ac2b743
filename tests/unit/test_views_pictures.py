"""Timeline lanes as of a day, a month or a year: certain, possible and not yet as a state says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ledger
from ledger.domain.timeline import Timeline
from ledger.reports.plot import Lane
from ledger.views.pictures import lane_over


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

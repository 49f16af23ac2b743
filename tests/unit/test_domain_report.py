"""The report's values: a source's title is its own, or one supplied from its address, marked."""

from __future__ import annotations

import pytest

from ledger.domain.report import source_title


def test_a_source_with_a_title_keeps_it() -> None:
    """A registered title is shown as it is."""
    assert source_title("NASA History", "https://history.nasa.gov/") == "NASA History"


@pytest.mark.parametrize(
    ("url", "publisher", "shown"),
    [
        (
            "https://www.urdupoint.com/en/technology/russia-china-sign-memorandum-on-creating-int-1188974.html",
            "UrduPoint",
            "[Russia china sign memorandum on creating int]",
        ),
        (
            "https://sputnikglobe.com/science/202102101082031802-us-to-start-assembling-gateway/",
            "",
            "[Us to start assembling gateway]",
        ),
        ("https://en.wikipedia.org/wiki/Wolf_Amendment", "", "[Wolf Amendment]"),
        (
            "https://mobygeek.com/features/russia-will-build-a-lunar-station-15965/amp",
            "",
            "[Russia will build a lunar station]",
        ),
        ("https://tass.com/science/1263979", "TASS", "[TASS: science/1263979]"),
        ("https://www.example.org/", "", "[example.org]"),
    ],
)
def test_a_page_known_by_its_url_gets_a_supplied_title_in_brackets(
    url: str, publisher: str, shown: str
) -> None:
    """A title that is only the URL becomes the address's words in brackets, never the URL."""
    assert source_title(url, url, publisher) == shown
    assert source_title("", url, publisher) == shown


def test_a_source_with_neither_title_nor_url_keeps_what_it_has() -> None:
    """Nothing to supply from: the (empty) title stays."""
    assert source_title("", "") == ""

"""The report page's safety: only http(s) links, every corpus string escaped."""

from __future__ import annotations

import pytest

from ledger.dates import parse_edtf
from ledger.views.report_page import safe_url


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=1", "http://example.org", " https://example.org/x "]
)
def test_http_and_https_addresses_become_links(url: str) -> None:
    """Web addresses are kept (trimmed) as links."""
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "file:///etc/passwd",
     "//example.org", "https://", "", "http://[::1"],
)  # fmt: skip
def test_other_addresses_are_never_links(url: str) -> None:
    """Scripts, data, local files, scheme-relative and malformed addresses are refused."""
    assert safe_url(url) is None


def test_hostile_corpus_text_is_escaped_and_its_links_refused() -> None:
    """Markup in summaries, quotes, titles and ids is shown as text; a javascript: source
    address is shown, never linked."""
    from ledger.domain.names import Names
    from ledger.domain.report import ProgramReport, ReportData, SourceInfo
    from ledger.domain.state import Conflicts, ProgramState
    from ledger.domain.timeline import Timeline, TimelineEntry
    from ledger.views.report_page import report_page

    hostile = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    entry = TimelineEntry(
        date=parse_edtf("2021-03-09"),
        earliest=None,
        latest=None,
        entity="p",
        event_type="TalksHeld",
        summary=hostile,
        source="s",
        quote=hostile,
        event_id=hostile,
    )
    data = ReportData(
        as_of="2021",
        known_at=None,
        programs=(
            ProgramReport("p", ProgramState(program="p", as_of="2021"), Timeline(entries=(entry,))),
        ),
        conflicts=Conflicts(),
        sources={"s": SourceInfo("s", title=hostile, url="javascript:alert(3)")},
        names=Names(),
    )
    page = report_page(data)
    body = page[page.index("<body>") : page.rindex("<script>")]
    assert "<img" not in body
    assert "<script" not in body
    assert "onerror=alert(1)>" not in body
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(2)" in body
    assert page.count("<script>") == 1

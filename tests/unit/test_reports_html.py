"""Tests for ledger.reports.html: a self-contained, escaped, offline HTML report."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from ledger.errors import ReportError
from ledger.reports.html import html_report, inline_svg

STATE: list[dict[str, object]] = [
    {"program": "ILRS", "name": "محطة أبحاث القمر الدولية", "status": "agreed", "members": 2},
    {"program": "Lunar Gateway", "name": "البوابة القمرية", "status": None, "members": 5},
]
CONFLICTS: list[dict[str, object]] = [
    {"attribute": "members", "claims": "9 vs 8", "note": "<script>alert(1)</script>"}
]

SVG = (
    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    '  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" '
    'viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
    "<metadata><rdf:RDF><dc:title>https://example.org/</dc:title></rdf:RDF></metadata>\n"
    '<defs><path id="m1" d="M 0 0 L 1 1"/></defs>\n'
    '<g clip-path="url(#p1)"><use xlink:href="#m1" x="1" y="1"/>'
    "<text>ILRS محطة</text></g>\n</svg>\n"
)


class Page(HTMLParser):
    """Collects what a browser would see: tags, resource attributes, cells and their attrs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.references: list[str] = []
        self.cells: list[tuple[dict[str, str | None], str]] = []
        self.headings: list[str] = []
        self.html_lang: str | None = None
        self._cell: tuple[dict[str, str | None], list[str]] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        named = dict(attrs)
        if tag == "html":
            self.html_lang = named.get("lang")
        for name, value in attrs:
            if name in ("src", "href", "action", "poster", "srcset") or name.endswith(":href"):
                self.references.append(value or "")
        if tag in ("td", "th"):
            self._cell = (named, [])
        if tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append((self._cell[0], "".join(self._cell[1])))
            self._cell = None
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[1].append(data)
        if self._heading is not None:
            self._heading.append(data)


def parse(text: str) -> Page:
    """The parsed page."""
    page = Page()
    page.feed(text)
    page.close()
    return page


def report() -> str:
    """A report with two sections and a picture."""
    return html_report(
        "ILRS as of 2021-03-10",
        [("State of each program", STATE), ("Conflicts", CONFLICTS)],
        SVG,
    )


def test_report_contains_every_table_cell_and_heading() -> None:
    """Each section becomes a heading and a table holding every value (None empty)."""
    page = parse(report())
    texts = [text for _, text in page.cells]
    for row in [*STATE, *CONFLICTS]:
        for key, value in row.items():
            assert key in texts
            assert ("" if value is None else str(value)) in texts
    assert page.headings == ["ILRS as of 2021-03-10", "State of each program", "Conflicts"]
    assert page.html_lang == "en"


def test_report_loads_nothing_from_the_network() -> None:
    """No src/href leaves the page, no URL at all is written, and a CSP forbids fetching."""
    text = report()
    page = parse(text)
    assert page.references, "the inlined SVG's internal references were not seen"
    for ref in page.references:
        assert ref.startswith("#") or ref.startswith("data:"), ref
    for scheme in ("http://", "https://", "ftp://"):
        assert scheme not in text
    assert "@import" not in text
    assert "default-src 'none'" in text
    assert "script" not in page.tags
    assert "link" not in page.tags


def test_report_escapes_values() -> None:
    """Markup in a value is shown as text, never run."""
    text = report()
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_arabic_cells_are_marked_for_bidi_and_language() -> None:
    """Arabic cells carry dir=auto and lang=ar; Latin and number cells do not."""
    page = parse(report())
    attrs = {text: named for named, text in page.cells}
    assert attrs["محطة أبحاث القمر الدولية"] == {"dir": "auto", "lang": "ar"}
    assert attrs["ILRS"] == {}
    assert attrs["5"] == {"class": "num"}


def test_inline_svg_drops_prolog_metadata_and_namespace_uris() -> None:
    """The inlined picture starts at <svg>, keeps its drawing, and names no URL."""
    inlined = inline_svg(SVG)
    assert inlined.startswith("<svg ")
    assert "metadata" not in inlined
    assert "http" not in inlined
    assert 'xlink:href="#m1"' in inlined
    assert "ILRS محطة" in inlined


@pytest.mark.parametrize(
    "svg",
    [
        "<svg><script>alert(1)</script></svg>",
        '<svg><image href="https://example.org/x.png"/></svg>',
        '<svg><use xlink:href="other.svg#a"/></svg>',
        '<svg><rect onclick="alert(1)"/></svg>',
        '<svg><rect style="fill: url(https://example.org/p)"/></svg>',
        "<svg><style>@import 'x.css';</style></svg>",
        "<svg><foreignObject><p>x</p></foreignObject></svg>",
    ],
)
def test_inline_svg_refuses_scripts_and_outside_references(svg: str) -> None:
    """A picture that could run code or fetch a resource is refused with a ReportError."""
    with pytest.raises(ReportError, match="cannot be inlined"):
        inline_svg(svg)


def test_report_without_picture_or_rows() -> None:
    """A report with no picture and an empty section still renders, saying there are no rows."""
    text = html_report("Empty", [("Conflicts", [])])
    assert "<svg" not in text
    assert "No rows." in text
    assert text.startswith("<!DOCTYPE html>")


def test_report_language_attribute() -> None:
    """The page language is set from ``lang`` and a bad tag is refused."""
    assert parse(html_report("تقرير", [], lang="ar")).html_lang == "ar"
    with pytest.raises(ReportError):
        html_report("x", [], lang='en" onload="x')


def test_report_with_the_real_timeline_picture_stays_offline() -> None:
    """The timeline SVG inlines with its lane labels, and the page still references nothing."""
    pytest.importorskip("matplotlib")
    from ledger.reports.plot import Lane, Mark, timeline_svg

    svg = timeline_svg(
        [Lane("ILRS", (Mark("signed", 737858, 737858, True),)), Lane("البوابة القمرية", ())],
        as_of=737859,
    )
    text = html_report("Timeline", [("State", STATE)], svg)
    page = parse(text)
    assert "svg" in page.tags
    assert "البوابة القمرية" in text
    assert ">ILRS</text>" in text
    for ref in page.references:
        assert ref.startswith("#"), ref
    assert "http:" not in text
    assert "https:" not in text
    assert "<?xml" not in text

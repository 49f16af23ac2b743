"""Exchange formats: TimelineJS dates as precise as their sources, CSL-JSON items, and Web
Annotations whose selectors find the quoted words again in the text they name."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import pytest

from ledger.dates import parse_edtf
from ledger.domain.events import Citation, Event, SourceRegistered, TalksHeld
from ledger.domain.timeline import Timeline, TimelineEntry
from ledger.views.annotations import annotate
from ledger.views.csl import CSL_TYPES, csl_date, csl_item
from ledger.views.timelinejs import date_object, display_date, required_problems, timelinejs


@pytest.mark.parametrize(
    ("edtf", "start", "end"),
    [
        ("2021-03-09", {"year": 2021, "month": 3, "day": 9}, {"year": 2021, "month": 3, "day": 9}),
        ("2020-12", {"year": 2020, "month": 12}, {"year": 2020, "month": 12}),
        ("2020", {"year": 2020}, {"year": 2020}),
        ("202X", {"year": 2020}, {"year": 2029}),
        ("2020-07/2021-03-09", {"year": 2020, "month": 7}, {"year": 2021, "month": 3, "day": 9}),
        ("2030/..", {"year": 2030}, None),
        ("[..2021-03-09]", None, {"year": 2021, "month": 3, "day": 9}),
    ],
)
def test_timelinejs_dates_keep_the_precision_they_have(
    edtf: str, start: dict[str, int] | None, end: dict[str, int] | None
) -> None:
    """A month stays a month and a year a year; an open or unknown end has no date object."""
    value = parse_edtf(edtf)
    assert date_object(value) == start
    assert date_object(value, end=True) == end


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("2021-03-09?", "uncertain"),
        ("2020-05-05~", "approximate"),
        ("[..2021-03-09]", "on or before 2021-03-09"),
        ("202X", "some time in 2020-01-01 to 2029-12-31"),
        ("2030/..", "from 2030 on"),
    ],
)
def test_uncertain_dates_get_a_display_date(edtf: str, words: str) -> None:
    """Uncertain, approximate, open or vague dates are said in words; a plain day is not."""
    shown = display_date(parse_edtf(edtf))
    assert shown is not None
    assert words in shown
    assert display_date(parse_edtf("2021-03-09")) is None
    assert display_date(parse_edtf("2020-12")) is None


def entry(date: str, summary: str, quote: str = "", source: str = "s", n: int = 1) -> TimelineEntry:
    """A timeline entry with what the exports read."""
    value = parse_edtf(date)
    return TimelineEntry(
        date=value,
        earliest=value.earliest,
        latest=value.latest,
        entity="ilrs",
        event_type="TalksHeld",
        summary=summary,
        source=source,
        quote=quote,
        event_id=f"00000000-0000-0000-0000-{n:012d}",
    )


def test_timelinejs_document_has_groups_eras_and_escaped_text() -> None:
    """Slides carry their program as group; a period is an era; markup is escaped."""
    timeline = Timeline(
        entries=(
            entry("2020-07/2021-03-09", "talks <b>held</b>", n=1),
            entry("2021-03-09", "signed", n=2),
        )
    )
    document = timelinejs([("ilrs", timeline)], names={"ilrs": "ILRS"})
    assert required_problems(document) == []
    assert [s["group"] for s in document["events"]] == ["ILRS", "ILRS"]
    assert document["events"][0]["text"]["headline"] == "talks &lt;b&gt;held&lt;/b&gt;"
    assert document["events"][0]["end_date"] == {"year": 2021, "month": 3, "day": 9}
    assert "end_date" not in document["events"][1]
    (era,) = document["eras"]
    assert era["start_date"] == {"year": 2020, "month": 7}
    assert required_problems({"events": [{"start_date": {}}]}) != []


def source(text: str = "", **fields: object) -> SourceRegistered:
    """A registered source, recorded on 2021-03-10."""
    return SourceRegistered(
        id=uuid.uuid4(),
        citation=Citation(source="s"),
        stream="source:s",
        valid_time=parse_edtf(str(fields.pop("date", "2021-03-09"))),
        title=str(fields.pop("title", "A title")),
        text=text,
        recorded_at=datetime(2021, 3, 10, 12, tzinfo=UTC),
        **fields,  # type: ignore[arg-type]
    )


def test_csl_items_have_the_required_fields_and_honest_dates() -> None:
    """id and type (a CSL type), the title, issued as precise as the date, accessed."""
    item = csl_item(
        source(url="https://example.org/a", publisher="Reuters", language="en", date="2021-03")
    )
    assert item["id"] == "s"
    assert item["type"] in CSL_TYPES
    assert item["title"] == "A title"
    assert item["issued"] == {"date-parts": [[2021, 3]]}
    assert item["accessed"] == {"date-parts": [[2021, 3, 10]]}
    assert item["URL"] == "https://example.org/a"
    assert item["container-title"] == "Reuters"
    assert csl_date(parse_edtf("2021-03-09?")) == {"date-parts": [[2021, 3, 9]], "circa": True}
    assert csl_date(parse_edtf("2020/2021")) == {"date-parts": [[2020], [2021]]}


def claim(summary: str, quote: str, n: int) -> Event:
    """A claim citing source "s" with a quote."""
    return TalksHeld(
        id=uuid.UUID(int=n),
        stream="ilrs",
        valid_time=parse_edtf("2021-03-09"),
        citation=Citation(source="s", quote=quote),
        summary=summary,
        parties=("china", "russia"),
    )


def test_annotations_select_the_quote_in_the_text_that_holds_it() -> None:
    """Quote and position selectors find the exact words; the text is named by its SHA-256;
    a quote no text holds gets no annotation."""
    text = "Before. وقعت روسيا والصين اتفاقية. After the signing, more words follow here."
    found = annotate(
        [
            claim("signed", "وقعت روسيا والصين اتفاقية", 1),
            claim("invented", "words nobody wrote", 2),
        ],
        [source(text, language="ar", url="https://example.org/a")],
    )
    (annotation,) = found.items
    assert found.unplaced == (str(uuid.UUID(int=2)),)
    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["type"] == "Annotation"
    assert annotation["id"].startswith("urn:uuid:")
    target = annotation["target"]
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert target["source"]["id"] == f"urn:sha256:{digest}"
    assert target["scope"] == "https://example.org/a"
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert position["type"] == "TextPositionSelector"
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert text[: position["start"]].endswith(quote["prefix"])
    assert text[position["end"] :].startswith(quote["suffix"])
    assert quote["prefix"] == "Before. "
    collection = found.collection()
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 1
    assert collection["first"]["items"] == [annotation]

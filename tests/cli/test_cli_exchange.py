"""``ledger exchange``: TimelineJS, CSL-JSON and Web Annotation files of the article's ledger."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_run import run

import ledger
from ledger.domain.events import SourceRegistered
from ledger.views.csl import CSL_TYPES
from ledger.views.timelinejs import required_problems

pytestmark = pytest.mark.usefixtures("cli_env")


def written(article_db: str, tmp_path: Path, *argv: str) -> object:
    """Run ``exchange`` with ``argv`` into a file; return the parsed JSON."""
    out = tmp_path / "out.json"
    code, stdout, err = run("exchange", *argv, "--out", str(out), "--db", article_db)
    assert (code, err) == (0, "")
    assert str(out) in stdout
    return json.loads(out.read_text(encoding="utf-8"))


def test_timelinejs_has_a_group_per_program_asked(article_db: str, tmp_path: Path) -> None:
    """Two programs asked: every slide in one of their two groups, the format's fields all set."""
    document = written(article_db, tmp_path, "timelinejs", "ILRS", "Lunar Gateway")
    assert isinstance(document, dict)
    assert required_problems(document) == []
    groups = {slide["group"] for slide in document["events"]}
    assert len(groups) == 2
    assert any("International Lunar Research Station" in g for g in groups)
    assert any("display_date" in slide for slide in document["events"])


def test_csl_json_lists_every_source_with_required_fields(article_db: str, tmp_path: Path) -> None:
    """Each registered source is an item with id, a CSL type and a title."""
    items = written(article_db, tmp_path, "csl-json")
    assert isinstance(items, list)
    with ledger.open(article_db) as opened:
        ids = {e.stream.removeprefix("source:") for e in opened.events(types=[SourceRegistered])}
    assert {item["id"] for item in items} == ids
    for item in items:
        assert item["type"] in CSL_TYPES
        assert item["title"]
        assert all(
            isinstance(part, int) for part in item.get("issued", {}).get("date-parts", [[0]])[0]
        )


def test_annotations_point_at_stored_texts_by_digest(article_db: str, tmp_path: Path) -> None:
    """Every annotation's selectors find its words in the stored text whose SHA-256 it names."""
    collection = written(article_db, tmp_path, "annotations")
    assert isinstance(collection, dict)
    with ledger.open(article_db) as opened:
        texts = {
            hashlib.sha256(e.text.encode()).hexdigest(): e.text
            for e in opened.events(types=[SourceRegistered])
            if isinstance(e, SourceRegistered) and e.text
        }
    items = collection["first"]["items"]
    assert collection["total"] == len(items) > 50
    for annotation in items:
        target = annotation["target"]
        text = texts[target["source"]["id"].removeprefix("urn:sha256:")]
        quote, position = target["selector"]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])

"""``draft``: dated phrases found in a new text, with their sentences, dates and entities."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from draft_recall import article_figures

from ledger.corpus import EntityIndex, load_corpus
from ledger.corpus.draft import detect_lang, draft, render_yaml

REPO = Path(__file__).resolve().parents[2]


def _index() -> EntityIndex:
    index = EntityIndex()
    index.add("nasa", ["nasa", "NASA", "ناسا", "وكالة ناسا"])
    index.add("china", ["china", "China", "الصين"])
    return index


def test_english_phrases_resolve_against_the_source_date() -> None:
    """Explicit and relative English phrases are found, longest first, with their dates."""
    text = (
        "NASA met China in December. Last year the talks stalled. "
        "The agency said on 24 May 1972 that it may return. So far nothing changed."
    )
    found = draft(text, "2021-03-09", _index())
    got = [(f.phrase, f.date.edtf) for f in found.findings]
    assert got == [
        ("in December", "2020-12"),
        ("Last year", "2020"),
        ("on 24 May 1972", "1972-05-24"),
        ("So far", "../2021-03-09"),
    ]
    assert found.findings[0].entities == ("nasa", "china")
    assert found.findings[0].sentence == "NASA met China in December"


def test_arabic_phrases_and_arabic_indic_digits() -> None:
    """«منذ شهور», «حتى الآن» and «في عام ٢٠١١» are read; «مارس» alone is not a month."""
    text = "وقالت وكالة ناسا إن المحادثات جارية منذ شهور. وفي عام ٢٠١١ مارس الكونجرس ضغطًا حتى الآن."
    found = draft(text, "2021-03-09", _index())
    got = [(f.phrase, f.date.edtf) for f in found.findings]
    assert got == [
        ("منذ شهور", "2020-12~/2021-03-09"),
        ("وفي عام ٢٠١١", "2011"),
        ("حتى الآن", "../2021-03-09"),
    ]
    assert found.findings[0].entities == ("nasa",)
    assert detect_lang(text) == "ar"


def test_a_sentence_that_is_only_a_date_joins_the_one_before() -> None:
    """«... الكونجرس. في عام 2011.»: the stray stop does not cut the date from its sentence."""
    found = draft("منعت الصين بقانون أقره الكونجرس. في عام 2011.", "2021-03-09", _index())
    (finding,) = found.findings
    assert finding.sentence == "منعت الصين بقانون أقره الكونجرس. في عام 2011"
    assert finding.entities == ("china",)


def test_the_rendered_draft_is_a_corpus_file() -> None:
    """The YAML draft parses, quotes each sentence exactly and gives phrase and date."""
    text = "NASA met China in December. China spoke."
    rendered = render_yaml(draft(text, "2021-03-09", _index()), source="note")
    data = yaml.safe_load(rendered)
    first, second = data["events"]
    assert (first["phrase"], first["date"], first["stream"]) == ("in December", "2020-12", "nasa")
    assert first["participants"] == ["china"]
    assert first["quote"] in text
    assert second["date"] == "[..2021-03-09]"
    assert data["reference"] == "2021-03-09"


def test_the_article_draft_finds_the_dated_statements_of_article_yaml() -> None:
    """On the article, the draft finds all but one phrase-dated claim of article.yaml (the
    unresolvable «تحت إدارة ترامب»), covers every claim's sentence, and nearly every entry
    of the draft is a sentence article.yaml holds (the figures the README quotes)."""
    figures = article_figures()
    assert figures.phrases_found >= figures.phrases - 1
    assert figures.claims_covered == figures.claims
    assert figures.dated_matching == figures.entries_dated
    assert figures.entries_matching / figures.entries >= 0.9


@pytest.mark.slow
def test_the_article_draft_entities_are_the_articles() -> None:
    """The sentence of the December sample return names China (by «الصين») and NASA."""
    corpus = load_corpus(REPO / "fixtures")
    text = (REPO / "seeds" / "000_6c56f83bcb0769f5.txt").read_text(encoding="utf-8")
    found = draft(text, "2021-03-09", corpus.index)
    sample = next(f for f in found.findings if "لاسترجاع العينات" in f.sentence)
    assert {"china", "nasa"} <= set(sample.entities)

"""The corpus loader: every kind of bad input is reported by file, line and field, and a
corpus with any problem imports nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from corpus_builders import (
    CATALOGUE,
    CLAIMS,
    MANIFEST,
    MINI_META,
    MINI_TEXT,
    line_of,
    write_corpus,
)

import ledger
from ledger.corpus import corpus_uuid, import_corpus, load_corpus
from ledger.domain.events import (
    Confidence,
)
from ledger.errors import FixtureError, FixtureErrors


def only_error(tmp_path: Path, **files: str) -> FixtureError:
    """Load the mini corpus with ``files`` replaced; it must fail with exactly one problem,
    and importing it must write nothing."""
    manifest = write_corpus(tmp_path, **files)
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(manifest)
    with ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}") as opened:
        with pytest.raises(FixtureErrors):
            import_corpus(opened, manifest)
        assert list(opened.events()) == []
    errors = caught.value.errors
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_the_mini_corpus_loads(tmp_path: Path) -> None:
    """A valid corpus loads into sources, entities and claims in order, with checked quotes."""
    corpus = load_corpus(write_corpus(tmp_path))
    kinds = [e.type_name for e in corpus.events]
    assert kinds == ["SourceRegistered"] + ["EntityRegistered"] * 5 + [
        "AgreementSigned",
        "RestrictionEnacted",
    ]
    signed = corpus.events[6]
    assert signed.id == corpus_uuid("claim", "pact-signed")
    assert signed.valid_time.edtf == "2020-12"
    assert signed.confidence is Confidence.MEDIUM
    text = corpus.events[0].text  # type: ignore[attr-defined]
    assert signed.citation.start is not None
    assert signed.citation.end is not None
    assert text[signed.citation.start : signed.citation.end] == signed.citation.quote
    assert corpus.counts() == {"sources": 1, "entities": 5, "claims": 2}


def test_a_phrase_without_a_date_is_resolved_against_the_reference(tmp_path: Path) -> None:
    """A claim giving only its phrase gets the resolver's date («في عام 2011» -> 2011)."""
    corpus = load_corpus(write_corpus(tmp_path))
    law = corpus.events[7]
    assert law.valid_time.edtf == "2011"
    assert law.phrase == "في عام 2011"


def test_ids_are_stable_uuids_of_the_corpus_ids(tmp_path: Path) -> None:
    """Event ids derive from corpus ids alone, so two loads give the same ids."""
    first = load_corpus(write_corpus(tmp_path / "a"))
    second = load_corpus(write_corpus(tmp_path / "b"))
    assert [e.id for e in first.events] == [e.id for e in second.events]
    assert first.events[1].id == uuid.uuid5(
        uuid.UUID("061e0154-1917-4781-8f43-9d6dca6a7384"), "entity:russia"
    )


def test_unknown_entity(tmp_path: Path) -> None:
    """A claim naming an entity that is not in the catalogue is an error on that field."""
    claims = CLAIMS.replace("parties: [russia, china]", "parties: [russia, chna]")
    error = only_error(tmp_path, claims=claims)
    assert (error.file, error.line, error.field) == (
        "fixtures/claims.yaml",
        line_of(claims, "parties: [russia, chna]"),
        "parties",
    )
    assert "unknown entity 'chna'" in error.message
    assert "'china'" in error.message.casefold()  # the suggestion names China


def test_a_name_instead_of_an_id_is_read_as_its_id(tmp_path: Path) -> None:
    """Writing an entity's name where its id belongs records the id, with a warning that
    names the field and the id."""
    claims = CLAIMS.replace("stream: nasa", "stream: وكالة ناسا")
    corpus = load_corpus(write_corpus(tmp_path, claims=claims))
    assert {e.stream for e in corpus.events if e.summary == "A law of 2011 bars NASA"} == {"nasa"}
    (warning,) = corpus.warnings
    assert warning.field == "stream"
    assert "read as the entity 'nasa'" in warning.message


def test_bad_date(tmp_path: Path) -> None:
    """A date that is not EDTF is an error on the date field."""
    claims = CLAIMS.replace('date: "2020-12"', 'date: "2020-13"')
    error = only_error(tmp_path, claims=claims)
    assert (error.file, error.line, error.field) == (
        "fixtures/claims.yaml",
        line_of(claims, "2020-13"),
        "date",
    )
    assert error.message.startswith("bad date")


def test_phrase_and_date_disagree(tmp_path: Path) -> None:
    """A date that is not what its phrase resolves to is an error unless a reason is given."""
    claims = CLAIMS.replace('date: "2020-12"', 'date: "2021-12"')
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "2021-12"), "date")
    assert "resolves to 2020-12" in error.message


def test_a_date_reason_accepts_another_reading_of_the_phrase(tmp_path: Path) -> None:
    """With a date_reason the curator's date stands, and the phrase is still recorded."""
    claims = CLAIMS.replace(
        'date: "2020-12"', 'date: "[..2020-12]"\n    date_reason: read as "by December"'
    )
    corpus = load_corpus(write_corpus(tmp_path, claims=claims))
    assert corpus.events[6].valid_time.edtf == "[..2020-12]"
    assert corpus.events[6].phrase == "في شهر ديسمبر"


def test_unknown_phrase_needs_a_date_and_reason(tmp_path: Path) -> None:
    """A phrase no rule reads is an error unless the curator gives the date and a reason."""
    claims = CLAIMS.replace("phrase: في عام 2011", "phrase: بقانون")
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "phrase: بقانون"), "phrase")
    assert "no rule reads the phrase" in error.message


def test_phrase_not_in_the_quote(tmp_path: Path) -> None:
    """The phrase is the date as written, so it must be part of the quote."""
    claims = CLAIMS.replace("phrase: في شهر ديسمبر", "phrase: العام الماضي").replace(
        'date: "2020-12"', 'date: "2020"'
    )
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "phrase: العام"), "phrase")
    assert "not part of the quote" in error.message


def test_quote_not_found_in_its_source(tmp_path: Path) -> None:
    """A quote that is not character for character in the seed is an error on the quote."""
    claims = CLAIMS.replace(
        "quote: وقعت روسيا والصين اتفاقية في شهر ديسمبر",
        "quote: وقعت روسيا و الصين اتفاقية في شهر ديسمبر",
    )
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "quote: وقعت"), "quote")
    assert "quote not found in the text of 'mini'" in error.message
    assert f"the first {len('وقعت روسيا و')} characters match" in error.message


def test_quote_that_occurs_twice_is_ambiguous(tmp_path: Path) -> None:
    """A claim's quote must point to one place in the source."""
    text = "اتفاقية أولى. اتفاقية ثانية. وقعت روسيا والصين اتفاقية في شهر ديسمبر. ناسا ممنوعة بقانون في عام 2011. روسكوزموس. وقعت روسيا والصين اتفاقية في شهر ديسمبر."  # noqa: E501
    meta = MINI_META.replace("sha256:", "# sha256:")
    error = only_error(tmp_path, mini_txt=text, mini_yaml=meta)
    assert error.field == "quote"
    assert "occurs 2 times" in error.message


def test_quote_in_a_source_without_text(tmp_path: Path) -> None:
    """A quote cannot be checked in a source the ledger has no text of."""
    catalogue = CATALOGUE.replace(
        "  - seed: mini.yaml\n",
        "  - seed: mini.yaml\n  - id: web\n    url: https://example.org/page\n",
    ).replace(
        "recorded_at: 2021-03-10T00:00:00Z\n", "recorded_at: 2021-03-10T00:00:00Z\nquote_in: mini\n"
    )
    claims = CLAIMS.replace(
        "    summary: A law of 2011 bars NASA",
        "    source: web\n    summary: A law of 2011 bars NASA",
    )
    # The web source's registration quotes its "URL" in the seed, so it must occur there.
    catalogue = catalogue.replace("https://example.org/page", "روسيا")
    error = only_error(tmp_path, catalogue=catalogue, claims=claims)
    assert error.field == "quote"
    assert "'web' has no text" in error.message


def test_duplicate_id(tmp_path: Path) -> None:
    """Two claims with one id are an error at the second, naming where the first is."""
    claims = CLAIMS.replace("id: law-enacted", "id: pact-signed")
    error = only_error(tmp_path, claims=claims)
    second = [n for n, line in enumerate(claims.splitlines(), 1) if "id: pact-signed" in line][1]
    assert (error.line, error.field) == (second, "id")
    assert "duplicate claim id 'pact-signed'" in error.message


def test_missing_field(tmp_path: Path) -> None:
    """A claim without a required field is an error naming the field at the claim's line."""
    claims = CLAIMS.replace("    quote: ناسا ممنوعة بقانون في عام 2011\n", "")
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "id: law-enacted"), "quote")
    assert "missing required field" in error.message


def test_missing_payload_field(tmp_path: Path) -> None:
    """A payload field without a default (the restriction's name) is required too."""
    claims = CLAIMS.replace("    restriction: NASA may not work with China\n", "")
    error = only_error(tmp_path, claims=claims)
    assert error.field == "restriction"


def test_unknown_event_type(tmp_path: Path) -> None:
    """A type that is not in the event vocabulary is an error on the type field."""
    claims = CLAIMS.replace("type: RestrictionEnacted", "type: RestrictionPassed")
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "RestrictionPassed"), "type")
    assert "unknown event type 'RestrictionPassed'" in error.message


def test_unknown_field(tmp_path: Path) -> None:
    """A misspelt field is an error, with the closest known field suggested."""
    claims = CLAIMS.replace("    fact: pact-signing", "    fatc: pact-signing")
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "fatc"), "fatc")
    assert "did you mean 'fact'" in error.message


def test_bad_confidence(tmp_path: Path) -> None:
    """A confidence outside the scale is an error on the confidence field."""
    claims = CLAIMS.replace(
        "    fact: pact-signing", "    fact: pact-signing\n    confidence: sure"
    )
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "confidence: sure"), "confidence")
    assert "low, medium, medium-high, high" in error.message


def test_wrong_value_shape(tmp_path: Path) -> None:
    """A count that is not a number is an error on that payload field."""
    claims = (
        CLAIMS
        + """\
  - id: count
    type: MembersCounted
    stream: pact
    date: "2021-03-09"
    quote: وقعت روسيا والصين اتفاقية في شهر ديسمبر
    summary: A count
    count: nine
"""
    )
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "count: nine"), "count")


def test_key_given_twice(tmp_path: Path) -> None:
    """YAML would keep the last of two equal keys; the loader refuses instead."""
    claims = CLAIMS.replace("    fact: pact-signing", "    fact: pact-signing\n    fact: other")
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "fact: other"), "fact")
    assert "key given twice" in error.message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    """Broken YAML is reported with its file and line."""
    claims = CLAIMS.replace("parties: [russia, china]", "parties: [russia, china")
    error = only_error(tmp_path, claims=claims)
    assert error.file == "fixtures/claims.yaml"
    assert error.line is not None
    assert "not valid YAML" in error.message


def test_unknown_source(tmp_path: Path) -> None:
    """A claim citing a source that is not registered is an error on its source field."""
    claims = CLAIMS.replace(
        "    summary: A law of 2011 bars NASA",
        "    source: tass\n    summary: A law of 2011 bars NASA",
    )
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "source: tass"), "source")


def test_recorded_time_must_not_go_backwards(tmp_path: Path) -> None:
    """A file recorded before the file listed above it is an error on its recorded_at."""
    claims = CLAIMS.replace(
        "recorded_at: 2021-03-10T00:00:00Z", "recorded_at: 2021-03-09T00:00:00Z"
    )
    errors = _errors(tmp_path, claims=claims)
    assert ("fixtures/claims.yaml", "recorded_at") in {(e.file, e.field) for e in errors}


def test_claim_cannot_name_an_entity_recorded_later(tmp_path: Path) -> None:
    """An entity learned after a claim cannot be named by it."""
    manifest = MANIFEST.replace("  - claims.yaml\n", "  - claims.yaml\n  - later.yaml\n")
    china = "  - id: china\n    kind: country\n    name_en: China\n    name_ar: الصين\n"
    catalogue = CATALOGUE.replace(china + "    quote: الصين\n", "")
    root = tmp_path
    write_corpus(root, corpus=manifest, catalogue=catalogue)
    later = (
        "recorded_at: 2026-11-01T00:00:00Z\nsource: mini\nconfidence: high\nentities:\n"
        "  - id: china\n    kind: country\n    name_en: China\n    quote: الصين\n"
    )
    (root / "fixtures" / "later.yaml").write_text(later, encoding="utf-8")
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(root)
    messages = [e.message for e in caught.value.errors]
    assert any("entity 'china' is recorded later" in m for m in messages)


def test_missing_recorded_at(tmp_path: Path) -> None:
    """Every corpus file must say when its entries were learned."""
    claims = CLAIMS.replace("recorded_at: 2021-03-10T00:00:00Z\n", "")
    error = only_error(tmp_path, claims=claims)
    assert (error.file, error.line, error.field) == ("fixtures/claims.yaml", 1, "recorded_at")


def test_recorded_at_needs_a_zone(tmp_path: Path) -> None:
    """A recorded time without a zone is ambiguous and refused."""
    claims = CLAIMS.replace("2021-03-10T00:00:00Z", "2021-03-10T00:00:00")
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (1, "recorded_at")


def test_seed_text_must_match_its_checksum(tmp_path: Path) -> None:
    """A seed whose text changed (one byte) no longer matches its metadata's SHA-256."""
    error = only_error(tmp_path, mini_txt="x" + MINI_TEXT)
    assert (error.file, error.field) == ("seeds/mini.yaml", "sha256")


def test_two_entities_cannot_share_a_name(tmp_path: Path) -> None:
    """A name already held by another entity is an error on the field that gives it."""
    catalogue = CATALOGUE.replace("aliases: [وكالة ناسا]", "aliases: [وكالة ناسا, روسكوزموس]")
    error = only_error(tmp_path, catalogue=catalogue)
    assert (error.line, error.field) == (line_of(catalogue, "aliases: [وكالة ناسا,"), "aliases")
    assert "already names entity 'roscosmos'" in error.message


def test_unknown_entity_kind(tmp_path: Path) -> None:
    """Entity kinds come from a fixed list, so a typo is caught."""
    catalogue = CATALOGUE.replace(
        "kind: agency\n    name_en: NASA", "kind: agncy\n    name_en: NASA"
    )
    error = only_error(tmp_path, catalogue=catalogue)
    assert (error.line, error.field) == (line_of(catalogue, "kind: agncy"), "kind")


def test_correction_must_target_an_earlier_claim(tmp_path: Path) -> None:
    """A Retracted event naming no earlier claim is an error on its target."""
    claims = (
        CLAIMS
        + """\
  - id: retract
    type: Retracted
    stream: pact
    date: "2021-03-09"
    quote: وقعت روسيا والصين اتفاقية في شهر ديسمبر
    summary: Withdrawn
    target: pact-sined
    reason: a test
"""
    )
    error = only_error(tmp_path, claims=claims)
    assert (error.line, error.field) == (line_of(claims, "target: pact-sined"), "target")


def test_a_correction_becomes_an_event_naming_its_target(tmp_path: Path) -> None:
    """A Corrected claim's target is the UUID of the corpus claim it names."""
    claims = (
        CLAIMS
        + """\
  - id: fix
    type: Corrected
    stream: pact
    date: "2020-12-15"
    quote: وقعت روسيا والصين اتفاقية في شهر ديسمبر
    summary: The day was the 15th
    target: pact-signed
    reason: a test
    changes: {agreement: The pact of December}
"""
    )
    corpus = load_corpus(write_corpus(tmp_path, claims=claims))
    fix = corpus.events[-1]
    assert fix.target == corpus_uuid("claim", "pact-signed")  # type: ignore[attr-defined]
    assert fix.changes_map == {"agreement": "The pact of December"}  # type: ignore[attr-defined]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Validation goes on after the first problem, so one run lists them all."""
    claims = CLAIMS.replace('date: "2020-12"', 'date: "2020-13"').replace(
        "parties: [russia, china]", "parties: [russia, chna]"
    )
    errors = _errors(tmp_path, claims=claims)
    assert {e.field for e in errors} == {"date", "parties"}


def test_a_folder_without_a_manifest(tmp_path: Path) -> None:
    """Pointing the loader at a folder with no corpus says so."""
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(tmp_path)
    assert "no corpus here" in str(caught.value)


def _errors(tmp_path: Path, **files: str) -> tuple[FixtureError, ...]:
    """The problems found in the mini corpus with ``files`` replaced (at least one)."""
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(write_corpus(tmp_path, **files))
    return caught.value.errors


def test_bad_date_in_seed_metadata_names_the_metadata_file(tmp_path: Path) -> None:
    """A seed's own fields are reported in its metadata file, at their line."""
    meta = MINI_META.replace('date: "2021-03-09"', 'date: "2021-02-30"')
    error = only_error(tmp_path, mini_yaml=meta)
    assert (error.file, error.line, error.field) == (
        "seeds/mini.yaml",
        line_of(meta, "2021-02-30"),
        "date",
    )


def test_a_web_source_must_be_listed_where_it_is_quoted(tmp_path: Path) -> None:
    """A URL source's registration quotes its URL in the quote_in text: it must be there."""
    catalogue = CATALOGUE.replace(
        "recorded_at: 2021-03-10T00:00:00Z\n",
        "recorded_at: 2021-03-10T00:00:00Z\nquote_in: mini\n",
    ).replace(
        "  - seed: mini.yaml\n",
        "  - seed: mini.yaml\n  - id: web\n    url: https://example.org/page\n",
    )
    error = only_error(tmp_path, catalogue=catalogue)
    assert (error.file, error.line, error.field) == (
        "fixtures/catalogue.yaml",
        line_of(catalogue, "url: https://example.org/page"),
        "url",
    )
    assert "quote not found in the text of 'mini'" in error.message

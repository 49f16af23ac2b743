"""A corpus beside others: names in any language, identifiers, entities shared with the
ledger, open entity kinds, forgiving sources and dates, and one report per unknown name."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from corpus_builders import CATALOGUE, CLAIMS, MINI_META, MINI_TEXT, line_of, write_corpus

import ledger
from ledger.corpus import EntityIndex, import_corpus, load_corpus
from ledger.corpus.importer import known_of
from ledger.domain.events import EntityNamed, EntityRegistered, Identified
from ledger.errors import FixtureError, FixtureErrors

RUSSIAN_NASA = CATALOGUE.replace(
    "  - id: nasa\n    kind: agency\n    name_en: NASA\n    name_ar: ناسا\n",
    "  - id: nasa\n    kind: agency\n    names: {en: NASA, ar: ناسا, ru: НАСА}\n"
    "    ids: {wikidata: Q23548}\n",
)


def errors_of(tmp_path: Path, **files: str) -> list[FixtureError]:
    """Every problem loading the mini corpus with ``files`` replaced."""
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(write_corpus(tmp_path, **files))
    return list(caught.value.errors)


def test_names_in_any_language_and_identifiers_find_the_entity(tmp_path: Path) -> None:
    """``names`` with BCP 47 tags and ``ids`` become events whose names and identifiers
    resolve to the entity, in Cyrillic as in Arabic."""
    corpus = load_corpus(write_corpus(tmp_path, catalogue=RUSSIAN_NASA))
    named = [e for e in corpus.events if isinstance(e, EntityNamed) and e.stream == "nasa"]
    assert named[0].names == (("en", "NASA"), ("ar", "ناسا"), ("ru", "НАСА"))
    ids = [e for e in corpus.events if isinstance(e, Identified) and e.stream == "nasa"]
    assert ids[0].identifiers == (("wikidata", "Q23548"),)
    index = EntityIndex.from_events(corpus.events)
    for name in ("нАСА", "Q23548", "wikidata:Q23548", "ناسا"):
        assert index.find(name) == "nasa"


def test_aliases_per_language(tmp_path: Path) -> None:
    """Aliases given as a mapping keep their language tags."""
    catalogue = CATALOGUE.replace(
        "    aliases: [وكالة ناسا]\n", "    aliases: {ar: [وكالة ناسا], en: NASA HQ}\n"
    )
    corpus = load_corpus(write_corpus(tmp_path, catalogue=catalogue))
    (named,) = [e for e in corpus.events if isinstance(e, EntityNamed)]
    assert named.aliases == (("ar", "وكالة ناسا"), ("en", "NASA HQ"))


def test_a_bad_language_tag_is_located(tmp_path: Path) -> None:
    """A names key that is no language tag is an error at the entity's names line."""
    catalogue = RUSSIAN_NASA.replace("ru: НАСА", "r u!: НАСА")
    (error,) = errors_of(tmp_path, catalogue=catalogue)
    assert (error.line, error.field) == (line_of(catalogue, "names:"), "names.r u!")


def test_a_new_entity_kind_is_accepted_but_a_misspelt_one_is_not(tmp_path: Path) -> None:
    """Any lowercase word is a kind, unless it is close to a documented kind."""
    corpus = load_corpus(
        write_corpus(tmp_path / "a", catalogue=CATALOGUE.replace("kind: program", "kind: pact"))
    )
    kinds = {e.stream: e.kind for e in corpus.events if isinstance(e, EntityRegistered)}
    assert kinds["pact"] == "pact"
    (error,) = errors_of(
        tmp_path / "b", catalogue=CATALOGUE.replace("kind: program", "kind: progam")
    )
    assert "did you mean 'program'" in error.message


def test_an_unknown_entity_is_reported_once(tmp_path: Path) -> None:
    """A misspelt entity used by several claims is one error, with its suggestion and the
    other places it is named."""
    claims = (
        CLAIMS.replace("[russia, china]", "[russia, chna]")
        .replace("counterparties: [china]", "counterparties: [chna]")
        .replace("subjects: [china]", "subjects: [chna]")
    )
    errors = errors_of(tmp_path, claims=claims)
    assert len(errors) == 1, [str(e) for e in errors]
    assert "unknown entity 'chna'; did you mean" in errors[0].message
    assert "also named at" in errors[0].message


def test_a_seed_title_need_not_occur_in_its_text(tmp_path: Path) -> None:
    """A seed's title of the catalogue's own making is metadata, not a quote: it loads."""
    meta = MINI_META.replace("title: وقعت روسيا والصين اتفاقية", "title: A short test text")
    corpus = load_corpus(write_corpus(tmp_path, mini_yaml=meta))
    assert corpus.events[0].citation.quote == ""


def test_an_absolute_phrase_needs_no_reference(tmp_path: Path) -> None:
    """Without a reference day a written-out date resolves; a relative one names the fix."""
    claims = CLAIMS.replace('reference: "2021-03-09"\n', "")
    meta = MINI_META.replace('date: "2021-03-09"', "date: 2021")
    errors = errors_of(tmp_path, claims=claims, mini_yaml=meta)
    assert len(errors) == 1
    assert errors[0].field == "phrase"
    assert "add reference" in errors[0].message
    assert line_of(claims, "phrase: في شهر ديسمبر") == errors[0].line


def test_a_phrase_resolves_against_its_sources_date(tmp_path: Path) -> None:
    """With no reference in the file, the cited source's day is the reference."""
    claims = CLAIMS.replace('reference: "2021-03-09"\n', "")
    corpus = load_corpus(write_corpus(tmp_path, claims=claims))
    dates = {e.summary: e.valid_time.edtf for e in corpus.events}
    assert dates["Russia and China sign the pact in December"] == "2020-12"


def _import_mini(tmp_path: Path, url: str, **files: str) -> None:
    with ledger.open(url) as opened:
        import_corpus(opened, write_corpus(tmp_path, **files))


def test_an_entity_registered_again_adds_its_new_names(tmp_path: Path) -> None:
    """A second corpus registering ``nasa`` again with a Russian name and a QID adds them,
    and may cite entities only the ledger holds."""
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    _import_mini(tmp_path / "one", url)
    second = RUSSIAN_NASA.replace("  - id: pact\n", "  - id: pact-2\n").replace(
        "name_en: The pact", "name_en: The second pact"
    )
    second = second.replace(
        "  - id: russia\n    kind: country\n    name_en: Russia\n"
        "    name_ar: روسيا\n    quote: روسيا\n",
        "",
    )
    claims = (
        CLAIMS.replace("id: pact-signed", "id: pact-2-signed")
        .replace("id: law-enacted", "id: law-2-enacted")
        .replace("stream: pact", "stream: pact-2")
        .replace("fact: pact-signing", "fact: pact-2")
    )
    files = {
        "catalogue": second.replace("source: mini", "source: mini-2"),
        "claims": claims.replace("source: mini", "source: mini-2"),
        "mini_yaml": MINI_META.replace("id: mini", "id: mini-2"),
    }
    with ledger.open(url) as opened:
        result = import_corpus(opened, write_corpus(tmp_path / "two", **files))
        assert result.total_new > 0
        assert opened.resolve("НАСА") == "nasa"
        assert opened.resolve("Q23548") == "nasa"
        assert opened.state("pact-2", "2021-03-10").program == "pact-2"


def test_another_kind_under_the_same_id_is_one_located_error(tmp_path: Path) -> None:
    """An entity registered again as another kind is one error naming the file, line and
    the ledger's registration."""
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    _import_mini(tmp_path / "one", url)
    catalogue = CATALOGUE.replace(
        "  - id: nasa\n    kind: agency", "  - id: nasa\n    kind: person"
    )
    with ledger.open(url) as opened, pytest.raises(FixtureErrors) as caught:
        load_corpus(write_corpus(tmp_path / "two", catalogue=catalogue), known_of(opened))
    (error,) = caught.value.errors
    assert error.file == "fixtures/catalogue.yaml"
    assert error.line == line_of(catalogue, "kind: person")
    assert "a person here but a agency in the ledger, position" in error.message


def test_a_rival_identifier_is_a_clash(tmp_path: Path) -> None:
    """Same id, another Wikidata QID: different entities, one error."""
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    _import_mini(tmp_path / "one", url, catalogue=RUSSIAN_NASA)
    catalogue = RUSSIAN_NASA.replace("Q23548", "Q999")
    with ledger.open(url) as opened, pytest.raises(FixtureErrors) as caught:
        load_corpus(write_corpus(tmp_path / "two", catalogue=catalogue), known_of(opened))
    (error,) = caught.value.errors
    assert error.field == "ids.wikidata"
    assert "Q999 here but Q23548" in error.message


def test_a_quote_folded_over_lines_is_found_and_kept_as_the_text_has_it(tmp_path: Path) -> None:
    """A quote whose spacing differs from the text (the text breaks the line where the
    quote has a space) is found; the citation keeps the text's own characters."""
    text = MINI_TEXT.replace("والصين اتفاقية", "والصين\nاتفاقية")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = MINI_META.replace(hashlib.sha256(MINI_TEXT.encode("utf-8")).hexdigest(), digest)
    corpus = load_corpus(write_corpus(tmp_path, mini_txt=text, mini_yaml=meta))
    (signed,) = [e for e in corpus.events if e.summary.startswith("Russia and China sign")]
    assert signed.citation.quote == "وقعت روسيا والصين\nاتفاقية في شهر ديسمبر"
    assert text[signed.citation.start : signed.citation.end] == signed.citation.quote


def test_case_is_forgiven_in_kinds_types_and_confidence(tmp_path: Path) -> None:
    """``kind: Country``, ``type: agreementsigned`` and ``confidence: High`` are read."""
    catalogue = CATALOGUE.replace("kind: country", "kind: Country").replace(
        "confidence: high", "confidence: High"
    )
    claims = CLAIMS.replace("type: AgreementSigned", "type: agreementsigned")
    corpus = load_corpus(write_corpus(tmp_path, catalogue=catalogue, claims=claims))
    kinds = {e.stream: e.kind for e in corpus.events if isinstance(e, EntityRegistered)}
    assert kinds["russia"] == "country"
    assert {e.type_name for e in corpus.events} >= {"AgreementSigned"}


def test_a_manifest_may_leave_out_seeds_and_files(tmp_path: Path) -> None:
    """Without ``seeds`` the folder beside is used; without ``files``, every other YAML file
    of the manifest's folder, by name; a day alone is a recorded time."""
    manifest = write_corpus(
        tmp_path,
        corpus="{}\n",
        catalogue=CATALOGUE.replace("2021-03-10T00:00:00Z", "2021-03-10"),
    )
    corpus = load_corpus(manifest)
    assert corpus.counts() == {"sources": 1, "entities": 5, "claims": 2}

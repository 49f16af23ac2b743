"""Entity names: one normal form for Arabic and English spellings, and the bilingual index."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.corpus import EntityIndex, load_corpus, normalize_name
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, EntityAliased, EntityRegistered
from ledger.errors import UnknownEntityError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    """The index of the article's corpus, from the repository's seeds and fixtures."""
    return load_corpus(REPO / "fixtures").index


def test_harakat_and_tatweel_are_ignored() -> None:
    """Vowel signs and the tatweel do not change a name («روسيّـا» is «روسيا»)."""
    assert normalize_name("روسيّـا") == normalize_name("روسيا")
    assert normalize_name("فعليًا") == normalize_name("فعليا")


def test_alef_yaa_and_taa_marbuta_forms_are_unified() -> None:
    """أ إ آ ٱ are one alef, ى is ي and ة is ه, so common spelling variants match."""
    assert normalize_name("إدارة") == normalize_name("ادارة") == normalize_name("اداره")
    assert normalize_name("آرتميس") == normalize_name("ارتميس") == normalize_name("أرتميس")
    assert normalize_name("مستوى") == normalize_name("مستوي")


def test_case_punctuation_and_spaces_are_ignored() -> None:
    """Case folds; dots, hyphens, apostrophes and runs of spaces all become one space."""
    assert normalize_name("Chang'e-5") == normalize_name("  chang E 5 ") == "chang e 5"
    assert normalize_name("«بوابة  القمر»") == normalize_name("بوابة القمر")


def test_arabic_indic_digits_are_digits() -> None:
    """«تشانغ آه ٥» and «تشانغ آه 5» are the same name."""
    assert normalize_name("تشانغ آه ٥") == normalize_name("تشانغ آه 5")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_normalizing_is_idempotent(name: str) -> None:
    """A normal form is its own normal form."""
    once = normalize_name(name)
    assert normalize_name(once) == once


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        ("روسكوزموس", "Roscosmos"),
        ("ناسا", "NASA"),
        ("محطة أبحاث القمر الدولية", "International Lunar Research Station"),
        ("بوابة القمر", "Lunar Gateway"),
    ],
)
def test_arabic_names_resolve_like_their_english_names(
    index: EntityIndex, arabic: str, english: str
) -> None:
    """The names the issue lists resolve, in Arabic, to the entity of their English name."""
    assert index.resolve(arabic) == index.resolve(english)


def test_aliases_resolve_in_both_scripts(index: EntityIndex) -> None:
    """Aliases as the article writes them, and common variants, reach the same id."""
    assert index.resolve("ILRS") == index.resolve("محطة أبحاث القمر الدولية") == "ilrs"
    assert index.resolve("وكالة الفضاء الروسية") == "roscosmos"
    assert index.resolve("اتفاقيات Artemis") == index.resolve("Artemis Accords")
    assert index.resolve("موسكو") == index.resolve("Russia") == "russia"
    assert index.resolve("U.S.") == index.resolve("USA") == "united-states"
    assert index.resolve("change 5") == index.resolve("Chang'e 5") == "chang-e-5"


def test_the_id_itself_resolves(index: EntityIndex) -> None:
    """An entity id is one of its own names."""
    assert index.resolve("wolf-amendment") == "wolf-amendment"


def test_a_name_without_its_article_resolves(index: EntityIndex) -> None:
    """Without its leading «ال», an Arabic name still finds its entity («صين»)."""
    assert index.resolve("صين") == "china"


def test_unknown_name_suggests_the_closest(index: EntityIndex) -> None:
    """An unknown name raises UnknownEntityError carrying the closest names."""
    with pytest.raises(UnknownEntityError) as caught:
        index.resolve("Roskosmos")
    assert caught.value.name == "Roskosmos"
    assert any(normalize_name(s) == "roscosmos" for s in caught.value.suggestions)
    assert isinstance(caught.value, LookupError)


def test_two_entities_cannot_hold_one_full_name() -> None:
    """Adding a name another entity holds reports the clash and keeps the first owner."""
    index = EntityIndex()
    index.add("nasa", ["NASA", "ناسا"])
    clashes = index.add("esa", ["ESA", "ناسا"])
    assert [(c.name, c.other) for c in clashes] == [("ناسا", "nasa")]
    assert index.resolve("ناسا") == "nasa"


def test_a_weak_form_shared_by_two_entities_resolves_to_neither() -> None:
    """A compacted form two entities share is ambiguous and is dropped, not guessed."""
    index = EntityIndex()
    index.add("a", ["ab c"])
    index.add("b", ["a bc"])
    assert index.find("abc") is None
    assert index.find("ab c") == "a"


def test_index_from_events_includes_later_aliases() -> None:
    """EntityAliased events add names to an entity registered earlier."""
    date = parse_edtf("2021")
    citation = Citation(source="s")
    registered = EntityRegistered(
        id=uuid.uuid4(),
        stream="cnsa",
        valid_time=date,
        citation=citation,
        kind="agency",
        name_en="China National Space Administration",
    )
    aliased = EntityAliased(
        id=uuid.uuid4(), stream="cnsa", valid_time=date, citation=citation, aliases=("CNSA",)
    )
    index = EntityIndex.from_events([registered, aliased])
    assert index.resolve("cnsa") == index.resolve("CNSA") == "cnsa"
    assert index.names_of("cnsa") == ("cnsa", "China National Space Administration", "CNSA")


def test_suggestions_name_each_entity_once_as_people_write_it(index: EntityIndex) -> None:
    """Close names of one entity (its id, its hyphenless form) give one suggestion, not three."""
    suggestions = index.suggest("Luna Gateway")
    owners = [index.resolve(s) for s in suggestions]
    assert len(owners) == len(set(owners))
    assert suggestions[0] == "Lunar Gateway"

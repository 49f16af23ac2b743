"""Folding of Arabic text shared by date phrases and entity names."""

from __future__ import annotations

import pytest

from ledger.corpus.names import normalize_name
from ledger.dates.folding import fold_text, is_mark
from ledger.dates.lexicon import normalize


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أبريل", "ابريل"),
        ("إدارة", "اداره"),
        ("مُحَمَّد", "محمد"),
        ("الفضـــاء", "الفضاء"),
        ("مستشفى", "مستشفي"),
        ("٢٠١١", "2011"),
        ("۲۰۱۱", "2011"),
        ("NASA\u200f", "nasa"),
    ],
)
def test_variants_fold_to_one_form(variant: str, plain: str) -> None:
    """Alef forms, harakat, tatweel, alef maqsura, taa marbuta, digits and marks fold away."""
    assert fold_text(variant) == fold_text(plain)


def test_marks_are_vowel_signs_only() -> None:
    """Harakat count as marks; letters do not."""
    assert is_mark("\u064e")
    assert is_mark("\u0670")
    assert not is_mark("ا")
    assert not is_mark("a")


def test_phrases_and_names_fold_alike() -> None:
    """A date phrase and an entity name with the same spelling variants meet on one form."""
    assert normalize("في إبريل") == fold_text("في ابريل")
    assert normalize_name("بوابة القمر") == normalize_name("بوابه القمر")

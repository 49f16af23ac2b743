"""Relative phrases of the article, English and Arabic, resolved against a reference day."""

from __future__ import annotations

import datetime

import pytest

from ledger.dates import HistoricalDate, ResolvedDate, parse_edtf, resolve_phrase
from ledger.dates.phrases import A_FEW
from ledger.errors import InvalidDateError, UnknownPhraseError

REFERENCE = "2021-03-09"  # the article's publication day (a Tuesday)

# (phrase, expected EDTF for REFERENCE)
ARTICLE_PHRASES: list[tuple[str, str]] = [
    ("in December", "2020-12"),
    ("في شهر ديسمبر", "2020-12"),
    ("في ديسمبر", "2020-12"),
    ("last year", "2020"),
    ("العام الماضي", "2020"),
    ("in 2011", "2011"),
    ("في عام 2011", "2011"),
    ("for months", "2020-12~/2021-03-09"),
    ("منذ شهور", "2020-12~/2021-03-09"),
    ("in the next decade", "202X"),
    ("في العقد المقبل", "202X"),
    ("so far", "../2021-03-09"),
    ("حتى الآن", "../2021-03-09"),
    ("for decades", "1991~/2021-03-09"),
    ("استمرت عقودًا", "1991~/2021-03-09"),
    ("عقودًا", "1991~/2021-03-09"),
    ("in the coming years", "2021-03-09/2024~"),
    ("في الأعوام المقبلة", "2021-03-09/2024~"),
    ("Tuesday", "2021-03-09"),
    ("يوم الثلاثاء", "2021-03-09"),
]


@pytest.mark.parametrize(("phrase", "expected"), ARTICLE_PHRASES)
def test_article_phrases(phrase: str, expected: str) -> None:
    """Every date expression of the article resolves to its documented EDTF reading."""
    resolved = resolve_phrase(phrase, REFERENCE)
    assert resolved.date == parse_edtf(expected)
    assert resolved.phrase == phrase
    assert resolved.reference == parse_edtf(REFERENCE)


ARABIC_MONTHS: list[tuple[int, tuple[str, ...]]] = [
    (1, ("يناير", "كانون الثاني", "جانفي")),
    (2, ("فبراير", "شباط", "فيفري")),
    (3, ("مارس", "آذار", "اذار")),
    (4, ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل")),
    (5, ("مايو", "أيار", "ايار", "ماي")),
    (6, ("يونيو", "يونيه", "حزيران", "جوان")),
    (7, ("يوليو", "يوليه", "تموز", "جويلية")),
    (8, ("أغسطس", "اغسطس", "آب", "أوت")),
    (9, ("سبتمبر", "أيلول", "ايلول")),
    (10, ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول")),
    (11, ("نوفمبر", "تشرين الثاني")),
    (12, ("ديسمبر", "كانون الأول", "كانون الاول")),
]


@pytest.mark.parametrize(("month", "names"), ARABIC_MONTHS)
def test_arabic_month_names_in_both_forms(month: int, names: tuple[str, ...]) -> None:
    """Each Gregorian month name, Egyptian and Levantine forms and variants, reads as that month."""
    # Reference in the middle of the year: months before July fall in 2021, later ones in 2020.
    expected_year = 2021 if month < 7 else 2020
    for name in names:
        for phrase in (name, f"في {name}", f"في شهر {name}"):
            resolved = resolve_phrase(phrase, "2021-07-15")
            assert resolved.date.edtf == f"{expected_year}-{month:02d}", phrase


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("2021-03-09", "2020-12"), ("2021-12-01", "2020-12"), ("2022-01-01", "2021-12")],
)
def test_month_name_is_latest_strictly_before_reference_month(
    reference: str, expected: str
) -> None:
    """A bare month name means the latest such month strictly before the reference's month."""
    assert resolve_phrase("in December", reference).date.edtf == expected


def test_next_month_name_is_first_after_reference() -> None:
    """«ديسمبر المقبل» and "next December" mean the first December after the reference month."""
    assert resolve_phrase("next December", REFERENCE).date.edtf == "2021-12"
    assert resolve_phrase("في ديسمبر المقبل", REFERENCE).date.edtf == "2021-12"


@pytest.mark.parametrize(
    "phrase",
    ["في عام ٢٠١١", "في عام ۲۰۱۱", "في عام 2011", "عام ٢٠١١", "سنة 2011", "في العام 2011"],
)
def test_arabic_indic_digits(phrase: str) -> None:
    """Arabic-Indic and Eastern Arabic-Indic digits read as the same year."""
    assert resolve_phrase(phrase).date.edtf == "2011"


@pytest.mark.parametrize(
    "phrase",
    [
        "في شهر ديسـمبر",  # tatweel
        "فِي شَهْرِ دِيسَمْبِرَ",  # harakat
        "  في   شهر\tديسمبر  ",  # extra spaces and a tab
        "«في شهر ديسمبر»",  # quotation marks
        "وفي شهر ديسمبر",  # leading conjunction
        "\u200fفي شهر ديسمبر",  # right-to-left mark
        "In DECEMBER.",
    ],
)
def test_tolerates_typography(phrase: str) -> None:
    """Tatweel, harakat, spaces, quotes, bidi marks and case do not change the reading."""
    assert resolve_phrase(phrase, REFERENCE).date.edtf == "2020-12"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("December 2020", "2020-12"),
        ("ديسمبر 2020", "2020-12"),
        ("في شهر ديسمبر من عام ٢٠٢٠", "2020-12"),
        ("9 March 2021", "2021-03-09"),
        ("March 9, 2021", "2021-03-09"),
        ("في 15 أبريل 2011", "2011-04-15"),
        ("44 BC", "-0043"),
        ("the 1990s", "199X"),
    ],
)
def test_absolute_phrases_need_no_reference(phrase: str, expected: str) -> None:
    """Phrases that name their own year resolve without a reference."""
    resolved = resolve_phrase(phrase)
    assert resolved.date.edtf == expected
    assert resolved.reference is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("this year", "2021"),
        ("next year", "2022"),
        ("العام المقبل", "2022"),
        ("السنة الماضية", "2020"),
        ("last month", "2021-02"),
        ("الشهر الماضي", "2021-02"),
        ("yesterday", "2021-03-08"),
        ("أمس", "2021-03-08"),
        ("last Tuesday", "2021-03-02"),
        ("الثلاثاء الماضي", "2021-03-02"),
        ("on Friday", "2021-03-05"),
        ("3 years ago", "2018"),
        ("قبل 3 سنوات", "2018"),
        ("for years", "2018~/2021-03-09"),
        ("منذ سنوات", "2018~/2021-03-09"),
    ],
)
def test_other_relative_phrases(phrase: str, expected: str) -> None:
    """Further common relative phrases follow the documented rules."""
    assert resolve_phrase(phrase, REFERENCE).date.edtf == expected


def test_next_decade_rule_moves_with_the_reference() -> None:
    """'The next decade' is the decade of reference year + 5: 202X from 2021, 203X from 2026."""
    assert resolve_phrase("in the next decade", "2024-06-01").date.edtf == "202X"
    assert resolve_phrase("in the next decade", "2026-06-01").date.edtf == "203X"


def test_for_months_starts_a_few_months_back_approximately() -> None:
    """'For months' starts A_FEW months before the reference month, marked approximate."""
    resolved = resolve_phrase("منذ شهور", "2021-01-20")
    assert resolved.date.start is not None
    assert resolved.date.end is not None
    assert resolved.date.start.edtf == "2020-10~"
    assert A_FEW == 3
    assert resolved.date.start.approximate
    assert resolved.date.end.edtf == "2021-01-20"


def test_so_far_has_open_start_and_ends_at_reference() -> None:
    """'So far' leaves the start open (no invented bound) and ends on the reference day."""
    value = resolve_phrase("so far", REFERENCE).date
    assert value.earliest is None
    assert value.latest == parse_edtf(REFERENCE).latest


def test_edtf_passes_through_with_qualifiers() -> None:
    """Plain EDTF is read as EDTF, qualifiers kept, Arabic-Indic digits accepted."""
    assert resolve_phrase("1984?").date.edtf == "1984?"
    assert resolve_phrase("٢٠١١-٠٤-١٥").date.edtf == "2011-04-15"
    assert resolve_phrase("2011-04-15", REFERENCE).rule == "edtf"


def test_reference_forms() -> None:
    """The reference may be EDTF text, a HistoricalDate, a datetime.date or a date-time."""
    for reference in (
        "2021-03-09",
        parse_edtf("2021-03-09"),
        datetime.date(2021, 3, 9),
        "2021-03-09T12:00:00Z",
    ):
        assert resolve_phrase("last year", reference).date.edtf == "2020"


@pytest.mark.parametrize("reference", ["2021", "2021-03", "2021-03-09/2021-03-10", "2021-13-01"])
def test_reference_must_be_a_day(reference: str) -> None:
    """A reference that is not one known day is refused, not guessed."""
    with pytest.raises(InvalidDateError):
        resolve_phrase("last year", reference)


def test_relative_phrase_without_reference_is_an_error() -> None:
    """A relative phrase without a reference raises instead of assuming today."""
    with pytest.raises(InvalidDateError, match="needs a reference"):
        resolve_phrase("in December")


def test_unknown_phrase_is_named() -> None:
    """An unknown phrase raises UnknownPhraseError naming it, never a guessed date."""
    with pytest.raises(UnknownPhraseError, match="sometime soon"):
        resolve_phrase("sometime soon", REFERENCE)


def test_mixed_scripts_are_not_read() -> None:
    """An English preposition with an Arabic month (or the reverse) is not a known phrase."""
    for phrase in ("in ديسمبر", "في December"):
        with pytest.raises(UnknownPhraseError):
            resolve_phrase(phrase, REFERENCE)


def test_impossible_day_in_a_phrase_is_invalid() -> None:
    """A phrase naming a day that does not exist is an InvalidDateError naming the phrase."""
    with pytest.raises(InvalidDateError, match="29 February 2011"):
        resolve_phrase("29 February 2011")


def test_resolved_date_is_a_frozen_value() -> None:
    """ResolvedDate keeps date, phrase and reference, compares by value and is immutable."""
    first = resolve_phrase("last year", REFERENCE)
    second = resolve_phrase("last year", REFERENCE)
    assert isinstance(first, ResolvedDate)
    assert first == second
    assert hash(first) == hash(second)
    assert str(first) == "2020"
    assert isinstance(first.date, HistoricalDate)
    with pytest.raises(AttributeError):
        first.phrase = "x"  # type: ignore[misc]

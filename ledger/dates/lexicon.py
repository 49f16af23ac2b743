"""Words of date phrases: month and weekday names in English and Arabic, and normalisation.

Arabic text is folded before matching: harakat and tatweel removed, alef forms (أ إ آ ٱ) made
plain, alef maqsura read as yaa and taa marbuta as haa, so common spelling variants meet.
Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits become ASCII digits.
"""

from __future__ import annotations

import re

from ledger.dates.folding import LETTERS, fold_text

_PUNCTUATION = " \t.,;:!?\"'«»“”‘’()[]،؛؟-–—"


def normalize(phrase: str) -> str:
    """Lower-case, ASCII digits, Arabic without harakat/tatweel and with unified letters."""
    text = fold_text(phrase)
    return " ".join(text.split()).strip(_PUNCTUATION)


def fold(arabic: str) -> str:
    """Normalise an Arabic pattern fragment the same way as input."""
    return arabic.translate(LETTERS)


# Month and weekday names.

_ENGLISH_MONTHS = (
    "january|jan",
    "february|feb",
    "march|mar",
    "april|apr",
    "may",
    "june|jun",
    "july|jul",
    "august|aug",
    "september|sept|sep",
    "october|oct",
    "november|nov",
    "december|dec",
)
# Egyptian/Gulf names, Levantine/Iraqi names, then Maghrebi variants, month by month.
_ARABIC_MONTHS = (
    ("يناير", "كانون الثاني", "جانفي"),
    ("فبراير", "شباط", "فيفري", "فبرير"),
    ("مارس", "آذار", "أذار"),
    ("أبريل", "إبريل", "نيسان", "أفريل", "ابريل"),
    ("مايو", "أيار", "ماي"),
    ("يونيو", "يونيه", "حزيران", "جوان", "يونيه"),
    ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    ("أغسطس", "آب", "أوت", "غشت"),
    ("سبتمبر", "أيلول", "شتنبر"),
    ("أكتوبر", "تشرين الأول", "اكتوبر"),
    ("نوفمبر", "تشرين الثاني", "نونبر"),
    ("ديسمبر", "كانون الأول", "دجنبر"),
)
_ENGLISH_MONTH_NAMES = {
    name: number
    for number, names in enumerate(_ENGLISH_MONTHS, start=1)
    for name in names.split("|")
}
_ARABIC_MONTH_NAMES = {
    fold(name): number for number, names in enumerate(_ARABIC_MONTHS, start=1) for name in names
}
MONTH_NUMBER: dict[str, int] = _ENGLISH_MONTH_NAMES | _ARABIC_MONTH_NAMES
"""Month number of every English name and folded Arabic name."""


def _alternation(group: str, names: list[str]) -> str:
    """A named group matching any of ``names``, longest first (so prefixes never win)."""
    return f"(?P<{group}>" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + ")"


# English and Arabic names are separate so that mixed-script phrases are not read.
ENGLISH_MONTH = _alternation("month", list(_ENGLISH_MONTH_NAMES))
"""Regex group ``month`` matching an English month name or abbreviation."""
ARABIC_MONTH = _alternation("month", list(_ARABIC_MONTH_NAMES))
"""Regex group ``month`` matching a folded Arabic month name (any of its forms)."""

_ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ARABIC_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(_ENGLISH_WEEKDAYS)} | {
    fold(name): i for i, name in enumerate(_ARABIC_WEEKDAYS)
}
"""Weekday number (Monday 0) of every English and folded Arabic weekday name."""
ENGLISH_WEEKDAY = _alternation("weekday", list(_ENGLISH_WEEKDAYS))
ARABIC_WEEKDAY = _alternation("weekday", [fold(name) for name in _ARABIC_WEEKDAYS])

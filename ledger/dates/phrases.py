"""Relative date phrases in English and Arabic, resolved against a reference day.

A source says "in December" or «العام الماضي»; what it means depends on when it was
written. ``resolve_phrase`` turns such a phrase into a ``HistoricalDate`` using the source's
publication day, and keeps the phrase and the reference so the reading can be audited. A
phrase without a rule is an ``UnknownPhraseError``: the resolver never guesses.

The rules (R = the reference day; every result is plain EDTF):

- a month name ("in December", «في شهر ديسمبر», «في كانون الأول»): the latest such month
  strictly before R's month (2020-12 for R = 2021-03-09); "next December" / «ديسمبر المقبل»:
  the first one strictly after it. With a year ("December 2020"), that month.
- "last year" / «العام الماضي»: R's year - 1; "this year", "next year" likewise; "last
  month", "this month", "next month"; "today", "yesterday", "tomorrow"; "N years ago".
- a weekday ("on Tuesday", «يوم الثلاثاء»): the latest such day on or before R (news usage:
  "announced Tuesday"); "last Tuesday" / «الثلاثاء الماضي»: strictly before R.
- "in 2011" / «في عام 2011»: 2011; "9 March 2021" / «9 مارس 2021»: that day;
  "44 BC": year -43 (astronomical numbering).
- "for months" / «منذ شهور», "for years" / «منذ سنوات», "for decades" / «استمرت عقودًا»:
  an interval ending at R whose start is approximate and read as "a few" (three) units
  back: months at month precision (``2020-12~/2021-03-09``), years and decades at year
  precision (``2018~/…``, ``1991~/…``). The plural only says "more than one", so three is a
  documented convention; the ``~`` marks the start as an estimate.
- "in the next decade" / «في العقد المقبل»: the calendar decade holding most of the ten
  years after R, i.e. the decade of R's year + 5 (``202X`` for 2021, ``203X`` for 2026).
- "in the coming years" / «في الأعوام المقبلة»: from R to about three years later
  (``2021-03-09/2024~``), the same "a few" convention.
- "so far" / «حتى الآن»: everything up to R (``../2021-03-09``, open start).
- anything else that is EDTF ("2011-04-15", "1984?/2004~") is read as EDTF.

Phrases are matched after ``lexicon.normalize`` (case, spaces, punctuation, Arabic letter
forms, harakat, tatweel, Arabic-Indic digits); English and Arabic words never mix.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable

import attrs

from ledger.dates.calendar import day_ordinal, ordinal_to_ymd
from ledger.dates.edtf import format_day, format_month, format_year, parse_edtf
from ledger.dates.folding import DIGITS
from ledger.dates.lexicon import (
    ARABIC_MONTH,
    ARABIC_WEEKDAY,
    ENGLISH_MONTH,
    ENGLISH_WEEKDAY,
    MONTH_NUMBER,
    WEEKDAYS,
    fold,
    normalize,
)
from ledger.dates.model import HistoricalDate, Kind, Precision
from ledger.errors import InvalidDateError, UnknownPhraseError

A_FEW = 3
"""How many units an unquantified plural ("for months", «منذ سنوات») is read as."""

MAX_PHRASE_LENGTH = 200
"""Longer input is not a date phrase; refusing it early keeps matching cheap."""


@attrs.frozen
class ResolvedDate:
    """A phrase read as a date, with the phrase and the reference it was resolved against."""

    date: HistoricalDate
    phrase: str
    reference: HistoricalDate | None
    rule: str
    """Name of the rule that read the phrase (``month-name``, ``last-year``, ``edtf``...)."""

    def __str__(self) -> str:
        return self.date.edtf


@attrs.frozen
class _Day:
    """The reference day, split for arithmetic."""

    ordinal: int
    year: int
    month: int
    day: int


_Handler = Callable[[re.Match[str], _Day | None, str], str]


_IN = r"(?:(?:in|during|on|over) )?(?:the )?"
_AR_IN = fold(r"(?:و?(?:في|خلال) )?")
_YEAR_WORD = fold(r"(?:(?:the )?year |عام |العام |سنة |السنة |سنه |السنه )")
_YEAR = r"(?P<year>[0-9]{1,4})"


# --- handlers: each returns EDTF text --------------------------------------------------------


def _need(ref: _Day | None, phrase: str) -> _Day:
    if ref is None:
        raise InvalidDateError(phrase, "a relative phrase needs a reference date to resolve")
    return ref


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _named_month(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    month = MONTH_NUMBER[match["month"]]
    if match.groupdict().get("year"):
        return format_month(_year_of(match, phrase), month)
    day = _need(ref, phrase)
    after = bool(match.groupdict().get("next"))
    if after:
        year = day.year if month > day.month else day.year + 1
    else:
        year = day.year if month < day.month else day.year - 1
    return format_month(year, month)


def _year_of(match: re.Match[str], phrase: str) -> int:
    year = int(match["year"])
    era = (match.groupdict().get("era") or "").replace(".", "").replace(" ", "")
    if era in ("bc", "bce", fold("قم"), fold("قبلالميلاد")):
        if year == 0:
            raise InvalidDateError(phrase, "there is no year 0 BC")
        return 1 - year
    return year


def _year(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    return format_year(_year_of(match, phrase))


def _full_day(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    year = _year_of(match, phrase)
    month = MONTH_NUMBER[match["month"]]
    day = int(match["day"])
    return f"{format_month(year, month)}-{day:02d}"  # parse_edtf checks the day exists


def _relative_year(delta: int) -> _Handler:
    def handler(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
        return format_year(_need(ref, phrase).year + delta)

    return handler


def _relative_month(delta: int) -> _Handler:
    def handler(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
        day = _need(ref, phrase)
        return format_month(*_month_shift(day.year, day.month, delta))

    return handler


def _relative_day(delta: int) -> _Handler:
    def handler(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
        return format_day(_need(ref, phrase).ordinal + delta)

    return handler


def _ago(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    day = _need(ref, phrase)
    count = int(match["count"])
    unit = match["unit"]
    if unit in ("month", "months", fold("شهر"), fold("شهور"), fold("أشهر")):
        return format_month(*_month_shift(day.year, day.month, -count))
    return format_year(day.year - count)


def _weekday(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    day = _need(ref, phrase)
    wanted = WEEKDAYS[match["weekday"]]
    # date.toordinal day 1 (0001-01-01) was a Monday, so weekday = (ordinal - 1) % 7.
    back = ((day.ordinal - 1) % 7 - wanted) % 7
    if match.groupdict().get("last") and back == 0:
        back = 7
    return format_day(day.ordinal - back)


def _for_months(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    day = _need(ref, phrase)
    start = format_month(*_month_shift(day.year, day.month, -A_FEW))
    return f"{start}~/{format_day(day.ordinal)}"


def _for_years(unit_years: int) -> _Handler:
    def handler(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
        day = _need(ref, phrase)
        return f"{format_year(day.year - A_FEW * unit_years)}~/{format_day(day.ordinal)}"

    return handler


def _next_decade(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    year = _need(ref, phrase).year + 5
    if not 0 <= year <= 9999:
        raise InvalidDateError(phrase, "decades are written with X only for years 0-9999")
    return f"{year // 10:03d}X"


def _coming_years(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    day = _need(ref, phrase)
    return f"{format_day(day.ordinal)}/{format_year(day.year + A_FEW)}~"


def _so_far(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    return f"../{format_day(_need(ref, phrase).ordinal)}"


def _decade_of(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    return f"{match['decade']}X"


# --- the rule table --------------------------------------------------------------------------

_THIS = fold(r"(?:هذا|هذه|الحالي|الحاليه|الجاري|الجاريه)")
_LAST_AR = fold(r"(?:الماضي|الماضيه|المنصرم|المنصرمه|السابق|السابقه|الفائت)")
_NEXT_AR = fold(r"(?:المقبل|المقبله|القادم|القادمه|التالي)")
_AR_YEAR_NOUN = fold(r"(?:العام|السنه)")
_AR_MONTH_NOUN = fold(r"(?:الشهر)")
_ERA = (
    r"(?: (?P<era>bc|b\.c\.?|bce|b\.c\.e\.?|ad|a\.d\.?|ce|"
    + fold(r"ق\.? ?م|قبل الميلاد|م|ميلادي")
    + "))?"
)

_RULES: tuple[tuple[str, str, _Handler], ...] = (
    # Named months.
    ("month-name", _IN + r"(?:month of )?" + ENGLISH_MONTH, _named_month),
    ("month-name", r"(?:last|this past) " + ENGLISH_MONTH, _named_month),
    ("month-name", r"(?P<next>next|this coming|coming) " + ENGLISH_MONTH, _named_month),
    (
        "month-name",
        _AR_IN + fold(r"(?:شهر )?") + ARABIC_MONTH + "(?: " + _LAST_AR + ")?",
        _named_month,
    ),
    (
        "month-name",
        _AR_IN + fold(r"(?:شهر )?") + ARABIC_MONTH + " (?P<next>" + _NEXT_AR + ")",
        _named_month,
    ),
    (
        "month-year",
        _IN + r"(?:month of )?" + ENGLISH_MONTH + r",?(?: of)? " + _YEAR + _ERA,
        _named_month,
    ),
    (
        "month-year",
        _AR_IN
        + fold(r"(?:شهر )?")
        + ARABIC_MONTH
        + fold(r" (?:من )?(?:عام |العام |سنه )?")
        + _YEAR
        + _ERA,
        _named_month,
    ),
    # Days with month names.
    (
        "day-month-year",
        r"(?:on )?(?:the )?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?: of)? "
        + ENGLISH_MONTH
        + r",? "
        + _YEAR
        + _ERA,
        _full_day,
    ),
    (
        "day-month-year",
        r"(?:on )?" + ENGLISH_MONTH + r" (?P<day>[0-9]{1,2})(?:st|nd|rd|th)?,? " + _YEAR + _ERA,
        _full_day,
    ),
    (
        "day-month-year",
        _AR_IN
        + fold(r"(?:يوم )?")
        + r"(?P<day>[0-9]{1,2}) "
        + fold(r"(?:من )?(?:شهر )?")
        + ARABIC_MONTH
        + fold(r" (?:من )?(?:عام |العام |سنه )?")
        + _YEAR
        + _ERA,
        _full_day,
    ),
    # Years.
    ("year", _IN + _YEAR_WORD + _YEAR + _ERA, _year),
    ("year", _AR_IN + _YEAR_WORD + _YEAR + _ERA, _year),
    ("year", _IN + r"(?P<year>[0-9]{4})" + _ERA, _year),
    ("year", _AR_IN + r"(?P<year>[0-9]{4})" + _ERA, _year),
    ("year", _IN + _YEAR + _ERA.replace(")?", ")"), _year),
    ("decade", _IN + r"(?P<decade>[0-9]{3})0'?s", _decade_of),
    # Years, months and days relative to the reference.
    ("last-year", _IN + r"(?:last|previous|past) year", _relative_year(-1)),
    ("last-year", _AR_IN + _AR_YEAR_NOUN + " " + _LAST_AR, _relative_year(-1)),
    ("this-year", _IN + r"(?:this|current) year", _relative_year(0)),
    ("this-year", _AR_IN + fold(r"(?:هذا العام|هذه السنه)"), _relative_year(0)),
    ("this-year", _AR_IN + _AR_YEAR_NOUN + " " + _THIS, _relative_year(0)),
    ("next-year", _IN + r"(?:next|coming) year", _relative_year(1)),
    ("next-year", _AR_IN + _AR_YEAR_NOUN + " " + _NEXT_AR, _relative_year(1)),
    ("last-month", _IN + r"(?:last|previous) month", _relative_month(-1)),
    ("last-month", _AR_IN + _AR_MONTH_NOUN + " " + _LAST_AR, _relative_month(-1)),
    ("this-month", _IN + r"this month", _relative_month(0)),
    ("this-month", _AR_IN + fold(r"(?:هذا الشهر|الشهر ") + _THIS + ")", _relative_month(0)),
    ("next-month", _IN + r"(?:next|coming) month", _relative_month(1)),
    ("next-month", _AR_IN + _AR_MONTH_NOUN + " " + _NEXT_AR, _relative_month(1)),
    ("today", r"today|" + fold(r"(?:في )?(?:اليوم|هذا اليوم)"), _relative_day(0)),
    ("yesterday", r"yesterday|" + fold(r"(?:يوم )?(?:امس|الامس|البارحه)"), _relative_day(-1)),
    ("tomorrow", r"tomorrow|" + fold(r"(?:غدا|يوم غد)"), _relative_day(1)),
    (
        "ago",
        r"(?P<count>[0-9]{1,4}) (?P<unit>years?|months?) ago",
        _ago,
    ),
    (
        "ago",
        fold(r"(?:منذ|قبل) (?P<count>[0-9]{1,4}) (?P<unit>عام|اعوام|سنه|سنوات|سنين|شهر|شهور|اشهر)"),
        _ago,
    ),
    # Weekdays: news usage, the latest such day on or before the reference.
    ("weekday", r"(?:on )?" + ENGLISH_WEEKDAY, _weekday),
    ("weekday", r"(?P<last>last) " + ENGLISH_WEEKDAY, _weekday),
    ("weekday", _AR_IN + fold(r"(?:يوم )?") + ARABIC_WEEKDAY, _weekday),
    (
        "weekday",
        _AR_IN + fold(r"(?:يوم )?") + ARABIC_WEEKDAY + " (?P<last>" + _LAST_AR + ")",
        _weekday,
    ),
    # Durations up to the reference.
    (
        "for-months",
        r"(?:for|over) (?:several |some |many )?months|months-long|months long",
        _for_months,
    ),
    (
        "for-months",
        fold(r"(?:منذ|ل|لعده|منذ عده|طوال|على مدى|على مدار|استمرت|دامت) ?(?:شهور|اشهر)"),
        _for_months,
    ),
    ("for-years", r"(?:for|over) (?:several |some |many )?years|years-long", _for_years(1)),
    (
        "for-years",
        fold(r"(?:منذ|ل|لعده|منذ عده|طوال|على مدى|استمرت|دامت) ?(?:سنوات|سنين|اعوام)"),
        _for_years(1),
    ),
    (
        "for-decades",
        r"(?:for|over|lasting) (?:several |some |many )?decades|decades-long|decades long",
        _for_years(10),
    ),
    (
        "for-decades",
        # Bare «عقود» also means "contracts": only the adverbial «عقودًا» stands alone.
        fold(r"(?:منذ|ل|طوال|على مدى|على مدار|استمرت|دامت|امتدت) ?عقودا?|عقودا"),
        _for_years(10),
    ),
    # The future seen from the reference.
    (
        "next-decade",
        _IN + r"(?:next|coming) decade",
        _next_decade,
    ),
    ("next-decade", _AR_IN + fold(r"العقد ") + _NEXT_AR, _next_decade),
    (
        "coming-years",
        _IN + r"(?:coming|next|next few|next several|upcoming) years",
        _coming_years,
    ),
    (
        "coming-years",
        _AR_IN + fold(r"(?:الاعوام|السنوات|السنين) ") + _NEXT_AR,
        _coming_years,
    ),
    # Everything up to the reference.
    ("so-far", r"so far|thus far|until now|up to now|to date|as yet|till now", _so_far),
    (
        "so-far",
        fold(r"(?:حتى|لحد|الى|لغايه) (?:الان|اليوم|هذه اللحظه|الساعه)"),
        _so_far,
    ),
)

_COMPILED = tuple((name, re.compile(pattern), handler) for name, pattern, handler in _RULES)


# --- the resolver ----------------------------------------------------------------------------


def _reference_day(reference: HistoricalDate | str | datetime.date | None) -> _Day | None:
    """The reference as a day, from EDTF text, a ``HistoricalDate`` or a ``date``."""
    if reference is None:
        return None
    if isinstance(reference, datetime.date):
        ordinal = day_ordinal(reference.year, reference.month, reference.day)
    else:
        value = parse_edtf(reference) if isinstance(reference, str) else reference
        if value.kind is not Kind.DATE or value.precision not in (Precision.DAY, Precision.SECOND):
            raise InvalidDateError(value.edtf, "a reference must be a single known day")
        assert value.earliest is not None  # a day always has bounds
        ordinal = value.earliest
    year, month, day = ordinal_to_ymd(ordinal)
    return _Day(ordinal, year, month, day)


def _looks_like_edtf(text: str) -> bool:
    """Whether a string is made of EDTF characters only (so EDTF errors are the right ones)."""
    return bool(text) and all(c in "0123456789XYES-?~%/.[]{}, T:Z+" for c in text)


def resolve_phrase(
    phrase: str, reference: HistoricalDate | str | datetime.date | None = None
) -> ResolvedDate:
    """Read a date phrase (English, Arabic or EDTF) against a reference day.

    Raises:
        UnknownPhraseError: no rule reads the phrase (the message names it).
        InvalidDateError: the phrase is EDTF-like but invalid, names a day that does not
            exist, or is relative and no reference was given.
    """
    if type(phrase) is not str:
        raise InvalidDateError(repr(phrase), f"expected a string, got {type(phrase).__name__}")
    if not phrase.strip():
        raise UnknownPhraseError(phrase, "empty phrase")
    if len(phrase) > MAX_PHRASE_LENGTH:
        raise UnknownPhraseError(phrase, f"longer than {MAX_PHRASE_LENGTH} characters")
    ref = _reference_day(reference)
    ref_value = None if ref is None else parse_edtf(format_day(ref.ordinal))
    # EDTF first: normalising would drop its qualifiers ("1984?" is not "1984").
    bare = "".join(unicodedata.normalize("NFKC", phrase).translate(DIGITS).split())
    if _looks_like_edtf(bare):
        return ResolvedDate(parse_edtf(bare), phrase, ref_value, "edtf")
    text = normalize(phrase)
    for name, pattern, handler in _COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            edtf = handler(match, ref, phrase)
            try:
                date = parse_edtf(edtf)
            except InvalidDateError as error:
                raise InvalidDateError(phrase, error.reason) from error
            return ResolvedDate(date, phrase, ref_value, name)
    raise UnknownPhraseError(
        phrase,
        "no rule reads this phrase (known: month names, last/this/next year, in YEAR, "
        "for months/decades, so far, in the next decade, in the coming years, EDTF)",
    )

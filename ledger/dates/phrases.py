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

Arabic is matched after removing harakat and tatweel and unifying alef, yaa and taa marbuta
forms; Arabic-Indic and Eastern Arabic-Indic digits count as digits; spaces are collapsed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable

import attrs

from ledger.dates.calendar import day_ordinal, ordinal_to_ymd
from ledger.dates.edtf import format_day, format_month, format_year, parse_edtf
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


# --- normalisation ---------------------------------------------------------------------------

_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_ARABIC_LETTERS = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ـ"): None,  # tatweel
}
_INVISIBLE = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF])
_PUNCTUATION = " \t.,;:!?\"'«»“”‘’()[]،؛؟-–—"


def _normalize(phrase: str) -> str:
    """Lower-case, ASCII digits, Arabic without harakat/tatweel and with unified letters."""
    text = unicodedata.normalize("NFKC", phrase).translate(_INVISIBLE)
    text = "".join(c for c in text if not ("\u064b" <= c <= "\u065f" or c == "\u0670"))
    text = text.translate(_DIGITS).translate(_ARABIC_LETTERS).casefold()
    return " ".join(text.split()).strip(_PUNCTUATION)


def _n(arabic: str) -> str:
    """Normalise an Arabic pattern fragment the same way as input."""
    return arabic.translate(_ARABIC_LETTERS)


# --- vocabularies ----------------------------------------------------------------------------

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
_MONTH_NUMBER: dict[str, int] = {}
for _number, _names in enumerate(_ENGLISH_MONTHS, start=1):
    for _name in _names.split("|"):
        _MONTH_NUMBER[_name] = _number
_ENGLISH_MONTH_NAMES = list(_MONTH_NUMBER)
for _number, _arabic in enumerate(_ARABIC_MONTHS, start=1):
    for _name in _arabic:
        _MONTH_NUMBER[_n(_name)] = _number
_ARABIC_MONTH_NAMES = [name for name in _MONTH_NUMBER if name not in _ENGLISH_MONTH_NAMES]


def _alternation(group: str, names: list[str]) -> str:
    """A named group matching any of ``names``, longest first (so prefixes never win)."""
    return f"(?P<{group}>" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + ")"


# English and Arabic names are separate so that mixed-script phrases are not read.
_MONTH = _alternation("month", _ENGLISH_MONTH_NAMES)
_AR_MONTH = _alternation("month", _ARABIC_MONTH_NAMES)

_ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ARABIC_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
_WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(_ENGLISH_WEEKDAYS)} | {
    _n(name): i for i, name in enumerate(_ARABIC_WEEKDAYS)
}
_WEEKDAY = _alternation("weekday", list(_ENGLISH_WEEKDAYS))
_AR_WEEKDAY = _alternation("weekday", [_n(name) for name in _ARABIC_WEEKDAYS])

_IN = r"(?:(?:in|during|on|over) )?(?:the )?"
_AR_IN = _n(r"(?:و?(?:في|خلال) )?")
_YEAR_WORD = _n(r"(?:(?:the )?year |عام |العام |سنة |السنة |سنه |السنه )")
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
    month = _MONTH_NUMBER[match["month"]]
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
    if era in ("bc", "bce", _n("قم"), _n("قبلالميلاد")):
        if year == 0:
            raise InvalidDateError(phrase, "there is no year 0 BC")
        return 1 - year
    return year


def _year(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    return format_year(_year_of(match, phrase))


def _full_day(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    year = _year_of(match, phrase)
    month = _MONTH_NUMBER[match["month"]]
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
    if unit in ("month", "months", _n("شهر"), _n("شهور"), _n("أشهر")):
        return format_month(*_month_shift(day.year, day.month, -count))
    return format_year(day.year - count)


def _weekday(match: re.Match[str], ref: _Day | None, phrase: str) -> str:
    day = _need(ref, phrase)
    wanted = _WEEKDAYS[match["weekday"]]
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

_THIS = _n(r"(?:هذا|هذه|الحالي|الحاليه|الجاري|الجاريه)")
_LAST_AR = _n(r"(?:الماضي|الماضيه|المنصرم|المنصرمه|السابق|السابقه|الفائت)")
_NEXT_AR = _n(r"(?:المقبل|المقبله|القادم|القادمه|التالي)")
_AR_YEAR_NOUN = _n(r"(?:العام|السنه)")
_AR_MONTH_NOUN = _n(r"(?:الشهر)")
_ERA = r"(?: (?P<era>bc|b\.c\.|bce|ad|a\.d\.|ce|" + _n(r"ق\.? ?م|قبل الميلاد|م|ميلادي") + "))?"

_RULES: tuple[tuple[str, str, _Handler], ...] = (
    # Named months.
    ("month-name", _IN + r"(?:month of )?" + _MONTH, _named_month),
    ("month-name", r"(?:last|this past) " + _MONTH, _named_month),
    ("month-name", r"(?P<next>next|this coming|coming) " + _MONTH, _named_month),
    ("month-name", _AR_IN + _n(r"(?:شهر )?") + _AR_MONTH + "(?: " + _LAST_AR + ")?", _named_month),
    (
        "month-name",
        _AR_IN + _n(r"(?:شهر )?") + _AR_MONTH + " (?P<next>" + _NEXT_AR + ")",
        _named_month,
    ),
    (
        "month-year",
        _IN + r"(?:month of )?" + _MONTH + r",?(?: of)? " + _YEAR + _ERA,
        _named_month,
    ),
    (
        "month-year",
        _AR_IN
        + _n(r"(?:شهر )?")
        + _AR_MONTH
        + _n(r" (?:من )?(?:عام |العام |سنه )?")
        + _YEAR
        + _ERA,
        _named_month,
    ),
    # Days with month names.
    (
        "day-month-year",
        r"(?:on )?(?:the )?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?: of)? "
        + _MONTH
        + r",? "
        + _YEAR
        + _ERA,
        _full_day,
    ),
    (
        "day-month-year",
        r"(?:on )?" + _MONTH + r" (?P<day>[0-9]{1,2})(?:st|nd|rd|th)?,? " + _YEAR + _ERA,
        _full_day,
    ),
    (
        "day-month-year",
        _AR_IN
        + _n(r"(?:يوم )?")
        + r"(?P<day>[0-9]{1,2}) "
        + _n(r"(?:من )?(?:شهر )?")
        + _AR_MONTH
        + _n(r" (?:من )?(?:عام |العام |سنه )?")
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
    ("this-year", _AR_IN + _n(r"(?:هذا العام|هذه السنه)"), _relative_year(0)),
    ("this-year", _AR_IN + _AR_YEAR_NOUN + " " + _THIS, _relative_year(0)),
    ("next-year", _IN + r"(?:next|coming) year", _relative_year(1)),
    ("next-year", _AR_IN + _AR_YEAR_NOUN + " " + _NEXT_AR, _relative_year(1)),
    ("last-month", _IN + r"(?:last|previous) month", _relative_month(-1)),
    ("last-month", _AR_IN + _AR_MONTH_NOUN + " " + _LAST_AR, _relative_month(-1)),
    ("this-month", _IN + r"this month", _relative_month(0)),
    ("this-month", _AR_IN + _n(r"(?:هذا الشهر|الشهر ") + _THIS + ")", _relative_month(0)),
    ("next-month", _IN + r"(?:next|coming) month", _relative_month(1)),
    ("next-month", _AR_IN + _AR_MONTH_NOUN + " " + _NEXT_AR, _relative_month(1)),
    ("today", r"today|" + _n(r"(?:في )?(?:اليوم|هذا اليوم)"), _relative_day(0)),
    ("yesterday", r"yesterday|" + _n(r"(?:يوم )?(?:امس|الامس|البارحه)"), _relative_day(-1)),
    ("tomorrow", r"tomorrow|" + _n(r"(?:غدا|يوم غد)"), _relative_day(1)),
    (
        "ago",
        r"(?P<count>[0-9]{1,4}) (?P<unit>years?|months?) ago",
        _ago,
    ),
    (
        "ago",
        _n(r"(?:منذ|قبل) (?P<count>[0-9]{1,4}) (?P<unit>عام|اعوام|سنه|سنوات|سنين|شهر|شهور|اشهر)"),
        _ago,
    ),
    # Weekdays: news usage, the latest such day on or before the reference.
    ("weekday", r"(?:on )?" + _WEEKDAY, _weekday),
    ("weekday", r"(?P<last>last) " + _WEEKDAY, _weekday),
    ("weekday", _AR_IN + _n(r"(?:يوم )?") + _AR_WEEKDAY, _weekday),
    ("weekday", _AR_IN + _n(r"(?:يوم )?") + _AR_WEEKDAY + " (?P<last>" + _LAST_AR + ")", _weekday),
    # Durations up to the reference.
    (
        "for-months",
        r"(?:for|over) (?:several |some |many )?months|months-long|months long",
        _for_months,
    ),
    (
        "for-months",
        _n(r"(?:منذ|ل|لعده|منذ عده|طوال|على مدى|على مدار|استمرت|دامت) ?(?:شهور|اشهر)"),
        _for_months,
    ),
    ("for-years", r"(?:for|over) (?:several |some |many )?years|years-long", _for_years(1)),
    (
        "for-years",
        _n(r"(?:منذ|ل|لعده|منذ عده|طوال|على مدى|استمرت|دامت) ?(?:سنوات|سنين|اعوام)"),
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
        _n(r"(?:منذ|ل|طوال|على مدى|على مدار|استمرت|دامت|امتدت) ?عقودا?|عقودا"),
        _for_years(10),
    ),
    # The future seen from the reference.
    (
        "next-decade",
        _IN + r"(?:next|coming) decade",
        _next_decade,
    ),
    ("next-decade", _AR_IN + _n(r"العقد ") + _NEXT_AR, _next_decade),
    (
        "coming-years",
        _IN + r"(?:coming|next|next few|next several|upcoming) years",
        _coming_years,
    ),
    (
        "coming-years",
        _AR_IN + _n(r"(?:الاعوام|السنوات|السنين) ") + _NEXT_AR,
        _coming_years,
    ),
    # Everything up to the reference.
    ("so-far", r"so far|thus far|until now|up to now|to date|as yet|till now", _so_far),
    (
        "so-far",
        _n(r"(?:حتى|لحد|الى|لغايه) (?:الان|اليوم|هذه اللحظه|الساعه)"),
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
    bare = "".join(unicodedata.normalize("NFKC", phrase).translate(_DIGITS).split())
    if _looks_like_edtf(bare):
        return ResolvedDate(parse_edtf(bare), phrase, ref_value, "edtf")
    text = _normalize(phrase)
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

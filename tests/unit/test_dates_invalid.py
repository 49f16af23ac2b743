"""Input that is not a date is refused with InvalidDateError and a clear reason, quickly."""

from __future__ import annotations

import time

import pytest

from ledger.dates import parse_edtf, resolve_phrase
from ledger.errors import InvalidDateError, LedgerError, UnknownPhraseError

# (input, a fragment the message must contain)
INVALID: list[tuple[str, str]] = [
    ("2011-02-29", "day 29 does not exist in 2011-02"),
    ("2011-04-31", "day 31 does not exist"),
    ("2011-02-00", "day 00 does not exist"),
    ("2011-13", "month 13 does not exist"),
    ("2011-00", "month 00 does not exist"),
    ("2001-42", "month 42 does not exist"),
    ("2001-21-03", "month 21"),
    ("", "empty string"),
    ("x" * 10240, "longer than"),
    ("2021" * 2560, "longer than"),
    ("[" + "1667," * 2000 + "1668]", "longer than"),
    ("1984??", "expected EDTF"),
    ("1984?~", "expected EDTF"),
    ("?", "expected EDTF"),
    ("?1984?-", "expected EDTF"),
    ("2004-01-01T10:10:10Z?", "expected EDTF"),
    ("/", "at least one known end"),
    ("../..", "at least one known end"),
    ("1985/1984", "ends before it starts"),
    ("1984/2004/2005", "exactly one '/'"),
    ("Y1234", "more than four digits"),
    ("Y0123456", "no leading zeros"),
    ("Y1E999999999", "limited to 15 digits"),
    ("Y17E7-12-26", "stands alone"),
    ("-0000", "-0000 is not a year"),
    ("1950S0", "significant digits"),
    ("195XS2", "significant digits cannot combine"),
    ("XXX1-02-29", "no day of the calendar matches"),
    ("2001-2X", "no month matches"),
    ("2004-06-11T25:00:00", "does not exist"),
    ("1985-04-12T23:20:30+15:00", "offset out of range"),
    ("[]", "at least one member"),
    ("[1667", "must close"),
    ("[1667,,1668]", "empty set member"),
    ("[1984..1980]", "ends before it starts"),
    ("[1667/1668]", "sets cannot contain intervals"),
    ("1667..1668", "expected EDTF"),
    ("2004-1x", "capital X"),
    ("2021-03-09 ", "spaces are not allowed"),
    ("2021-3-9", "expected EDTF"),
    ("2021-03-09T10:10", "expected EDTF"),
    ("2004-(06)?-11", "expected EDTF"),
    ("2021\n", "control character U+000A"),
    ("2021\x00", "control character U+0000"),
    ("2021-03-09\x1b", "control character U+001B"),
    ("٢٠٢١", "non-ASCII character"),
    ("2021-٠٣", "non-ASCII character"),
    ("２０２１", "non-ASCII character"),
    ("2021-03-09\u200f", "non-ASCII character"),
    ("2021-مارس", "non-ASCII character"),
]


@pytest.mark.parametrize(("text", "reason"), INVALID, ids=[repr(t[0])[:30] for t in INVALID])
def test_invalid_edtf_is_refused_with_reason(text: str, reason: str) -> None:
    """Each invalid string raises InvalidDateError whose message gives the reason."""
    with pytest.raises(InvalidDateError) as caught:
        parse_edtf(text)
    assert reason in str(caught.value)
    assert caught.value.text == text


@pytest.mark.parametrize(("text", "reason"), INVALID, ids=[repr(t[0])[:30] for t in INVALID])
def test_error_message_is_one_line(text: str, reason: str) -> None:
    """Messages stay on one line (the CLI prints them as one stderr line) and are short."""
    with pytest.raises(InvalidDateError) as caught:
        parse_edtf(text)
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) < 400


def test_errors_are_value_errors_and_ledger_errors() -> None:
    """Callers can catch the builtin ValueError or the ledger's root error."""
    with pytest.raises(ValueError, match="2011-02-29"):
        parse_edtf("2011-02-29")
    with pytest.raises(LedgerError):
        parse_edtf("2011-13")


@pytest.mark.parametrize("value", [None, 2021, b"2021", 3.5, ["2021"]])
def test_non_string_input_is_invalid_date(value: object) -> None:
    """A non-string argument is an InvalidDateError too, not a TypeError from the cache."""
    with pytest.raises(InvalidDateError, match="expected a string"):
        parse_edtf(value)  # type: ignore[arg-type]


def test_huge_inputs_are_refused_quickly() -> None:
    """Long and pathological inputs fail fast: no backtracking blow-up, no hang."""
    hostile = [
        "9" * 10240,
        "X" * 10240,
        "?" * 10240,
        "1984" + "?" * 200,
        "{" + "XXXX-XX-XX," * 21 + "XXX1-02-29}",
        "/" * 200,
        "..." * 80,
        "-" * 255,
        "Y" + "9" * 250,
    ]
    start = time.perf_counter()
    for text in hostile:
        with pytest.raises(InvalidDateError):
            parse_edtf(text)
    assert time.perf_counter() - start < 1.0


def test_leap_day_is_valid_only_in_leap_years() -> None:
    """29 February exists in 2004, 2000 and 0000 (proleptic) but not 1900 or 2011."""
    for text in ("2004-02-29", "2000-02-29", "0000-02-29", "-0004-02-29"):
        assert parse_edtf(text).earliest is not None
    for text in ("1900-02-29", "2011-02-29", "-0001-02-29"):
        with pytest.raises(InvalidDateError):
            parse_edtf(text)


@pytest.mark.parametrize(
    "phrase",
    ["", "   ", "in ديسمبر", "someday", "في يوم ما", "a long time ago", "x" * 10240, "\x00"],
)
def test_unknown_phrases_name_the_phrase(phrase: str) -> None:
    """Phrases no rule reads raise UnknownPhraseError whose message quotes the phrase."""
    with pytest.raises(UnknownPhraseError) as caught:
        resolve_phrase(phrase, "2021-03-09")
    assert caught.value.text == phrase
    assert repr(phrase[:20])[1:-1] in str(caught.value)

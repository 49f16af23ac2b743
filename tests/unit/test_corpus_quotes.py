"""Locating quotes: every occurrence, the one cited as a word, and where a near miss diverges."""

from __future__ import annotations

from ledger.corpus.quotes import first_word, locate, near_miss


def test_locate_finds_every_occurrence_even_overlapping() -> None:
    """All starts are found, including overlapping ones."""
    assert locate("aa", "aaa") == [0, 1]
    assert locate("x", "abc") == []


def test_first_word_skips_matches_inside_longer_words() -> None:
    """ "ASA" is cited where it stands alone, not inside "NASA"."""
    text = "NASA and ASA"
    assert first_word("ASA", text, locate("ASA", text)) == text.rindex("ASA")


def test_first_word_falls_back_to_the_first_match() -> None:
    """When every match is inside a word, the first is used."""
    assert first_word("AS", "NASA", locate("AS", "NASA")) == 1


def test_first_word_accepts_arabic_quotes_next_to_punctuation() -> None:
    """An Arabic name followed by a comma or a space counts as a whole word."""
    text = "وكالة ناسا، ثم ناسا"
    assert first_word("ناسا", text, locate("ناسا", text)) == text.index("ناسا")


def test_near_miss_says_where_the_quote_diverges() -> None:
    """A quote with an extra space is reported with how much matches and what follows."""
    message = near_miss("روسيا و الصين", "وقعت روسيا والصين اتفاقية")
    assert message.startswith("the first 7 characters match (at offset 5)")
    assert "'الصين اتفاقي'" in message


def test_near_miss_without_any_match() -> None:
    """A quote sharing not even a first character says so."""
    assert near_miss("xyz", "abc") == "not even its first character occurs there"

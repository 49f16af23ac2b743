"""Finding a quote in a source's text: every occurrence, the one to cite, and near misses.

Quotes are compared character for character (no normalisation): a historian's citation must
point at the exact words. When a quote is not found, ``near_miss`` says how far it matches,
which is usually enough to spot a stray space, a different hamza or a non-breaking space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def locate(quote: str, text: str) -> list[int]:
    """Every start offset of ``quote`` in ``text`` (overlapping ones included)."""
    found: list[int] = []
    start = text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def first_word(quote: str, text: str, starts: Sequence[int]) -> int:
    """The first start where the quote is not part of a longer word ("ASA" not in "NASA")."""
    for start in starts:
        before = text[start - 1 : start]
        after = text[start + len(quote) : start + len(quote) + 1]
        if not (before.isalnum() and quote[:1].isalnum()) and not (
            after.isalnum() and quote[-1:].isalnum()
        ):
            return start
    return starts[0]


def spans(quote: str, text: str) -> list[tuple[int, int]]:
    """Where ``quote`` occurs in ``text``: exactly, else with its spacing read loosely.

    A quote folded over lines in YAML (``quote: >-``) has spaces where the text breaks lines;
    the words must still be the text's, in order, with only white space between them. The
    span then covers the text's own characters, which the citation keeps.
    """
    starts = locate(quote, text)
    if starts:
        return [(start, start + len(quote)) for start in starts]
    words = quote.split()
    if not words:
        return []
    pattern = r"\s+".join(map(re.escape, words))
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def best(found: Sequence[tuple[int, int]], text: str) -> tuple[int, int]:
    """The first span that is not part of a longer word ("ASA" not in "NASA")."""
    for start, end in found:
        before, after = text[start - 1 : start], text[end : end + 1]
        first, last = text[start : start + 1], text[end - 1 : end]
        if not (before.isalnum() and first.isalnum()) and not (after.isalnum() and last.isalnum()):
            return start, end
    return found[0]


def near_miss(quote: str, text: str) -> str:
    """Where a quote that is not in the text stops matching, to help fix it."""
    low, high = 0, len(quote)
    while low < high:  # longest prefix of the quote that occurs in the text
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return "not even its first character occurs there"
    at = text.find(quote[:low])
    expected = text[at + low : at + low + 12]
    got = quote[low : low + 12]
    return (
        f"the first {low} characters match (at offset {at}); then the text has "
        f"{expected!r} where the quote has {got!r}"
    )

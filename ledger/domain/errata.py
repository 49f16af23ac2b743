"""Known errors of a source's text (a translation's mistranslations), as its registration notes
them, so that every claim quoting those words says so.

A seed's metadata lists its translation errors; the corpus records them in the source's
``notes`` as lines ``- «words» translates '...' but means '...'. Why.`` under a
``Translation errors:`` heading. A claim whose quote, in that source's text, holds the words
gets the line as a remark: the error is visible wherever the claim is cited, from the day the
source was registered.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

_HEADING = "Translation errors:"


@attrs.frozen
class Erratum:
    """Words of a source's text known to be wrong, and what is known about them."""

    words: str
    note: str


def errata_of(notes: str) -> tuple[Erratum, ...]:
    """The errors a source's notes list (none when they have no ``Translation errors:``)."""
    found: list[Erratum] = []
    listing = False
    for line in notes.splitlines():
        if line.strip() == _HEADING:
            listing = True
            continue
        if not listing:
            continue
        if not line.startswith("- «") or "»" not in line:
            listing = line.startswith("- ")
            continue
        words = line[3 : line.index("»")]
        if words:
            found.append(Erratum(words=words, note=line[2:].strip()))
    return tuple(found)


def remarks_for(quote: str, errata: Iterable[Erratum]) -> tuple[str, ...]:
    """The known errors whose words the quote holds, as remarks."""
    return tuple(f"Known error of the text: {e.note}" for e in errata if e.words in quote)

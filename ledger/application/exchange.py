"""The ledger in formats other tools read: TimelineJS, CSL-JSON, W3C Web Annotations.

``exchange`` gathers what a format needs from a ledger and gives the document with a line
saying what it holds; ``Ledger.exchange`` and ``ledger exchange`` call it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

import attrs

from ledger.application.inputs import RecordedInput, recorded
from ledger.domain.events import SourceRegistered

if TYPE_CHECKING:
    from ledger.application.ledger import Ledger

__all__ = ["EXCHANGE_FORMATS", "ExchangeFormat", "Exchanged", "exchange"]

ExchangeFormat = Literal["timelinejs", "csl-json", "annotations"]
EXCHANGE_FORMATS: tuple[ExchangeFormat, ...] = ("timelinejs", "csl-json", "annotations")


@attrs.frozen
class Exchanged:
    """A document in an exchange format, and what it holds in a few words ("12 sources")."""

    document: object
    summary: str

    def text(self) -> str:
        """The document as indented JSON text (not ASCII-escaped), with a final line break."""
        return json.dumps(self.document, ensure_ascii=False, indent=2) + "\n"


def exchange(
    book: Ledger, fmt: ExchangeFormat, programs: Iterable[str], known_at: RecordedInput | None
) -> Exchanged:
    """The ``programs`` (any names; none: every program) as recorded by ``known_at``, in
    ``fmt``: a TimelineJS slide per claim, a CSL-JSON item per source, or a Web Annotation
    per quote on the source text that holds it."""
    # Loaded here, not with the module: the command's parser needs only EXCHANGE_FORMATS.
    from ledger.views.annotations import annotate
    from ledger.views.csl import csl_items
    from ledger.views.timelinejs import timelinejs

    asked = list(programs)
    ids = list(dict.fromkeys([book.resolve(p) for p in asked] or book.programs().ids()))
    when = recorded(known_at)
    sources = [
        e for e in book.events(types=[SourceRegistered], known_at=when)
        if isinstance(e, SourceRegistered)
    ]  # fmt: skip
    if fmt == "csl-json":
        return Exchanged(csl_items(sources), f"{len(sources)} sources")
    if fmt == "timelinejs":
        names = book.names(ids)
        timelines = [(p, book.timeline(p, known_at=when)) for p in ids]
        slides = timelinejs(timelines, names={p: names.both(p) for p in ids})
        return Exchanged(slides, f"{len(slides['events'])} events")
    wanted = set(ids)
    cited = [e for e in book.events(known_at=when) if not asked or wanted & set(e.about)]
    found = annotate(cited, sources)
    return Exchanged(
        found.collection(), f"{len(found.items)} annotations, {len(found.unplaced)} unplaced"
    )

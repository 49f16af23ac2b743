"""Every citation as a W3C Web Annotation: the claim's summary annotating the exact words of
the text that holds its quote.

The target is that text, named by its SHA-256 (``urn:sha256:<hex>``, so the offsets refer to
exactly the text the hash chain covers) with the page it came from as ``scope``; two
selectors find the words again: a ``TextQuoteSelector`` (exact, with up to 32 characters of
prefix and suffix) and a ``TextPositionSelector`` (code-point offsets, end exclusive). A quote
found in no stored text gets no annotation: it is counted, never credited to a text that
does not hold it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ledger.domain.events import Event, SourceRegistered

__all__ = ["CONTEXT", "Annotations", "annotate", "text_digest"]

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_AFFIX = 32
_NAMESPACE = uuid.UUID("6f1c1c3e-8a5e-5d6b-9b0e-0d5a8f1e4c21")


def text_digest(text: str) -> str:
    """The SHA-256 of a source text's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen
class Annotations:
    """An AnnotationCollection's items, and the citations left out (no stored text holds them)."""

    items: tuple[dict[str, Any], ...]
    unplaced: tuple[str, ...]
    """Event ids whose quote no stored source text holds."""

    def collection(self, label: str = "Ledger citations") -> dict[str, Any]:
        """The annotations as one W3C AnnotationCollection with a single page."""
        return {
            "@context": CONTEXT,
            "type": "AnnotationCollection",
            "label": label,
            "total": len(self.items),
            "first": {"type": "AnnotationPage", "startIndex": 0, "items": list(self.items)},
        }


def _holder(
    event: Event, texts: Mapping[str, SourceRegistered]
) -> tuple[SourceRegistered, int] | None:
    """The source whose text holds the quote (the one the citation names first), and where."""
    citation = event.citation
    named = texts.get(citation.quote_in or citation.source)
    start = citation.start
    if (
        named is not None
        and start is not None
        and named.text[start : citation.end] == citation.quote
    ):
        return named, start
    candidates = ([named] if named else []) + [s for s in texts.values() if s is not named]
    for source in candidates:
        start = source.text.find(citation.quote)
        if start >= 0:
            return source, start
    return None


def _annotation(event: Event, source: SourceRegistered, start: int) -> dict[str, Any]:
    quote = event.citation.quote
    text, end = source.text, start + len(quote)
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": {
            "id": f"urn:sha256:{text_digest(text)}",
            "type": "Text",
            "format": "text/plain",
        },
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": quote,
                "prefix": text[max(0, start - _AFFIX) : start],
                "suffix": text[end : end + _AFFIX],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
    if source.language:
        target["source"]["language"] = source.language
    if source.url.startswith(("http://", "https://")):
        target["scope"] = source.url
    annotation: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, str(event.id))}",
        "type": "Annotation",
        "motivation": "describing",
        "body": {
            "type": "TextualBody",
            "value": event.summary or event.type_name,
            "format": "text/plain",
            "language": "en",
            "purpose": "describing",
        },
        "target": target,
        "generator": {"type": "Software", "name": "ledger"},
    }
    if event.recorded_at is not None:
        annotation["created"] = event.recorded_at.isoformat()
    return annotation


def annotate(events: Iterable[Event], sources: Iterable[SourceRegistered]) -> Annotations:
    """One annotation per citation with a quote, on the stored text that holds it."""
    texts = {s.stream.removeprefix("source:"): s for s in sources if s.text}
    items: dict[str, dict[str, Any]] = {}
    unplaced: list[str] = []
    for event in events:
        if not event.citation.quote or str(event.id) in items:
            continue
        found = _holder(event, texts)
        if found is None:
            unplaced.append(str(event.id))
            continue
        items[str(event.id)] = _annotation(event, *found)
    return Annotations(tuple(items.values()), tuple(dict.fromkeys(unplaced)))

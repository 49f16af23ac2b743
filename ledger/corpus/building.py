"""Building events from a checked corpus, in the order they are appended.

Catalogue events come before the claims of the same file; files follow the manifest. Event
ids are derived from corpus ids, so a rebuild gives the same events.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from ledger.corpus.draft import ClaimEntry, Draft, EntityEntry, SourceEntry
from ledger.corpus.quotes import first_word, locate
from ledger.corpus.schema import Kind, payload_fields
from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import Citation, Confidence, EntityRegistered, Event, SourceRegistered

NAMESPACE = uuid.UUID("061e0154-1917-4781-8f43-9d6dca6a7384")
"""Fixed namespace of corpus event ids: never change it, or re-imports would duplicate."""


def corpus_uuid(kind: str, slug: str) -> uuid.UUID:
    """The event id of a corpus entry: ``kind`` is ``source``, ``entity`` or ``claim``."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{slug}")


class Builder(Draft):
    """Turns checked entries into events."""

    def build(self) -> list[Event]:
        """Turn the checked entries into events, in manifest order (catalogue first per file)."""
        events: list[Event] = []
        for file in self.files:
            for kind in ("source", "entity", "claim"):
                for entry_kind, slug in self.order:
                    if entry_kind != kind:
                        continue
                    if kind == "source" and self.sources[slug].file is file:
                        events.append(self.source_event(self.sources[slug]))
                    elif kind == "entity" and self.entities[slug].file is file:
                        events.append(self.entity_event(self.entities[slug]))
                    elif kind == "claim" and self.claims[slug].file is file:
                        events.append(self.claim_event(self.claims[slug]))
        return events

    def source_date(self, source: SourceEntry) -> HistoricalDate:
        if "date" in source.fields:
            return parse_edtf(source.fields["date"])
        # Unknown publication day: on or before the day the ledger learned of the source.
        return parse_edtf(f"[..{source.file.recorded_at.date().isoformat()}]")

    def source_event(self, source: SourceEntry) -> SourceRegistered:
        fields = source.fields
        citation = self.citation(source.cite_source, source.cite_quote, "", ())
        return SourceRegistered(
            id=corpus_uuid("source", source.id),
            stream=f"source:{source.id}",
            valid_time=self.source_date(source),
            citation=citation,
            confidence=Confidence(fields.get("confidence", "medium")),
            summary=f"Source registered: {fields.get('title') or fields.get('url', source.id)}",
            recorded_at=source.file.recorded_at,
            title=fields.get("title") or fields.get("url", source.id),
            language=fields.get("language", ""),
            url=fields.get("url", ""),
            publisher=fields.get("publisher", ""),
            authors=fields.get("authors", ()),
            translation_of=source.translation_of,
            text=source.text,
            notes=source.notes,
        )

    def citation(
        self,
        source_id: str,
        quote: str,
        quote_in: str,
        also: Sequence[str],
    ) -> Citation:
        """A citation with the quote's span in the text that holds it."""
        location = self.sources[quote_in or source_id]
        starts = locate(quote, location.text) if quote and location.text else []
        start = first_word(quote, location.text, starts) if starts else None
        return Citation(
            source=source_id,
            quote=quote,
            start=start,
            end=None if start is None else start + len(quote),
            quote_in="" if quote_in in ("", source_id) else quote_in,
            also_cited=tuple(also),
        )

    def entity_event(self, entity: EntityEntry) -> EntityRegistered:
        file, fields = entity.file, entity.fields
        source_id = fields.get("source") or file.source or ""
        citation = self.citation(source_id, fields["quote"], fields.get("quote_in", ""), ())
        if "date" in fields:
            date = parse_edtf(fields["date"])
        else:
            # When the name is attested: the date of the source that gives it.
            date = self.source_date(self.sources[source_id])
        return EntityRegistered(
            id=corpus_uuid("entity", entity.id),
            stream=entity.id,
            valid_time=date,
            citation=citation,
            confidence=Confidence(fields.get("confidence") or file.confidence),
            summary=fields.get("summary") or f"Entity registered: {fields['name_en']}",
            recorded_at=file.recorded_at,
            kind=fields["kind"],
            name_en=fields["name_en"],
            name_ar=fields.get("name_ar", ""),
            aliases=fields.get("aliases", ()),
            part_of=fields.get("part_of", ()),
        )

    def claim_event(self, claim: ClaimEntry) -> Event:
        file, values = claim.file, claim.fields
        source_id = values.get("source") or file.source or ""
        quote_in = values.get("quote_in") or file.quote_in or ""
        citation = self.citation(source_id, values["quote"], quote_in, values.get("also_cited", ()))
        payload: dict[str, Any] = {}
        for spec in payload_fields(claim.cls):
            if spec.name not in values:
                continue
            value = values[spec.name]
            if spec.kind is Kind.EVENT:
                value = corpus_uuid("claim", value)
            payload[spec.name] = value
        date = claim.date
        assert date is not None  # the checks set it, or the corpus had errors
        return claim.cls(
            id=corpus_uuid("claim", claim.id),
            stream=values["stream"],
            valid_time=date,
            citation=citation,
            subjects=values.get("subjects", ()),
            participants=values.get("participants", ()),
            fact=values.get("fact", ""),
            confidence=Confidence(values.get("confidence") or file.confidence),
            phrase=values.get("phrase", ""),
            summary=values["summary"],
            recorded_at=file.recorded_at,
            **payload,
        )

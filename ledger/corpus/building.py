"""Building events from a checked corpus, in the order they are appended.

Catalogue events come before the claims of the same file; files follow the manifest. Event
ids are derived from corpus ids, so a rebuild gives the same events.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from ledger.corpus.entries import ClaimEntry, EntityEntry, SourceEntry, Validation
from ledger.corpus.known import KnownEntity, same_event
from ledger.corpus.names import normalize_name
from ledger.corpus.quotes import best, spans
from ledger.corpus.schema import Kind, payload_fields
from ledger.dates import HistoricalDate, parse_edtf
from ledger.domain.events import (
    Citation,
    Confidence,
    EntityNamed,
    EntityRegistered,
    Event,
    Identified,
    SourceRegistered,
)

NAMESPACE = uuid.UUID("061e0154-1917-4781-8f43-9d6dca6a7384")
"""Fixed namespace of corpus event ids: never change it, or re-imports would duplicate."""


def corpus_uuid(kind: str, slug: str) -> uuid.UUID:
    """The event id of a corpus entry: ``kind`` is ``source``, ``entity`` or ``claim``."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{slug}")


class Builder(Validation):
    """Turns checked entries into events."""

    def build(self) -> list[Event]:
        """Turn the checked entries into events, in manifest order (catalogue first per file)."""
        events: list[Event] = []
        self.origins: dict[uuid.UUID, str] = {}
        """Where each event comes from (``file:line``), for errors found at import."""
        for file in self.files:
            for kind in ("source", "entity", "claim"):
                for entry_kind, slug in self.order:
                    if entry_kind != kind:
                        continue
                    made: list[Event] = []
                    where = ""
                    if kind == "source" and self.sources[slug].file is file:
                        made = self.source_events(self.sources[slug])
                        where = f"{self.sources[slug].where}:{self.sources[slug].entry.line}"
                    elif kind == "entity" and self.entities[slug].file is file:
                        made = self.entity_events(self.entities[slug])
                        where = f"{file.name}:{self.entities[slug].entry.line}"
                    elif kind == "claim" and self.claims[slug].file is file:
                        made = [self.claim_event(self.claims[slug])]
                        where = f"{file.name}:{self.claims[slug].entry.line}"
                    for event in made:
                        self.origins[event.id] = where
                    events.extend(made)
        return events

    def source_events(self, source: SourceEntry) -> list[Event]:
        """A source's registration, and its identifiers if it has any."""
        registered = self.source_event(source)
        if not source.identifiers:
            return [registered]
        return [registered, self.identified(registered, source.identifiers, f"source:{source.id}")]

    def identified(self, about: Event, pairs: tuple[tuple[str, str], ...], slug: str) -> Identified:
        """Identifiers of what ``about`` registers, with the same citation and times."""
        return Identified(
            id=corpus_uuid("ids", f"{slug}:{about.citation.source}:{_key(pairs)}"),
            stream=about.stream,
            valid_time=about.valid_time,
            citation=about.citation,
            confidence=about.confidence,
            summary=f"Identifiers of {slug}: "
            + ", ".join(f"{scheme} {value}" for scheme, value in pairs),
            recorded_at=about.recorded_at,
            identifiers=pairs,
        )

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
        location = self.sources.get(quote_in or source_id)
        text = location.text if location is not None else ""
        found = spans(quote, text) if quote and text else []
        start: int | None = None
        end: int | None = None
        if found:
            start, end = best(found, text)
            quote = text[start:end]  # the text's own characters (its line breaks, if loose)
        return Citation(
            source=source_id,
            quote=quote,
            start=start,
            end=end,
            quote_in="" if quote_in in ("", source_id) else quote_in,
            also_cited=tuple(also),
        )

    def entity_events(self, entity: EntityEntry) -> list[Event]:
        """An entity's registration (or, for one the ledger holds, only what is new about it),
        its names in other languages and its identifiers."""
        registered = self.entity_event(entity)
        events: list[Event] = []
        names = tuple((tag, name) for tag, name in entity.names.items())
        aliases = entity.aliases
        identifiers = entity.identifiers
        existing = entity.existing
        registration = existing.registration if existing is not None else None
        if registration is not None and same_event(registration, registered):
            existing = None  # this very registration, imported again: all present
        if existing is None:
            events.append(registered)
            if not entity.tagged:
                names, aliases = (), ()
        else:
            # What the registration already says is left out; names and identifiers that
            # other corpora added are repeated, so that this corpus's own events (whose ids
            # follow from their content and source) are found present when it is imported
            # again.
            held = {normalize_name(n) for n in _registered_names(existing)}
            names = tuple(p for p in names if normalize_name(p[1]) not in held)
            aliases = tuple(p for p in aliases if normalize_name(p[1]) not in held)
        if names or aliases:
            events.append(
                EntityNamed(
                    id=corpus_uuid(
                        "names",
                        f"{entity.id}:{registered.citation.source}:{_key((*names, *aliases))}",
                    ),
                    stream=entity.id,
                    valid_time=registered.valid_time,
                    citation=registered.citation,
                    confidence=registered.confidence,
                    summary=f"Names of {entity.display_name}: "
                    + ", ".join(f"{name} ({tag or '?'})" for tag, name in (*names, *aliases)),
                    recorded_at=registered.recorded_at,
                    names=names,
                    aliases=aliases,
                )
            )
        if identifiers:
            events.append(self.identified(registered, identifiers, entity.id))
        return events

    def entity_event(self, entity: EntityEntry) -> EntityRegistered:
        file, fields = entity.file, entity.fields
        source_id = fields.get("source") or file.source or ""
        quote = fields.get("quote", "")
        citation = self.citation(source_id, quote, fields.get("quote_in", ""), ())
        if "date" in fields:
            date = parse_edtf(fields["date"])
        elif source_id in self.sources:
            # When the name is attested: the date of the source that gives it.
            date = self.source_date(self.sources[source_id])
        else:
            date = parse_edtf(f"[..{file.recorded_at.date().isoformat()}]")
        return EntityRegistered(
            id=corpus_uuid("entity", entity.id),
            stream=entity.id,
            valid_time=date,
            citation=citation,
            confidence=Confidence(fields.get("confidence") or file.confidence or "medium"),
            summary=fields.get("summary") or f"Entity registered: {entity.display_name}",
            recorded_at=file.recorded_at,
            kind=fields["kind"],
            name_en=entity.names.get("en") or entity.display_name,
            name_ar=entity.names.get("ar", ""),
            aliases=tuple(alias for tag, alias in entity.aliases if not tag),
            part_of=fields.get("part_of", ()),
        )

    def claim_event(self, claim: ClaimEntry) -> Event:
        file, values = claim.file, claim.fields
        source_id = values.get("source") or file.source or ""
        quote_in = values.get("quote_in") or file.quote_in or ""
        citation = self.citation(
            source_id, values.get("quote", ""), quote_in, values.get("also_cited", ())
        )
        payload: dict[str, Any] = {}
        for spec in payload_fields(claim.cls):
            if spec.name not in values:
                continue
            value = values[spec.name]
            if spec.kind is Kind.EVENT:
                value = claim.target.id if claim.target is not None else corpus_uuid("claim", value)
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
            confidence=Confidence(values.get("confidence") or file.confidence or "medium"),
            phrase=values.get("phrase", ""),
            summary=values.get("summary") or _summary_of(values.get("quote", "")),
            recorded_at=file.recorded_at,
            **payload,
        )


def _registered_names(entity: KnownEntity) -> tuple[str, ...]:
    registration = entity.registration
    if registration is None:
        return entity.names
    return (registration.name_en, registration.name_ar, *registration.aliases)


def _key(pairs: Sequence[tuple[str, str]]) -> str:
    """A stable text for a set of pairs, part of the id of the event that records them."""
    return "|".join(f"{tag}={text}" for tag, text in pairs)


def _summary_of(quote: str) -> str:
    """A claim's summary when the corpus gives none: its quote, on one line and short."""
    line = " ".join(quote.split())
    return line if len(line) <= 100 else line[:99] + "…"

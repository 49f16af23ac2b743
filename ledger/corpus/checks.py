"""Checking a corpus once it is read: references, recorded times, quotes, dates and phrases.

Every claim must name known entities and sources recorded no later than itself; every quote
must occur in the text that holds it (once, for a claim); every phrase must be part of its
quote and resolve, against its file's reference day, to the claim's date unless the curator
says why the date is read otherwise (``date_reason``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ledger.corpus.draft import ClaimEntry, CorpusFile, Draft, EntityEntry, SourceEntry
from ledger.corpus.quotes import first_word, locate, near_miss
from ledger.corpus.schema import Kind, check_value, payload_fields
from ledger.dates import HistoricalDate
from ledger.dates.phrases import resolve_phrase
from ledger.domain.claims import RANKS
from ledger.domain.events import Event
from ledger.errors import InvalidDateError, UnknownPhraseError


class Checker(Draft):
    """Cross-checks the entries a ``Reader`` collected."""

    def check_references(self) -> None:
        """Check what refers to what: sources, entities, dates, phrases and quotes."""
        for source in self.sources.values():
            self.check_source(source)
        for entity in self.entities.values():
            self.check_entity(entity)
        for claim in self.claims.values():
            self.check_claim(claim)

    def known_source(
        self, source_id: str, file: CorpusFile, line: int | None, field: str, when: datetime
    ) -> SourceEntry | None:
        """The source ``source_id`` if it exists and was recorded by ``when``."""
        found = self.sources.get(source_id)
        if found is None:
            self.errors.add(file.name, line, field, f"unknown source {source_id!r}")
            return None
        if found.file.recorded_at > when:
            self.errors.add(
                file.name,
                line,
                field,
                f"source {source_id!r} is recorded later ({found.file.recorded_at.isoformat()}, "
                f"{found.file.name}) than what cites it",
            )
        return found

    def known_entity(
        self, entity_id: str, file: CorpusFile, line: int | None, field: str, when: datetime
    ) -> bool:
        """Whether ``entity_id`` is an entity recorded by ``when`` (else an error)."""
        found = self.entities.get(entity_id)
        if found is None:
            suggestions = self.index.suggest(entity_id)
            resolved = self.index.find(entity_id)
            hint = ""
            if resolved is not None:
                hint = f"; it is a name of {resolved!r}: use the id"
            elif suggestions:
                hint = f"; did you mean {', '.join(map(repr, suggestions))}?"
            self.errors.add(file.name, line, field, f"unknown entity {entity_id!r}{hint}")
            return False
        if found.file.recorded_at > when:
            self.errors.add(
                file.name,
                line,
                field,
                f"entity {entity_id!r} is recorded later ({found.file.recorded_at.isoformat()}, "
                f"{found.file.name}) than this",
            )
        return True

    def check_quote(
        self,
        quote: str,
        location: SourceEntry | None,
        file: str,
        line: int | None,
        unique: bool,
        field: str = "quote",
    ) -> tuple[int, int] | None:
        """The span of ``quote`` in the text of ``location``, or None after an error."""
        if location is None:
            return None
        if not location.text:
            self.errors.add(
                file,
                line,
                field,
                f"source {location.id!r} has no text to find the quote in; name the source "
                "that holds it with quote_in",
            )
            return None
        if not quote:
            self.errors.add(file, line, field, "the quote is empty")
            return None
        starts = locate(quote, location.text)
        if not starts:
            self.errors.add(
                file,
                line,
                field,
                f"quote not found in the text of {location.id!r}: "
                f"{near_miss(quote, location.text)}",
            )
            return None
        if unique and len(starts) > 1:
            self.errors.add(
                file,
                line,
                field,
                f"quote occurs {len(starts)} times in {location.id!r}; quote more of the "
                "passage so that it points to one place",
            )
            return None
        start = first_word(quote, location.text, starts)
        return start, start + len(quote)

    def check_source(self, source: SourceEntry) -> None:
        file, fields, entry, where = source.file, source.fields, source.entry, source.where
        if "date" in fields:
            self.parse_date(fields["date"], where, entry, "date")
        if source.translation_of and source.translation_of not in self.sources:
            self.errors.add(
                where,
                entry.line_of("translation_of"),
                "translation_of",
                f"unknown source {source.translation_of!r}",
            )
        line = entry.line_of(source.cite_field)
        if source.cite_source and source.cite_source != source.id:
            holder = self.known_source(source.cite_source, file, line, "quote_in", file.recorded_at)
            self.check_quote(
                source.cite_quote, holder, where, line, unique=False, field=source.cite_field
            )
        elif source.cite_source == source.id and source.cite_quote:
            self.check_quote(
                source.cite_quote, source, where, line, unique=False, field=source.cite_field
            )

    def check_entity(self, entity: EntityEntry) -> None:
        file, fields, entry = entity.file, entity.fields, entity.entry
        for parent in fields.get("part_of", ()):
            self.known_entity(parent, file, entry.line_of("part_of"), "part_of", file.recorded_at)
        if entity.id in fields.get("part_of", ()):
            self.errors.add(file.name, entry.line_of("part_of"), "part_of", "part of itself")
        source_id = fields.get("source") or file.source
        if not source_id:
            self.errors.add(file.name, entry.line, "source", "no source (nor a file default)")
            return
        when = file.recorded_at
        location = self.known_source(source_id, file, entry.line_of("source"), "source", when)
        if fields.get("quote_in", source_id) != source_id:
            location = self.known_source(
                fields["quote_in"], file, entry.line_of("quote_in"), "quote_in", when
            )
        if "quote" in fields:
            self.check_quote(
                fields["quote"], location, file.name, entry.line_of("quote"), unique=False
            )
        if "date" in fields:
            self.parse_date(fields["date"], file.name, entry, "date")
        if "confidence" not in fields and not file.confidence:
            self.errors.add(file.name, entry.line, "confidence", "no confidence (nor a default)")

    def check_claim(self, claim: ClaimEntry) -> None:
        file, values, entry = claim.file, claim.fields, claim.entry
        when = file.recorded_at
        for name, spec in _entity_fields(claim.cls):
            if name not in values:
                continue
            ids = values[name] if spec is Kind.ENTITIES else (values[name],)
            for entity_id in ids:
                if entity_id == "" and spec is Kind.ENTITY and name != "stream":
                    continue
                self.known_entity(entity_id, file, entry.line_of(name), name, when)
        if "target" in values:
            self.check_target(claim)
        source_id = values.get("source") or file.source
        source = None
        if not source_id:
            self.errors.add(file.name, entry.line, "source", "no source (nor a file default)")
        else:
            source = self.known_source(source_id, file, entry.line_of("source"), "source", when)
        for other in values.get("also_cited", ()):
            self.known_source(other, file, entry.line_of("also_cited"), "also_cited", when)
        location_id = values.get("quote_in") or file.quote_in or source_id
        if location_id and "quote" in values:
            if location_id == source_id:
                location = source
            else:
                location = self.known_source(
                    location_id, file, entry.line_of("quote_in"), "quote_in", when
                )
            self.check_quote(
                values["quote"], location, file.name, entry.line_of("quote"), unique=True
            )
        if "confidence" not in values and not file.confidence:
            self.errors.add(file.name, entry.line, "confidence", "no confidence (nor a default)")
        claim.date = self.claim_date(claim)

    def check_target(self, claim: ClaimEntry) -> None:
        """A correction or retraction must answer a claim recorded before it."""
        file, values, entry = claim.file, claim.fields, claim.entry
        target = self.claims.get(values["target"])
        if target is None or self.order.index(("claim", target.id)) >= self.order.index(
            ("claim", claim.id)
        ):
            self.errors.add(
                file.name,
                entry.line_of("target"),
                "target",
                f"no earlier claim {values['target']!r} to answer",
            )
            return
        allowed = {f.name: f for f in payload_fields(target.cls)}
        changes = values.get("changes", {})
        line = entry.line_of("changes")
        for changed, value in list(changes.items()):
            if changed == "rank":
                # Not a payload field: how far the claim counts (a deprecated one is shown
                # but no longer decides), as Wikidata ranks statements.
                if value not in RANKS:
                    self.errors.add(
                        file.name, line, "changes", f"rank: expected one of {', '.join(RANKS)}"
                    )
                continue
            spec = allowed.get(changed)
            if spec is None:
                self.errors.add(
                    file.name,
                    line,
                    "changes",
                    f"{changed!r} is not a field of {target.cls.type_name} "
                    f"(fields: {', '.join(sorted(allowed))}; or rank)",
                )
                continue
            # A recorded correction cannot be taken back: a value of the wrong shape would
            # break every later fold of its program, so it is checked like the field itself.
            checked, problem = check_value(spec.kind, value)
            if problem is not None:
                self.errors.add(file.name, line, "changes", f"{changed}: {problem}")
                continue
            changes[changed] = checked
            if spec.kind is Kind.ENTITIES or (spec.kind is Kind.ENTITY and checked):
                for entity_id in checked if spec.kind is Kind.ENTITIES else (checked,):
                    self.known_entity(entity_id, file, line, "changes", file.recorded_at)

    def claim_date(self, claim: ClaimEntry) -> HistoricalDate | None:
        """The claim's valid time: its date, checked against its phrase, or its phrase's."""
        file, values, entry = claim.file, claim.fields, claim.entry
        given = None
        if "date" in values:
            given = self.parse_date(values["date"], file.name, entry, "date")
            if given is None:
                return None
        phrase = values.get("phrase")
        if phrase is None:
            if given is None:
                self.errors.add(file.name, entry.line, "date", "give a date, a phrase, or both")
            return given
        if "quote" in values and phrase not in values["quote"]:
            self.errors.add(
                file.name,
                entry.line_of("phrase"),
                "phrase",
                f"the phrase {phrase!r} is not part of the quote (give the date as written)",
            )
        if file.reference is None:
            self.errors.add(
                file.name,
                entry.line_of("phrase"),
                "phrase",
                "the file gives no reference date to resolve phrases against",
            )
            return given
        reason = values.get("date_reason")
        try:
            resolved = resolve_phrase(phrase, file.reference).date
        except UnknownPhraseError:
            if given is not None and reason:
                return given
            self.errors.add(
                file.name,
                entry.line_of("phrase"),
                "phrase",
                f"no rule reads the phrase {phrase!r}; give the date and a date_reason saying "
                "how it was read",
            )
            return given
        except InvalidDateError as error:
            self.errors.add(file.name, entry.line_of("phrase"), "phrase", error.reason)
            return given
        if given is None:
            return resolved
        if given != resolved and not reason:
            self.errors.add(
                file.name,
                entry.line_of("date"),
                "date",
                f"the phrase {phrase!r} resolves to {resolved.edtf} against "
                f"{file.reference.edtf if file.reference else '?'}, not {given.edtf}; fix the "
                "date, or give a date_reason for reading it otherwise",
            )
        return given

    # --- building --------------------------------------------------------------------------


def _entity_fields(cls: type[Event]) -> Iterable[tuple[str, Kind]]:
    """The fields of a claim of type ``cls`` that name entities, with their kind."""
    yield "stream", Kind.ENTITY
    yield "subjects", Kind.ENTITIES
    yield "participants", Kind.ENTITIES
    for spec in payload_fields(cls):
        if spec.kind in (Kind.ENTITY, Kind.ENTITIES):
            yield spec.name, spec.kind

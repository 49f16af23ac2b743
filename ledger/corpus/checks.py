"""Checking a corpus once it is read: references, recorded times, quotes, dates and phrases.

Every claim must name known entities and sources recorded no later than itself; every quote
must occur in the text that holds it (once, for a claim); every phrase must be part of its
quote and resolve, against its file's reference day, to the claim's date unless the curator
says why the date is read otherwise (``date_reason``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import datetime

from ledger.corpus.entries import ClaimEntry, CorpusFile, EntityEntry, SourceEntry, Validation
from ledger.corpus.quotes import best, near_miss, spans
from ledger.corpus.schema import Kind, check_value, payload_fields
from ledger.dates import HistoricalDate, parse_edtf
from ledger.dates.model import Kind as DateKind
from ledger.dates.model import Precision
from ledger.dates.phrases import resolve_phrase
from ledger.domain.claims import RANKS
from ledger.domain.events import Event, Retracted
from ledger.errors import FixtureError, InvalidDateError, UnknownPhraseError


class Checker(Validation):
    """Cross-checks the entries a ``Reader`` collected."""

    def check_references(self) -> None:
        """Check what refers to what: sources, entities, dates, phrases and quotes."""
        for source in self.sources.values():
            self.check_source(source)
        for entity in self.entities.values():
            self.check_entity(entity)
        for claim in self.claims.values():
            self.check_claim(claim)
        self.summarise_unknown()

    def unknown(self, kind: str, name: str, file: str, line: int | None, field: str) -> bool:
        """Whether ``name`` is reported for the first time (else only where it is noted)."""
        key = (kind, name)
        if key in self.reported:
            self.reported[key].append(f"{file}:{line}" if line else file)
            return False
        self.reported[key] = []
        return True

    def summarise_unknown(self) -> None:
        """Say once, on the first report of an unknown name, where else it is used."""
        for index, error in enumerate(self.errors.found):
            for (kind, name), others in self.reported.items():
                if others and error.message.startswith(f"unknown {kind} {name!r}"):
                    shown = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
                    message = f"{error.message} (also named at {shown})"
                    self.errors.found[index] = FixtureError(
                        error.file, error.line, error.field, message
                    )
                    others.clear()

    def known_source(
        self, source_id: str, file: CorpusFile, line: int | None, field: str, when: datetime
    ) -> SourceEntry | None:
        """The source ``source_id`` if it exists and was recorded by ``when``."""
        found = self.sources.get(source_id) or self.ledger_source(source_id)
        if found is None:
            if self.unknown("source", source_id, file.name, line, field):
                close = difflib.get_close_matches(
                    source_id, [*self.sources, *self.known.sources], n=3
                )
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                self.errors.add(file.name, line, field, f"unknown source {source_id!r}{hint}")
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
        if found is None and entity_id in self.known.entities:
            return True  # the ledger holds it, recorded before anything this corpus adds
        if found is None:
            if not self.unknown("entity", entity_id, file.name, line, field):
                return False
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

    def by_name(self, given: str, file: CorpusFile, line: int | None, field: str) -> str:
        """The entity id ``given`` stands for: itself if it is an id, else the one entity a
        name or alias of it names ("NASA", «ناسا»), with a warning to write the id."""
        if given in self.entities or given in self.known.entities or not given:
            return given
        found = self.index.find(given)
        if found is None or found == given:
            return given
        self.warnings.add(file.name, line, field, f"{given!r} read as the entity {found!r}")
        return found

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
        found = spans(quote, location.text)
        if not found:
            self.errors.add(
                file,
                line,
                field,
                f"quote not found in the text of {location.id!r}: "
                f"{near_miss(quote, location.text)}",
            )
            return None
        if unique and len(found) > 1:
            self.errors.add(
                file,
                line,
                field,
                f"quote occurs {len(found)} times in {location.id!r}; quote more of the "
                "passage so that it points to one place",
            )
            return None
        return best(found, location.text)

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
            if "quote" in fields:
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

    def check_claim(self, claim: ClaimEntry) -> None:
        file, values, entry = claim.file, claim.fields, claim.entry
        when = file.recorded_at
        for name, spec in _entity_fields(claim.cls):
            if name not in values:
                continue
            ids = values[name] if spec is Kind.ENTITIES else (values[name],)
            ids = tuple(self.by_name(i, file, entry.line_of(name), name) for i in ids)
            values[name] = ids if spec is Kind.ENTITIES else ids[0]
            for entity_id in ids:
                if entity_id == "" and spec is Kind.ENTITY and name != "stream":
                    continue
                self.known_entity(entity_id, file, entry.line_of(name), name, when)
        if "target" in values:
            self.check_target(claim)
        source_id = values.get("source") or file.source
        source = None
        if not source_id and "quote" not in values and claim.cls is Retracted:
            pass  # the curator's own retraction needs no source
        elif not source_id:
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
        claim.date = self.claim_date(claim)

    def check_target(self, claim: ClaimEntry) -> None:
        """A correction or retraction must answer a claim recorded before it."""
        file, values, entry = claim.file, claim.fields, claim.entry
        target = self.claims.get(values["target"])
        target_cls: type[Event] | None = None
        if target is not None and self.order.index(("claim", target.id)) < self.order.index(
            ("claim", claim.id)
        ):
            target_cls = target.cls
        elif target is None:
            claim.target = self.known.find_claim(values["target"])
            if claim.target is not None:
                target_cls = type(claim.target)
        if target_cls is None:
            self.errors.add(
                file.name,
                entry.line_of("target"),
                "target",
                f"no earlier claim {values['target']!r} to answer",
            )
            return
        allowed = {f.name: f for f in payload_fields(target_cls)}
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
                    f"{changed!r} is not a field of {target_cls.type_name} "
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
        reference = self.reference_of(claim)
        reason = values.get("date_reason")
        try:
            resolved = resolve_phrase(phrase, reference).date
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
            reason_text = error.reason
            if reference is None:
                reason_text += (
                    " (the claim, its file and its source give no day: add reference: "
                    "YYYY-MM-DD to the file or the claim)"
                )
            self.errors.add(file.name, entry.line_of("phrase"), "phrase", reason_text)
            return given
        if given is None:
            return resolved
        if given != resolved and not reason:
            self.errors.add(
                file.name,
                entry.line_of("date"),
                "date",
                f"the phrase {phrase!r} resolves to {resolved.edtf} against "
                f"{reference.edtf if reference else 'no reference'}, not {given.edtf}; fix the "
                "date, or give a date_reason for reading it otherwise",
            )
        return given

    def reference_of(self, claim: ClaimEntry) -> HistoricalDate | None:
        """The day a claim's phrase is read against: the claim's ``reference``, its file's,
        else its source's date when that is a single day (a phrase is relative to when its
        source was written). None when there is none: absolute phrases still resolve."""
        values, file = claim.fields, claim.file
        if "reference" in values:
            return self.parse_date(values["reference"], file.name, claim.entry, "reference")
        if file.reference is not None:
            return file.reference
        source = self.sources.get(values.get("source") or file.source or "")
        if source is not None and "date" in source.fields:
            try:
                date = parse_edtf(source.fields["date"])
            except InvalidDateError:
                return None
            if date.precision is Precision.DAY and date.kind is DateKind.DATE:
                return date
        return None

    # --- building --------------------------------------------------------------------------


def _entity_fields(cls: type[Event]) -> Iterable[tuple[str, Kind]]:
    """The fields of a claim of type ``cls`` that name entities, with their kind."""
    yield "stream", Kind.ENTITY
    yield "subjects", Kind.ENTITIES
    yield "participants", Kind.ENTITIES
    for spec in payload_fields(cls):
        if spec.kind in (Kind.ENTITY, Kind.ENTITIES):
            yield spec.name, spec.kind

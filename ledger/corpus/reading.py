"""Reading a corpus: the manifest, each file's sections, seeds and their metadata.

Reading checks each entry's own fields (unknown, missing, wrongly shaped) and collects the
entries; what refers to what is checked afterwards, when everything has been read.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ledger.corpus.entries import (
    ClaimEntry,
    CorpusFile,
    EntityEntry,
    SourceEntry,
    Validation,
    utc_time,
)
from ledger.corpus.known import KnownEntity
from ledger.corpus.schema import (
    CLAIM_FIELDS,
    CLAIM_TYPES,
    ENTITY_FIELDS,
    ENTITY_KINDS,
    FILE_FIELDS,
    LANGUAGE_TAG,
    MANIFEST_FIELDS,
    ORIGINAL_FIELDS,
    SCHEME,
    SEED_FIELDS,
    SEEDED_SOURCE_FIELDS,
    SLUG,
    SOURCE_FIELDS,
    TRANSLATION_ERROR_FIELDS,
    Field,
    payload_fields,
    read_fields,
)
from ledger.corpus.yamlnodes import YamlList, YamlMap, load_yaml
from ledger.errors import FixtureError


class Reader(Validation):
    """Reads the manifest and every file it lists into entries."""

    def read(self) -> None:
        """Read the manifest and every file it lists, in order."""
        name = self.display(self.manifest)
        try:
            data = load_yaml(self.manifest, name)
        except FixtureError as error:
            self.errors.found.append(error)
            return
        fields = read_fields(data, MANIFEST_FIELDS, name, 1, self.errors, "the manifest")
        if not fields or "seeds" not in fields or "files" not in fields:
            return
        self.seeds = (self.manifest.parent / fields["seeds"]).resolve()
        if not self.seeds.is_dir():
            self.errors.add(name, data.line_of("seeds"), "seeds", f"no folder {fields['seeds']}")
            return
        listed = data["files"]
        previous: CorpusFile | None = None
        for number, relative in enumerate(fields["files"]):
            line = listed.line_of(number) if isinstance(listed, YamlList) else data.line
            file = self.read_file(self.manifest.parent / relative, name, line)
            if file is None:
                continue
            if previous is not None and file.recorded_at < previous.recorded_at:
                self.errors.add(
                    file.name,
                    None,
                    "recorded_at",
                    f"recorded before {previous.name} ({previous.recorded_at.isoformat()}), "
                    "which the manifest lists first: recorded time must not go backwards",
                )
            previous = file

    def read_file(self, path: Path, manifest_name: str, line: int | None) -> CorpusFile | None:
        """Read one corpus file's sections; None if it cannot be read at all."""
        name = self.display(path)
        if not path.is_file():
            self.errors.add(manifest_name, line, "files", f"no such file: {name}")
            return None
        try:
            data = load_yaml(path, name)
        except FixtureError as error:
            self.errors.found.append(error)
            return None
        fields = read_fields(data, FILE_FIELDS, name, 1, self.errors, "a corpus file")
        if fields is None or "recorded_at" not in fields:
            return None
        assert isinstance(data, YamlMap)
        recorded_at = utc_time(fields["recorded_at"])
        if recorded_at is None:
            self.errors.add(
                name,
                data.line_of("recorded_at"),
                "recorded_at",
                f"expected a time with its zone, such as 2021-03-10T00:00:00Z, "
                f"not {fields['recorded_at']!r}",
            )
            return None
        file = CorpusFile(
            name=name,
            recorded_at=recorded_at,
            source=fields.get("source"),
            quote_in=fields.get("quote_in"),
            confidence=fields.get("confidence"),
        )
        if "reference" in fields:
            file.reference = self.parse_date(fields["reference"], name, data, "reference")
        self.files.append(file)
        for section, reader in (
            ("sources", self.read_source),
            ("entities", self.read_entity),
            ("events", self.read_claim),
        ):
            entries = data.get(section)
            if entries is None:
                continue
            if not isinstance(entries, YamlList):
                self.errors.add(name, data.line_of(section), section, "expected a list")
                continue
            for number, entry in enumerate(entries):
                reader(file, entry, entries.line_of(number))
        return file

    def read_source(self, file: CorpusFile, entry: Any, line: int | None) -> None:
        """A source: either ``seed: <metadata file>`` or a source known by its URL."""
        if isinstance(entry, YamlMap) and "seed" in entry:
            fields = read_fields(
                entry, SEEDED_SOURCE_FIELDS, file.name, line, self.errors, "a seeded source"
            )
            if fields and "seed" in fields:
                self.read_seed(file, fields["seed"], entry.line_of("seed"))
            return
        fields = read_fields(entry, SOURCE_FIELDS, file.name, line, self.errors, "a source")
        if fields is None or "id" not in fields:
            return
        assert isinstance(entry, YamlMap)
        if not self.claim_id("source", fields["id"], file.name, entry.line_of("id")):
            return
        url = fields.get("url", "")
        quote_in = fields.get("quote_in") or file.quote_in or ""
        source = SourceEntry(
            id=fields["id"],
            file=file,
            where=file.name,
            entry=entry,
            fields=fields,
            cite_source=quote_in if url else "",
            cite_quote=url if quote_in else "",
            translation_of=fields.get("translation_of", ""),
            notes=fields.get("notes", ""),
            identifiers=self.source_identifiers(fields, file, entry),
        )
        if not url and not fields.get("title"):
            self.errors.add(
                file.name, entry.line, "url", "a source without a seed needs a url or a title"
            )
        self.check_known_source(source)
        self.add_source(source)

    def source_identifiers(
        self, fields: Mapping[str, Any], file: CorpusFile, entry: YamlMap
    ) -> tuple[tuple[str, str], ...]:
        """A source's ``doi`` and ``ids`` as (scheme, value) pairs."""
        pairs = self.read_pairs(fields.get("ids"), "ids", SCHEME, file, entry)
        if fields.get("doi"):
            pairs = (("doi", fields["doi"].strip()), *pairs)
        return pairs

    def check_known_source(self, source: SourceEntry) -> None:
        """A source registered again must be the ledger's own: same title, URL and text."""
        known = self.known.sources.get(source.id)
        if known is None:
            return
        fields = source.fields
        title = fields.get("title") or fields.get("url", source.id)
        for what, mine, theirs in (
            ("title", title, known.title),
            ("url", fields.get("url", ""), known.url),
            ("text", source.text, known.text),
        ):
            if mine != theirs:
                self.errors.add(
                    source.where,
                    source.entry.line_of("id"),
                    "id",
                    f"source id {source.id!r} is already in {known.origin} with another "
                    f"{what}: give this source another id",
                )
                return

    def read_seed(self, file: CorpusFile, relative: str, line: int | None) -> None:
        """A seed: metadata YAML in the seeds folder, naming its text file beside it."""
        path = self.seeds / relative
        name = self.display(path)
        if not path.is_file():
            self.errors.add(file.name, line, "seed", f"no such seed metadata file: {name}")
            return
        try:
            data = load_yaml(path, name)
        except FixtureError as error:
            self.errors.found.append(error)
            return
        fields = read_fields(data, SEED_FIELDS, name, 1, self.errors, "seed metadata")
        if fields is None or "id" not in fields or "text" not in fields:
            return
        assert isinstance(data, YamlMap)
        text_path = path.parent / fields["text"]
        try:
            raw = text_path.read_bytes()
            text = raw.decode("utf-8")
        except OSError as error:
            self.errors.add(name, data.line_of("text"), "text", f"cannot read the text: {error}")
            return
        except UnicodeDecodeError as error:
            self.errors.add(name, data.line_of("text"), "text", f"text is not UTF-8: {error}")
            return
        except ValueError:
            # No file system takes the name: a NUL, or a lone surrogate (UnicodeEncodeError).
            self.errors.add(
                name,
                data.line_of("text"),
                "text",
                f"{fields['text']!r} is not a file name (it holds a NUL or a lone surrogate)",
            )
            return
        digest = hashlib.sha256(raw).hexdigest()
        if "sha256" in fields and fields["sha256"] != digest:
            self.errors.add(
                name,
                data.line_of("sha256"),
                "sha256",
                f"the text file has SHA-256 {digest}: it is not the seed this metadata describes",
            )
        for companion in fields.get("companion_files", ()):
            if not (path.parent / companion).is_file():
                self.errors.add(
                    name, data.line_of("companion_files"), "companion_files", f"no {companion}"
                )
        notes = [fields.get("notes", "").strip()]
        if fields.get("kind"):
            notes.insert(0, f"Kind: {fields['kind']}.")
        if fields.get("title_en"):
            notes.insert(0, f"English title: {fields['title_en']}.")
        if fields.get("date_note"):
            notes.append(f"Date: {fields['date_note'].strip()}")
        notes.extend(self.read_translation_errors(data, fields, text, name))
        original = ""
        if "translation_of" in fields:
            original = self.read_original(file, data, fields["translation_of"], name, fields, text)
        if not self.claim_id("source", fields["id"], name, data.line_of("id")):
            return
        # The title is cited where the text holds it; a title of the catalogue's own making
        # (or one the text words differently) is metadata, not a quote.
        title = fields.get("title", "")
        seed = SourceEntry(
            id=fields["id"],
            file=file,
            where=name,
            entry=data,
            fields=fields,
            text=text,
            cite_source=fields["id"],
            cite_quote=title if title and title in text else "",
            cite_field="title",
            notes="\n".join(n for n in notes if n),
            translation_of=original,
            identifiers=self.source_identifiers(fields, file, data),
        )
        self.check_known_source(seed)
        self.add_source(seed)

    def read_translation_errors(
        self, data: YamlMap, fields: Mapping[str, Any], text: str, name: str
    ) -> list[str]:
        """Each translation error as a line of notes; its words must be in the text."""
        entries = fields.get("translation_errors")
        if entries is None:
            return []
        if not isinstance(entries, YamlList):
            self.errors.add(name, data.line_of("translation_errors"), "translation_errors", "list")
            return []
        lines = ["Translation errors:"]
        for number, entry in enumerate(entries):
            line = entries.line_of(number)
            item = read_fields(
                entry, TRANSLATION_ERROR_FIELDS, name, line, self.errors, "a translation error"
            )
            if not item or "text" not in item or "original" not in item:
                continue
            if item["text"] not in text:
                self.errors.add(
                    name, line, "text", f"{item['text']!r} does not occur in the seed text"
                )
            parts = [f"«{item['text']}» translates {item['original']!r}"]
            if item.get("meaning"):
                parts.append(f"but means {item['meaning']!r}")
            if item.get("better"):
                parts.append(f"(better: «{item['better']}»)")
            note = f" {item['note'].strip()}" if item.get("note") else ""
            lines.append("- " + " ".join(parts) + "." + note)
        return lines if len(lines) > 1 else []

    def read_original(
        self,
        file: CorpusFile,
        data: YamlMap,
        entry: Any,
        name: str,
        seed: Mapping[str, Any],
        text: str,
    ) -> str:
        """The source a seed translates, registered before the seed; returns its id."""
        fields = read_fields(
            entry, ORIGINAL_FIELDS, name, data.line_of("translation_of"), self.errors, "an original"
        )
        if not fields or "id" not in fields:
            return ""
        assert isinstance(entry, YamlMap)
        if not self.claim_id("source", fields["id"], name, entry.line_of("id")):
            return ""
        notes = [fields.get("notes", "").strip()]
        if fields.get("date_note"):
            notes.append(f"Date: {fields['date_note'].strip()}")
        # The original has no text here: it is cited by the title of the seed translating it.
        title = seed.get("title", "")
        self.add_source(
            SourceEntry(
                id=fields["id"],
                file=file,
                where=name,
                entry=entry,
                fields=fields,
                cite_source=seed["id"],
                cite_quote=title if title and title in text else "",
                cite_field="title",
                notes="\n".join(n for n in notes if n),
            )
        )
        return str(fields["id"])

    def read_entity(self, file: CorpusFile, entry: Any, line: int | None) -> None:
        fields = read_fields(entry, ENTITY_FIELDS, file.name, line, self.errors, "an entity")
        if fields is None or "id" not in fields:
            return
        assert isinstance(entry, YamlMap)
        slug = fields["id"]
        existing = self.known.entities.get(slug)
        if not self.claim_id("entity", slug, file.name, entry.line_of("id")):
            return
        if "kind" in fields:
            self.check_kind(fields["kind"], file.name, entry.line_of("kind"))
        names = self.read_names(fields, file.name, entry)
        aliases = self.read_pairs(fields.get("aliases"), "aliases", LANGUAGE_TAG, file, entry)
        identifiers = self.read_pairs(fields.get("ids"), "ids", SCHEME, file, entry)
        found = EntityEntry(
            slug, file, entry, fields, names, aliases, identifiers, existing=existing
        )
        if existing is not None:
            self.check_same_entity(found, existing)
        self.entities[slug] = found
        self.order.append(("entity", slug))
        written = [slug, *names.values(), *(alias for _, alias in aliases)]
        for clash in self.index.add(slug, written):
            field = next((f"names.{t}" for t, n in names.items() if n == clash.name), "aliases")
            if clash.other in self.known.entities and clash.other not in self.entities:
                self.warnings.add(
                    file.name,
                    entry.line_of(field.split(".")[0]),
                    field,
                    f"name {clash.name!r} also names the ledger's entity {clash.other!r}; "
                    f"it keeps finding {clash.other!r} (use that id if it is the same entity)",
                )
                continue
            other = self.entities.get(clash.other)
            where = f" ({other.file.name}:{other.entry.line_of('id')})" if other else ""
            self.errors.add(
                file.name,
                entry.line_of(field.split(".")[0]),
                field,
                f"name {clash.name!r} already names entity {clash.other!r}{where}",
            )

    def check_kind(self, kind: str, file: str, line: int | None) -> None:
        """Any lowercase word is a kind, except one that looks like a misspelt known kind."""
        if kind in ENTITY_KINDS:
            return
        if not SLUG.fullmatch(kind):
            self.errors.add(file, line, "kind", f"an entity kind is a lowercase word, not {kind!r}")
            return
        close = difflib.get_close_matches(kind, ENTITY_KINDS, n=1, cutoff=0.8)
        if close:
            self.errors.add(
                file,
                line,
                "kind",
                f"unknown entity kind {kind!r}: did you mean {close[0]!r}? (a new kind must "
                f"not look like a known one: {', '.join(ENTITY_KINDS)})",
            )

    def read_names(self, fields: Mapping[str, Any], file: str, entry: YamlMap) -> dict[str, str]:
        """The entity's names by language tag, from ``names``, ``name_en``/``name_ar``, ``name``."""
        names: dict[str, str] = {}
        given = fields.get("names")
        if given is not None:
            if not isinstance(given, dict):
                self.errors.add(
                    file, entry.line_of("names"), "names", "expected language: name pairs"
                )
            else:
                for tag, name in given.items():
                    if not LANGUAGE_TAG.fullmatch(str(tag)):
                        self.errors.add(
                            file,
                            entry.line_of("names"),
                            f"names.{tag}",
                            f"{tag!r} is not a language tag (en, ar, ru, zh-Hans...)",
                        )
                    elif not isinstance(name, str) or not name.strip() or "\n" in name:
                        self.errors.add(
                            file,
                            entry.line_of("names"),
                            f"names.{tag}",
                            f"expected a name on one line, got {name!r}",
                        )
                    else:
                        names[str(tag)] = name
        for key, tag in (("name_en", "en"), ("name_ar", "ar")):
            if key not in fields:
                continue
            if names.get(tag, fields[key]) != fields[key]:
                self.errors.add(
                    file,
                    entry.line_of(key),
                    key,
                    f"{key} {fields[key]!r} differs from names.{tag} {names[tag]!r}: give one",
                )
            names[tag] = fields[key]
        if "name" in fields and fields["name"] not in names.values():
            names.setdefault("", fields["name"])
        if not names and "id" in fields:
            self.errors.add(
                file,
                entry.line,
                "names",
                "an entity needs a name: names: {en: ..., ar: ...}, name_en, or name",
            )
        return names

    def read_pairs(
        self, given: Any, field: str, tag: re.Pattern[str], file: CorpusFile, entry: YamlMap
    ) -> tuple[tuple[str, str], ...]:
        """``aliases`` or ``ids``: a list (no tag) or a mapping of tag to one text or a list."""
        if given is None:
            return ()
        line = entry.line_of(field)
        if isinstance(given, str) or (
            isinstance(given, list) and all(isinstance(v, str) for v in given)
        ):
            if field == "ids":
                self.errors.add(file.name, line, field, "expected scheme: identifier pairs")
                return ()
            return tuple(("", v) for v in ([given] if isinstance(given, str) else given))
        if not isinstance(given, dict):
            what = "language: aliases" if field == "aliases" else "scheme: identifier"
            self.errors.add(file.name, line, field, f"expected a list, or {what} pairs")
            return ()
        pairs: list[tuple[str, str]] = []
        for key, value in given.items():
            if not tag.fullmatch(str(key)):
                self.errors.add(file.name, line, f"{field}.{key}", f"{key!r} is not a valid tag")
                continue
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, int) and not isinstance(item, bool):
                    item = str(item)
                if not isinstance(item, str) or not item.strip():
                    self.errors.add(
                        file.name, line, f"{field}.{key}", f"expected text, got {item!r}"
                    )
                    continue
                pairs.append((str(key), item.strip() if field == "ids" else item))
        return tuple(pairs)

    def check_same_entity(self, found: EntityEntry, existing: KnownEntity) -> None:
        """An entity registered again must be the ledger's: same kind, no rival identifiers."""
        entry, file = found.entry, found.file.name
        kind = found.fields.get("kind")
        if kind is not None and kind != existing.kind:
            self.errors.add(
                file,
                entry.line_of("kind"),
                "kind",
                f"entity {found.id!r} is a {kind} here but a {existing.kind} in "
                f"{existing.origin}: the same id must be the same entity (give this one "
                "another id)",
            )
        held = dict(existing.identifiers)
        for scheme, value in found.identifiers:
            if scheme in held and held[scheme] != value:
                self.errors.add(
                    file,
                    entry.line_of("ids"),
                    f"ids.{scheme}",
                    f"entity {found.id!r} is {scheme} {value} here but {held[scheme]} in "
                    f"{existing.origin}: these are different entities (give this one "
                    "another id)",
                )
        for scheme, value in found.identifiers:
            owner = self.known.entity_with(scheme, value)
            if owner is not None and owner.id != found.id:
                self.errors.add(
                    file,
                    entry.line_of("ids"),
                    f"ids.{scheme}",
                    f"{scheme} {value} is the ledger's entity {owner.id!r} ({owner.origin}): "
                    f"use that id",
                )

    def read_claim(self, file: CorpusFile, entry: Any, line: int | None) -> None:
        if not isinstance(entry, YamlMap):
            self.errors.add(file.name, line, None, "a claim must be a mapping of field: value")
            return
        type_name = entry.get("type")
        cls = CLAIM_TYPES.get(type_name) if isinstance(type_name, str) else None
        fields: tuple[Field, ...] = CLAIM_FIELDS
        if cls is None:
            if "type" in entry:
                known = ", ".join(sorted(CLAIM_TYPES))
                self.errors.add(
                    file.name,
                    entry.line_of("type"),
                    "type",
                    f"unknown event type {type_name!r} (known: {known})",
                )
            # Check the envelope anyway, tolerating payload fields we cannot know.
            allowed = {f.name for f in CLAIM_FIELDS}
            entry = _only(entry, allowed)
        else:
            fields = CLAIM_FIELDS + payload_fields(cls)
        values = read_fields(entry, fields, file.name, line, self.errors, f"a {type_name} claim")
        if values is None or cls is None or "id" not in values:
            return
        if not self.claim_id("claim", values["id"], file.name, entry.line_of("id")):
            return
        self.claims[values["id"]] = ClaimEntry(values["id"], file, entry, values, cls)
        self.order.append(("claim", values["id"]))

    # --- cross-checks ----------------------------------------------------------------------


def _only(entry: YamlMap, allowed: set[str]) -> YamlMap:
    """A copy of ``entry`` with only the ``allowed`` keys (lines kept)."""
    copy = YamlMap((k, v) for k, v in entry.items() if k in allowed)
    copy.line = entry.line
    copy.key_lines = {k: v for k, v in entry.key_lines.items() if k in allowed}
    return copy

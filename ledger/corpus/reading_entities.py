"""Reading a corpus's entities: names by language, aliases, identifiers, kinds, and the
checks that an entity registered again is the ledger's own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from ledger.corpus.entries import CorpusFile, EntityEntry, Validation
from ledger.corpus.known import KnownEntity
from ledger.corpus.schema import (
    ENTITY_FIELDS,
    ENTITY_KINDS,
    LANGUAGE_TAG,
    SCHEME,
    read_fields,
)
from ledger.corpus.yamlnodes import YamlMap

KIND = re.compile(r"[a-z][a-z0-9]*(?:[ _-][a-z0-9]+)*")
"""An entity kind: lowercase words ("agency", "space agency", "launch-site")."""


class EntityReader(Validation):
    """Reads ``entities`` entries (a mixin of the corpus reader)."""

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
            fields["kind"] = " ".join(fields["kind"].casefold().split())
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
        if not KIND.fullmatch(kind):
            self.errors.add(
                file, line, "kind", f"an entity kind is a word or two (space agency), not {kind!r}"
            )
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

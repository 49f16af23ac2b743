"""Reading a corpus: the manifest, each file's sections, seeds and their metadata.

Reading checks each entry's own fields (unknown, missing, wrongly shaped) and collects the
entries; what refers to what is checked afterwards, when everything has been read.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ledger.corpus.entries import (
    ClaimEntry,
    CorpusFile,
    SourceEntry,
    utc_time,
)
from ledger.corpus.reading_entities import EntityReader
from ledger.corpus.schema import (
    CLAIM_FIELDS,
    CLAIM_TYPES,
    FILE_FIELDS,
    MANIFEST_FIELDS,
    ORIGINAL_FIELDS,
    SCHEME,
    SEED_FIELDS,
    SEEDED_SOURCE_FIELDS,
    SOURCE_FIELDS,
    TRANSLATION_ERROR_FIELDS,
    Field,
    payload_fields,
    read_fields,
)
from ledger.corpus.yamlnodes import YamlList, YamlMap, load_yaml
from ledger.dates.recorded import beyond_now
from ledger.domain.events import Retracted
from ledger.errors import FixtureError


class Reader(EntityReader):
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
        if fields is None or self.errors:
            return
        folder = self.manifest.parent
        if "seeds" in fields:
            try:
                self.seeds = (folder / fields["seeds"]).resolve()
            except (OSError, ValueError):  # ValueError: a NUL byte in the name
                self.errors.add(
                    name,
                    data.line_of("seeds"),
                    "seeds",
                    f"{fields['seeds']!r} is not a folder name (it holds a NUL or cannot be "
                    "resolved)",
                )
                return
            if not _is_dir(self.seeds):
                self.errors.add(
                    name, data.line_of("seeds"), "seeds", f"no folder {fields['seeds']}"
                )
                return
        else:
            found = [p for p in (folder.parent / "seeds", folder / "seeds") if _is_dir(p)]
            self.seeds = (found[0] if found else folder).resolve()
        listed = data.get("files") if isinstance(data, YamlMap) else None
        names = fields.get("files")
        if names is None:
            names = tuple(
                sorted(
                    p.name
                    for p in folder.iterdir()
                    if p.suffix in (".yaml", ".yml") and p.resolve() != self.manifest.resolve()
                )
            )
        previous: CorpusFile | None = None
        for number, relative in enumerate(names):
            line = listed.line_of(number) if isinstance(listed, YamlList) else 1
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
        if beyond_now(recorded_at):
            self.errors.add(
                name,
                data.line_of("recorded_at"),
                "recorded_at",
                f"{recorded_at.isoformat()} is in the future: a recorded time says when the "
                "ledger learned something, so it cannot be later than now",
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
        if not _under(self.seeds, path):
            self.errors.add(file.name, line, "seed", f"{relative!r} is not inside the seeds folder")
            return
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
        if not _under(self.seeds, text_path):
            # Never read, so nothing of a file elsewhere (/etc/passwd) reaches the ledger
            # or an error message.
            self.errors.add(
                name,
                data.line_of("text"),
                "text",
                f"{fields['text']!r} is not inside the seeds folder: seed texts must lie there",
            )
            return
        try:
            raw = text_path.read_bytes()
            raw.decode("utf-8")  # checked here, where the error can name the file
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
        self.add_seed(file, data, fields, raw, name, path.parent)

    def add_seed(
        self,
        file: CorpusFile,
        data: YamlMap,
        fields: dict[str, Any],
        raw: bytes,
        name: str,
        folder: Path,
    ) -> None:
        """A seed whose metadata passed its field checks and whose text was read."""
        text = raw.decode("utf-8")
        digest = hashlib.sha256(raw).hexdigest()
        if "sha256" in fields and fields["sha256"] != digest:
            self.errors.add(
                name,
                data.line_of("sha256"),
                "sha256",
                f"the text file has SHA-256 {digest}: it is not the seed this metadata describes",
            )
        for companion in fields.get("companion_files", ()):
            if not (folder / companion).is_file():
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
            if item.get("meaning") == item["original"]:
                # The words are right for the original: the error is the original's own.
                parts.append("faithfully")
            elif item.get("meaning"):
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

    def read_claim(self, file: CorpusFile, entry: Any, line: int | None) -> None:
        if not isinstance(entry, YamlMap):
            self.errors.add(file.name, line, None, "a claim must be a mapping of field: value")
            return
        type_name = entry.get("type")
        cls = CLAIM_TYPES.get(type_name) if isinstance(type_name, str) else None
        if cls is None and isinstance(type_name, str):
            # "statuschanged", "Stated ": the type is meant; case and spaces are not the point.
            folded = {name.casefold(): c for name, c in CLAIM_TYPES.items()}
            cls = folded.get(type_name.strip().casefold())
        fields: tuple[Field, ...] = CLAIM_FIELDS
        if cls is None:
            if "type" in entry:
                known = ", ".join(sorted(CLAIM_TYPES))
                close = difflib.get_close_matches(str(type_name), list(CLAIM_TYPES), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.errors.add(
                    file.name,
                    entry.line_of("type"),
                    "type",
                    f"unknown event type {type_name!r} ({hint}known: {known}; `Stated` is "
                    "the generic claim for what no type fits)",
                )
            # Check the envelope anyway, tolerating payload fields we cannot know.
            allowed = {f.name for f in CLAIM_FIELDS}
            entry = _only(entry, allowed)
        else:
            fields = CLAIM_FIELDS + payload_fields(cls)
            if cls is Retracted:  # the curator's own decision may quote nothing
                fields = tuple(
                    attrs.evolve(f, required=False) if f.name == "quote" else f for f in fields
                )
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


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _under(root: Path, path: Path) -> bool:
    """Whether ``path`` (links followed) lies inside the folder ``root`` (already resolved)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, ValueError):
        return True  # not a usable name: reading it says so, naming the field

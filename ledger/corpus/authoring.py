"""Authoring one entry at a time: claims, corrections, retractions and sources, checked like a
corpus against what the ledger holds.

``ledger add``, ``correct``, ``retract`` and ``source add`` (and the same ``Ledger`` methods)
build their entry as a corpus would hold it, run the corpus checks on it (fields, entities,
sources, the quote against the source's text, the date against its phrase) and return the
events to record, or raise ``FixtureErrors`` naming each problem. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import attrs

from ledger.corpus.building import Builder, corpus_uuid
from ledger.corpus.checks import Checker
from ledger.corpus.entries import CorpusFile
from ledger.corpus.known import Known
from ledger.corpus.reading import Reader
from ledger.corpus.schema import SEED_FIELDS, read_fields
from ledger.corpus.yamlnodes import YamlList, YamlMap, load_yaml
from ledger.domain.events import Event
from ledger.errors import FixtureError, FixtureErrors

COMMAND_LINE = "the command line"
"""How errors name an entry given by flags rather than by a file."""


class _Authoring(Reader, Checker, Builder):
    """One entry checked as a one-file corpus; its events are stamped when appended."""

    def __init__(self, name: str, known: Known, source: str | None = None) -> None:
        super().__init__(Path(name), known)
        self.root = Path.cwd()
        self.file = CorpusFile(name=name, recorded_at=datetime.now(UTC), source=source)
        self.files.append(self.file)

    def finish(self) -> list[Event]:
        """Check, build and leave the recorded time to the ledger (it is learned now)."""
        if not self.errors:
            self.check_references()
        if self.errors:
            raise FixtureErrors(self.errors.found)
        return [attrs.evolve(e, recorded_at=None) for e in self.build()]


def entry(values: Mapping[str, Any], line: int | None = None) -> YamlMap:
    """A mapping as the corpus reader takes it (no lines: it came from the command line)."""
    made = YamlMap(values)
    made.line = cast(int, line)
    made.key_lines = {}
    return made


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold())) or "claim"


def default_id(values: Mapping[str, Any]) -> str:
    """A claim id from its content: the same claim added twice is found present."""
    digest = hashlib.sha256(
        json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()[:10]
    return f"{_slug(str(values.get('stream', '')))}-{_slug(str(values.get('type', '')))}-{digest}"


def read_document(path: str | os.PathLike[str]) -> list[YamlMap]:
    """The claims of a short YAML or JSON document: one claim, a list of them, or a mapping
    with ``events:`` (as in a corpus file)."""
    name = os.fspath(path)
    data = load_yaml(Path(name), name)
    if isinstance(data, YamlMap) and isinstance(data.get("events"), YamlList):
        data = data["events"]
    items = list(data) if isinstance(data, YamlList) else [data]
    if not items or not all(isinstance(i, YamlMap) for i in items):
        raise FixtureErrors(
            [FixtureError(name, None, None, "expected a claim, a list of claims, or events:")]
        )
    return cast(list[YamlMap], items)


def claims(
    entries: Sequence[Mapping[str, Any]],
    known: Known,
    *,
    name: str = COMMAND_LINE,
    source: str | None = None,
) -> list[Event]:
    """The events of claims given as mappings (corpus fields), checked like a corpus.

    A claim without an ``id`` gets one derived from its content.
    """
    authoring = _Authoring(name, known, source)
    for item in entries:
        given = item if isinstance(item, YamlMap) else entry(item)
        if "id" not in given:
            given = _with(given, "id", default_id(given))
        authoring.read_claim(authoring.file, given, given.line)
    return authoring.finish()


def _with(given: YamlMap, key: str, value: Any) -> YamlMap:
    made = YamlMap(given)
    made[key] = value
    made.line = given.line
    made.key_lines = dict(given.key_lines)
    return made


def answer(
    kind: str,
    target: str,
    known: Known,
    *,
    reason: str,
    source: str | None = None,
    quote: str | None = None,
    date: str | None = None,
    changes: Mapping[str, Any] | None = None,
    confidence: str | None = None,
) -> list[Event]:
    """A correction (``Corrected``) or retraction (``Retracted``) of a recorded claim.

    ``target`` is the claim's event id or corpus id. A correction without ``date`` keeps the
    target's date (a correction's date is the one it gives the claim).
    """
    found = known.find_claim(target)
    if found is None:
        problem = FixtureError(
            COMMAND_LINE,
            None,
            "target",
            f"no recorded claim {target!r} (give its event id, or its corpus id)",
        )
        raise FixtureErrors([problem])
    values: dict[str, Any] = {"type": kind, "stream": found.stream, "target": target}
    values["reason"] = reason
    values["date"] = date or found.valid_time.edtf
    for key, value in (("source", source), ("quote", quote), ("confidence", confidence)):
        if value:
            values[key] = value
    if kind == "Corrected":
        values["changes"] = dict(changes or {})
    values["summary"] = f"{'Correction' if kind == 'Corrected' else 'Retraction'}: {reason}"
    values["id"] = f"{kind.casefold()}-{default_id(values)}"
    return claims([values], known)


def seed(
    text_path: str | os.PathLike[str],
    metadata: Mapping[str, Any],
    known: Known,
) -> list[Event]:
    """A text file registered as a seed source, with its metadata (the fields of a seed's
    metadata file: ``id``, ``title``, ``language``, ``date``, ``url``, ``doi``...).

    Without an ``id`` the file's name (as a slug) is the source id.
    """
    path = Path(text_path)
    name = str(path)
    authoring = _Authoring(name, known)
    values = dict(metadata)
    values.setdefault("id", _slug(path.stem))
    values["text"] = path.name
    data = entry(values)
    fields = read_fields(data, SEED_FIELDS, COMMAND_LINE, None, authoring.errors, "a source")
    try:
        raw = path.read_bytes()
        raw.decode("utf-8")
    except OSError as error:
        raise FixtureErrors(
            [FixtureError(name, None, None, error.strerror or str(error))]
        ) from None
    except UnicodeDecodeError as error:
        raise FixtureErrors([FixtureError(name, None, None, f"not UTF-8: {error}")]) from None
    if fields is not None and "id" in fields and "title" in fields:
        authoring.add_seed(authoring.file, data, fields, raw, name, path.parent)
    return authoring.finish()


def event_id(text: str) -> uuid.UUID:
    """The event id ``text`` names: an event id itself, else a corpus claim id."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return corpus_uuid("claim", text)

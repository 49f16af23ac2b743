"""Load a corpus (seeds and fixtures) into events, validating everything before anything.

A corpus is a manifest (``fixtures/corpus.yaml``) naming a seeds folder and corpus files in
the order the ledger learned them. Each file says when its entries were learned
(``recorded_at``) and may hold ``sources``, ``entities`` and ``events`` (claims). Loading
reads every file, checks every field, reference, date, phrase and quote, and either returns
the complete list of events in append order or raises ``FixtureErrors`` with every problem
found: a corpus is imported whole or not at all.

Ids are stable: each event's UUID is derived from its corpus id (``claim:<id>``,
``entity:<id>``, ``source:<id>``), so importing the same corpus twice appends nothing new.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path

import attrs

from ledger.corpus.building import Builder
from ledger.corpus.checks import Checker
from ledger.corpus.known import Known
from ledger.corpus.names import EntityIndex
from ledger.corpus.reading import Reader
from ledger.domain.events import EntityNamed, EntityRegistered, Event, Identified, SourceRegistered
from ledger.errors import FixtureError, FixtureErrors

MANIFEST_NAME = "corpus.yaml"
KINDS = ("sources", "entities", "claims")
"""The kinds of event a corpus holds, in the order its files give them."""


@attrs.frozen
class Corpus:
    """A validated corpus: its events in append order and the names of its entities."""

    manifest: Path
    events: tuple[Event, ...]
    index: EntityIndex = attrs.field(eq=False)
    warnings: tuple[FixtureError, ...] = ()
    """What does not stop an import but deserves a look (a name shared across corpora)."""
    origins: Mapping[uuid.UUID, str] = attrs.field(factory=dict, eq=False)
    """Where each event comes from (``file:line``)."""

    def counts(self) -> dict[str, int]:
        """How many sources, entities and claims the corpus holds."""
        counts = dict.fromkeys(KINDS, 0)
        for event in self.events:
            counts[kind_of(event)] += 1
        return counts

    def summary(self) -> str:
        """What ``ledger import --check`` prints: the corpus is valid, and its counts."""
        counts = self.counts()
        lines = [f"{self.manifest}: valid, {sum(counts.values())} events"]
        return "\n".join([*lines, *(f"  {kind:<9} {counts[kind]:>6}" for kind in KINDS)])


def find_manifest(path: str | os.PathLike[str]) -> Path:
    """The manifest a path names: the file itself, ``DIR/corpus.yaml`` or ``DIR/fixtures/...``."""
    given = Path(path)
    for candidate in (given, given / MANIFEST_NAME, given / "fixtures" / MANIFEST_NAME):
        try:
            if candidate.is_file():
                return candidate
        except OSError as e:  # a name too long for the file system, for one
            raise FixtureErrors(
                [FixtureError(str(given)[:200], None, None, e.strerror or str(e))]
            ) from e
    problem = FixtureError(
        str(given),
        None,
        None,
        f"no corpus here: expected a manifest file, or a folder holding {MANIFEST_NAME} "
        f"or fixtures/{MANIFEST_NAME}",
    )
    raise FixtureErrors([problem])


class _Loading(Reader, Checker, Builder):
    """One validation run: read, then check, then (only if nothing is wrong) build."""

    def load(self) -> list[Event]:
        self.read()
        if not self.files:
            return []
        self.check_references()
        if self.errors:
            return []
        return self.build()


def load_corpus(path: str | os.PathLike[str], known: Known | None = None) -> Corpus:
    """Read and validate a corpus; raises ``FixtureErrors`` listing every problem found.

    ``known`` is what the ledger it goes into already holds (see ``Known.from_events``): the
    corpus may then cite those entities and sources and register them again.
    """
    manifest = find_manifest(path)
    loading = _Loading(manifest, known)
    events = loading.load()
    if loading.errors:
        raise FixtureErrors(loading.errors.found)
    return Corpus(
        manifest=manifest,
        events=tuple(events),
        index=EntityIndex.from_events(events),
        warnings=tuple(loading.warnings.found),
        origins=getattr(loading, "origins", {}),
    )


def kind_of(event: Event) -> str:
    """What an event of a corpus is counted as: ``sources``, ``entities`` or ``claims``."""
    if isinstance(event, SourceRegistered):
        return "sources"
    if isinstance(event, Identified):
        return "sources" if event.stream.startswith("source:") else "entities"
    if isinstance(event, EntityRegistered | EntityNamed):
        return "entities"
    return "claims"

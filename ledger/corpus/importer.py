"""Import a validated corpus into a ledger, and find the corpus that ships with the package.

The corpus is appended in one call, so it is recorded whole or not at all. Its event ids
are derived from its corpus ids, and the store treats an event it already holds (same id,
same content) as a no-op: importing the same corpus again records nothing.
"""

from __future__ import annotations

import importlib.resources
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import attrs

from ledger.corpus.loader import MANIFEST_NAME, Corpus, load_corpus
from ledger.domain.events import EntityRegistered, Event, SourceRegistered


class _Head(Protocol):
    @property
    def position(self) -> int: ...


class Appendable(Protocol):
    """What an import needs of a ledger (``ledger.Ledger`` is one): append, and its head."""

    def append(self, events: Iterable[Event]) -> list[Event]: ...

    def digest(self) -> _Head: ...


@attrs.frozen
class ImportResult:
    """What an import did: events newly recorded and already present, by kind."""

    manifest: Path
    new: dict[str, int]
    present: dict[str, int]

    @property
    def total_new(self) -> int:
        """How many events were recorded by this import."""
        return sum(self.new.values())

    @property
    def total_present(self) -> int:
        """How many of the corpus's events the ledger already held."""
        return sum(self.present.values())


def _kind(event: object) -> str:
    if isinstance(event, SourceRegistered):
        return "sources"
    if isinstance(event, EntityRegistered):
        return "entities"
    return "claims"


def import_corpus(ledger: Appendable, corpus: Corpus | str | os.PathLike[str]) -> ImportResult:
    """Validate (if given a path) and append a corpus; returns what was new and what was not.

    Raises ``FixtureErrors`` before writing anything if the corpus is invalid; store errors
    (for example a ledger whose newest recorded time is later than the corpus's) also leave
    the ledger unchanged, since the corpus is appended in one transaction.
    """
    loaded = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
    before = ledger.digest().position
    recorded = ledger.append(loaded.events)
    new: Counter[str] = Counter()
    present: Counter[str] = Counter()
    for event in recorded:
        (new if event.position > before else present)[_kind(event)] += 1
    kinds = ("sources", "entities", "claims")
    return ImportResult(
        manifest=loaded.manifest,
        new={k: new[k] for k in kinds},
        present={k: present[k] for k in kinds},
    )


def default_corpus_path() -> Path:
    """The manifest of the article's corpus: packaged with the wheel, else in a source tree.

    An installed package holds it at ``ledger/_corpus/fixtures/corpus.yaml``; a source
    checkout (or an editable install) has ``fixtures/`` and ``seeds/`` beside the package.
    """
    package = importlib.resources.files("ledger")
    return find_default_corpus(Path(str(package)))


def find_default_corpus(package_dir: Path) -> Path:
    """The corpus manifest for a ``ledger`` package at ``package_dir`` (see above)."""
    candidates = (
        package_dir / "_corpus" / "fixtures" / MANIFEST_NAME,
        package_dir.parent / "fixtures" / MANIFEST_NAME,
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"the ledger's default corpus is missing (looked for {searched})")

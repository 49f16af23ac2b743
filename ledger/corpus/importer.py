"""Import a validated corpus into a ledger, and find the corpus that ships with the package.

The corpus is appended in one call, so it is recorded whole or not at all. Its event ids
are derived from its corpus ids, and the store treats an event it already holds (same id,
same content) as a no-op: importing the same corpus again records nothing.
"""

from __future__ import annotations

import importlib.resources
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

import attrs

from ledger.corpus.known import Known, same_event
from ledger.corpus.loader import KINDS, MANIFEST_NAME, Corpus, kind_of, load_corpus
from ledger.domain.events import CATALOGUE_TYPES, Event
from ledger.errors import FixtureError, FixtureErrors


class _Head(Protocol):
    @property
    def position(self) -> int: ...


class Appendable(Protocol):
    """What an import needs of a ledger (``ledger.Ledger`` is one): its catalogue and head,
    a look-up by event id, and append."""

    def append(self, events: Iterable[Event], *, new: list[Event] | None = None) -> list[Event]:
        """Record ``events`` in one transaction; ``new`` receives those it wrote."""
        ...

    def digest(self) -> _Head: ...

    def events(self, *, after: int = 0, types: Iterable[str] | None = None) -> Iterator[Event]: ...

    def get(self, event_id: uuid.UUID) -> Event | None: ...


@attrs.frozen
class ImportResult:
    """What an import did: events newly recorded and already present, by kind."""

    manifest: Path
    new: dict[str, int]
    present: dict[str, int]
    warnings: tuple[FixtureError, ...] = ()
    restamped: int = 0
    """Events recorded at the ledger's newest time because their file's was earlier."""

    @property
    def total_new(self) -> int:
        """How many events were recorded by this import."""
        return sum(self.new.values())

    @property
    def total_present(self) -> int:
        """How many of the corpus's events the ledger already held."""
        return sum(self.present.values())

    def summary(self, where: str) -> str:
        """What ``ledger import`` prints: new and present events by kind, then what deserves
        a look (the ledger the corpus went into is ``where``)."""
        lines = [f"{self.manifest} -> {where}", f"  {'':<9} {'new':>6} {'present':>8}"]
        lines += [f"  {k:<9} {self.new[k]:>6} {self.present[k]:>8}" for k in KINDS]
        if self.total_new == 0:
            lines.append("  nothing new: the ledger already holds this corpus")
        if self.restamped:
            lines.append(
                f"  {self.restamped} events recorded at the ledger's newest time: their file's "
                "recorded_at is earlier than what the ledger already held"
            )
        lines += [f"  warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def known_of(ledger: Appendable) -> Known:
    """The entities and sources ``ledger`` already holds, for checking a corpus against."""
    return Known.from_events(ledger.events(types=sorted(CATALOGUE_TYPES)))


def import_corpus(ledger: Appendable, corpus: Corpus | str | os.PathLike[str]) -> ImportResult:
    """Validate (if given a path) and append a corpus; returns what was new and what was not.

    A path is checked against what the ledger holds (its entities may be cited, registered
    again with more names, or clash). Raises ``FixtureErrors`` before writing anything if
    the corpus is invalid, or if one of its events has the id of a recorded event with other
    content; the corpus is appended in one transaction. A corpus learned before what the
    ledger already holds (its ``recorded_at`` earlier than the ledger's newest recorded time)
    is stamped with that newest time: recorded time never goes backwards, and the ledger did
    know it by then.
    """
    loaded = corpus if isinstance(corpus, Corpus) else load_corpus(corpus, known_of(ledger))
    clashes = _clashes(ledger, loaded)
    if clashes:
        raise FixtureErrors(clashes)
    events, restamped = _restamped(loaded.events, _newest(ledger))
    written: list[Event] = []
    recorded = ledger.append(events, new=written)
    # Newness is what this append wrote, not positions past a head read earlier: a
    # concurrent import of the same corpus may have recorded them in between.
    fresh = {event.id for event in written}
    new: Counter[str] = Counter()
    present: Counter[str] = Counter()
    for event in recorded:
        (new if event.id in fresh else present)[kind_of(event)] += 1
    kinds = ("sources", "entities", "claims")
    return ImportResult(
        manifest=loaded.manifest,
        new={k: new[k] for k in kinds},
        present={k: present[k] for k in kinds},
        warnings=loaded.warnings,
        restamped=restamped if fresh else 0,
    )


def _newest(ledger: Appendable) -> datetime | None:
    """The ledger's newest recorded time (None for an empty ledger)."""
    position = ledger.digest().position
    if position == 0:
        return None
    last = next(iter(ledger.events(after=position - 1)), None)
    return None if last is None else last.recorded_at


def _restamped(events: Sequence[Event], newest: datetime | None) -> tuple[list[Event], int]:
    """Events whose recorded time is before ``newest`` moved up to it; how many were."""
    if newest is None:
        return list(events), 0
    moved = 0
    out: list[Event] = []
    for event in events:
        if event.recorded_at is not None and event.recorded_at < newest:
            event = attrs.evolve(event, recorded_at=newest)
            moved += 1
        out.append(event)
    return out, moved


def _clashes(ledger: Appendable, corpus: Corpus) -> list[FixtureError]:
    """Events of the corpus whose id the ledger holds with other content, each located."""
    found: list[FixtureError] = []
    for event in corpus.events:
        held = ledger.get(event.id)
        if held is None or same_event(held, event):
            continue
        where = corpus.origins.get(event.id, str(corpus.manifest))
        file, _, line = where.rpartition(":")
        when = held.recorded_at.date().isoformat() if held.recorded_at else "?"
        found.append(
            FixtureError(
                file or where,
                int(line) if line.isdigit() else None,
                "id",
                f"this {event.type_name} has the id of event {event.id} already in the ledger "
                f"with other content (position {held.position}, recorded {when}: "
                f"{held.summary!r}); an id names one entry for good: give this entry "
                "another id, or correct the recorded one with a correction",
            )
        )
    return found


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

"""The ``Ledger`` service: the library's one entry point, joining the domain and the event store.

Its parts are private: the projections (``projections.py``), their checkpoints
(``checkpoints.py``) and name resolution (``names.py``). Build one with :func:`ledger.open`
(``bootstrap.py``, the composition root).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Unpack

import attrs

from ledger.application import authoring
from ledger.application.audit import audit_checkpoints
from ledger.application.authoring import ClaimInput
from ledger.application.checkpoints import Checkpoints
from ledger.application.importing import Recorded, record
from ledger.application.inputs import HistoricalInput, RecordedInput, bound, historical, recorded
from ledger.application.names import NameResolver, Programs
from ledger.application.projections import Projections
from ledger.dates import HistoricalDate
from ledger.domain.asof import Period
from ledger.domain.conflicts import conflicts_of
from ledger.domain.events import Event
from ledger.domain.fold import FactTable
from ledger.domain.lines import compile_table
from ledger.domain.names import Lang, Names
from ledger.domain.state import Conflicts, ProgramState
from ledger.errors import LedgerError
from ledger.persistence.chain import Digest, VerifyResult
from ledger.persistence.store import EventFilter, EventStore, ExpectedVersion

if TYPE_CHECKING:
    from ledger.application.exchange import Exchanged, ExchangeFormat
    from ledger.corpus.draft import Draft
    from ledger.domain.diff import Diff
    from ledger.domain.explain import Explanation
    from ledger.domain.report import ReportData, SourceInfo
    from ledger.domain.timeline import Timeline
    from ledger.reports.marks import Lane
    from ledger.views.layout import View
    from ledger.views.report_page import ReportPage

# Sources, timelines, differences and explanations are imported by the methods that use
# them: a `ledger state` process needs none of them, and each costs it start-up time.


class Ledger:
    """A historian's ledger: append cited events, read them back, ask what held when.

    Open one with :func:`ledger.open`; use it as a context manager or call :meth:`close`.
    ``checkpoints``: save and load per-program tables in the store's checkpoint table, sealed
    with the key at ``key_path`` (default: in the user's data directory, made on first use).
    ``save_after``: also save a table whose only change is its position once it has moved
    this far (a table that took in new claims is saved at once). ``known_at_cache``: how many
    tables folded "as known at" an earlier time to keep. ``max_tables`` and
    ``states_per_table`` bound what is kept in memory (a dropped table reloads from its
    checkpoint). Thread-compatible, not thread-safe: use one ledger per thread.
    """

    def __init__(
        self,
        store: EventStore,
        *,
        checkpoints: bool = True,
        save_after: int = 1000,
        known_at_cache: int = 16,
        max_tables: int = 4096,
        states_per_table: int = 8,
        key_path: Path | None = None,
    ) -> None:
        self.store = store
        self._checkpoints = Checkpoints(
            store, enabled=checkpoints, save_after=save_after, key_path=key_path
        )
        self._names = NameResolver(store)
        self._projections = Projections(
            store,
            self._checkpoints,
            known_at_cache=known_at_cache,
            max_tables=max_tables,
            states_per_table=states_per_table,
        )
        self._head = -1

    @property
    def url(self) -> str:
        """Where the ledger lives (password hidden)."""
        return self.store.url

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Ledger {self.url}>"

    # --- events ----------------------------------------------------------------------------

    def append(
        self,
        events: Event | Iterable[Event],
        expected_version: ExpectedVersion = None,
        *,
        new: list[Event] | None = None,
    ) -> list[Event]:
        """Record events atomically; returns them as recorded (see ``EventStore.append``)."""
        return self.store.append(events, expected_version, new=new)

    def record(self, events: Iterable[Event]) -> Recorded:
        """Append events in one transaction, saying how many were new and how many the ledger
        already held (an export read back by ``ledger.application.importing.read_export``)."""
        return record(self, events)

    def events(self, **wanted: Unpack[EventFilter]) -> Iterator[Event]:
        """Recorded events in order, filtered (``EventFilter``; see ``EventStore.iter_events``)."""
        return self.store.iter_events(**wanted)

    def find(
        self,
        *,
        about: str | None = None,
        types: Iterable[str] | None = None,
        valid_from: HistoricalInput | None = None,
        valid_to: HistoricalInput | None = None,
        known_at: RecordedInput | None = None,
        source: str | None = None,
        limit: int | None = None,
    ) -> tuple[Event, ...]:
        """The events a historian asks for: about an entity (any name or alias), of these
        types (names, any case), whose dates may fall between ``valid_from`` and
        ``valid_to``, recorded by ``known_at``, citing ``source``; the first ``limit``.

        Raises ``UnknownEntityError`` or ``QueryError`` naming the closest known names.
        """
        from ledger.application.sources import find_events

        return find_events(
            self,
            about=about,
            types=types,
            valid_from=None if valid_from is None else historical(valid_from),
            valid_to=None if valid_to is None else historical(valid_to),
            known_at=recorded(known_at),
            source=source,
            limit=limit,
        )

    def sources(self, known_at: RecordedInput | None = None) -> tuple[SourceInfo, ...]:
        """Every registered source: id, title, publisher, date, url, language."""
        from ledger.application.sources import sources

        return sources(self, recorded(known_at))

    def stream(self, name: str, known_at: datetime | None = None) -> list[Event]:
        """The events of one stream (an entity, a program...) in order."""
        return self.store.stream(name, known_at)

    def get(self, event_id: uuid.UUID | str) -> Event | None:
        """The recorded event with this id, or None."""
        return self.store.get(event_id)

    # --- integrity -------------------------------------------------------------------------

    def verify(self, against: Digest | str | None = None, *, quick: bool = False) -> VerifyResult:
        """Check the hash chain (and that it extends a published digest, if given), then
        every saved projection an answer may come from, refolded from the events (``quick``:
        a sample of them refolded, all of their seals checked); see ``audit.py``."""
        result = self.store.verify(against)
        if not result.ok:
            return result
        audit = audit_checkpoints(self._projections, self.store, self._checkpoints.sealed, quick)
        if audit.ok:
            return attrs.evolve(result, derived=audit.summary())
        return attrs.evolve(result, ok=False, reason=audit.summary())

    def digest(self) -> Digest:
        """The head of the chain, to publish: ``str(ledger.digest())`` is ``"<pos>:<hex>"``."""
        return self.store.digest()

    # --- authoring (ledger.application.authoring) ------------------------------------------

    def add(self, claims: ClaimInput, *, source: str | None = None) -> list[Event]:
        """Record claims (corpus fields: a mapping, a list, or a YAML/JSON file), each checked
        like a corpus (entities, source, quote, date); all or none. Returns them as recorded.
        """
        return authoring.add(self, claims, source=source)

    def correct(
        self,
        event: str,
        *,
        reason: str,
        source: str,
        quote: str,
        date: str | None = None,
        changes: Mapping[str, Any] | None = None,
        confidence: str | None = None,
    ) -> Event:
        """Record a correction of a claim (its event id or corpus id): new field values and/or
        a new date, with the reason and the source that says so (quote checked)."""
        return authoring.answer(
            self,
            "Corrected",
            event,
            reason=reason,
            source=source,
            quote=quote,
            date=date,
            changes=changes,
            confidence=confidence,
        )

    def retract(
        self, event: str, *, reason: str, source: str | None = None, quote: str | None = None
    ) -> Event:
        """Record that a claim should not have been recorded; it stops counting."""
        return authoring.answer(self, "Retracted", event, reason=reason, source=source, quote=quote)

    def add_source(self, text: str | os.PathLike[str], **metadata: Any) -> list[Event]:
        """Record a text file as a source the ledger holds (a seed), with its metadata:
        ``id``, ``title`` (required), ``language``, ``date``, ``url``, ``doi``, ``publisher``,
        ``authors``..."""
        return authoring.add_source(self, text, metadata)

    def draft(self, text: str, source_date: str, lang: str | None = None) -> Draft:
        """The dated phrases of a new text (``ledger.corpus.draft``): each with its sentence,
        its date resolved against ``source_date``, and the ledger's entities it names."""
        return authoring.draft(self, text, source_date, lang)

    # --- names -----------------------------------------------------------------------------

    def resolve(self, program: str) -> str:
        """The entity id a name, alias, external identifier (a Wikidata QID) or id stands for,
        in any language the ledger holds names in."""
        return self._names.resolve(program, self._sync())

    def names(self, ids: Iterable[str], lang: Lang = "en") -> Names:
        """The registered English and Arabic names of these entity ids (a re-registration
        wins), shown in ``lang``: what a view needs to show a result to people."""
        return self._names.names(ids, lang)

    def resolve_source(self, name: str) -> str:
        """The registered source id ``name`` stands for: its id (with or without ``source:``),
        URL, DOI or another identifier recorded for it."""
        from ledger.application.sources import resolve_source

        return resolve_source(self, name)

    # --- questions -------------------------------------------------------------------------

    def state(
        self,
        program: str,
        as_of: HistoricalInput | Period,
        known_at: RecordedInput | None = None,
    ) -> ProgramState:
        """A program's state as of an EDTF day, month or year, as recorded by ``known_at``.

        ``as_of`` may be EDTF text, a ``datetime.date`` or a ``HistoricalDate``; ``known_at``
        ISO text (without a zone: UTC), a date (its end, UTC) or an aware datetime.
        """
        period = as_of if isinstance(as_of, Period) else Period.of(historical(as_of))
        known_at = recorded(known_at)
        head = self._sync()
        entity = self._names.resolve(program, head)
        return self._projections.state(entity, period, known_at, head)

    def why(
        self,
        program: str,
        as_of: HistoricalInput | Period,
        fact: str,
        known_at: RecordedInput | None = None,
    ) -> Explanation:
        """The events, quotes, rules and tie-breaks behind the lines of a state about ``fact``
        (an entity's name, a status, an agreement's title, words of a line's detail)."""
        state = self.state(program, as_of, known_at)
        try:
            entity: str | None = self._names.resolve(fact, self._sync())
        except LedgerError:
            entity = None  # not an entity's name: a status, a title, words of a detail
        from ledger.domain.explain import explain

        return explain(state, fact, entity)

    def timeline(
        self,
        program: str | None = None,
        start: HistoricalInput | None = None,
        end: HistoricalInput | None = None,
        known_at: RecordedInput | None = None,
    ) -> Timeline:
        """Claims in historical order, of one program (with its parts) or of the whole ledger,
        as recorded by ``known_at``."""
        first, last = bound(start, end=False), bound(end, end=True)
        when = recorded(known_at)
        if program is None:
            table: FactTable = self._projections.whole_ledger(self._sync(), when)
            entity = None
        else:
            entity = self.resolve(program)
            table = self._projections.known_at(entity, self._head, when)
        compiled = compile_table(table)
        from ledger.domain.timeline import timeline_of

        return timeline_of(
            compiled.claims, entity, first, last, dates=compiled.dates, evidence=compiled.evidence
        )

    def timelines(
        self, programs: Iterable[str] = (), known_at: RecordedInput | None = None
    ) -> tuple[Timeline, ...]:
        """One timeline per program named (any name, each once), or per program of the
        ledger when none is, as recorded by ``known_at``: what a picture draws as lanes."""
        ids = [self.resolve(p) for p in programs] or list(self.programs().ids())
        return tuple(self.timeline(entity, known_at=known_at) for entity in dict.fromkeys(ids))

    def diff(
        self,
        program: str,
        from_date: str | HistoricalDate | Period,
        to_date: str | HistoricalDate | Period,
    ) -> Diff:
        """What changed in a program between two dates, with the events that changed it."""
        entity = self.resolve(program)
        table = self._projections.current(entity, self._head)
        from ledger.domain.diff import diff_of

        return diff_of(compile_table(table), from_date, to_date)

    def programs(self) -> Programs:
        """The programs, missions, agreements and laws the ledger knows."""
        return self._names.programs(self._sync())

    def conflicts(self, known_at: RecordedInput | None = None) -> Conflicts:
        """Every disagreement between sources, each side with its evidence, as recorded by
        ``known_at``."""
        table = self._projections.whole_ledger(self._sync(), recorded(known_at))
        compiled = compile_table(table)
        return Conflicts(conflicts=tuple(conflicts_of(compiled)))

    def report(self, as_of: str, known_at: str | None = None) -> ReportData:
        """Everything the HTML report shows: each program's state and timeline as of ``as_of``,
        the disagreements, the sources and the names, as recorded by ``known_at``."""
        from ledger.application.report import gather

        return gather(self, as_of, known_at)

    # --- answers shown (ledger.application.presenting): what the ledger command prints ------

    def state_view(
        self,
        program: str,
        as_of: HistoricalInput | Period,
        known_at: RecordedInput | None = None,
        *,
        names: Lang | None = "en",
        why: bool = False,
    ) -> View:
        """``state`` as ``ledger state`` shows it: ``.render("simple")`` is its table."""
        from ledger.application.presenting import state_shown

        return state_shown(self, program, as_of, known_at, names, why)

    def why_view(
        self,
        program: str,
        as_of: HistoricalInput | Period,
        fact: str,
        known_at: RecordedInput | None = None,
        *,
        names: Lang | None = "en",
    ) -> View:
        """``why`` as ``ledger why`` shows it."""
        from ledger.application.presenting import why_shown

        return why_shown(self, program, as_of, fact, known_at, names)

    def timeline_view(
        self,
        program: str | None = None,
        start: HistoricalInput | None = None,
        end: HistoricalInput | None = None,
        known_at: RecordedInput | None = None,
        *,
        names: Lang | None = "en",
        why: bool = False,
    ) -> View:
        """``timeline`` as ``ledger timeline`` shows it."""
        from ledger.application.presenting import timeline_shown

        return timeline_shown(self, program, start, end, known_at, names, why)

    def diff_view(
        self,
        program: str,
        from_date: str | HistoricalDate | Period,
        to_date: str | HistoricalDate | Period,
        *,
        names: Lang | None = "en",
        why: bool = False,
    ) -> View:
        """``diff`` as ``ledger diff`` shows it."""
        from ledger.application.presenting import diff_shown

        return diff_shown(self, program, from_date, to_date, names, why)

    def conflicts_view(
        self, known_at: RecordedInput | None = None, *, names: Lang | None = "en", why: bool = False
    ) -> View:
        """``conflicts`` as ``ledger conflicts`` shows it."""
        from ledger.application.presenting import conflicts_shown

        return conflicts_shown(self, known_at, names, why)

    def lanes(
        self,
        programs: Iterable[str] = (),
        known_at: RecordedInput | None = None,
        as_of: str | Period | None = None,
    ) -> list[Lane]:
        """The lanes ``ledger plot`` draws (``ledger.reports.plot.plot_timeline``)."""
        from ledger.application.presenting import lanes

        return lanes(self, programs, known_at, as_of)

    def report_page(self, as_of: str, known_at: str | None = None) -> ReportPage:
        """The offline HTML page ``ledger report`` writes (``.html``), picture included."""
        from ledger.views.report_page import report_document

        return report_document(self.report(as_of, known_at))

    def exchange(
        self,
        fmt: ExchangeFormat,
        programs: Iterable[str] = (),
        known_at: RecordedInput | None = None,
    ) -> Exchanged:
        """The programs (default: all) in an exchange format, as ``ledger exchange`` writes
        them: ``.text()`` is the JSON (see ``ledger.application.exchange``)."""
        from ledger.application.exchange import exchange

        return exchange(self, fmt, programs, known_at)

    # --- maintenance -----------------------------------------------------------------------

    def rebuild(self, program: str | None = None) -> None:
        """Forget cached tables (all, or one program's) and refold them from the events."""
        if program is None:
            entities = self._projections.tables()
            self._forget()
            head = self._sync()
            self._projections.rebuild_index(head)
        else:
            entities = [self.resolve(program)]
            head = self._head
        for entity in entities:
            self._projections.rebuild(entity, head)

    def rebuild_index(self) -> None:
        """Refold the reach index (parts, answers, restrictions) from the events and save it."""
        self._projections.rebuild_index(self._sync())

    def table(self, program: str) -> FactTable:
        """The program's fact table, up to date with the ledger (for tests and tools)."""
        entity = self.resolve(program)
        return self._projections.current(entity, self._head)

    def _sync(self) -> int:
        """Read the ledger's head (forgetting everything if the ledger went backwards)."""
        head = self.store.head()
        if head < self._head:
            self._forget()  # not the ledger the caches were read from: it was replaced
        self._head = head
        return head

    def _forget(self) -> None:
        self._names.forget()
        self._projections.forget()
        self._head = -1

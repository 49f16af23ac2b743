"""The ``Ledger`` service: the library's entry point, joining the domain and the event store.

Each method delegates to the module that owns the work; this file stays a thin facade.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType

import attrs
from sqlalchemy.engine import URL

from ledger.dates import HistoricalDate
from ledger.domain.diff import Diff
from ledger.domain.events import Event
from ledger.domain.state import Conflicts, ProgramState
from ledger.domain.timeline import Timeline
from ledger.persistence.chain import Digest, VerifyResult
from ledger.persistence.store import Clock, DateBound, EventStore, ExpectedVersion
from ledger.persistence.urls import ENV_VAR
from ledger.projection_service import Programs, ProjectionService


class Ledger:
    """A historian's ledger: append cited events, read them back, prove nothing changed.

    Open one with :func:`ledger.open`; use it as a context manager or call :meth:`close`.
    """

    def __init__(self, store: EventStore, *, key_path: Path | None = None) -> None:
        self.store = store
        self._key_path = key_path

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
        self, events: Event | Iterable[Event], expected_version: ExpectedVersion = None
    ) -> list[Event]:
        """Record events atomically; returns them as recorded (see ``EventStore.append``)."""
        return self.store.append(events, expected_version)

    def events(
        self,
        *,
        after: int = 0,
        subject: str | Collection[str] | None = None,
        types: Iterable[str | type[Event]] | None = None,
        valid_from: DateBound | None = None,
        valid_to: DateBound | None = None,
        known_at: datetime | None = None,
    ) -> Iterator[Event]:
        """Recorded events in order, filtered (see ``EventStore.iter_events``)."""
        return self.store.iter_events(
            after=after,
            subject=subject,
            types=types,
            valid_from=valid_from,
            valid_to=valid_to,
            known_at=known_at,
        )

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
        a sample of them refolded, all of their seals checked)."""
        result = self.store.verify(against)
        if not result.ok:
            return result
        audit = self.projections.audit(quick=quick)
        if audit.ok:
            return attrs.evolve(result, derived=audit.summary())
        return attrs.evolve(result, ok=False, reason=audit.summary())

    def digest(self) -> Digest:
        """The head of the chain, to publish: ``str(ledger.digest())`` is ``"<pos>:<hex>"``."""
        return self.store.digest()

    # --- projections (ledger.projection_service) ----------------------------------------------

    @functools.cached_property
    def projections(self) -> ProjectionService:
        """The projections of this ledger: per-program fact tables, kept up incrementally."""
        return ProjectionService(self.store, key_path=self._key_path)

    def state(
        self, program: str, as_of: str | HistoricalDate, known_at: datetime | None = None
    ) -> ProgramState:
        """A program's state as of an EDTF day, month or year, as recorded by ``known_at``."""
        return self.projections.state(program, as_of, known_at)

    def timeline(
        self,
        program: str | None = None,
        start: str | HistoricalDate | None = None,
        end: str | HistoricalDate | None = None,
    ) -> Timeline:
        """Claims in historical order, of one program or of the whole ledger."""
        return self.projections.timeline(program, start, end)

    def diff(
        self, program: str, from_date: str | HistoricalDate, to_date: str | HistoricalDate
    ) -> Diff:
        """What changed in a program between two dates, with the events that changed it."""
        return self.projections.diff(program, from_date, to_date)

    def programs(self) -> Programs:
        """The programs, missions, agreements and laws the ledger knows."""
        return self.projections.programs()

    def conflicts(self) -> Conflicts:
        """Every disagreement between sources, each side with its evidence."""
        return self.projections.conflicts()


def open(
    url: str | URL | None = None, *, clock: Clock | None = None, key_path: Path | None = None
) -> Ledger:
    """Open the ledger at ``url`` (created on first use).

    Without a URL: ``$LEDGER_DATABASE_URL``, else a SQLite file in the user's data directory
    holding the article's ledger (imported from the packaged corpus when first opened).
    ``clock`` (a function returning an aware datetime) stamps recorded times; default: UTC now.
    ``key_path``: the key that seals saved projections (default: in the user's data
    directory; see ``ledger.persistence.sealing``).
    """
    is_default = url is None and not os.environ.get(ENV_VAR)
    ledger = Ledger(EventStore.open(url, clock=clock), key_path=key_path)
    if is_default and ledger.digest().position == 0:
        # The default ledger is the article's, built from the packaged corpus on first use,
        # so that `ledger state ILRS --as-of 2021-03-10` works right after `pip install`.
        from ledger.corpus import bootstrap

        try:
            bootstrap(ledger)
        except BaseException:
            ledger.close()
            raise
    return ledger

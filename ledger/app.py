"""The ``Ledger`` service: the library's entry point, joining the domain and the event store.

Each method delegates to the module that owns the work; this file stays a thin facade.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from types import TracebackType

from sqlalchemy.engine import URL

from ledger.domain.events import Event
from ledger.persistence.chain import Digest, VerifyResult
from ledger.persistence.store import Clock, DateBound, EventStore, ExpectedVersion


class Ledger:
    """A historian's ledger: append cited events, read them back, prove nothing changed.

    Open one with :func:`ledger.open`; use it as a context manager or call :meth:`close`.
    """

    def __init__(self, store: EventStore) -> None:
        self.store = store

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

    def verify(self, against: Digest | str | None = None) -> VerifyResult:
        """Check the hash chain (and that it extends a published digest, if given)."""
        return self.store.verify(against)

    def digest(self) -> Digest:
        """The head of the chain, to publish: ``str(ledger.digest())`` is ``"<pos>:<hex>"``."""
        return self.store.digest()


def open(url: str | URL | None = None, *, clock: Clock | None = None) -> Ledger:
    """Open the ledger at ``url`` (created on first use).

    Without a URL: ``$LEDGER_DATABASE_URL``, else a SQLite file in the user's data directory.
    ``clock`` (a function returning an aware datetime) stamps recorded times; default: UTC now.
    """
    return Ledger(EventStore.open(url, clock=clock))

"""Hand-built events for projection tests: a recorder that stamps positions and recorded times."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from ledger.dates import parse_edtf
from ledger.domain.events import Citation, Event

E = TypeVar("E", bound=Event)

START = datetime(2021, 3, 9, 12, 0, tzinfo=UTC)


class Recorder:
    """Builds events as a store would number them: positions 1, 2, ... and rising times."""

    def __init__(self, start: datetime = START) -> None:
        self.events: list[Event] = []
        self.now = start
        self.sequences: dict[str, int] = {}

    def later(self, **delta: float) -> datetime:
        """Move the recording clock forward and return the new time."""
        self.now += timedelta(**delta)
        return self.now

    def add(
        self,
        cls: type[E],
        stream: str,
        date: str,
        *,
        source: str = "article",
        quote: str = "",
        fact: str = "",
        subjects: tuple[str, ...] = (),
        event_id: uuid.UUID | None = None,
        **payload: Any,
    ) -> E:
        """Record one event of type ``cls`` on ``stream`` dated by the EDTF ``date``."""
        position = len(self.events) + 1
        sequence = self.sequences.get(stream, 0) + 1
        self.sequences[stream] = sequence
        event = cls(
            id=event_id or uuid.uuid5(uuid.NAMESPACE_URL, f"test-event-{position}"),
            stream=stream,
            valid_time=parse_edtf(date),
            citation=Citation(source=source, quote=quote or f"quote {position}"),
            subjects=subjects,
            fact=fact,
            summary=f"{cls.type_name} {stream}",
            sequence=sequence,
            position=position,
            recorded_at=self.now,
            **payload,
        )
        self.events.append(event)
        return event

"""The sources a ledger cites (their ids, which events cite one) and the events found by filters.

A source is registered as a ``SourceRegistered`` event on the stream ``source:<id>``; claims
name it in their citation, as the source itself, as the text their quote is found in (a fact
sheet quoting others), or among the sources that say the same.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from ledger.domain.events import EVENT_TYPES, Event, SourceRegistered
from ledger.domain.report import SourceInfo
from ledger.errors import QueryError, UnknownEntityError

if TYPE_CHECKING:
    from ledger.application.ledger import Ledger
    from ledger.persistence.store import DateBound

__all__ = [
    "SOURCE_PREFIX",
    "cites",
    "event_types",
    "find_events",
    "resolve_source",
    "source_identifiers",
    "source_ids",
    "sources",
]

SOURCE_PREFIX = "source:"


def source_ids(ledger: Ledger) -> list[str]:
    """The id of every source registered in the ledger, in ledger order."""
    found = ledger.events(types=("SourceRegistered",))
    return list(dict.fromkeys(e.stream.removeprefix(SOURCE_PREFIX) for e in found))


def source_identifiers(ledger: Ledger) -> dict[str, str]:
    """Every URL, DOI and other identifier of a source (folded, also as ``scheme:value``),
    to the source's id."""
    found: dict[str, str] = {}
    for event in ledger.events(types=("SourceRegistered", "Identified")):
        if not event.stream.startswith(SOURCE_PREFIX):
            continue
        sid = event.stream.removeprefix(SOURCE_PREFIX)
        pairs = getattr(event, "identifiers", ())
        url = getattr(event, "url", "")
        for scheme, value in (*pairs, *((("url", url),) if url else ())):
            found.setdefault(value.strip().casefold(), sid)
            found.setdefault(f"{scheme}:{value.strip()}".casefold(), sid)
    return found


def resolve_source(ledger: Ledger, name: str) -> str:
    """The registered source id ``name`` stands for: its id (with or without the ``source:``
    prefix), or its URL, DOI or another identifier recorded for it.

    Raises ``UnknownEntityError`` with the closest source ids when none is registered.
    """
    wanted = name.strip().removeprefix(SOURCE_PREFIX)
    known = source_ids(ledger)
    if wanted in known:
        return wanted
    folded = {k.casefold(): k for k in known}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    by_identifier = source_identifiers(ledger).get(name.strip().casefold())
    if by_identifier is not None:
        return by_identifier
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    raise UnknownEntityError(name, close, kind="source")


def cites(event: Event, source: str) -> bool:
    """Whether the event cites ``source``: as its source, the quoted text, or also cited."""
    citation = event.citation
    return source in (citation.source, citation.quote_in) or source in citation.also_cited


def sources(ledger: Ledger, known_at: datetime | None = None) -> tuple[SourceInfo, ...]:
    """Every registered source (as recorded by ``known_at``), in ledger order."""
    return tuple(
        SourceInfo.of(e)
        for e in ledger.events(types=[SourceRegistered], known_at=known_at)
        if isinstance(e, SourceRegistered)
    )


def event_types(names: Iterable[str]) -> list[str]:
    """The event type names asked for; QueryError naming the closest known ones otherwise."""
    known = {name.lower(): name for name in EVENT_TYPES}
    found = []
    for name in names:
        match = known.get(name.lower())
        if match is None:
            close = difflib.get_close_matches(name, list(EVENT_TYPES), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise QueryError(f"unknown event type {name!r}{hint}")
        found.append(match)
    return found


def find_events(
    ledger: Ledger,
    *,
    about: str | None = None,
    types: Iterable[str] | None = None,
    valid_from: DateBound | None = None,
    valid_to: DateBound | None = None,
    known_at: datetime | None = None,
    source: str | None = None,
    limit: int | None = None,
) -> tuple[Event, ...]:
    """The recorded events that pass every filter given, in ledger order (see ``Ledger.find``)."""
    wanted = event_types(types) if types else None
    subject = None if about is None else ledger.resolve(about)
    found: Iterator[Event] = ledger.events(
        subject=subject, types=wanted, valid_from=valid_from, valid_to=valid_to, known_at=known_at
    )
    if source is not None:
        cited = ledger.resolve_source(source)
        found = (e for e in found if cites(e, cited))
    return tuple(itertools.islice(found, limit))

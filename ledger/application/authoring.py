"""Recording entries one at a time (the ``Ledger``'s part): each checked like a corpus against
what the ledger holds, then appended in one transaction.

The checks live in ``ledger.corpus.authoring``; this module gives them the ledger's catalogue
and records what they return.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ledger.domain.events import CATALOGUE_TYPES, Event

if TYPE_CHECKING:
    from ledger.application.ledger import Ledger
    from ledger.corpus.draft import Draft
    from ledger.corpus.known import Known

ClaimInput = Mapping[str, Any] | Sequence[Mapping[str, Any]] | str | os.PathLike[str]
"""A claim (corpus fields), a list of them, or a YAML/JSON file holding one or a list."""


def known_of(ledger: Ledger) -> Known:
    """The ledger's catalogue, and its claims by event id or corpus id."""
    from ledger.corpus.authoring import event_id
    from ledger.corpus.known import Known

    known = Known.from_events(ledger.events(types=sorted(CATALOGUE_TYPES)))

    def find_claim(text: str) -> Event | None:
        found = ledger.get(event_id(text))
        return None if found is None or found.type_name in CATALOGUE_TYPES else found

    known.find_claim = find_claim
    return known


def add(ledger: Ledger, given: ClaimInput, *, source: str | None = None) -> list[Event]:
    """Check and record claims; returns them as recorded (present ones as they were)."""
    from ledger.corpus import authoring

    if isinstance(given, str | os.PathLike):
        entries: Sequence[Mapping[str, Any]] = authoring.read_document(given)
        name = os.fspath(given)
    else:
        entries = [given] if isinstance(given, Mapping) else list(given)
        name = authoring.COMMAND_LINE
    return ledger.append(authoring.claims(entries, known_of(ledger), name=name, source=source))


def answer(ledger: Ledger, kind: str, target: str, **fields: Any) -> Event:
    """Check and record a correction or retraction of a recorded claim."""
    from ledger.corpus import authoring

    (recorded,) = ledger.append(authoring.answer(kind, target, known_of(ledger), **fields))
    return recorded


def add_source(
    ledger: Ledger, text: str | os.PathLike[str], metadata: Mapping[str, Any]
) -> list[Event]:
    """Check and record a text file as a seed source with its metadata."""
    from ledger.corpus import authoring

    return ledger.append(authoring.seed(text, metadata, known_of(ledger)))


def draft(ledger: Ledger, text: str, source_date: str, lang: str | None = None) -> Draft:
    """The dated statements of a new text, with the ledger's entities each sentence names."""
    from ledger.corpus.draft import draft as make_draft
    from ledger.corpus.names import EntityIndex

    index = EntityIndex.from_events(ledger.events(types=sorted(CATALOGUE_TYPES)))
    return make_draft(text, source_date, index, lang)

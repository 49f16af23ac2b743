"""Entities in the domain's terms: the documented kinds, and the names catalogue events give.

Kept apart from ``events`` (the event classes) so that each module stays about one thing.
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.domain.events import EntityAliased, EntityNamed, EntityRegistered, Event, Identified

__all__ = ["ENTITY_KINDS", "names_in"]

ENTITY_KINDS: Mapping[str, str] = {
    "program": "a programme of work with members and a status (ILRS, Artemis, Apollo)",
    "mission": "one flight or expedition, usually part of a program (Chang'e 5, Apollo 11)",
    "agreement": "a treaty, accord, memorandum or contract (the Artemis Accords)",
    "law": "a statute or rule in force (the Wolf Amendment)",
    "agency": "a government agency (NASA, CNSA, Roscosmos)",
    "ministry": "a government ministry or department",
    "country": "a state (China, Russia)",
    "person": "a person (Zhang Kejian, Dmitry Rogozin)",
    "legislature": "a parliament or congress, or one of its chambers",
    "administration": "a government in office (the Biden administration)",
    "organization": "any other body: a company, a university, an association, a party",
    "place": "a place: a city, a region, a site, a body such as the Moon",
    "facility": "a built thing that stays put: a station, a base, a launch site, a lab",
    "spacecraft": "a vehicle or instrument: a rocket, a probe, a lander, a ship",
    "event": "a named happening: a conference, a war, a summit",
    "work": "a written or made work: a book, a report, a film",
    "group": "a group of people or states that is not a formal body",
}
"""Entity kinds with their meaning. A corpus may use another kind (a lowercase word), but
one close to a kind listed here is taken for a misspelling and refused."""


def names_in(event: Event) -> tuple[str, tuple[str, ...]] | None:
    """The entity a catalogue event names and the names (and identifiers) it gives it.

    None for any other event, and for identifiers of a source (``source:<id>`` streams).
    """
    if isinstance(event, EntityRegistered):
        return event.stream, (event.stream, event.name_en, event.name_ar, *event.aliases)
    if isinstance(event, EntityAliased):
        return event.stream, event.aliases
    if isinstance(event, EntityNamed):
        return event.stream, tuple(n for _, n in (*event.names, *event.aliases))
    if isinstance(event, Identified) and not event.stream.startswith("source:"):
        pairs = event.identifiers
        return event.stream, (*(v for _, v in pairs), *(f"{k}:{v}" for k, v in pairs))
    return None

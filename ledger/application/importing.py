"""Importing what ``ledger export`` wrote: read every event of a JSON Lines file, then record
them all at once, saying how many were new.

A corpus of YAML fixtures is imported by ``ledger.corpus.import_corpus``; this is the other
way in, for a ledger's own events taken elsewhere and back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from ledger.domain.events import Event
from ledger.errors import FixtureError

if TYPE_CHECKING:
    from ledger.application.ledger import Ledger

__all__ = ["Recorded", "read_export", "record"]


@attrs.frozen
class Recorded:
    """What recording a batch of events did: how many were new, how many already there."""

    new: int
    present: int

    def summary(self, path: str | os.PathLike[str], where: str) -> str:
        """What ``ledger import`` prints for an export at ``path`` recorded into ``where``."""
        return f"{os.fspath(path)} -> {where}\n  {self.new} new, {self.present} present"


def read_export(path: str | os.PathLike[str]) -> list[Event]:
    """Every event of a JSON Lines export, each checked; ``FixtureError`` naming the file
    (and the line, for a bad record) when it cannot be read."""
    from ledger.persistence.export import RecordError, read_jsonl

    name = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as lines:
            return list(read_jsonl(lines, name))
    except RecordError as e:
        raise FixtureError(name, e.line, e.field, e.message) from None
    except OSError as e:
        raise FixtureError(name, None, None, e.strerror or str(e)) from None
    except (ValueError, UnicodeDecodeError) as e:  # a bad record, a NUL in the name, not UTF-8
        raise FixtureError(name, None, None, str(e)) from None


def record(ledger: Ledger, events: Iterable[Event]) -> Recorded:
    """Append the events in one transaction; how many were new and how many present."""
    before = ledger.digest().position
    recorded = ledger.append(list(events))
    new = sum(1 for e in recorded if e.position > before)
    return Recorded(new=new, present=len(recorded) - new)

"""What the HTML report shows, gathered once: every program's state and timeline, the
disagreements, the corrections and the sources, as of a date and as known at a time.

``Ledger.report`` gathers these values and ``ledger.views.report_page`` renders them; the
CLI's ``report`` and a notebook make the same two calls and get the same page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import unquote, urlsplit

import attrs

from ledger.dates import Truth, parse_edtf
from ledger.domain.errata import errata_of
from ledger.domain.events import SourceRegistered
from ledger.domain.names import Names
from ledger.domain.state import Conflicts, ProgramState
from ledger.domain.timeline import Timeline, TimelineEntry

__all__ = ["ProgramReport", "ReportData", "SourceInfo", "entry_certainty", "source_title"]

_SOURCE_PREFIX = "source:"


_PAGE_SUFFIX = re.compile(r"\.(s?html?|php|aspx?|jsp)$", re.IGNORECASE)


def source_title(title: str, url: str, publisher: str = "") -> str:
    """The title to show for a source: its own, else one supplied from its address.

    A page registered without a title is known by its URL; rather than show the address as
    if it were a title, the words of the address's last wordy segment are shown in square
    brackets, as cataloguers mark a title they supplied ("[Russia china sign memorandum on
    creating int]"), else the publisher and the path ("[TASS: science/1263979]").
    """
    if title and title != url:
        return title
    if not url:
        return title
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for segment in reversed(segments):
        tokens = [t for t in re.split(r"[-_+\s]+", _PAGE_SUFFIX.sub("", segment)) if t]
        while tokens and not tokens[-1].isalpha():
            tokens.pop()  # a page number or id after the words
        while tokens and not tokens[0].isalpha():
            tokens.pop(0)  # or before them
        if sum(1 for t in tokens if t.isalpha()) >= 2:
            words = " ".join(tokens)
            return f"[{words[0].upper()}{words[1:]}]"
    where = publisher or parts.netloc.removeprefix("www.")
    path = "/".join(segments)
    return f"[{where}: {path}]" if path else f"[{where}]"


@attrs.frozen
class SourceInfo:
    """What a reader needs to follow a citation: the source's title, publisher, date, link."""

    id: str
    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    language: str = ""
    errata: tuple[str, ...] = ()
    """Known errors of its text (a translation's mistranslations), as its notes list them."""

    @classmethod
    def of(cls, event: SourceRegistered) -> SourceInfo:
        """The source a ``SourceRegistered`` event registers."""
        return cls(
            id=event.stream.removeprefix(_SOURCE_PREFIX),
            title=source_title(event.title, event.url, event.publisher),
            publisher=event.publisher,
            date=event.valid_time.edtf,
            url=event.url,
            language=event.language,
            errata=tuple(e.note for e in errata_of(event.notes)),
        )


@attrs.frozen
class ProgramReport:
    """One program's part of the report: its state as of the date and its timeline."""

    id: str
    state: ProgramState
    timeline: Timeline


@attrs.frozen
class ReportData:
    """Everything one report shows (values only: rendering it reads no ledger)."""

    as_of: str
    known_at: datetime | None
    programs: tuple[ProgramReport, ...]
    conflicts: Conflicts
    sources: Mapping[str, SourceInfo]
    names: Names

    def corrected(self) -> tuple[TimelineEntry, ...]:
        """Every claim a later event corrected, in historical order."""
        seen: dict[str, TimelineEntry] = {}
        for program in self.programs:
            for entry in program.timeline:
                if entry.corrected:
                    seen.setdefault(entry.event_id, entry)
        return tuple(sorted(seen.values(), key=lambda e: (e.earliest or 0, e.latest or 0)))


def entry_certainty(entry: TimelineEntry, as_of: str) -> str:
    """A claim's *when* as of an EDTF date: certain if it had begun by the period's first day,
    not yet if it had not begun by its last, possible otherwise. Whether sources dispute it is
    the other axis (how well attested), never folded into this one."""
    period = parse_edtf(as_of)
    value = entry.date
    if period.earliest is None or period.latest is None:
        return "possible"
    first, last = value.began_by(period.earliest), value.began_by(period.latest)
    if first is Truth.YES:
        return "certain"
    return "not yet" if last is Truth.NO else "possible"

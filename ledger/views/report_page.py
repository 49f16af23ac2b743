"""The interactive HTML report: one offline file with its evidence, filters and contents.

Every line carries its quote, a link to its source, its certainty as of the report's date and
its confidence; a reader filters by program and period (a small inline script, allowed by the
page's Content-Security-Policy through its hash and nothing else), follows the table of
contents, and sees the disagreements and corrections apart. Nothing is fetched: CSS and script
are inline, the picture is inline SVG, and the policy forbids loading anything. Every corpus
string is escaped; only http(s) links become links.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from html import escape
from importlib import resources
from urllib.parse import urlsplit

import attrs

from ledger.dates import parse_edtf
from ledger.dates.calendar import ordinal_to_iso
from ledger.domain.report import ReportData, SourceInfo, entry_certainty
from ledger.domain.state import Conflict, Evidence, Fact
from ledger.domain.timeline import TimelineEntry
from ledger.errors import MissingExtraError
from ledger.reports.html import inline_svg
from ledger.reports.plot import timeline_svg
from ledger.reports.tables import has_rtl, visible_text
from ledger.views.pictures import timeline_lanes

__all__ = ["ReportPage", "report_document", "report_page", "safe_url"]


def _asset(name: str) -> str:
    return resources.files("ledger.views").joinpath("assets", name).read_text(encoding="utf-8")


def safe_url(url: str) -> str | None:
    """``url`` if it is an http(s) address a reader may follow, else None (no javascript:)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _t(text: object) -> str:
    """Text for an element's content, escaped, control characters made visible."""
    return escape(visible_text(str(text))).replace("\n", "<br>")


def _a(text: object) -> str:
    """Text for an attribute value, escaped."""
    return escape(visible_text(str(text)), quote=True)


def _dir(text: str) -> str:
    """Attributes that let right-to-left text lay itself out."""
    return ' dir="auto" lang="ar"' if has_rtl(text) else ""


def _day(day: int | None) -> str:
    return "" if day is None else ordinal_to_iso(day)


def _badge(word: str) -> str:
    return f'<span class="badge {_a(word.replace(" ", "-"))}">{_t(word)}</span>'


_ROLES = {
    "decides": "decides the date",
    "supports": "supports a more precise claim",
    "ends": "may have ended it by then",
    "bounds": "its earliest possible start: nothing of it can have begun before",
    "start-conflict": "its earliest possible start, which the date precedes: one is wrong",
}


def _rank(rank: str, reason: str, rank_by: str) -> str:
    """A rank other than normal, with the reason and the correction that set it."""
    shown = _badge(rank)
    if reason:
        shown += f' <span class="reason">{_t(reason)}</span>'
    if rank_by:
        shown += f' <span class="by">set by <code class="id">{_t(rank_by)}</code></span>'
    return shown


def _attested(
    confidence: str,
    sources: int,
    rank: str = "normal",
    reason: str = "",
    rank_by: str = "",
    contested: bool = False,
) -> str:
    """How well attested, apart from when: confidence, independent sources, rank, contest."""
    count = f"{sources} source" + ("" if sources == 1 else "s")
    parts = [f'<span class="confidence">{_t(confidence or "unknown")}</span>', _t(count)]
    if rank != "normal":
        parts.append(_rank(rank, reason, rank_by))
    if contested:
        parts.append(_badge("contested"))
    return '<span class="attested">' + ", ".join(parts) + "</span>"


def _remarks(remarks: Iterable[str]) -> str:
    """The remarks on a claim (known errors of its text, corrections' reasons) as a list."""
    items = "".join(f"<li{_dir(r)}>{_t(r)}</li>" for r in dict.fromkeys(remarks) if r)
    return f'<ul class="remarks">{items}</ul>' if items else ""


class _Page:
    """Builds one page from the report's values; a class only to share the lookups."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.names = data.names
        # Which programs a claim or conflict about an entity belongs to (a mission: its program).
        self.owners: dict[str, list[str]] = {}
        for program in data.programs:
            for entity in (program.id, *program.state.parts):
                self.owners.setdefault(entity, []).append(program.id)

    def source(self, source_id: str) -> str:
        """A source cited: its title linked to its address, and to its entry below."""
        info = self.data.sources.get(source_id)
        title = (info.title if info and info.title else "") or source_id
        url = safe_url(info.url) if info else None
        shown = f"<span{_dir(title)}>{_t(title)}</span>"
        if url:
            shown = f'<a href="{_a(url)}" rel="noreferrer noopener">{shown}</a>'
        return f'{shown} <a class="ref" href="#src-{_a(source_id)}">[{_t(source_id)}]</a>'

    def cited(self, e: Evidence) -> str:
        """Who a claim is credited to, and which text holds its quote when another does."""
        shown = self.source(e.source)
        if e.quote_in and e.quote_in != e.source:
            # The quote is the holder's words about the source, never the source's own.
            shown += f" <span class='held'>(quote from {self.source(e.quote_in)})</span>"
        also = [s for s in e.also_cited if s != e.source]
        if also:
            shown += " · also cited: " + ", ".join(
                f'<a class="ref" href="#src-{_a(s)}">{_t(s)}</a>' for s in also
            )
        return shown

    def evidence(self, why: Iterable[Evidence]) -> str:
        """Each claim behind a line: its quote, who says it (and in which text), its date,
        confidence, what it does for the date, its rank and the remarks on it."""
        parts = []
        for e in why:
            quote = f"<blockquote{_dir(e.quote)}>{_t(e.quote)}</blockquote>" if e.quote else ""
            facts = [self.cited(e)]
            if e.date:
                facts.append(_t(e.date))
            if e.confidence:
                facts.append(f"confidence: {_t(e.confidence)}")
            role = _ROLES.get(e.role, e.role)
            if role and e.rank != "deprecated":
                facts.append(f'<span class="role">{_t(role)}</span>')
            if e.rank != "normal":
                facts.append(_rank(e.rank, e.rank_reason, e.rank_by))
            facts.append(f'<code class="id">{_t(e.event_id)}</code>')
            remarks = _remarks(r for r in e.remarks if r != e.rank_reason)
            parts.append(f'<div class="ev">{quote}<cite>{" · ".join(facts)}</cite>{remarks}</div>')
        return "".join(parts)

    def fact_row(self, program: str, fact: Fact) -> str:
        label = self.names.in_text(fact.label)
        detail = self.names.in_text(fact.detail)
        attested = _attested(
            fact.confidence,
            len(fact.sources),
            fact.rank,
            fact.rank_reason,
            fact.rank_by,
            fact.contested,
        )
        return (
            f'<tr class="line" data-program="{_a(program)}">'
            f"<td>{_t(fact.section)}</td><td{_dir(label)}>{_t(label)}</td>"
            f"<td{_dir(detail)}>{_t(detail)}</td>"
            f'<td class="date">{_t(fact.date)}</td><td>{_badge(fact.certainty.value)}</td>'
            f"<td>{attested}</td>"
            f"<td>{self.evidence(fact.why)}</td></tr>"
        )

    def entry_row(self, entry: TimelineEntry, programs: Sequence[str]) -> str:
        certainty = entry_certainty(entry, self.data.as_of)
        summary = self.names.in_text(entry.summary or entry.event_type)
        flags = []
        if entry.conflict:
            flags.append('<span class="flag">sources disagree on the date</span>')
        elif entry.fact_date and entry.fact_date != entry.date.edtf:
            flags.append(f'<span class="flag">other sources date it {_t(entry.fact_date)}</span>')
        if entry.corrected:
            flags.append('<span class="flag">corrected</span>')
        attested = _attested(
            entry.confidence,
            len(entry.sources),
            entry.rank,
            entry.rank_reason,
            entry.rank_by,
            entry.conflict,
        )
        return (
            f'<tr class="line" data-program="{_a(" ".join(programs))}" '
            f'data-first="{_day(entry.earliest)}" data-last="{_day(entry.latest)}">'
            f'<td class="date">{_t(entry.date)}</td>'
            f"<td>{_t(', '.join(self.names.name(p) for p in programs))}</td>"
            f"<td><span{_dir(summary)}>{_t(summary)}</span>"
            f"{self.evidence([entry.evidence()])}</td>"
            f"<td>{_badge(certainty)} {' '.join(flags)}</td><td>{attested}</td></tr>"
        )

    def conflict_block(self, conflict: Conflict) -> str:
        about = self.names.in_text(conflict.about)
        owners = self.owners.get(conflict.entity, [conflict.entity])
        # A side of a date conflict is its date: shown once, in the date column.
        rows = "".join(
            f"<tr><td{_dir(c.value)}>"
            f"{_t('' if c.value == c.date else self.names.in_text(c.value))}</td>"
            f'<td class="date">{_t(c.date)}</td>'
            f"<td>{_attested(c.confidence, len(c.sources), c.rank, c.rank_reason, c.rank_by)}"
            f"</td><td>{'derived from the recorded events' if c.derived else ''}"
            f"{self.evidence(c.why)}</td></tr>"
            for c in conflict.claims
        )
        state = (
            _badge("resolved") + " every side but one is deprecated"
            if conflict.resolved
            else _badge("open") + " the sides still stand against each other"
        )
        return (
            f'<div class="conflict-block" data-program="{_a(" ".join(owners))}">'
            f"<h3>{_t(self.names.name(conflict.entity))}: {_t(conflict.kind)} of "
            f"<span{_dir(about)}>{_t(about)}</span></h3><p class='meta'>{state}</p>"
            '<div class="scroll"><table><thead><tr><th>Value</th><th>Date</th>'
            "<th>Attested</th><th>Sources and quotes</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div></div>"
        )

    @staticmethod
    def source_row(info: SourceInfo) -> str:
        url = safe_url(info.url)
        address = (
            f'<a href="{_a(url)}" rel="noreferrer noopener">{_t(url)}</a>' if url else _t(info.url)
        )
        return (
            f'<tr id="src-{_a(info.id)}"><td><code class="id">{_t(info.id)}</code></td>'
            f"<td{_dir(info.title)}>{_t(info.title)}</td><td>{_t(info.publisher)}</td>"
            f'<td class="date">{_t(info.date)}</td><td>{_t(info.language)}</td>'
            f"<td>{address}</td></tr>"
        )

    def body(self, picture_svg: str | None, picture_note: str) -> list[str]:
        data = self.data
        entries: dict[str, tuple[TimelineEntry, list[str]]] = {}
        for program in data.programs:
            for entry in program.timeline:
                entries.setdefault(entry.event_id, (entry, []))[1].append(program.id)
        ordered = sorted(
            entries.values(), key=lambda pair: (pair[0].earliest or -(10**9), pair[0].latest or 0)
        )
        corrected = data.corrected()
        errata = [(info, note) for info in data.sources.values() for note in info.errata]
        known = data.known_at.isoformat() if data.known_at else "everything recorded"
        options = "".join(
            f'<option value="{_a(p.id)}">{_t(self.names.both(p.id))}</option>'
            for p in data.programs
        )
        toc = "".join(
            f'<li><a href="#p-{_a(p.id)}">{_t(self.names.both(p.id))}</a></li>'
            for p in data.programs
        )
        out = [
            f"<h1>Ledger report as of {_t(data.as_of)}</h1>",
            f'<p class="meta">States as of {_t(data.as_of)}, known at {_t(known)}. Each line '
            "answers two questions apart: <em>when</em> (certain, possible or not yet as of "
            "that date, from the dates alone) and <em>how well attested</em> (the best "
            "confidence of its claims, how many sources make them, their rank: preferred, "
            "normal or deprecated, with the reason and the correction that set it, and whether "
            "sources contest it). Under each line: the claims, their quotes, the text that "
            "holds each quote, and the known errors of that text.</p>",
            '<nav id="toc"><h2>Contents</h2><ol>',
            '<li><a href="#picture">Timeline picture</a></li>',
            f'<li><a href="#programs">Programs ({len(data.programs)})</a><ol>{toc}</ol></li>',
            f'<li><a href="#timeline">Every claim in date order ({len(ordered)})</a></li>',
            f'<li><a href="#conflicts">Disagreements ({len(data.conflicts)})</a></li>',
            f'<li><a href="#corrections">Corrections ({len(corrected)})</a></li>',
            f'<li><a href="#errata">Known errors of the texts ({len(errata)})</a></li>',
            f'<li><a href="#sources">Sources ({len(data.sources)})</a></li></ol></nav>',
            '<form id="filters" role="search">'
            '<label>Program <select id="f-program"><option value="">every program</option>'
            f"{options}</select></label>"
            '<label>From <input id="f-from" placeholder="2020 or 2020-07"></label>'
            '<label>To <input id="f-to" placeholder="2021-03-09"></label>'
            '<button type="button" id="f-reset">Show all</button>'
            '<output id="f-count"></output></form>',
            '<section id="picture"><h2>Timeline picture</h2>',
        ]
        if picture_svg is not None:
            out.append(f'<figure class="timeline">{inline_svg(picture_svg)}</figure>')
        out.append(
            f'<p class="empty">{_t(picture_note)}</p></section>' if picture_note else "</section>"
        )
        out.append('<section id="programs"><h2>Programs</h2>')
        head = (
            "<thead><tr><th>Section</th><th>Fact</th><th>Detail</th><th>Date</th>"
            "<th>When</th><th>Attested</th><th>Evidence</th></tr></thead>"
        )
        for program in data.programs:
            state = program.state
            rows = "".join(self.fact_row(program.id, f) for f in state.facts())
            table = (
                f'<div class="scroll"><table>{head}<tbody>{rows}</tbody></table></div>'
                if rows
                else '<p class="empty">Nothing known as of this date.</p>'
            )
            out.append(
                f'<section id="p-{_a(program.id)}" data-program="{_a(program.id)}">'
                f"<h3>{_t(self.names.both(program.id))} <code class='id'>{_t(program.id)}</code>"
                f"</h3>{table}</section>"
            )
        out.append("</section>")
        lines = "".join(self.entry_row(e, owners) for e, owners in ordered)
        out.append(
            '<section id="timeline"><h2>Every claim in date order</h2><div class="scroll"><table>'
            "<thead><tr><th>Date</th><th>Program</th><th>Claim, quote and source</th>"
            f"<th>When</th><th>Attested</th></tr></thead><tbody>{lines}</tbody></table>"
            "</div></section>"
        )
        blocks = "".join(self.conflict_block(c) for c in data.conflicts)
        out.append(
            '<section id="conflicts"><h2>Disagreements between sources</h2>'
            + (blocks or '<p class="empty">No disagreements.</p>')
            + "</section>"
        )
        fixes = "".join(
            f'<tr><td class="date">{_t(e.date)}</td><td>{_t(self.names.in_text(e.summary))}</td>'
            f"<td>{_rank(e.rank, '', e.rank_by) if e.rank != 'normal' else 'remark'}</td>"
            f"<td>{_remarks(e.remarks)}</td><td>{self.cited(e.evidence())}</td>"
            f"<td><code class='id'>{_t(e.event_id)}</code></td></tr>"
            for e in corrected
        )
        out.append(
            '<section id="corrections"><h2>Corrections</h2>'
            "<p class='meta'>Claims a later event corrected: deprecated ones (marked wrong, "
            "shown but no longer deciding) and remarks (an ambiguity, an unverified detail), "
            "each with what the correction says.</p>"
            + (
                '<div class="scroll"><table><thead><tr><th>Date</th><th>Claim</th><th>Rank</th>'
                "<th>What is known of it</th><th>Source</th>"
                f"<th>Event</th></tr></thead><tbody>{fixes}</tbody></table></div>"
                if fixes
                else '<p class="empty">No corrections.</p>'
            )
            + "</section>"
        )
        known_errors = "".join(
            f"<tr><td>{self.source(info.id)}</td><td{_dir(note)}>{_t(note)}</td></tr>"
            for info, note in errata
        )
        out.append(
            '<section id="errata"><h2>Known errors of the texts</h2>'
            "<p class='meta'>What a text is known to get wrong (a translation's "
            "mistranslations): every claim quoting those words carries the note.</p>"
            + (
                '<div class="scroll"><table><thead><tr><th>Text</th><th>Error</th></tr></thead>'
                f"<tbody>{known_errors}</tbody></table></div>"
                if known_errors
                else '<p class="empty">No known errors.</p>'
            )
            + "</section>"
        )
        sources = "".join(self.source_row(s) for s in data.sources.values())
        out.append(
            '<section id="sources"><h2>Sources</h2><div class="scroll"><table><thead><tr>'
            "<th>Id</th><th>Title</th><th>Publisher</th><th>Date</th><th>Language</th>"
            f"<th>Address</th></tr></thead><tbody>{sources}</tbody></table></div></section>"
        )
        return out


def report_page(data: ReportData, picture_svg: str | None = None, picture_note: str = "") -> str:
    """The whole report as one HTML document (``picture_note`` explains a missing picture)."""
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; form-action 'none'"
    )
    body = _Page(data).body(picture_svg, picture_note)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
            f"<title>Ledger report as of {_t(data.as_of)}</title>",
            f"<style>\n{_asset('report.css')}</style>",
            "</head>",
            "<body>",
            *body,
            f"<script>{script}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


@attrs.frozen
class ReportPage:
    """The report as one HTML document, and what it holds in a few words."""

    html: str
    summary: str


def report_document(data: ReportData) -> ReportPage:
    """The report of ``data`` with its timeline picture, as ``ledger report`` writes it; the
    page says so where the picture needs the ``plot`` extra (matplotlib) and it is missing."""
    summary = f"{len(data.programs)} programs, {len(data.conflicts)} conflicts"
    lanes = timeline_lanes([p.timeline for p in data.programs], data.names, data.as_of)
    try:
        # Every mark's whole label is its tooltip and a line of the report: no legend here.
        svg = timeline_svg(lanes, parse_edtf(data.as_of).earliest, legend=False)
    except MissingExtraError as missing:
        return ReportPage(report_page(data, None, f"No picture in this report: {missing}"), summary)
    return ReportPage(report_page(data, svg), summary)

"""``why`` for people: the steps behind one line of an answer, then the quotes they rest on."""

from __future__ import annotations

from ledger.domain.evidence import Row
from ledger.domain.explain import Explanation
from ledger.domain.names import Names, id_tokens
from ledger.views.layout import Footnotes, Table, View

__all__ = ["why_ids", "why_view"]

_COLUMNS = ("rule", "explanation", "notes")
_WRAP = frozenset({"explanation", "notes"})


def why_ids(explanation: Explanation) -> set[str]:
    """The entity ids a view of the explanation names."""
    ids = {explanation.program}
    for found in explanation.facts:
        ids |= {found.fact.label, *id_tokens(found.fact.detail)}
    return ids


def why_view(explanation: Explanation, names: Names) -> View:
    """One table per fact explained (its steps, numbered notes), then the quotes."""
    notes = Footnotes()
    tables: list[Table] = []
    for found in explanation.facts:
        fact = found.fact
        by_id = {e.event_id: e for e in fact.why}
        rows: list[Row] = []
        for step in found.steps:
            cited = [by_id[i] for i in step.events if i in by_id]
            rows.append(
                {
                    "rule": step.rule,
                    "explanation": step.text,
                    "notes": notes.refs(cited) if cited else "",
                }
            )
        title = (
            f"{fact.section} {names.in_text(fact.label)}"
            + (f" ({names.in_text(fact.detail)})" if fact.detail else "")
            + f": {fact.certainty.value}, {fact.date}, as of {explanation.as_of}"
        )
        tables.append(Table(title, _COLUMNS, tuple(rows), _WRAP))
    tables.append(notes.table())
    return View(tuple(tables), tuple(explanation.rows()))

"""The refinement properties through the whole engine: events folded into a fact table,
compiled, and asked "as of" every few days; not just the date merge on its own."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from projection_builders import Recorder
from strategies import EVIDENCE_FIRST_DAY, evidence_spans

from ledger.dates.calendar import ordinal_to_iso
from ledger.domain.asof import state_as_of
from ledger.domain.events import Corrected, Event, MemberJoined
from ledger.domain.fold import build
from ledger.domain.lines import Compiled, compile_table

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_DAYS = range(EVIDENCE_FIRST_DAY - 2, EVIDENCE_FIRST_DAY + 100, 3)

Span = tuple[int | None, int | None]


def _edtf(low: int | None, high: int | None) -> str:
    """The EDTF of a start somewhere in [low, high] (None: open)."""
    if low is not None and low == high:
        return ordinal_to_iso(low)
    first = "" if low is None else ordinal_to_iso(low)
    last = "" if high is None else ordinal_to_iso(high)
    return f"[{first}..{last}]"


def _joined(rec: Recorder, span: Span, number: int) -> Event:
    """A claim that "m" joined "p": the happening "f", its start in ``span``."""
    return rec.add(
        MemberJoined,
        "p",
        _edtf(*span),
        member="m",
        role="partner",
        fact="f",
        source=f"source-{number}",
    )


def _compiled(spans: list[Span], extra: Span | None = None, wrong: Span | None = None) -> Compiled:
    """The table of the claims (and an extra one, and a deprecated one) about "f"."""
    rec = Recorder()
    for number, span in enumerate(spans):
        _joined(rec, span, number)
    if extra is not None:
        _joined(rec, extra, len(spans))
    if wrong is not None:
        claim = _joined(rec, wrong, len(spans) + 1)
        rec.later(days=1)
        rec.add(
            Corrected,
            "p",
            claim.valid_time.edtf,
            target=claim.id,
            reason="a wrong report",
            changes=(("rank", "deprecated"),),
            source="errata",
        )
    return compile_table(build("p", rec.events))


def _answers(compiled: Compiled) -> list[tuple[str, str] | None]:
    """The member line's *when* on every few days of the window (None: absent)."""
    found: list[tuple[str, str] | None] = []
    for day in _DAYS:
        state = state_as_of(compiled, ordinal_to_iso(day))
        members = [(m.member, m.certainty.value) for m in state.members]
        assert len(members) <= 1
        found.append(members[0] if members else None)
    return found


def _inside(
    low: int | None, high: int | None, outer_low: int | None, outer_high: int | None
) -> bool:
    lo = float("-inf") if low is None else low
    hi = float("inf") if high is None else high
    olo = float("-inf") if outer_low is None else outer_low
    ohi = float("inf") if outer_high is None else outer_high
    return olo <= lo and hi <= ohi


@SETTINGS
@given(st.lists(evidence_spans(), min_size=1, max_size=4), evidence_spans())
def test_a_compatible_more_precise_claim_never_widens_the_fact(
    spans: list[Span], extra: Span
) -> None:
    """A new claim within the happening's bounds leaves them as they were or narrower."""
    before = _compiled(spans).dates["f"]
    if not _inside(*extra, before.low, before.high):
        return
    after = _compiled(spans, extra=extra).dates["f"]
    assert _inside(after.low, after.high, before.low, before.high)


@pytest.mark.slow
@SETTINGS
@given(
    st.lists(evidence_spans(), min_size=1, max_size=4),
    st.integers(0, 20),
    st.integers(0, 20),
    st.booleans(),
    st.booleans(),
)
def test_a_compatible_vaguer_claim_never_changes_when(
    spans: list[Span], before_by: int, after_by: int, open_low: bool, open_high: bool
) -> None:
    """A new claim whose dates hold the happening's bounds changes no state's *when* on any
    day, nor the happening's bounds."""
    compiled = _compiled(spans)
    date = compiled.dates["f"]
    low = None if open_low or date.low is None else date.low - before_by
    high = None if open_high or date.high is None else date.high + after_by
    assume(low is not None or high is not None)  # no EDTF says "some day, any day"
    vaguer = _compiled(spans, extra=(low, high))
    assert _answers(vaguer) == _answers(compiled)
    assert (vaguer.dates["f"].low, vaguer.dates["f"].high) == (date.low, date.high)


@pytest.mark.slow
@SETTINGS
@given(st.lists(evidence_spans(), min_size=1, max_size=4), evidence_spans())
def test_a_deprecated_claim_never_decides(spans: list[Span], wrong: Span) -> None:
    """A claim a correction deprecates, whatever its date, changes no state's *when* nor the
    happening's bounds and shown date; it is still cited, as deprecated."""
    compiled = _compiled(spans)
    corrected = _compiled(spans, wrong=wrong)
    assert _answers(corrected) == _answers(compiled)
    before, after = compiled.dates["f"], corrected.dates["f"]
    assert (after.low, after.high, after.edtf) == (before.low, before.high, before.edtf)
    roles = {e.role for e in corrected.evidence.values()}
    assert "deprecated" in roles

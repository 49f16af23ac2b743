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
from ledger.domain.events import BeganNotBefore, Corrected, Event, MemberJoined
from ledger.domain.fold import build
from ledger.domain.lines import Compiled, compile_table

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_DAYS = range(EVIDENCE_FIRST_DAY - 2, EVIDENCE_FIRST_DAY + 100, 3)

Span = tuple[int | None, int | None]

STARTS = st.one_of(st.none(), st.integers(EVIDENCE_FIRST_DAY - 5, EVIDENCE_FIRST_DAY + 70))
"""The program's earliest possible start (None: unknown), within or around the window."""


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


def _compiled(
    spans: list[Span],
    extra: Span | None = None,
    wrong: Span | None = None,
    start: int | None = None,
) -> Compiled:
    """The table of the claims (and an extra one, and a deprecated one) about "f", with the
    program's earliest possible start when one is given."""
    rec = Recorder()
    if start is not None:
        rec.add(BeganNotBefore, "p", ordinal_to_iso(start), reason="earliest evidence")
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
@given(st.lists(evidence_spans(), min_size=1, max_size=4), evidence_spans(), STARTS)
def test_a_compatible_more_precise_claim_never_widens_the_fact(
    spans: list[Span], extra: Span, start: int | None
) -> None:
    """A new claim within the happening's bounds (as the program's start bounds them, if it
    has one) leaves them as they were or narrower."""
    before = _compiled(spans, start=start).dates["f"]
    if not _inside(*extra, before.low, before.high):
        return
    after = _compiled(spans, extra=extra, start=start).dates["f"]
    assert _inside(after.low, after.high, before.low, before.high)


@pytest.mark.slow
@SETTINGS
@given(
    st.lists(evidence_spans(), min_size=1, max_size=4),
    st.integers(0, 20),
    st.integers(0, 20),
    st.booleans(),
    st.booleans(),
    STARTS,
)
def test_a_compatible_vaguer_claim_never_changes_when(
    spans: list[Span],
    before_by: int,
    after_by: int,
    open_low: bool,
    open_high: bool,
    start: int | None,
) -> None:
    """A new claim whose dates hold the happening's bounds (a program's start included)
    changes no state's *when* on any day, nor the happening's bounds."""
    compiled = _compiled(spans, start=start)
    date = compiled.dates["f"]
    low = None if open_low or date.low is None else date.low - before_by
    high = None if open_high or date.high is None else date.high + after_by
    assume(low is not None or high is not None)  # no EDTF says "some day, any day"
    vaguer = _compiled(spans, extra=(low, high), start=start)
    assert _answers(vaguer) == _answers(compiled)
    assert (vaguer.dates["f"].low, vaguer.dates["f"].high) == (date.low, date.high)


@pytest.mark.slow
@SETTINGS
@given(st.lists(evidence_spans(), min_size=1, max_size=4), evidence_spans(), STARTS)
def test_a_deprecated_claim_never_decides(
    spans: list[Span], wrong: Span, start: int | None
) -> None:
    """A claim a correction deprecates, whatever its date, changes no state's *when* nor the
    happening's bounds and shown date (with or without a start); it is still cited, as
    deprecated."""
    compiled = _compiled(spans, start=start)
    corrected = _compiled(spans, wrong=wrong, start=start)
    assert _answers(corrected) == _answers(compiled)
    before, after = compiled.dates["f"], corrected.dates["f"]
    assert (after.low, after.high, after.edtf) == (before.low, before.high, before.edtf)
    roles = {e.role for e in corrected.evidence.values()}
    assert "deprecated" in roles


@pytest.mark.slow
@SETTINGS
@given(st.lists(evidence_spans(), min_size=1, max_size=4), STARTS)
def test_nothing_of_a_program_begins_before_its_start(spans: list[Span], start: int | None) -> None:
    """With a start, the member line is absent on every day before it; a happening dated
    wholly before the start keeps its own dates (not moved), and without a start nothing
    changes."""
    plain = _compiled(spans)
    bounded = _compiled(spans, start=start)
    date, was = bounded.dates["f"], plain.dates["f"]
    if start is None:
        assert _answers(bounded) == _answers(plain)
        return
    if date.before_start:
        assert (date.low, date.high, date.edtf) == (was.low, was.high, was.edtf)
        return
    assert date.low is not None
    assert date.low >= start
    for day, answer in zip(_DAYS, _answers(bounded), strict=True):
        if day < start:
            assert answer is None

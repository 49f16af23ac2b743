"""The historical date value: what a source says about when, and the days it allows.

A ``HistoricalDate`` is built by ``ledger.dates.edtf.parse_edtf`` from an EDTF string and
keeps that canonical string plus everything derived from it: the earliest and latest
possible day (day ordinals, None when unknown or open), the precision, the qualifiers, and
the parts of intervals and sets. Two values are equal when their canonical strings are.
"""

from __future__ import annotations

import enum

import attrs
import pendulum

from ledger.dates.calendar import ordinal_to_ymd
from ledger.dates.compare import Truth, truth_by, truth_over
from ledger.deferred import Deferred


class Precision(enum.StrEnum):
    """How finely a date is known: the unit of its finest fully specified part.

    Trailing all-X parts are ignored (``1985-XX-XX`` is a year). A part with some X digits
    gives the next coarser unit (``1985-04-1X`` is a month, ``1984-1X`` a year). A year with
    trailing X digits is a decade, century or millennium (``201X``, ``20XX``, ``2XXX``), as
    is a year with as many non-significant digits (``1950S2``: century); X digits elsewhere
    in the year, or more than three, give ``unspecified``. Date-times are ``second``;
    groupings 21-41 are ``season``/``quarter``/``quadrimester``/``semester``.
    """

    SECOND = "second"
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    QUADRIMESTER = "quadrimester"
    SEMESTER = "semester"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    MILLENNIUM = "millennium"
    UNSPECIFIED = "unspecified"
    INTERVAL = "interval"
    SET = "set"


class Kind(enum.StrEnum):
    """The shape of a value: one date, an interval, a set, or a range inside a set."""

    DATE = "date"
    INTERVAL = "interval"
    ONE_OF = "one_of"
    ALL_OF = "all_of"
    RANGE = "range"


class End(enum.StrEnum):
    """An end of an interval or range: a date, unknown (empty), or open (``..``)."""

    KNOWN = "known"
    UNKNOWN = "unknown"
    OPEN = "open"


class Qualifier(enum.StrEnum):
    """EDTF qualifiers: ``?`` uncertain, ``~`` approximate (``%`` is both)."""

    UNCERTAIN = "uncertain"
    APPROXIMATE = "approximate"


# Derived fields do not take part in equality: the canonical string determines them all.
_derived = attrs.field(eq=False, repr=False)


@attrs.frozen(repr=False)
class HistoricalDate(Deferred):
    """A date or period as a source gives it, with the range of days it allows.

    Qualifiers (``?``, ``~``, ``%``) are kept and reported but do not widen the bounds:
    "about 1950" still has 1950 as its best known range, and widening by a guessed margin
    would invent knowledge. Unknown (empty) and open (``..``) interval ends stay distinct
    in ``start_kind``/``end_kind`` and in the string; both leave their bound as None.

    A date read back with the bounds stored beside it (``edtf.bounded``) parses the rest of
    itself when first asked for it (see :mod:`ledger.deferred`).
    """

    edtf: str
    earliest: int | None = _derived
    latest: int | None = _derived
    precision: Precision = _derived
    kind: Kind = attrs.field(default=Kind.DATE, eq=False, repr=False)
    uncertain: bool = attrs.field(default=False, eq=False, repr=False)
    approximate: bool = attrs.field(default=False, eq=False, repr=False)
    qualified: tuple[tuple[str, Qualifier], ...] = attrs.field(default=(), eq=False, repr=False)
    """Which parts carry which qualifier, e.g. ``(("year", Qualifier.UNCERTAIN),)``."""
    start: HistoricalDate | None = attrs.field(default=None, eq=False, repr=False)
    end: HistoricalDate | None = attrs.field(default=None, eq=False, repr=False)
    start_kind: End = attrs.field(default=End.KNOWN, eq=False, repr=False)
    end_kind: End = attrs.field(default=End.KNOWN, eq=False, repr=False)
    members: tuple[HistoricalDate, ...] = attrs.field(default=(), eq=False, repr=False)
    start_earliest: int | None = attrs.field(default=None, eq=False, repr=False)
    """Earliest possible day of the start (of an interval, a set, or the date itself)."""
    start_latest: int | None = attrs.field(default=None, eq=False, repr=False)
    """Latest possible day of the start.

    For an interval, the start's own latest day, capped by the end's latest day because
    nothing starts after it ends; with an unknown or open start, the end's latest day (so
    ``/2006`` had certainly begun by 2007). For an all-of set, the earliest of its members'
    latest days. Never a guess: only what the string itself implies.
    """

    def __str__(self) -> str:
        return self.edtf

    def __repr__(self) -> str:
        return f"HistoricalDate({self.edtf!r})"

    @property
    def qualifiers(self) -> tuple[Qualifier, ...]:
        """The qualifiers present anywhere in the value, uncertain before approximate."""
        found: list[Qualifier] = []
        if self.uncertain:
            found.append(Qualifier.UNCERTAIN)
        if self.approximate:
            found.append(Qualifier.APPROXIMATE)
        return tuple(found)

    @property
    def is_interval(self) -> bool:
        """Whether the value is an interval (``start/end``)."""
        return self.kind is Kind.INTERVAL

    def happened_by(self, day: int) -> Truth:
        """Whether it certainly, possibly or certainly not happened on or before ``day``."""
        return truth_by(self.earliest, self.latest, day)

    def began_by(self, day: int) -> Truth:
        """Like ``happened_by`` but on the bounds of the start (intervals, sets)."""
        return truth_by(self.start_earliest, self.start_latest, day)

    def happened_as_of(self, period: HistoricalDate) -> Truth:
        """``happened_by`` over a period: YES at its first day, NO at its last, else MAYBE."""
        return truth_over(self, period, "happened")

    def began_as_of(self, period: HistoricalDate) -> Truth:
        """``began_by`` over a period: YES at its first day, NO at its last, else MAYBE."""
        return truth_over(self, period, "began")

    def to_pendulum_bounds(self) -> tuple[pendulum.Date | None, pendulum.Date | None]:
        """Earliest and latest day as pendulum dates; None when unknown or not representable.

        Pendulum (like ``datetime``) only has years 1..9999.
        """
        return _to_pendulum(self.earliest), _to_pendulum(self.latest)


def _to_pendulum(ordinal: int | None) -> pendulum.Date | None:
    """A pendulum date for an ordinal in years 1..9999, else None."""
    if ordinal is None:
        return None
    year, month, day = ordinal_to_ymd(ordinal)
    if not 1 <= year <= 9999:
        return None
    return pendulum.Date(year, month, day)

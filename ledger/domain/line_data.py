"""What one line of a fact table says, as a typed value (see ``ledger.domain.lines``)."""

from __future__ import annotations

import attrs

from ledger.domain.events import Scalar


@attrs.frozen(kw_only=True)
class LineData:
    """What a line says, typed: each section fills the fields it has (a status its
    ``status``; a membership ``member``, ``role`` and, for a party to an agreement, ``via``;
    an invitation ``party``, ``answer``, ``by``, ``role`` and ``reason``...), the rest keep
    their empty defaults."""

    status: str = ""
    parties: tuple[str, ...] = ()
    topic: str = ""
    agreement: str = ""
    signatories: tuple[str, ...] = ()
    mode: str = ""
    member: str = ""
    role: str = ""
    via: str = ""
    """For a membership: what made the member one ("agreement": a party to it)."""
    party: str = ""
    answer: str = ""
    by: str = ""
    reason: str = ""
    milestone: str = ""
    mission: str = ""
    restriction: str = ""
    restricted: tuple[str, ...] = ()
    counterparties: tuple[str, ...] = ()
    authority: str = ""
    attribute: str = ""
    value: Scalar = ""
    count: int = 0
    excluding: tuple[str, ...] = ()

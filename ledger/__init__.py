"""ledger: a timeline ledger for historians."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.domain import display as _display

__version__ = "0.1.0"

__all__ = [
    "Certainty",
    "Change",
    "Conflict",
    "ConflictingClaim",
    "Conflicts",
    "Diff",
    "Digest",
    "Evidence",
    "Ledger",
    "ProgramState",
    "ProgramSummary",
    "Programs",
    "Timeline",
    "TimelineEntry",
    "VerifyResult",
    "__version__",
    "open",
    "open_default",
]

if TYPE_CHECKING:
    from ledger.application.bootstrap import open, open_default
    from ledger.application.ledger import Ledger
    from ledger.application.names import Programs, ProgramSummary
    from ledger.domain.diff import Change, Diff
    from ledger.domain.state import (
        Certainty,
        Conflict,
        ConflictingClaim,
        Conflicts,
        Evidence,
        ProgramState,
    )
    from ledger.domain.timeline import Timeline, TimelineEntry
    from ledger.persistence.chain import Digest, VerifyResult


def _notebook() -> _display.Renderer:
    """The views' notebook renderer, imported when a notebook first displays a result."""
    from ledger.views import notebook

    return notebook


_display.use(_notebook)

# Imported on first use, so that ``import ledger.dates`` does not load SQLAlchemy.
_LAZY = {
    "open": "ledger.application.bootstrap",
    "open_default": "ledger.application.bootstrap",
    "Ledger": "ledger.application.ledger",
    "Digest": "ledger.persistence.chain",
    "VerifyResult": "ledger.persistence.chain",
    "Certainty": "ledger.domain.state",
    "Conflict": "ledger.domain.state",
    "ConflictingClaim": "ledger.domain.state",
    "Conflicts": "ledger.domain.state",
    "Evidence": "ledger.domain.state",
    "ProgramState": "ledger.domain.state",
    "Change": "ledger.domain.diff",
    "Diff": "ledger.domain.diff",
    "Timeline": "ledger.domain.timeline",
    "TimelineEntry": "ledger.domain.timeline",
    "Programs": "ledger.application.names",
    "ProgramSummary": "ledger.application.names",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ledger' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

"""ledger: a timeline ledger for historians."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Digest", "Ledger", "VerifyResult", "__version__", "open"]

if TYPE_CHECKING:
    from ledger.app import Ledger, open
    from ledger.persistence.chain import Digest, VerifyResult

# Imported on first use, so that ``import ledger.dates`` does not load SQLAlchemy.
_LAZY = {
    "open": "ledger.app",
    "Ledger": "ledger.app",
    "Digest": "ledger.persistence.chain",
    "VerifyResult": "ledger.persistence.chain",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ledger' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

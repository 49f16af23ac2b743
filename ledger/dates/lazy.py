"""Names a package exports but imports only when first used (PEP 562 module ``__getattr__``).

It lives in the lowest layer so that the packages above can share it, each deferring what a
common question never needs. The top-level ``ledger`` package keeps its own few lines: importing
this module would load ``ledger.dates`` (and pendulum) on a bare ``import ledger``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, modules: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` importing each name of ``modules`` (name -> module) on first
    use and keeping it in ``namespace`` (the package's ``globals()``) for every later use."""

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__

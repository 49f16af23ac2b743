"""How results show in a notebook, without the domain knowing how they are drawn.

State, timeline and conflicts values have a one-line ``__repr__`` and, through this registry,
a ``_repr_html_`` (the table a terminal shows, as HTML) and ``to_pandas()``. The renderers
live in ``ledger.views.notebook``; they are registered by "module:function" name (see
``ledger/__init__.py``) and imported only when a notebook first displays a result, so the
domain imports nothing of the views and a plain script pays nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Displayed", "register"]

_RENDERERS: dict[tuple[str, str], str] = {}


def register(kind: str, what: str, target: str) -> None:
    """Render values of class ``kind`` as ``what`` ("html" or "frame") with ``target``."""
    _RENDERERS[(kind, what)] = target


def _render(value: object, what: str) -> Any:
    target = _RENDERERS.get((type(value).__name__, what))
    if target is None:
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)(value)


class Displayed:
    """What a result needs to show itself well in a notebook; subclasses give ``summary``."""

    __slots__ = ()

    def summary(self) -> str:
        """One line saying what the value holds."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.summary()}>"

    def _repr_html_(self) -> str | None:
        """The same table the terminal shows, as HTML (None: no renderer registered)."""
        html: str | None = _render(self, "html")
        return html

    def to_pandas(self) -> Any:
        """The value's records as a pandas DataFrame with typed columns (needs pandas)."""
        frame = _render(self, "frame")
        if frame is None:
            raise TypeError(f"{type(self).__name__} has no DataFrame form")
        return frame

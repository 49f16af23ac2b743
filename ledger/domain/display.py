"""How results show in a notebook, without the domain knowing how they are drawn.

State, timeline and conflicts values have a one-line ``__repr__`` and, through the renderer
given to :func:`use`, a ``_repr_html_`` (the table a terminal shows, as HTML) and
``to_pandas()``. ``ledger/__init__.py`` gives the views' renderer (``ledger.views.notebook``),
loaded only when a notebook first displays a result: the domain imports nothing of the
views, and a plain script pays nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Displayed", "Renderer", "use"]


class Renderer(Protocol):
    """What draws results for a notebook."""

    def html(self, value: object) -> str | None:
        """The value's tables as HTML; None for a value it does not draw."""
        ...

    def frame(self, value: object) -> Any:
        """The value's records as a DataFrame; None for a value it does not draw."""
        ...


_loader: list[Callable[[], Renderer]] = []


def use(load: Callable[[], Renderer]) -> None:
    """Draw results with the renderer ``load`` returns (called when one is first shown)."""
    _loader[:] = [load]


def _renderer() -> Renderer | None:
    return _loader[0]() if _loader else None


class Displayed:
    """What a result needs to show itself well in a notebook; subclasses give ``summary``."""

    __slots__ = ()

    def summary(self) -> str:
        """One line saying what the value holds."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.summary()}>"

    def _repr_html_(self) -> str | None:
        """The same table the terminal shows, as HTML (None: no renderer in use)."""
        renderer = _renderer()
        return None if renderer is None else renderer.html(self)

    def to_pandas(self) -> Any:
        """The value's records as a pandas DataFrame with typed columns (needs pandas)."""
        renderer = _renderer()
        frame = None if renderer is None else renderer.frame(self)
        if frame is None:
            raise TypeError(f"{type(self).__name__} has no DataFrame form")
        return frame

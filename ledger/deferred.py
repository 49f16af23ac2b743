"""Fields a builder leaves unset, made when one of them is first read.

A store replaying a million events builds each one, yet most folds read only a few of its
fields. A builder may leave some slots of a frozen value unset and put ``(fill, data)`` in
its ``_deferred`` slot: the first read of an unset field calls ``fill(value, data, name)``,
which sets that field (and any others it chooses; every one for the name ``""``) and
returns what stays deferred: a new ``(fill, data)``, or None once every field is set. The
value is then what it would have been if built whole: equal, hashed, printed, pickled and
frozen alike (each of those reads its fields). Nothing here knows what ``data`` is; only
the builder does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

Fill: TypeAlias = Callable[[Any, Any, str], "tuple[Fill, Any] | None"]
"""``fill(value, data, name)``: sets at least the field ``name``; returns what stays deferred."""


class Deferred:
    """A base for slotted attrs classes whose builder may defer some of their fields."""

    __slots__ = ("_deferred",)

    if not TYPE_CHECKING:  # to the type checker, a value has only the fields it declares

        def __getattr__(self, name):
            # Reached only when normal lookup fails: an unset slot, or a name not there.
            try:
                fill, data = _get(self)
            except AttributeError:
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}",
                    name=name,
                    obj=self,
                ) from None
            _left(self, fill(self, data, name))  # or raises: its data cannot be read
            return object.__getattribute__(self, name)


_SLOT = Deferred._deferred  # type: ignore[attr-defined]  # the slot's own descriptor
_get: Callable[[Any], tuple[Fill, Any]] = _SLOT.__get__
_forget: Callable[[Any], None] = _SLOT.__delete__

defer: Callable[[Any, tuple[Fill, Any]], None] = _SLOT.__set__
"""``defer(value, (fill, data))``: leave ``value``'s unset fields to ``fill``."""


def _left(value: Any, rest: tuple[Fill, Any] | None) -> None:
    if rest is not None:
        defer(value, rest)
        return
    # Another thread may have filled it meanwhile, with the same values.
    with contextlib.suppress(AttributeError):
        _forget(value)  # lets the builder's data go


def settle(value: Any) -> Any:
    """``value`` with every deferred field made; itself when none is deferred."""
    while True:
        try:
            fill, data = _get(value)
        except AttributeError:
            return value
        _left(value, fill(value, data, ""))


def is_deferred(value: Any) -> bool:
    """Whether some field of ``value`` is still left to be made."""
    try:
        _get(value)
    except AttributeError:
        return False
    return True


__all__ = ["Deferred", "Fill", "defer", "is_deferred", "settle"]

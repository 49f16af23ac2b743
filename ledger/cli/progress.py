"""A progress bar on stderr for long commands, drawn only when stderr is a terminal.

Dependency-free: one line redrawn with a carriage return, cleared when done. When stderr is
not a terminal (a pipe, a log, a test) nothing is written at all.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

_WIDTH = 30
_INTERVAL = 0.1


class Progress:
    """Counts ``total`` steps under a label; ``advance`` redraws at most every 0.1 s."""

    def __init__(
        self, label: str, total: int, stream: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_tty(self.stream) if enabled is None else enabled
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def advance(self, steps: int = 1, label: str | None = None) -> None:
        """Count ``steps`` more as done (and show ``label`` for what comes next)."""
        self.done = min(self.total, self.done + steps)
        if label is not None:
            self.label = label
        self._draw(force=label is not None or self.done == self.total)

    def line(self) -> str:
        """The bar as text: label, bar, count and percentage."""
        share = self.done / self.total if self.total else 1.0
        filled = int(share * _WIDTH)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        return f"{self.label} [{bar}] {self.done}/{self.total} {share:4.0%}"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < _INTERVAL:
            return
        self._drawn = now
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

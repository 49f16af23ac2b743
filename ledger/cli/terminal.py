"""Standard output that is a terminal shows control characters instead of obeying them."""

from __future__ import annotations

import io
from typing import TextIO, cast


class _TerminalText(io.TextIOBase):
    """A terminal as the commands' standard output: every control character and bidi
    control written to it is shown as a visible symbol instead of acted on."""

    def __init__(self, stream: TextIO) -> None:
        # Imported here: only a terminal needs it, and a command's start stays light.
        from ledger.dates.hostile import terminal_safe

        self._stream = stream
        self._safe = terminal_safe

    def write(self, text: str) -> int:
        self._stream.write(self._safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()


def for_terminal(out: TextIO) -> TextIO:
    """``out``, made to show controls and bidi overrides visibly if it is a terminal.

    Corpus text reaches the screen through csv, json and jsonl as well as tables (which show
    controls themselves): a summary holding ``\\x1b[2J`` must not clear it, nor U+202E reorder
    it. A pipe or a file gets the data exactly, as ``--out`` does.
    """
    try:
        terminal = out.isatty()
    except (OSError, ValueError):  # closed, or no file behind it
        terminal = False
    return cast(TextIO, _TerminalText(out)) if terminal else out

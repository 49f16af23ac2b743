"""Corpus text made harmless where it is shown: spreadsheet formulas, terminal controls, bidi.

Names, quotes and summaries come from corpora anyone may write. In a spreadsheet a cell that
starts with ``=``, ``+``, ``-`` or ``@`` is run as a formula (``=HYPERLINK(...)``,
``=cmd|...``); on a terminal ESC starts a control sequence (``\\x1b[2J`` clears the screen)
and the bidi overrides (U+202E) reorder what follows. Stdlib only, so that every layer, the
export in ``persistence`` included, shares one definition. Here because ``dates`` is the
bottom layer that already holds the shared text folding.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: they reorder the text after them on screen. The marks
(LRM, RLM, ALM) only nudge neutral characters and are left alone."""


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would run it as a formula.

    The apostrophe is what spreadsheets themselves use to mark a cell as text; it shows in
    the file, which is the price of opening it safely. Numbers are never passed here.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def bidi_visible(text: str) -> str:
    """``text`` with every bidi embedding, override and isolate shown as ``<U+202E>``."""
    return _BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


__all__ = ["FORMULA_STARTS", "bidi_visible", "spreadsheet_safe"]

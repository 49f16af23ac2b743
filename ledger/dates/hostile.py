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


_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""What a terminal acts on instead of showing: C0 controls but tab and line feed (ESC starts
escape sequences, BEL rings, BS and a lone CR overwrite what was shown), DEL and the C1
controls (U+009B is a one-character CSI on some terminals). CR before LF ends a csv row."""


def _control_shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as U+241B
    return "\u2421" if code == 0x7F else f"<U+{code:04X}>"


def terminal_safe(text: str) -> str:
    """``text`` as a terminal may show it: controls as visible symbols, bidi controls as
    ``<U+202E>``; tab, line feed and CR LF stay (they lay out lines, they hide nothing)."""
    return bidi_visible(_TERMINAL_CONTROLS.sub(_control_shown, text))


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would run it as a formula.

    The apostrophe is what spreadsheets themselves use to mark a cell as text; it shows in
    the file, which is the price of opening it safely. Numbers are never passed here.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def bidi_visible(text: str) -> str:
    """``text`` with every bidi embedding, override and isolate shown as ``<U+202E>``."""
    return _BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


__all__ = ["FORMULA_STARTS", "bidi_visible", "spreadsheet_safe", "terminal_safe"]

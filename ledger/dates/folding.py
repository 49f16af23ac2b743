"""Folding of Arabic (and any) text so that spelling variants compare equal.

Shared by the date phrases and the entity names, which must agree on what counts as the same
word: Unicode compatibility forms, no invisible direction marks, no harakat or tatweel, one
form of alef, yaa for alef maqsura, haa for taa marbuta, ASCII digits for Arabic-Indic ones,
and case folding. Stdlib only, so that the domain layer can use it.
"""

from __future__ import annotations

import unicodedata

DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
"""``str.translate`` table from Arabic-Indic and Eastern Arabic-Indic digits to ASCII."""

LETTERS = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ـ"): None,  # tatweel
}
"""``str.translate`` table unifying the Arabic letters that spellings vary on."""

_INVISIBLE = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF])


def is_mark(char: str) -> bool:
    """Whether ``char`` is a vowel sign (harakat, tanween, shadda, sukun, superscript alef)."""
    return "\u064b" <= char <= "\u065f" or char == "\u0670"


def fold_text(text: str) -> str:
    """The folded form of ``text`` (see the module docstring); spacing is left as it is."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(c for c in text if not is_mark(c))
    return text.translate(DIGITS).translate(LETTERS).casefold()

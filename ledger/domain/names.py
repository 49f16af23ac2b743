"""Entity names for people: the ids a projection returns shown as English or Arabic names.

Results hold entity ids (``zhang-kejian``); a historian reads names (Zhang Kejian, تشانغ
كيجيان). ``Ledger.names(ids)`` gives a ``Names`` value for only the ids a result mentions, so
a view of one program reads a handful of registrations, not the whole catalogue; views get
that value and never read the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = ["Lang", "Names", "id_tokens"]

Lang = Literal["en", "ar", "id"]
"""Which name to show: English, Arabic, or the entity id itself."""

# An entity id as the corpus writes them: lowercase slugs ("chang-e-4", "united-states").
_ID = re.compile(r"(?<![\w-])[a-z0-9]+(?:[-_][a-z0-9]+)*(?![\w-])")


def id_tokens(text: str) -> set[str]:
    """The words of ``text`` that could be entity ids (to look their names up at once)."""
    return set(_ID.findall(text))


@attrs.frozen
class Names:
    """English and Arabic names of some entities, by id; ids without a name show as ids."""

    english: Mapping[str, str] = attrs.field(factory=dict)
    arabic: Mapping[str, str] = attrs.field(factory=dict)
    lang: Lang = "en"
    """The language ``name`` and ``in_text`` show."""

    def __contains__(self, entity: object) -> bool:
        return entity in self.english or entity in self.arabic

    def name(self, entity: str, lang: Lang | None = None) -> str:
        """The entity's name in ``lang`` (default: this view's), else the other one, else its id."""
        lang = lang or self.lang
        if lang == "id":
            return entity
        first, second = (self.arabic, self.english) if lang == "ar" else (self.english, self.arabic)
        return first.get(entity) or second.get(entity) or entity

    def both(self, entity: str) -> str:
        """The English and the Arabic name ("Lunar Gateway / بوابة القمر"), as far as known."""
        names = dict.fromkeys(n for n in (self.english.get(entity), self.arabic.get(entity)) if n)
        return " / ".join(names) or entity

    def in_text(self, text: str) -> str:
        """``text`` with every word that is a known entity id replaced by the entity's name."""
        if self.lang == "id" or not text:
            return text
        return _ID.sub(lambda m: self.name(m.group()) if m.group() in self else m.group(), text)

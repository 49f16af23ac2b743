"""The vocabulary page: generated from the event classes, and the same as docs/types.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.corpus.schema import payload_fields
from ledger.corpus.vocabulary import event_types, find_type, render_types
from ledger.domain.entities import ENTITY_KINDS
from ledger.domain.events import EVENT_TYPES
from ledger.errors import UnknownEntityError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "types.md"


def test_docs_types_md_is_the_generated_page() -> None:
    """docs/types.md is what ``ledger types`` prints (regenerate it with ``ledger types``)."""
    assert DOCS.read_text(encoding="utf-8") == render_types()


def test_every_type_and_field_is_described() -> None:
    """Each event type has its meaning and each payload field a meaning of its own."""
    infos = {info.name: info for info in event_types()}
    assert set(infos) == set(EVENT_TYPES)
    for name, cls in EVENT_TYPES.items():
        assert infos[name].meaning
        assert [f.name for f in infos[name].fields] == [f.name for f in payload_fields(cls)]
        assert all(f.meaning for f in infos[name].fields), name


def test_every_entity_kind_is_on_the_page() -> None:
    """The page lists every documented entity kind with its meaning."""
    page = render_types()
    for kind, meaning in ENTITY_KINDS.items():
        assert f"| `{kind}` | {meaning} |" in page


def test_a_misspelt_type_suggests_the_right_one() -> None:
    """Asking for an unknown type names the closest."""
    assert find_type("stated").name == "Stated"
    with pytest.raises(UnknownEntityError) as caught:
        find_type("Statd")
    assert "Stated" in str(caught.value)

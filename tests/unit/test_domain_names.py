"""Entity names for people: ids shown as English or Arabic names, looked up in the ledger."""

from __future__ import annotations

import ledger
from ledger.domain.names import Names, id_tokens

NAMES = Names(
    {"china": "China", "zhang-kejian": "Zhang Kejian", "ilrs": "ILRS station"},
    {"china": "الصين", "russia": "روسيا"},
)


def test_in_text_replaces_whole_ids_only() -> None:
    """Known ids become names; other words, and ids inside longer words, stay as written."""
    text = "parties: china, russia; signed by: zhang-kejian; chinaware, ilrs-2, ILRS"
    assert NAMES.in_text(text) == (
        "parties: China, روسيا; signed by: Zhang Kejian; chinaware, ilrs-2, ILRS"
    )


def test_name_falls_back_to_the_other_language_then_the_id() -> None:
    """An entity without an English name shows its Arabic one; an unknown id shows itself."""
    assert NAMES.name("russia") == "روسيا"
    assert NAMES.name("china", "ar") == "الصين"
    assert NAMES.name("ilrs", "ar") == "ILRS station"
    assert NAMES.name("nasa") == "nasa"
    assert NAMES.name("china", "id") == "china"


def test_both_names_joined_and_id_tokens_found() -> None:
    """``both`` joins the two names; ``id_tokens`` finds the slugs a text may hold."""
    assert NAMES.both("china") == "China / الصين"
    assert NAMES.both("nasa") == "nasa"
    assert id_tokens("signed by: zhang-kejian, Dmitry") == {"signed", "by", "zhang-kejian"}


def test_names_of_reads_only_the_ids_asked_for(article_db: str) -> None:
    """``Ledger.names`` gives the registered names of the ids asked for, and nothing else."""
    with ledger.open(article_db) as opened:
        names = opened.names(["ilrs", "zhang-kejian", "not-an-entity"])
    assert names.name("ilrs") == "International Lunar Research Station"
    assert names.name("ilrs", "ar") == "محطة أبحاث القمر الدولية"
    assert names.name("zhang-kejian") == "Zhang Kejian"
    assert "china" not in names
    assert "not-an-entity" not in names

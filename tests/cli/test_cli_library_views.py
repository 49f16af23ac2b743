"""A notebook gets what the terminal prints: each answer command is one ``Ledger`` call whose
view renders, byte for byte, the command's output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_run import run

import ledger
from ledger.application.ledger import Ledger
from ledger.domain.names import Lang
from ledger.views.layout import View

WIDTH = 100

# (command line, the same question asked of the library, --format, --names): every format
# kind (a table, wrapped or not; csv) and every --names language, one command each.
Ask = Callable[[Ledger, Lang | None], View]
CASES: list[tuple[list[str], Ask, str, Lang | None]] = [
    (
        ["state", "ILRS", "--as-of", "2021-03-10", "--why"],
        lambda book, names: book.state_view("ILRS", "2021-03-10", names=names, why=True),
        "simple",
        "en",
    ),
    (
        ["state", "Wolf Amendment", "--as-of", "2011-03-01", "--known-at", "2021-03-10"],
        lambda book, names: book.state_view(
            "Wolf Amendment", "2011-03-01", "2021-03-10", names=names
        ),
        "csv",
        None,
    ),
    (
        ["why", "ILRS", "agreed", "--as-of", "2021-03-10"],
        lambda book, names: book.why_view("ILRS", "2021-03-10", "agreed", names=names),
        "github",
        "ar",
    ),
    (
        ["timeline", "ILRS", "--from", "2020", "--to", "2021-03"],
        lambda book, names: book.timeline_view("ILRS", "2020", "2021-03", names=names),
        "simple",
        "ar",
    ),
    (
        ["diff", "ILRS", "2021-03-08", "2021-03-10", "--why"],
        lambda book, names: book.diff_view(
            "ILRS", "2021-03-08", "2021-03-10", names=names, why=True
        ),
        "grid",
        "en",
    ),
    (
        ["conflicts", "--known-at", "2021-03-10"],
        lambda book, names: book.conflicts_view("2021-03-10", names=names),
        "simple",
        "id",
    ),
]


@pytest.mark.parametrize(
    ("argv", "ask", "fmt", "names"), CASES, ids=[f"{c[0][0]}-{c[2]}-{c[3]}" for c in CASES]
)
def test_the_view_of_one_ledger_call_renders_what_the_command_prints(
    article_db: str,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    ask: Ask,
    fmt: str,
    names: Lang | None,
) -> None:
    """``book.<question>_view(...).render(fmt)`` is the command's output, names included."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    shown = ["--names", names] if names else []
    code, printed, _ = run(*argv, "--format", fmt, *shown, "--db", article_db)
    assert code == 0
    with ledger.open(article_db) as book:
        view = ask(book, names)
    assert printed == view.render(fmt, WIDTH) + "\n"


def test_exchange_writes_the_library_document(article_db: str, tmp_path: Path) -> None:
    """``ledger exchange`` writes ``Ledger.exchange(...).text()`` and prints its summary."""
    out = tmp_path / "timeline.json"
    code, printed, _ = run("exchange", "timelinejs", "ILRS", "--out", str(out), "--db", article_db)
    assert code == 0
    with ledger.open(article_db) as book:
        exchanged = book.exchange("timelinejs", ["ILRS"])
    assert out.read_text(encoding="utf-8") == exchanged.text()
    assert printed == f"{exchanged.summary} -> {out}\n"
    assert exchanged.summary == f"{len(json.loads(exchanged.text())['events'])} events"


def test_exchange_of_no_program_is_of_every_program(article_db: str) -> None:
    """Naming no program exchanges every program's timeline, each once."""
    with ledger.open(article_db) as book:
        every = book.exchange("timelinejs")
        named = book.exchange("timelinejs", [*book.programs().ids(), "ILRS"])
    assert every.text() == named.text()

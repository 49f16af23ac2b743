"""What reaches a terminal shows control characters and bidi controls; files get exact data.

A summary holding ``\\x1b[2J`` (clear the screen), U+202E (reverse what follows), U+009B (a
one-character CSI) or a lone CR (overwrite the line) reaches standard output through csv,
json and jsonl as well as tables. On a terminal each is shown as a visible symbol; through a
pipe or ``--out`` the data stays exactly as recorded.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import attrs
import pytest
from writers import corpus_events

from ledger.cli import main
from ledger.persistence.store import EventStore

HOSTILE = "=1+1 Russia\x1b[2J\x1b]0;owned\x07 \u202eaissuR\u2066 \x9b31m over\rwritten \x7f"
ACTED_ON = ("\x1b", "\u202e", "\u2066", "\x9b", "\x07", "\x7f")


class Terminal(io.StringIO):
    """Standard output as a terminal: what the command writes, kept to be read back."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    """A SQLite ledger whose second event's summary is hostile to terminals."""
    url = f"sqlite:///{tmp_path / 'hostile.sqlite'}"
    first, second = corpus_events(2)
    store = EventStore.open(url)
    try:
        store.append([first, attrs.evolve(second, id=uuid.uuid4(), summary=HOSTILE)])
    finally:
        store.close()
    return url


def run_on(out: io.StringIO, *argv: str) -> str:
    err = io.StringIO()
    assert main(list(argv), stdout=out, stderr=err) == 0, err.getvalue()
    return out.getvalue()


COMMANDS = [
    ("export", "--format", "csv"),
    ("export", "--format", "csv-raw"),
    ("export", "--format", "jsonl"),
    ("events", "--format", "csv"),
    ("events", "--format", "csv-raw"),
    ("events", "--format", "json"),
    ("events", "--format", "jsonl"),
    ("events", "--format", "plain"),
]


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_terminal_is_sent_no_control_it_would_act_on(
    hostile_db: str, command: tuple[str, ...]
) -> None:
    """On a terminal, ESC, BEL, DEL, C1 controls, bidi overrides and isolates and a lone CR
    are all shown as symbols (ESC as U+241B, U+202E as ``<U+202E>``), in every format."""
    text = run_on(Terminal(), "--db", hostile_db, *command)
    for control in ACTED_ON:
        assert control not in text, (control, text)
    assert "\r" not in text.replace("\r\n", "")
    assert "<U+202E>aissuR" in text
    assert "Russia\u241b[2J" in text or "Russia\\u001b[2J" in text


@pytest.mark.usefixtures("cli_env")
def test_a_pipe_and_an_out_file_get_the_data_exactly(hostile_db: str, tmp_path: Path) -> None:
    """Through a pipe or ``--out``, ``export --format csv-raw`` gives the recorded summary
    byte for byte and ``csv`` only adds its formula mark."""
    piped = run_on(io.StringIO(), "--db", hostile_db, "export", "--format", "csv-raw")
    target = tmp_path / "out.csv"
    run_on(Terminal(), "--db", hostile_db, "export", "--format", "csv", "--out", str(target))
    written = target.read_text(encoding="utf-8", errors="strict")
    with target.open(newline="", encoding="utf-8") as f:
        from_file = [row["summary"] for row in csv.DictReader(f)]
    from_pipe = [row["summary"] for row in csv.DictReader(io.StringIO(piped, newline=""))]
    assert from_pipe[1] == HOSTILE
    assert from_file[1] == "'" + HOSTILE
    assert "\x1b[2J" in written

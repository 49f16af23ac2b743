"""``ledger verify`` and ``ledger digest`` on a ledger file: output and exit codes."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from tamper import drop_immutability, set_columns

from ledger.cli import main
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, StatusChanged
from ledger.persistence.store import EventStore


def run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI; return its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ledger_file(tmp_path: Path) -> str:
    """A SQLite ledger holding three events; returns its URL."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    store = EventStore.open(url)
    store.append(
        [
            StatusChanged(
                id=uuid.uuid4(),
                stream="ilrs",
                valid_time=parse_edtf("2021-03-09"),
                citation=Citation(source="article", quote="اتفقت"),
                status=value,
            )
            for value in ("proposed", "in_talks", "agreed")
        ]
    )
    store.close()
    return url


def test_digest_prints_position_and_hash(ledger_file: str) -> None:
    """``ledger digest`` prints ``<position>:<hex>`` of the head."""
    code, out, _ = run("digest", "--db", ledger_file)
    position, digest = out.strip().split(":")
    assert code == 0
    assert position == "3"
    assert len(digest) == 64


def test_verify_ok_and_against_a_digest(ledger_file: str) -> None:
    """A sound ledger verifies (exit 0), also against its own published digest."""
    _, digest, _ = run("digest", "--db", ledger_file)
    code, out, _ = run("verify", "--db", ledger_file)
    assert (code, out) == (0, f"ok: 3 events verified, head {digest.strip()}\n")
    code, out, _ = run("--db", ledger_file, "verify", "--against", digest.strip())
    assert code == 0
    assert out.startswith("ok: 3 events verified")


def test_verify_names_the_first_bad_position(ledger_file: str) -> None:
    """A tampered ledger fails verification (exit 1), naming the position that changed."""
    store = EventStore.open(ledger_file)
    drop_immutability(store)
    set_columns(store, 2, {"payload": '{"status":"declined"}'})
    store.close()
    code, out, _ = run("verify", "--db", ledger_file)
    assert code == 1
    assert out.startswith("FAILED at position 2:")


def test_verify_against_a_digest_the_ledger_does_not_extend(ledger_file: str) -> None:
    """A digest beyond the ledger's head is reported as not extended (exit 1)."""
    code, out, _ = run("verify", "--db", ledger_file, "--against", "9:" + "a" * 64)
    assert code == 1
    assert "FAILED at position 4" in out


def test_malformed_digest_is_a_clear_error(ledger_file: str) -> None:
    """A malformed --against value is one error line on stderr and exit code 1."""
    code, out, err = run("verify", "--db", ledger_file, "--against", "latest")
    assert (code, out) == (1, "")
    assert err.startswith("ledger: error: cannot read digest 'latest'")


def test_default_database_comes_from_the_environment(
    ledger_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --db, the commands open $LEDGER_DATABASE_URL."""
    monkeypatch.setenv("LEDGER_DATABASE_URL", ledger_file)
    code, out, _ = run("digest")
    assert (code, out.split(":")[0]) == (0, "3")


@pytest.mark.parametrize("command", ["verify", "digest"])
def test_help_has_a_runnable_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each command's help ends with an example of how to run it."""
    code, _, _ = run(command, "--help")
    assert code == 0
    assert f"Example:\n  ledger {command}" in capsys.readouterr().out

"""The ``ledger`` console script as a process: exit codes, flushed output, a closed pipe."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ENTRY = "import sys; from ledger.cli import run; sys.argv[0] = 'ledger'; run()"


def ledger_process(*argv: str) -> subprocess.Popen[bytes]:
    """Start the console-script entry point with ``argv``."""
    return subprocess.Popen(
        [sys.executable, "-c", ENTRY, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.slow
def test_output_is_flushed_and_the_exit_code_is_the_commands() -> None:
    """A command's whole output reaches the reader, with exit code 0, nothing on stderr."""
    process = ledger_process("date", "in December", "--reference", "2021-03-09")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert b"2020-12" in out
    assert err == b""


@pytest.mark.slow
def test_an_error_exits_1_with_its_message_on_stderr(article_db: str) -> None:
    """A refused question exits with 1 and says why on stderr, with no traceback."""
    process = ledger_process("state", "no-such-program", "--as-of", "2021", "--db", article_db)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.startswith(b"ledger: error: ")
    assert b"Traceback" not in err
    assert out == b""


@pytest.mark.slow
def test_a_reader_that_leaves_early_ends_the_command_quietly(article_db: str) -> None:
    """Output larger than a pipe holds, read one line and closed: exit code 141, no traceback."""
    process = ledger_process("events", "--db", article_db)
    assert process.stdout is not None
    assert process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 141
    assert b"Traceback" not in err


@pytest.mark.slow
def test_state_prints_the_same_table_whatever_the_hash_seed(article_db: str) -> None:
    """Column widths and wrapping do not depend on PYTHONHASHSEED (no set order leaks out)."""
    for columns in ("120", "80"):
        outputs = set()
        for seed in ("0", "1"):
            process = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    ENTRY,
                    *("state", "ILRS", "--as-of", "2021-03-10"),
                    "--db",
                    article_db,
                ],
                capture_output=True,
                env={**os.environ, "PYTHONHASHSEED": seed, "COLUMNS": columns},
                timeout=60,
                check=True,
            )
            outputs.add(process.stdout)
        assert len(outputs) == 1, columns

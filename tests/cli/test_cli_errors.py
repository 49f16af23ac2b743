"""CLI error paths: one line on stderr with suggestions and exit 1, usage errors exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run

pytestmark = pytest.mark.usefixtures("cli_env")


def test_unknown_program_suggests_close_names(article_db: str) -> None:
    """An unknown program exits 1 with one line naming the closest programs, no traceback."""
    code, out, err = run("state", "ILRSS", "--as-of", "2021-03-10", "--db", article_db)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert "unknown program 'ILRSS'" in err
    assert "'ILRS'" in err
    assert "Traceback" not in err


def test_bad_date_exits_1(article_db: str) -> None:
    """An impossible EDTF date exits 1 with one line."""
    code, _, err = run("state", "ILRS", "--as-of", "2021-13-45", "--db", article_db)
    assert code == 1
    assert len(err.splitlines()) == 1
    assert "2021-13-45" in err


def test_bad_known_at_exits_1(article_db: str) -> None:
    """A recorded time that is neither an ISO date nor datetime exits 1."""
    code, _, err = run(
        "state", "ILRS", "--as-of", "2021", "--known-at", "yesterday", "--db", article_db
    )
    assert code == 1
    assert "yesterday" in err


def test_unknown_event_type_suggests(article_db: str) -> None:
    """An unknown --type names the closest event types."""
    code, _, err = run("events", "--type", "AgreementSign", "--db", article_db)
    assert code == 1
    assert "AgreementSigned" in err


def test_unwritable_out_file_is_one_line(article_db: str, tmp_path: Path) -> None:
    """Writing --out into a missing folder exits 1 naming the file, no traceback."""
    target = tmp_path / "missing" / "ledger.jsonl"
    code, _, err = run("export", "--out", str(target), "--db", article_db)
    assert code == 1
    assert str(target) in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("state", "ILRS"),
        ("frobnicate",),
        ("programs", "--format", "nope"),
        ("events", "--limit", "0"),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    """Missing options, unknown commands and bad choices are usage errors: exit 2."""
    code, _, _ = run(*argv)
    assert code == 2
    assert "usage:" in capsys.readouterr().err


def test_a_huge_limit_means_no_limit(article_db: str) -> None:
    """--limit beyond what Python can slice lists every event instead of a traceback."""
    code, out, err = run("events", "--db", article_db, "--limit", str(10**30), "--format", "csv")
    assert code == 0, err
    assert len(out.splitlines()) > 200

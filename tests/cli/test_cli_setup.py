"""Setting up: --version, where the ledger lives, python -m ledger, missing optional packages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run

import ledger
from ledger.cli import build_parser
from ledger.errors import DISTRIBUTION, MissingExtraError, install_command

pytestmark = pytest.mark.usefixtures("cli_env")


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints "ledger X.Y.Z" and exits 0."""
    code, _, _ = run("--version")
    assert code == 0
    assert capsys.readouterr().out.strip() == f"ledger {ledger.__version__}"


def test_where_names_the_default_ledger_without_creating_it(tmp_path: Path) -> None:
    """Without --db, `where` gives the default file in the data directory and creates nothing."""
    code, out, _ = run("where")
    assert code == 0
    assert str(tmp_path / "xdg-data") in out
    assert "not created yet" in out
    assert not (tmp_path / "xdg-data").exists()


def test_where_hides_the_password_of_a_db_url() -> None:
    """A --db URL is shown as given, its password masked."""
    code, out, _ = run("where", "--db", "postgresql://me:secret@db.example/ledger")
    assert code == 0
    assert "secret" not in out
    assert "db.example/ledger" in out


def test_help_names_the_default_ledger(tmp_path: Path) -> None:
    """The main --help says where the default ledger lives."""
    out = build_parser().format_help()
    assert "Default ledger:" in out
    assert str(tmp_path / "xdg-data") in out


def test_python_m_ledger_runs_the_command() -> None:
    """`python -m ledger` is the same command as `ledger`."""
    done = subprocess.run(
        [sys.executable, "-m", "ledger", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"ledger {ledger.__version__}"


def test_a_missing_driver_gives_one_line_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without psycopg, a postgresql:// ledger fails with one line naming the extra to add."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    code, out, err = run("state", "ILRS", "--as-of", "2021", "--db", "postgresql://u@h/db")
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "psycopg" in err
    assert "[postgres]" in err
    assert "-m pip install" in err


def test_install_command_uses_this_interpreter_and_the_distribution_name() -> None:
    """The command names this Python's pip and historians-ledger, or the source folder it was
    installed from."""
    command = install_command("plot")
    assert command.startswith(sys.executable) or command.startswith(f"'{sys.executable}'")
    assert "[plot]" in command
    assert DISTRIBUTION in command or "pyproject.toml" in os.listdir(
        command.rsplit(" ", 1)[-1].strip("'").removesuffix("[plot]")
    )
    assert str(MissingExtraError("x", "plot", "matplotlib")).endswith(command)

"""Setting up: --version, where the ledger lives, python -m ledger, missing optional packages."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run

import ledger
from ledger.cli import COMMANDS, build_parser
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


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    choices: dict[str, argparse.ArgumentParser] = action.choices
    return choices


def test_the_command_table_names_what_each_module_registers() -> None:
    """COMMANDS lists, for each module of ledger.cli, exactly the commands it adds."""
    for module, commands in COMMANDS.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"ledger.cli.{module}").register(
            sub, argparse.ArgumentParser(add_help=False)
        )
        assert tuple(sub.choices) == commands, module


@pytest.mark.parametrize("command", sorted(c for names in COMMANDS.values() for c in names))
def test_a_command_builds_only_its_own_module_with_the_same_options(command: str) -> None:
    """A command line builds only its command's module, whose parser is the full one's."""
    whole = _subcommands(build_parser())
    own = _subcommands(build_parser(["--db", "sqlite://", command, "--help"]))
    module = next(m for m, names in COMMANDS.items() if command in names)
    assert set(own) == set(COMMANDS[module])
    assert own[command].format_help() == whole[command].format_help()


@pytest.mark.parametrize("argv", [[], ["-h", "state"], ["--help"], ["nonsense"]])
def test_help_and_unknown_commands_build_every_command(argv: list[str]) -> None:
    """Asking for the whole help, or for no or an unknown command, registers every command."""
    assert set(_subcommands(build_parser(argv))) == set(_subcommands(build_parser()))


def test_a_commands_process_collects_young_objects_less_often(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The console entry point raises the collector's young threshold before the command."""
    import ledger.cli

    seen: list[int] = []
    exits: list[int] = []
    saved = gc.get_threshold()

    def main() -> int:
        seen.append(gc.get_threshold()[0])
        return 0

    monkeypatch.setattr(ledger.cli, "main", main)
    monkeypatch.setattr(os, "_exit", exits.append)
    try:
        gc.set_threshold(700, *saved[1:])
        ledger.cli.run()
    finally:
        gc.set_threshold(*saved)
    assert seen == [ledger.cli.START_THRESHOLD]
    assert exits == [0]

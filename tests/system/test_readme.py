"""The README cannot drift: its tour is what the commands print, and names every command."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
from pathlib import Path

import pytest
from cogapp import Cog

from ledger.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"


def command_names() -> list[str]:
    """Every command the ``ledger`` parser registers."""
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def toured() -> set[str]:
    """The commands the README's tour runs (after ``$`` or ``&&`` in a console block)."""
    return set(re.findall(r"(?:^\$|&&) ledger ([a-z]+)", README.read_text("utf-8"), re.MULTILINE))


@pytest.mark.slow
def test_the_readme_tour_is_what_the_commands_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every console block of the tour is regenerated from a real run and matches (``cog -r
    README.md`` rewrites them after a change of output)."""
    monkeypatch.chdir(REPO)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = Cog().main(["cog", "--check", "--diff", str(README)])
    assert status == 0, printed.getvalue()


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_in_the_readme_tour(name: str) -> None:
    """Each command the parser knows is run in the README's tour, with its real output."""
    assert name in toured()

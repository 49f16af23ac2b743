"""Every command's help shows a runnable example, and every example runs on the article's ledger."""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
from pathlib import Path

import pytest
from cli_run import run

from ledger.cli import build_parser

pytestmark = pytest.mark.usefixtures("cli_env")

REPO = Path(__file__).resolve().parents[2]


def commands() -> dict[str, argparse.ArgumentParser]:
    """Every registered command's parser, by name."""
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def examples(parser: argparse.ArgumentParser) -> list[str]:
    """The ``ledger ...`` lines after "Example:" in a parser's epilog."""
    epilog = parser.epilog or ""
    _, _, after = epilog.partition("Example:")
    return [line.strip() for line in after.splitlines() if line.strip().startswith("ledger ")]


@pytest.mark.parametrize("name", sorted(commands()))
def test_help_shows_an_example(name: str) -> None:
    """The command's --help text has "Example:" followed by a ``ledger`` command line."""
    parser = commands()[name]
    text = parser.format_help()
    assert "Example:" in text
    assert examples(parser)
    after = text[text.index("Example:") :]
    assert re.search(r"^\s+ledger \S", after, flags=re.MULTILINE)


def prepared(line: str, db: str, tmp_path: Path) -> list[str]:
    """An example as argv: this test's database, --out files in tmp_path, no shell syntax."""
    words = shlex.split(line)[1:]
    if ">" in words:
        words = words[: words.index(">")]
    argv: list[str] = []
    pending = ""
    for word in words:
        if pending == "--db":
            word = db
        elif pending == "--out":
            word = str(tmp_path / Path(word).name)
        elif word == "$(ledger digest)":
            word = run("digest", "--db", db)[1].strip()
        argv.append(word)
        pending = word
    if argv[:1] == ["init"]:  # a new ledger goes to the test's folder, never the repository
        argv[1] = str(tmp_path / Path(argv[1]).name)
    return argv if "--db" in argv else [*argv, "--db", db]


@pytest.mark.sweep
@pytest.mark.parametrize("name", sorted(commands()))
def test_examples_run(
    name: str, article_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each example of the command exits 0 on the article's ledger (a copy of it, since
    some commands write)."""
    monkeypatch.chdir(REPO)
    copy = tmp_path / "article-copy.sqlite"
    shutil.copyfile(article_db.removeprefix("sqlite:///"), copy)
    for line in examples(commands()[name]):
        argv = prepared(line, f"sqlite:///{copy}", tmp_path)
        code, _, err = run(*argv)
        assert (code, err) == (0, ""), line

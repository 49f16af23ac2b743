"""``ledger import``: counts what it records, records nothing new the second time or on error."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from corpus_builders import CLAIMS, line_of, write_corpus

import ledger
from ledger.cli import build_parser, main


def run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI; its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_import_prints_what_it_recorded(tmp_path: Path) -> None:
    """A first import reports every event as new, by kind."""
    db = f"sqlite:///{tmp_path / 'l.sqlite'}"
    code, out, _ = run("import", str(write_corpus(tmp_path)), "--db", db)
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:5]}
    assert rows == {"sources": ["1", "0"], "entities": ["5", "0"], "claims": ["2", "0"]}


def test_importing_again_is_a_no_op(tmp_path: Path) -> None:
    """A second import records nothing and says the ledger already holds the corpus."""
    db = f"sqlite:///{tmp_path / 'l.sqlite'}"
    manifest = str(write_corpus(tmp_path))
    run("import", manifest, "--db", db)
    code, out, _ = run("import", manifest, "--db", db)
    assert code == 0
    assert "nothing new" in out
    with ledger.open(db) as opened:
        assert len(list(opened.events())) == 8


def test_a_folder_holding_fixtures_is_a_corpus(tmp_path: Path) -> None:
    """PATH may be the corpus root, whose fixtures/corpus.yaml is the manifest."""
    write_corpus(tmp_path)
    code, out, _ = run("import", str(tmp_path), "--check")
    assert code == 0
    assert "valid, 8 events" in out


def test_check_validates_without_recording(tmp_path: Path) -> None:
    """--check counts the corpus and opens no database."""
    db_file = tmp_path / "never.sqlite"
    code, _, _ = run(
        "import", str(write_corpus(tmp_path)), "--check", "--db", f"sqlite:///{db_file}"
    )
    assert code == 0
    assert not db_file.exists()


def test_a_bad_corpus_is_reported_by_file_line_and_field(tmp_path: Path) -> None:
    """Errors go to stderr as file:line: field: message, exit code 1, and nothing is recorded."""
    db = f"sqlite:///{tmp_path / 'l.sqlite'}"
    claims = CLAIMS.replace('date: "2020-12"', 'date: "2020-13"')
    code, out, err = run("import", str(write_corpus(tmp_path, claims=claims)), "--db", db)
    assert code == 1
    assert out == ""
    assert "nothing imported" in err
    line = line_of(claims, "2020-13")
    assert f"fixtures/claims.yaml:{line}: field 'date': bad date" in err
    with ledger.open(db) as opened:
        assert list(opened.events()) == []


def test_the_epilog_has_a_runnable_example() -> None:
    """The command's help ends with an example that parses."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    epilog = sub.choices["import"].epilog or ""
    assert epilog.startswith("Example:\n  ledger import ")
    for line in epilog.splitlines()[1:]:
        args = parser.parse_args(line.split()[1:])
        assert args.command == "import"

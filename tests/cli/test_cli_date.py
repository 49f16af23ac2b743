"""The ``ledger date`` command: output, JSON keys and exit codes."""

from __future__ import annotations

import argparse
import io
import json
import shlex

import pytest

from ledger.cli import build_parser, main


def run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI with captured output; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_text_output_shows_every_field() -> None:
    """Text output lists edtf, earliest, latest, precision and qualifiers."""
    code, out, err = run("date", "2004-06~/2006-08")
    assert (code, err) == (0, "")
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert lines == {
        "edtf": "2004-06~/2006-08",
        "earliest": "2004-06-01",
        "latest": "2006-08-31",
        "precision": "interval",
        "qualifiers": "approximate",
    }


def test_json_keys_are_exact() -> None:
    """JSON output has exactly the documented keys for EDTF input, unknown bounds as null."""
    code, out, _ = run("date", "../1985", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "edtf": "../1985",
        "earliest": None,
        "latest": "1985-12-31",
        "precision": "interval",
        "qualifiers": [],
    }


def test_phrase_with_reference_adds_phrase_and_reference() -> None:
    """A resolved phrase also reports the phrase and the reference it was read against."""
    code, out, _ = run("date", "في شهر ديسمبر", "--reference", "2021-03-09", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "edtf": "2020-12",
        "earliest": "2020-12-01",
        "latest": "2020-12-31",
        "precision": "month",
        "qualifiers": [],
        "phrase": "في شهر ديسمبر",
        "reference": "2021-03-09",
    }


@pytest.mark.parametrize(
    ("expr", "earliest", "latest"),
    [("-0044", "-0044-01-01", "-0044-12-31"), ("Y12000", "+12000-01-01", "+12000-12-31")],
)
def test_days_outside_four_digit_years_are_signed(expr: str, earliest: str, latest: str) -> None:
    """Days before year 0 or after 9999 print with a sign and as many digits as needed."""
    _, out, _ = run("date", expr, "--format", "json")
    record = json.loads(out)
    assert (record["earliest"], record["latest"]) == (earliest, latest)


def test_qualifiers_are_reported() -> None:
    """Uncertain and approximate are both listed for '%'."""
    _, out, _ = run("date", "2004-06-11%", "--format", "json")
    assert json.loads(out)["qualifiers"] == ["uncertain", "approximate"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["date", "2011-02-29"], "day 29 does not exist"),
        (["date", "2011-13"], "month 13"),
        (["date", "someday", "--reference", "2021-03-09"], "someday"),
        (["date", "last year"], "needs a reference"),
        (["date", "last year", "--reference", "2021"], "single known day"),
    ],
)
def test_unreadable_input_exits_1_with_one_line(argv: list[str], fragment: str) -> None:
    """Input the ledger cannot read gives exit code 1 and one line on stderr, nothing on stdout."""
    code, out, err = run(*argv)
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("ledger: error: ")
    assert fragment in err


def test_usage_error_exits_2() -> None:
    """A missing argument is a usage error (exit code 2)."""
    code, _, _ = run("date")
    assert code == 2


def test_help_epilog_example_runs() -> None:
    """Every example in the command's help epilog runs successfully."""
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    epilog = subparsers.choices["date"].epilog
    assert epilog is not None
    assert epilog.startswith("Example:")
    commands = [line.strip() for line in epilog.splitlines()[1:] if line.strip()]
    assert commands
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "ledger"
        code, out, err = run(*argv[1:])
        assert (code, err) == (0, ""), command
        assert out

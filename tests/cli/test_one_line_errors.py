"""Failures the command promises as one line on stderr (exit 1), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run
from corpus_builders import CATALOGUE, write_corpus

from ledger.corpus.loader import load_corpus
from ledger.corpus.yamlnodes import parse_yaml
from ledger.domain.events import EntityRegistered


def one_line(err: str) -> bool:
    return err.startswith("ledger: error: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.slow
@pytest.mark.usefixtures("cli_env")
def test_output_to_a_full_device_is_one_line(article_db: str) -> None:
    """``ledger programs > /dev/full``: one error line, exit 1."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "ledger", "programs", "--db", article_db],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
            check=False,
        )
    assert done.returncode == 1
    assert one_line(done.stderr), done.stderr
    assert "No space left" in done.stderr


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    "url",
    ["postgresql://[::1", "postgresql://u@[fe80::1:5432/db", "sqlite+pysqlcipher:///x.db"],
    ids=["ipv6-open", "ipv6-unclosed", "driver-missing"],
)
def test_a_malformed_or_unusable_db_url_is_one_line(url: str, tmp_path: Path) -> None:
    """A malformed IPv6 host or a driver that is not installed: one error line."""
    os.chdir(tmp_path)
    code, _out, err = run("state", "ILRS", "--as-of", "2021", "--db", url)
    assert code == 1
    assert one_line(err), err


@pytest.mark.usefixtures("cli_env")
def test_a_plot_title_of_undecodable_bytes_is_one_line(article_db: str, tmp_path: Path) -> None:
    """``plot --title $'\\xff'`` (a lone surrogate once decoded) is refused in one line."""
    code, _out, err = run(
        "plot", "ILRS", "--out", str(tmp_path / "p.svg"), "--title", "\udcff", "--db", article_db
    )
    assert code == 1
    assert one_line(err), err
    assert not (tmp_path / "p.svg").exists()


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_jsonl_with_a_non_finite_number_names_its_line(
    article_db: str, tmp_path: Path, constant: str
) -> None:
    """``"sequence": Infinity`` in an export read back is refused, naming the line."""
    code, exported, err = run("export", "--format", "jsonl", "--db", article_db)
    assert code == 0, err
    lines = exported.splitlines()[:3]
    lines[1] = lines[1].replace('"sequence": ', f'"sequence": {constant}, "was": ', 1)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _out, err = run("import", str(path), "--db", f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert code == 1
    assert one_line(err), err
    assert "bad.jsonl:2:" in err
    assert constant in err


def test_yaml_no_and_yes_stay_text() -> None:
    """YAML 1.1's booleans (no, yes, on, off, y, n) are read as the words they are; only
    true and false are booleans (YAML 1.2)."""
    found = parse_yaml("a: no\nb: yes\nc: on\nd: off\ne: y\nf: true\ng: False\n", "x.yaml")
    assert found == {"a": "no", "b": "yes", "c": "on", "d": "off", "e": "y", "f": True, "g": False}


def test_a_country_code_no_survives_the_corpus(tmp_path: Path) -> None:
    """An alias ``no`` (Norway's code) is kept as the text it is, not turned into False."""
    catalogue = CATALOGUE.replace(
        "    name_ar: روسيا\n", "    name_ar: روسيا\n    aliases: [no]\n", 1
    )
    assert catalogue != CATALOGUE
    corpus = load_corpus(write_corpus(tmp_path, catalogue=catalogue))
    (russia,) = [
        e for e in corpus.events if isinstance(e, EntityRegistered) and e.stream == "russia"
    ]
    assert russia.aliases == ("no",)

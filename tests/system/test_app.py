"""The ``Ledger`` service: the library entry point delegates to the store, on every backend."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import ledger as ledger_package
from ledger.application.ledger import Ledger
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, ClaimMade, StatusChanged


def _status(stream: str, when: str) -> StatusChanged:
    return StatusChanged(
        id=uuid.uuid4(),
        stream=stream,
        valid_time=parse_edtf(when),
        citation=Citation(source="article"),
        subjects=("china",),
        status="agreed",
    )


def test_append_and_read_through_the_ledger(ledger: Ledger) -> None:
    """append records, and events/stream/get read back with the store's filters."""
    claim = ClaimMade(
        id=uuid.uuid4(),
        stream="ilrs",
        valid_time=parse_edtf("2021"),
        citation=Citation(source="article"),
        attribute="location",
        value="moon",
    )
    recorded = ledger.append([_status("ilrs", "2021-03-09"), _status("gateway", "2019"), claim])
    assert list(ledger.events()) == recorded
    assert [e.position for e in ledger.events(subject="ilrs")] == [1, 3]
    assert [e.position for e in ledger.events(types=[ClaimMade])] == [3]
    assert [e.position for e in ledger.events(valid_from="2020", after=1)] == [3]
    assert ledger.stream("gateway") == [recorded[1]]
    assert ledger.get(claim.id) == recorded[2]
    known = recorded[0].recorded_at
    assert known is not None
    assert len(list(ledger.events(known_at=known))) == 3


def test_verify_and_digest_through_the_ledger(ledger: Ledger) -> None:
    """verify and digest report the chain, against a published digest too."""
    ledger.append(_status("ilrs", "2021"), expected_version=0)
    digest = ledger.digest()
    assert digest.position == 1
    assert ledger.verify().ok
    assert ledger.verify(against=str(digest)).ok


def test_open_exports_and_context_manager(tmp_path: Path) -> None:
    """ledger.open returns a Ledger usable as a context manager; the API is exported."""
    assert {"open", "Ledger", "Digest", "VerifyResult"} <= set(ledger_package.__all__)
    url = f"sqlite:///{tmp_path}/ledger.sqlite"
    with ledger_package.open(url) as opened:
        assert isinstance(opened, ledger_package.Ledger)
        opened.append(_status("ilrs", "2021"))
    with ledger_package.open(url) as reopened:
        assert reopened.digest().position == 1
        assert isinstance(reopened.verify(), ledger_package.VerifyResult)
        assert reopened.url.endswith("ledger.sqlite")


def test_open_without_a_url_never_writes_and_open_default_seeds(
    cli_env: None, tmp_path: Path
) -> None:
    """open() opens the data directory's ledger as it is; open_default() fills it once."""
    with ledger_package.open() as opened:
        assert opened.digest().position == 0
        assert str(tmp_path / "xdg-data") in opened.url
    with ledger_package.open_default() as seeded:
        count = seeded.digest().position
        assert count > 0
        assert seeded.resolve("ILRS") == "ilrs"
    with ledger_package.open_default() as again:
        assert again.digest().position == count


@pytest.mark.slow
def test_opening_a_ledger_loads_no_corpus_reader_and_no_view() -> None:
    """ledger.open builds the service alone: the YAML corpus reader loads only to seed the
    default ledger or import, and the views only to show a result (a cold start pays neither)."""
    code = (
        "import sys, ledger\n"
        "ledger.open('sqlite:///:memory:').digest()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ledger.corpus', 'yaml', "
        "'ledger.views'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_state_question_loads_no_corpus_reader_and_no_other_command(article_db: str) -> None:
    """`ledger state` resolves names without the YAML corpus reader, builds only its own
    command's module of ledger.cli, and loads no other question's domain or view modules."""
    code = (
        "import sys\n"
        "from ledger.cli import main\n"
        f"main(['state', 'ILRS', '--as-of', '2021-03-10', '--db', {article_db!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('yaml', 'ledger.corpus.', "
        "'ledger.cli.', 'ledger.domain.', 'ledger.views.', 'ledger.reports.', "
        "'ledger.application.'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stderr.strip()
    assert "yaml" not in loaded
    assert "ledger.corpus.loader" not in loaded
    assert "'ledger.cli.state'" in loaded
    assert "ledger.cli.history" not in loaded
    assert "ledger.cli.picture" not in loaded
    for other in (
        "ledger.domain.diff",
        "ledger.domain.timeline",
        "ledger.domain.explain",
        "ledger.domain.report",
        "ledger.application.sources",
        "ledger.views.listings",
        "ledger.views.why",
        "ledger.views.pictures",
        "ledger.reports.marks",
    ):
        assert f"'{other}'" not in loaded, other

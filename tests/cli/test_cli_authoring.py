"""``ledger init``, ``add``, ``correct``, ``retract`` and ``source add``: a ledger of one's own,
entries checked like a corpus and recorded atomically, and the default ledger left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run

import ledger
from ledger.domain.events import Corrected, Retracted, SourceRegistered

pytestmark = pytest.mark.usefixtures("cli_env")

NOTE = "On 3 March 2021 the agencies confirmed the plan. Roscosmos said it would take years.\n"


@pytest.fixture
def own(tmp_path: Path) -> str:
    """A ledger made by ``ledger init --with-article``, with a note registered as a source."""
    path = tmp_path / "mine.sqlite"
    code, out, err = run("init", str(path), "--with-article")
    assert (code, err) == (0, "")
    assert "holding the article's corpus" in out
    db = f"sqlite:///{path}"
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    code, out, err = run(
        "source", "add", str(note), "--title", "A note", "--date", "2021-03-05", "--db", db
    )
    assert (code, err) == (0, "")
    assert out.startswith("recorded SourceRegistered")
    return db


def test_writing_commands_refuse_the_default_ledger(tmp_path: Path) -> None:
    """Without --db, import and add refuse, name the default ledger and say to init one;
    nothing is created in the data directory."""
    for argv in (
        ("import", "tests/corpora/apollo-soyuz"),
        ("add", "--type", "Stated", "--stream", "ilrs"),
        ("retract", "x", "--reason", "r"),
    ):
        code, _, err = run(*argv)
        assert code == 1
        assert "ledger init" in err
        assert "--into-default" in err
    assert not (tmp_path / "xdg-data" / "ledger").exists()


def test_init_refuses_a_ledger_that_holds_events(own: str) -> None:
    """A second init of the same file changes nothing and says so."""
    code, _, err = run("init", own.removeprefix("sqlite:///"))
    assert code == 1
    assert "already a ledger holding" in err


def test_add_checks_and_records_a_claim(own: str) -> None:
    """A claim from flags is checked (phrase resolved against the source's date) and
    recorded; adding it again records nothing."""
    argv = (
        "add",
        "--type",
        "StatusChanged",
        "--stream",
        "ILRS-unknown",
        "--source",
        "note",
        "--phrase",
        "On 3 March 2021",
        "--quote",
        "On 3 March 2021 the agencies confirmed the plan",
        "--set",
        "status=confirmed",
        "--db",
        own,
    )
    code, _, err = run(*argv)
    assert code == 1
    assert "unknown entity 'ILRS-unknown'" in err
    fixed = tuple("ilrs" if a == "ILRS-unknown" else a for a in argv)
    code, out, err = run(*fixed)
    assert (code, err) == (0, "")
    assert out.startswith("recorded StatusChanged")
    code, out, _ = run(*fixed)
    assert out.startswith("present StatusChanged")
    with ledger.open(own) as opened:
        (claim,) = [e for e in opened.stream("ilrs") if e.summary.startswith("On 3 March")]
        assert claim.valid_time.edtf == "2021-03-03"
        assert claim.citation.start == 0


def test_add_reads_a_yaml_document(own: str, tmp_path: Path) -> None:
    """A short YAML file of claims is recorded whole, or not at all when one is wrong."""
    doc = tmp_path / "claims.yaml"
    doc.write_text(
        "- {type: Stated, stream: roscosmos, date: '2021-03-05', quote: Roscosmos said,"
        " predicate: spoke}\n"
        "- {type: Stated, stream: roscosmos, date: '2021-03-05', quote: not in the note,"
        " predicate: spoke}\n",
        encoding="utf-8",
    )
    with ledger.open(own) as opened:
        head = opened.digest()
    code, _, err = run("add", str(doc), "--source", "note", "--db", own)
    assert code == 1
    assert f"{doc}:2: field 'quote': quote not found" in err
    with ledger.open(own) as opened:
        assert opened.digest() == head
    doc.write_text(doc.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, out, _ = run("add", str(doc), "--source", "note", "--db", own)
    assert (code, out.split()[:2]) == (0, ["recorded", "Stated"])


def test_correct_and_retract_a_corpus_claim(own: str) -> None:
    """A correction by corpus id cites its source (quote checked) and keeps the claim's
    date; a retraction needs only a reason; an unknown claim is one error."""
    code, _, err = run(
        "correct",
        "ilrs-location-orbit",
        "--reason",
        "said otherwise",
        "--source",
        "note",
        "--quote",
        "Roscosmos said",
        "--set",
        "value=on the surface",
        "--db",
        own,
    )
    assert (code, err) == (0, "")
    code, _, err = run("retract", "ilrs-location-orbit", "--reason", "misread", "--db", own)
    assert (code, err) == (0, "")
    code, _, err = run("retract", "no-such-claim", "--reason", "misread", "--db", own)
    assert code == 1
    assert err.count("\n") == 1
    assert "no recorded claim 'no-such-claim'" in err
    with ledger.open(own) as opened:
        answers = list(opened.events(types=("Corrected", "Retracted")))
        corrected = [
            e for e in answers if isinstance(e, Corrected) and e.reason == "said otherwise"
        ]
        assert corrected[0].changes_map == {"value": "on the surface"}
        assert corrected[0].valid_time.edtf == "2021-03-09"
        assert any(isinstance(e, Retracted) and e.reason == "misread" for e in answers)
        assert opened.verify().ok


def test_a_source_title_need_not_be_in_its_text(own: str) -> None:
    """The note's title ("A note") is not in its text; the source is recorded with its text."""
    with ledger.open(own) as opened:
        (note,) = opened.stream("source:note")
    assert isinstance(note, SourceRegistered)
    assert note.text == NOTE
    assert note.title == "A note"

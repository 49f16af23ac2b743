"""Hostile input: dates, corpus files and command lines never crash, hang or write in part."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from corpus_builders import CATALOGUE, CLAIMS, MINI_META, write_corpus
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import URL, make_url

import ledger
from ledger.application.ledger import Ledger
from ledger.cli import main
from ledger.corpus import find_manifest, import_corpus, load_corpus
from ledger.corpus.importer import known_of
from ledger.corpus.yamlnodes import MAX_FILE_BYTES
from ledger.dates import HistoricalDate, parse_edtf, resolve_phrase
from ledger.domain.events import AgreementSigned, Citation, Corrected
from ledger.errors import FixtureError, FixtureErrors, InvalidDateError, QueryError, StoreError
from ledger.persistence.store import EventStore
from ledger.persistence.urls import resolve_url

REPO = Path(__file__).resolve().parents[2]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BIDI = "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u200f\u200e"
SQL = ("'; DROP TABLE events; --", "1 OR 1=1", "x' UNION SELECT hash FROM events --", "%s", "?")
HOSTILE_TEXTS = [
    "",
    " ",
    "\x00",
    "2021-03-09\x00",
    "\u202e2021-03-09",
    "2021-03-09\u202e",
    "\u202eفي شهر ديسمبر\u202c",
    "في شهر \u202bديسمبر 2020",
    "2021-03-09'; DROP TABLE events; --",
    "1 OR 1=1",
    "\ud800",
    "２０２１-０３-０９",
    "9" * 100_000,
    "Y" + "9" * 5_000,
    "Y-" + "9" * 5_000,
    "Y1E999999999",
    "-" * 10_000,
    "2021/" * 10_000,
    "{" + ",".join(["2021"] * 10_000) + "}",
    "[" + "..".join(["2021"] * 5_000) + "]",
    "(" * 10_000 + "2021" + ")" * 10_000,
    "X" * 100_000,
    "in " * 50_000 + "December",
    "\r\n\t\x0b\x0c\x1b[31m2021",
]

hostile_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.text(alphabet="0123456789-/.,?~%XYESu[]{}() " + BIDI, max_size=60),
    st.builds(
        lambda a, b, c: a + b + c,
        st.sampled_from(["", *SQL, BIDI[:3]]),
        st.sampled_from(["2021-03-09", "2020-12", "في ديسمبر", "March 2021", "2011", "1969-07-20"]),
        st.sampled_from(["", *SQL, "\x00", "\u202e", "?~", "/..", "S2"]),
    ),
)


def _date_outcome(parse: object, text: str) -> None:
    """Call a date reader and accept only a date or InvalidDateError."""
    try:
        if parse is parse_edtf:
            result = parse_edtf(text)
            assert isinstance(result, HistoricalDate)
            assert parse_edtf(result.edtf) == result
        else:
            resolved = resolve_phrase(text, "2021-03-09")
            assert isinstance(resolved.date, HistoricalDate)
    except InvalidDateError:
        pass


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
@pytest.mark.parametrize("parse", [parse_edtf, resolve_phrase], ids=["edtf", "phrase"])
def test_date_readers_refuse_hostile_text_cleanly(parse: object, text: str) -> None:
    """Huge, control, bidi and SQL-looking text gives a date or InvalidDateError, nothing else."""
    _date_outcome(parse, text)


@pytest.mark.slow
@FUZZ
@given(text=hostile_text)
def test_parse_edtf_on_random_text_gives_a_date_or_invalid_date_error(text: str) -> None:
    """parse_edtf on any text returns a date that round-trips or raises InvalidDateError."""
    _date_outcome(parse_edtf, text)


@pytest.mark.slow
@FUZZ
@given(text=hostile_text)
def test_resolve_phrase_on_random_text_gives_a_date_or_invalid_date_error(text: str) -> None:
    """resolve_phrase on any text returns a resolved date or raises InvalidDateError."""
    _date_outcome(resolve_phrase, text)


# --- the fixture loader ---------------------------------------------------------------------


def _bomb(levels: int = 9) -> str:
    """A YAML "billion laughs": each anchor is nine aliases of the one before."""
    lines = ["laughs:", '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HEAD = "recorded_at: 2021-03-10T00:00:00Z\n"
ARTICLE = (REPO / "fixtures" / "article.yaml").read_bytes()
HOSTILE_FILES: dict[str, bytes] = {
    "invalid-utf8": HEAD.encode() + b"events:\n- id: \xff\xfe\x80\n",
    "nul-byte": HEAD.encode() + b"events:\n- id: a\x00b\n",
    "nul-in-article": ARTICLE.replace(b"summary: ", b"summary: \x00", 1),
    "utf16-bom": b"\xff\xfe" + HEAD.encode("utf-16-le"),
    "bomb-at-top": (HEAD + _bomb()).encode(),
    "bomb-in-claim-id": (HEAD + _bomb() + "events:\n- id: *l8\n  type: StatusChanged\n").encode(),
    "bomb-in-claim-type": (HEAD + _bomb() + "events:\n- id: a\n  type: *l8\n").encode(),
    "bomb-in-aliases": (HEAD + _bomb() + "entities:\n- id: x\n  aliases: *l8\n").encode(),
    "bomb-as-events": (HEAD + _bomb() + "events: *l8\n").encode(),
    "recursive-alias": b"recorded_at: &r [*r]\n",
    "deep-flow-lists": (HEAD + "events: " + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
    "deep-flow-maps": (HEAD + "events: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n").encode(),
    "deep-block-lists": (
        HEAD + "events:\n" + "".join("  " * i + "-\n" for i in range(3_000))
    ).encode(),
    "huge-value": (HEAD + "confidence: " + "x" * 10_000_000 + "\n").encode(),
    "huge-quote": ARTICLE.replace(b"quote: ", b"quote: " + b"q" * 10_000_000, 1),
    "duplicate-key": (HEAD + HEAD).encode(),
    "duplicate-claim-key": ARTICLE.replace(b"  type: ", b"  type: StatusChanged\n  type: ", 1),
    "not-a-mapping": b"- 1\n- 2\n",
    "scalar": b"hello",
    "empty": b"",
    "wrong-types": b"recorded_at: [1, 2]\nevents: {a: 1}\nentities: 3\n",
    "wrong-claim-types": (HEAD + "events:\n- id: [1]\n  type: {x: 1}\n  valid_time: 12\n").encode(),
    "python-tag": b"recorded_at: !!python/object/apply:os.system [ls]\n",
    "binary-tag": b"recorded_at: !!binary aGVsbG8=\n",
    "non-text-key": b"? [a, b]\n: 1\n",
    "sql-ids": ARTICLE.replace(b"- id: ", b"- id: x'); DROP TABLE events; -- "),
    "sql-valid-time": ARTICLE.replace(b'date: "', b'date: "1 OR 1=1 ', 1),
    "bidi-ids": ARTICLE.replace(b"- id: ", "- id: \u202e".encode(), 1),
    "nan-time": b"recorded_at: .nan\n",
    "far-past": b"recorded_at: 0001-01-01T00:00:00-23:59\n",
}


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine copy of the repository's fixtures/ and seeds/."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(REPO / "fixtures", root / "fixtures")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


@contextlib.contextmanager
def hostile_corpus(pristine: Path, tmp_path: Path, content: bytes) -> Iterator[Path]:
    """The pristine corpus with fixtures/article.yaml replaced by ``content``."""
    root = tmp_path / "hostile"
    shutil.copytree(pristine, root)
    (root / "fixtures" / "article.yaml").write_bytes(content)
    try:
        yield root / "fixtures"
    finally:
        shutil.rmtree(root)


def _assert_named(errors: FixtureErrors) -> None:
    """Every problem names a file, and each message is a bounded single readable line."""
    assert errors.errors
    for error in errors.errors:
        assert isinstance(error, FixtureError)
        assert error.file
        assert error.line is None or error.line >= 1
    assert any(e.file.endswith("article.yaml") for e in errors.errors)
    assert len(str(errors)) < 100_000


SLOW_FILES = ("huge-quote", "deep-flow-lists")
"""Files that take seconds to refuse: 10 MB of quote, 50,000 nested lists (the other
nestings stay in the quick run)."""


def hostile_names(*names: str) -> list[Any]:
    """The files' names as parameters, those of ``SLOW_FILES`` marked slow."""
    return [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_FILES else n for n in names]


@pytest.mark.sweep
@pytest.mark.parametrize("name", hostile_names(*HOSTILE_FILES))
def test_hostile_corpus_file_gives_fixture_errors_naming_it(
    name: str, corpus_copy: Path, tmp_path: Path
) -> None:
    """Malformed bytes, bombs, nesting, huge values and wrong types give FixtureErrors only."""
    with (
        hostile_corpus(corpus_copy, tmp_path, HOSTILE_FILES[name]) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    _assert_named(caught.value)


def test_a_byte_order_mark_is_read_as_the_same_corpus(corpus_copy: Path, tmp_path: Path) -> None:
    """A UTF-8 BOM before a valid file is tolerated: the corpus loads to the same events."""
    with hostile_corpus(corpus_copy, tmp_path, b"\xef\xbb\xbf" + ARTICLE) as fixtures:
        assert load_corpus(fixtures).events == load_corpus(corpus_copy / "fixtures").events


def test_nul_byte_error_names_its_line(corpus_copy: Path, tmp_path: Path) -> None:
    """Regression: a NUL byte was a raw yaml ReaderError; now a FixtureError with its line."""
    with (
        hostile_corpus(corpus_copy, tmp_path, HOSTILE_FILES["nul-byte"]) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    # Later files' corrections of article claims then find nothing to answer: only the
    # article's own error is this test's business.
    (error,) = [e for e in caught.value.errors if e.file == "fixtures/article.yaml"]
    assert (error.file, error.line) == ("fixtures/article.yaml", 3)
    assert "'\\x00'" in error.message


def test_billion_laughs_is_refused_before_expansion(corpus_copy: Path, tmp_path: Path) -> None:
    """Regression: aliases expanding to 9**9 items exhausted memory; now refused at their line."""
    with (
        hostile_corpus(corpus_copy, tmp_path, HOSTILE_FILES["bomb-in-claim-id"]) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    # As above: later files' corrections of article claims find nothing to answer.
    (error,) = [e for e in caught.value.errors if e.file == "fixtures/article.yaml"]
    assert error.line is not None
    assert "aliases expand" in error.message


@pytest.mark.slow
def test_deep_nesting_is_a_fixture_error(corpus_copy: Path, tmp_path: Path) -> None:
    """Regression: deeply nested flow lists raised RecursionError; now a FixtureError."""
    with (
        hostile_corpus(corpus_copy, tmp_path, HOSTILE_FILES["deep-flow-lists"]) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    assert "nested too deeply" in str(caught.value)


def test_small_aliases_are_still_allowed(corpus_copy: Path, tmp_path: Path) -> None:
    """A corpus file sharing a list through an alias still loads (the limit is not zero)."""
    shared = ARTICLE.replace(b"recorded_at:", b"x-shared: &s [a, b]\nx-again: *s\nrecorded_at:", 1)
    with (
        hostile_corpus(corpus_copy, tmp_path, shared) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    assert all("aliases expand" not in str(e) for e in caught.value.errors)
    assert any(e.field == "x-shared" for e in caught.value.errors)


@pytest.mark.sweep
@pytest.mark.parametrize(
    "name",
    hostile_names("invalid-utf8", "bomb-in-claim-id", "deep-flow-lists", "sql-ids", "huge-quote"),
)
def test_failed_import_leaves_the_ledger_unchanged(
    name: str, corpus_copy: Path, tmp_path: Path
) -> None:
    """After a failed import_corpus the ledger's event count and digest are as before."""
    with ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}") as opened:
        import_corpus(opened, corpus_copy / "fixtures")
        before = opened.digest()
        with (
            hostile_corpus(corpus_copy, tmp_path, HOSTILE_FILES[name]) as fixtures,
            pytest.raises(FixtureErrors),
        ):
            import_corpus(opened, fixtures)
        assert opened.digest() == before
        assert opened.store.head() == before.position
        assert opened.verify().ok


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes_as_a_corpus_file_give_fixture_errors(
    corpus_copy: Path, tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    """Any random bytes in place of a corpus file give FixtureErrors naming it."""
    with (
        hostile_corpus(corpus_copy, tmp_path_factory.mktemp("fuzz"), content) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    _assert_named(caught.value)


# --- the command line -----------------------------------------------------------------------

TOKENS = [
    "verify",
    "digest",
    "import",
    "date",
    "--against",
    "--db",
    "--check",
    "--help",
    "-h",
    "--",
    "-",
    "0:" + "0" * 64,
    "1:" + "f" * 64,
    "2021-03-09",
    "في شهر ديسمبر",
    "\u202e2021",
    "'; DROP TABLE events; --",
    "nonsense://x",
    "mysql://root@localhost/x",
    "sqlite:///:memory:",
    "fixtures",
    "/nonexistent/corpus.yaml",
]


def _safe_text(text: str) -> bool:
    """No random text may name a network database (a connection attempt could hang)."""
    return "postgres" not in text.lower() and "://" not in text


cli_argv = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=30).filter(_safe_text)), max_size=6
)


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> URL:
    """A working directory and a default ledger in a temporary folder."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    url = URL.create("sqlite", database=str(tmp_path / "default.sqlite"))
    monkeypatch.setenv("LEDGER_DATABASE_URL", url.render_as_string())
    return url


def _run_cli(argv: list[str]) -> tuple[int, str]:
    """Run the CLI in-process; returns the exit code and everything written to stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv, stdout=out, stderr=err)
    return code, err.getvalue()


@pytest.mark.slow
@settings(FUZZ, max_examples=120)
@given(argv=cli_argv)
def test_random_command_lines_exit_cleanly(cli_home: URL, argv: list[str]) -> None:
    """Any argv exits 0, 1 or 2 and never prints a traceback."""
    code, err = _run_cli(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "--against", "'; DROP TABLE events; --"],
        ["verify", "--against", "\u202e1:" + "0" * 64],
        ["verify", "--db", "nonsense://x"],
        ["verify", "--db", "\x00"],
        ["digest", "--db", "sqlite:////nonexistent-dir/\x00/x.db"],
        ["date", "\u202e2021-03-09"],
        ["date", "9" * 100_000],
        ["import", "\x00"],
        ["import", "fixtures/article.yaml"],
        ["import", "--check", "/" + "a" * 5_000],
    ],
)
def test_hostile_command_lines_give_one_line_errors(cli_home: URL, argv: list[str]) -> None:
    """Hostile arguments to each command exit 1 or 2 with an error line, never a traceback."""
    code, err = _run_cli(argv)
    assert code in (1, 2), (code, err)
    assert "Traceback" not in err
    assert err.strip()


def test_a_nul_byte_in_a_sqlite_path_is_a_store_error() -> None:
    """Regression: a NUL byte in a SQLite file URL raised ValueError; now a StoreError."""
    with pytest.raises(StoreError, match="cannot create the folder"):
        resolve_url("sqlite:////nonexistent-dir/\x00/x.db")


def test_a_corpus_path_too_long_for_the_file_system_is_a_fixture_error() -> None:
    """Regression: a path longer than the file system allows raised OSError; now FixtureErrors."""
    with pytest.raises(FixtureErrors) as caught:
        find_manifest("/" + "a" * 5_000)
    assert len(str(caught.value)) < 1_000


# --- every command on a ledger that holds the article ----------------------------------------
# The commands that read a ledger (state, timeline, diff, events, export, rebuild...) get
# arguments built to reach their handlers: hostile program names, dates, types and paths.

MAX_ERROR_LINE = 2_000
"""Longest line an error may print, whatever the input was."""

NAMES = [
    "ILRS",
    "ilrs",
    "ناسا",
    "بوابة القمر",
    "\u202eILRS",
    "ILRS\u202c",
    "'; DROP TABLE events; --",
    "%s",
    "?",
    "",
    " ",
    "x" * 100_000,
    "\udcff",  # undecodable bytes in argv arrive as lone surrogates (surrogateescape)
    "\x1b[31mred",
]
DATES = [
    "2021-03-10",
    "2021",
    "2020-12/2021-03",
    "[..2021]",
    "2021-13",
    "Y170000002",
    "-9999",
    "9" * 100_000,
    "\udce9",
    "في شهر ديسمبر",
    "2021-03-10T00:00:00Z",
    "2021-03-10T00:00:00",
]
hostile_name = st.one_of(st.sampled_from(NAMES), st.text(max_size=20))
hostile_date = st.one_of(st.sampled_from(DATES), st.text(max_size=20))


@st.composite
def reading_command_lines(draw: st.DrawFn) -> list[str]:
    """An argument list for one of the commands that read the ledger, past argparse mostly."""
    command = draw(
        st.sampled_from(["state", "diff", "timeline", "events", "programs", "conflicts"])
        | st.sampled_from(["sources", "export", "rebuild", "date", "verify", "digest"])
    )
    argv = [command]
    options: dict[str, st.SearchStrategy[str]] = {}
    if command == "state":
        argv += [draw(hostile_name), "--as-of", draw(hostile_date)]
        options = {"--known-at": hostile_date}
    elif command == "diff":
        argv += [draw(hostile_name), draw(hostile_date), draw(hostile_date)]
    elif command == "timeline":
        argv += draw(st.lists(hostile_name, max_size=1))
        options = {"--from": hostile_date, "--to": hostile_date}
    elif command == "events":
        options = {
            "--program": hostile_name,
            "--type": st.sampled_from(["AgreementSigned", "Nope", "\udcff", ""]),
            "--from": hostile_date,
            "--to": hostile_date,
            "--known-at": hostile_date,
            "--limit": st.sampled_from(["0", "-1", "3", "1" + "0" * 30, "x"]),
        }
    elif command == "rebuild":
        argv += draw(st.lists(hostile_name, max_size=2))
    elif command == "date":
        argv += [draw(hostile_date)]
        options = {"--reference": hostile_date}
    elif command == "verify":
        options = {"--against": st.sampled_from(["0:" + "0" * 64, "1:" + "f" * 64, "\udcff"])}
    elif command == "export":
        options = {"--format": st.sampled_from(["jsonl", "csv", "x"])}
    for option, values in options.items():
        if draw(st.booleans()):
            argv += [option, draw(values)]
    listing = ("state", "diff", "timeline", "events", "programs", "conflicts", "sources")
    if command in listing and draw(st.booleans()):
        argv += ["--format", draw(st.sampled_from(["json", "csv", "jsonl", "plain", "x"]))]
    return argv


@pytest.fixture(scope="module")
def article_copy(article_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private copy of the article's ledger (rebuild saves checkpoints into it)."""
    source = Path(make_url(article_db).database or "")
    target = tmp_path_factory.mktemp("hostile-cli") / "article.sqlite"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def _assert_clean_exit(argv: list[str], code: int, err: str) -> None:
    """Exit 0, 1 or 2; errors are bounded lines, starting 'ledger: error:' for exit code 1
    (a failed verification says so on stdout instead)."""
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err
    assert all(len(line) <= MAX_ERROR_LINE for line in err.splitlines()), err[:300]
    if code == 1 and argv[0] != "verify":
        assert err.startswith("ledger: error: "), err[:300]


@pytest.mark.slow
@settings(FUZZ, max_examples=80)
@given(argv=reading_command_lines())
def test_reading_commands_on_hostile_arguments_exit_cleanly_and_write_nothing(
    article_copy: str, argv: list[str]
) -> None:
    """Any hostile arguments to the reading commands exit 0, 1 or 2 with bounded error lines,
    never a traceback, and leave the recorded events as they were."""
    with ledger.open(article_copy) as opened:
        before = opened.digest()
    code, err = _run_cli([*argv, "--db", article_copy])
    _assert_clean_exit(argv, code, err)
    with ledger.open(article_copy) as opened:
        assert opened.digest() == before


@pytest.mark.parametrize(
    "argv",
    [
        ["state", "\udcff", "--as-of", "2021"],
        ["events", "--program", "\udcff"],
        ["timeline", "\udcff"],
        ["diff", "\udcff", "2020", "2021"],
        ["rebuild", "\udcff"],
    ],
)
def test_undecodable_program_names_are_a_one_line_error(article_copy: str, argv: list[str]) -> None:
    """Regression: a name holding undecodable bytes (a lone surrogate) reached the database
    driver and raised UnicodeEncodeError; now one 'ledger: error:' line, exit 1."""
    code, err = _run_cli([*argv, "--db", article_copy])
    assert code == 1
    assert err.startswith("ledger: error: ")
    assert "not valid Unicode" in err
    assert err.count("\n") == 1


def test_lone_surrogates_are_query_errors_on_every_backend(store: EventStore) -> None:
    """Regression: reads by a name holding a lone surrogate raise QueryError (no driver error)."""
    for read in (
        lambda: store.stream_version("\udcff"),
        lambda: store.stream("\ud800"),
        lambda: list(store.iter_events(subject="x\udcff")),
        lambda: store.load_checkpoint("\udcff"),
    ):
        with pytest.raises(QueryError, match="not valid Unicode"):
            read()
    assert store.head() == 0


@pytest.mark.sweep
@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--out", "\x00.jsonl"],
        ["plot", "--out", "a\x00.svg"],
        ["report", "--out", "a\x00.html"],
    ],
)
def test_nul_byte_in_an_output_path_is_a_one_line_error(article_copy: str, argv: list[str]) -> None:
    """Regression: a NUL byte in --out raised ValueError from the file system layer; now an
    OutputError naming the file, exit 1."""
    code, err = _run_cli([*argv, "--db", article_copy])
    assert code == 1
    assert err.startswith("ledger: error: cannot write ")


@pytest.mark.parametrize(
    "argv",
    [
        ["state", "x" * 100_000, "--as-of", "2021"],
        ["verify", "--db", "sqlite:////nonexistent/" + "d/" * 50_000 + "x.sqlite"],
        ["events", "--type", "T" * 100_000],
        ["date", "9" * 100_000],
    ],
)
def test_huge_arguments_give_bounded_error_lines(article_copy: str, argv: list[str]) -> None:
    """Regression: a 100,000-character name came back whole in the error line; every error
    line is now bounded, whatever the input."""
    code, err = _run_cli([*argv, "--db", article_copy] if "--db" not in argv else argv)
    assert code == 1
    _assert_clean_exit(argv, code, err)


# --- hostile values in the fields of a small corpus --------------------------------------------
# Random whole files mostly stop at the YAML level; these keep the YAML valid and put hostile
# values into single fields, so they reach the checks, the builders and the store.

CORPUS_FIELDS = [
    "id", "type", "stream", "phrase", "date", "quote", "summary", "fact", "agreement",
    "parties", "subjects", "participants", "restricted", "counterparties", "confidence",
    "source", "quote_in", "also_cited", "kind", "name_en", "name_ar", "aliases", "part_of",
    "recorded_at", "reference", "target", "reason", "changes", "status", "attribute",
    "value", "count", "title", "text", "sha256", "language",
]  # fmt: skip
YAML_VALUES = [
    "~", "[]", "{}", "[[]]", "[{a: 1}]", "{a: [1]}", "0", "-1", "1.5", ".nan", ".inf", "true",
    "2021-03-09", "2021-03-09T10:00:00Z", "99999999999999999999", "!!binary AAAA",
    "!!set {a}", "[russia, russia]", "[china, nasa, pact, roscosmos]", "&a x", "*a",
]  # fmt: skip
TEXT_VALUES = [
    "'; DROP TABLE events; --", "\u202eروسيا\u202c", "\u200f", "x" * 20_000, "\t\x85\u2028",
    "ilrs", "russia", "Russia", "روسيا", "في شهر ديسمبر", "2020-12", "[..2021]", "pact-signed",
    "law-enacted", "\ufeff", "Y170000002", "XXXX", "\\", "%s", "{x}", "2021-02-29",
    "1 OR 1=1", "high", "mini", "https://x", "\x7f", "ّ", "\ud800", "\udcff", "mini\x00.txt",
]  # fmt: skip
corpus_value = st.one_of(
    st.sampled_from(YAML_VALUES),
    st.sampled_from(TEXT_VALUES).map(json.dumps),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40).map(json.dumps),
)


@st.composite
def mutated_corpora(draw: st.DrawFn) -> dict[str, str]:
    """The mini corpus with one to three fields of one file set to hostile values."""
    name = draw(st.sampled_from(["claims", "catalogue", "mini_yaml"]))
    lines = {"claims": CLAIMS, "catalogue": CATALOGUE, "mini_yaml": MINI_META}[name].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        field = draw(st.sampled_from(CORPUS_FIELDS))
        value = draw(corpus_value)
        at = [i for i, line in enumerate(lines) if line.lstrip(" -").startswith(field + ":")]
        replace: bool = draw(st.booleans())
        if at and replace:
            i = draw(st.sampled_from(at))
            lines[i] = lines[i][: lines[i].index(field + ":") + len(field) + 1] + " " + value
        else:
            entries = [i for i, line in enumerate(lines) if line.startswith("  - ")]
            if entries:
                lines.insert(draw(st.sampled_from(entries)) + 1, f"    {field}: {value}")
    return {name: "\n".join(lines) + "\n"}


# A seed's text path holding a lone surrogate escaped as a UnicodeEncodeError traceback.
SURROGATE_TEXT = {"mini_yaml": MINI_META.replace("text: mini.txt", 'text: "\\ud800"')}


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(files=mutated_corpora())
@example(files=SURROGATE_TEXT)
def test_hostile_field_values_are_refused_cleanly_or_recorded_exactly(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]
) -> None:
    """``ledger import`` of a corpus with hostile field values exits 1 with bounded errors and
    the ledger unchanged, or 0 with the corpus recorded exactly, verified and queryable."""
    root = tmp_path_factory.mktemp("fields")
    pristine = write_corpus(root / "pristine")
    manifest = write_corpus(root / "mutated", **files)
    url = f"sqlite:///{root / 'ledger.sqlite'}"
    assert _run_cli(["import", str(pristine), "--db", url])[0] == 0
    with ledger.open(url) as opened:
        before = opened.digest()
        # What the import checks the corpus against: the ledger's entities, which a renamed
        # id (an anchor's new name) merges with by name, as `ledger import` does.
        known = known_of(opened)
    code, err = _run_cli(["import", str(manifest), "--db", url])
    _assert_clean_exit(["import"], code, err)
    with ledger.open(url) as opened:
        assert opened.verify().ok
        if code != 0:
            assert opened.digest() == before
            return
        corpus = load_corpus(manifest, known)
        recorded = {e.id: e for e in opened.events()}
        for event in corpus.events:
            assert attrs.evolve(recorded[event.id], sequence=0, position=0, recorded_at=None) == (
                attrs.evolve(event, recorded_at=None)
            )
        for stream in sorted({e.stream for e in corpus.events}):
            opened.state(stream, "2021-03-10")
        opened.conflicts()
        opened.timeline()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("\\ud800", "not a file name"),
        ("mini\\x00.txt", "not a file name"),
        ("\\udcff", "cannot read the text"),  # a valid name (the byte 0xff), no such file
    ],
)
def test_a_seed_text_path_no_file_system_takes_is_a_fixture_error(
    tmp_path: Path, text: str, said: str
) -> None:
    """Regression: ``import --check`` of a seed whose text path holds a lone surrogate (or a
    NUL) escaped with UnicodeEncodeError; now one error naming the file, line and field."""
    manifest = write_corpus(
        tmp_path, mini_yaml=MINI_META.replace("text: mini.txt", f'text: "{text}"')
    )
    code, err = _run_cli(["import", str(manifest), "--check"])
    assert code == 1
    assert err.startswith("ledger: error: ")
    assert "Traceback" not in err
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(manifest)
    error = caught.value.errors[0]
    assert (error.file, error.line, error.field) == ("seeds/mini.yaml", 2, "text")
    assert said in error.message


def test_invalid_utf8_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    """Regression: undecodable bytes were reported without a line; now file, line and column."""
    manifest = write_corpus(tmp_path)
    claims = manifest.parent / "claims.yaml"
    raw = claims.read_bytes()
    at = raw.index(b"summary: ") + len(b"summary: ") + 3
    claims.write_bytes(raw[:at] + b"\xff" + raw[at:])
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(manifest)
    (error,) = caught.value.errors
    line = raw[:at].count(b"\n") + 1
    assert (error.file, error.line) == ("fixtures/claims.yaml", line)
    assert "not valid UTF-8" in error.message
    assert "column 17" in error.message


def test_huge_values_in_corpus_errors_are_shown_bounded(tmp_path: Path) -> None:
    """Regression: a 100,000-character type or id came back whole in its FixtureError; each
    message now keeps its start and end and says how much it left out."""
    manifest = write_corpus(
        tmp_path, claims=CLAIMS.replace("type: AgreementSigned", "type: " + "T" * 100_000)
    )
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(manifest)
    assert len(str(caught.value)) < 5_000
    assert any("unknown event type 'TTT" in str(e) for e in caught.value.errors)
    assert any("characters left out" in str(e) for e in caught.value.errors)


# --- a JSON Lines export read back by ``ledger import FILE.jsonl`` ------------------------------

JSON_VALUES: list[Any] = [
    None, 0, -1, 1.5, 10**400, True, "", "x", "\ud800", "a\x00b", [], {}, [[]], {"a": 1},
    "2021-13", "not-a-uuid", "ilrs", "Y170000002", "1970-01-01T00:00:00", "medium-high",
    "StatusChanged", "Event", "'; DROP TABLE events; --", "\u202eilrs", float("nan"),
]  # fmt: skip


@pytest.fixture(scope="module")
def exported_lines(article_copy: str, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The article's ledger exported as JSON Lines."""
    target = tmp_path_factory.mktemp("export") / "article.jsonl"
    assert _run_cli(["export", "--db", article_copy, "--out", str(target)])[0] == 0
    return target.read_text(encoding="utf-8").splitlines()


def mutated_record(line: str, data: st.DataObject) -> str:
    """An exported event with one to three of its fields (or of its payload's or citation's)
    set to hostile values, as one JSON line (lone surrogates escaped, as json.dumps does)."""
    record = json.loads(line)
    for _ in range(data.draw(st.integers(1, 3))):
        nested = record.get(data.draw(st.sampled_from(["payload", "citation", ""])))
        target = nested if isinstance(nested, dict) else record
        key = data.draw(st.sampled_from([*target, "zz"]))
        if data.draw(st.integers(0, 9)) == 0:
            target.pop(key, None)
        else:
            target[key] = data.draw(st.sampled_from(JSON_VALUES))
    return json.dumps(record)


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_hostile_jsonl_records_are_refused_cleanly_or_recorded(
    exported_lines: list[str], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """``ledger import FILE.jsonl`` of exported events with hostile fields exits 0 (recorded,
    verified) or 1 with one bounded error line and nothing recorded; never a traceback."""
    root = tmp_path_factory.mktemp("jsonl")
    picks = data.draw(st.lists(st.integers(0, len(exported_lines) - 1), min_size=1, max_size=3))
    lines = [mutated_record(exported_lines[i], data) for i in picks]
    (root / "hostile.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{root / 'ledger.sqlite'}"
    code, err = _run_cli(["import", str(root / "hostile.jsonl"), "--db", url])
    _assert_clean_exit(["import"], code, err)
    with ledger.open(url) as opened:
        assert opened.verify().ok
        assert (opened.digest().position == 0) == (code != 0)


@pytest.mark.parametrize(
    "line",
    ["[" * 100_000, '{"payload": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"a":' * 50_000],
)
def test_deeply_nested_jsonl_is_a_one_line_error(tmp_path: Path, line: str) -> None:
    """Regression: a JSON line nested 100,000 deep raised RecursionError from the decoder;
    now a one-line error naming the file and line, with nothing recorded."""
    path = tmp_path / "deep.jsonl"
    path.write_text("\n" + line + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    code, err = _run_cli(["import", str(path), "--db", url])
    assert code == 1
    assert err.startswith("ledger: error: ")
    assert "deep.jsonl:2: " in err
    assert "nested too deeply" in err
    assert err.count("\n") == 1


# --- corrections whose new values do not fit the corrected field --------------------------------

CORRECTION = """\
  - id: fix
    type: Corrected
    stream: pact
    date: "2020-12"
    quote: وقعت روسيا والصين اتفاقية في شهر ديسمبر
    summary: a correction of the pact's parties
    target: pact-signed
    reason: the article names them otherwise
    changes: {changes}
"""


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ("{parties: [[russia]]}", "parties: expected a list of text"),
        ("{parties: [russia, 5]}", "parties: expected a list of text"),
        ("{parties: 99}", "parties: expected a list of text"),
        ("{agreement: [1, 2]}", "agreement: expected text"),
        ("{parties: [russia, nobody]}", "unknown entity 'nobody'"),
    ],
)
def test_correction_values_are_checked_like_their_fields(
    tmp_path: Path, changes: str, problem: str
) -> None:
    """Regression: a correction's new values were not checked, so ``parties: [[russia]]``
    was recorded for good and every later ``ledger state`` of the program raised TypeError;
    now each value is checked as its field is, with file, line and field."""
    claims = CLAIMS + CORRECTION.format(changes=changes)
    manifest = write_corpus(tmp_path, claims=claims)
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(manifest)
    (error,) = caught.value.errors
    assert (error.file, error.field) == ("fixtures/claims.yaml", "changes")
    assert error.line == claims.splitlines().index("    changes: " + changes) + 1
    assert problem in error.message


def test_a_single_party_in_a_correction_is_a_list_of_one(tmp_path: Path) -> None:
    """A correction giving one entity where a list belongs means a list of that one (as the
    field itself does), not a list of its letters."""
    manifest = write_corpus(tmp_path, claims=CLAIMS + CORRECTION.format(changes="{parties: china}"))
    with ledger.open("sqlite:///:memory:") as opened:
        import_corpus(opened, manifest)
        (agreement,) = opened.state("pact", "2021-03-10").agreements
        assert agreement.parties == ("china",)


def test_recorded_misfit_corrections_are_ignored_by_the_folds(store: EventStore) -> None:
    """Regression: a correction recorded without the corpus checks (the library, a JSON Lines
    import) whose values do not fit their fields broke every fold of its program with
    TypeError; such values are now ignored, like unknown fields, and fitting ones apply."""
    signed = AgreementSigned(
        id=uuid.uuid4(),
        stream="pact",
        valid_time=parse_edtf("2020-12"),
        citation=Citation(source="mini", quote="وقعت روسيا والصين اتفاقية"),
        agreement="The pact",
        parties=("russia", "china"),
    )
    misfits = {"parties": ((("russia",),), ("russia", 5), 99, [{"a": 1}]), "agreement": ([1],)}
    answers = [
        Corrected(
            id=uuid.uuid4(),
            stream="pact",
            valid_time=parse_edtf("2020-12"),
            citation=Citation(source="mini", quote="اتفاقية"),
            target=signed.id,
            reason="hostile",
            changes={field: value},
        )
        for field, values in misfits.items()
        for value in values
    ]
    book = Ledger(store)
    book.append([signed, *answers])
    (agreement,) = book.state("pact", "2021-03-10").agreements
    assert (agreement.agreement, agreement.parties) == ("The pact", ("russia", "china"))
    book.append(attrs.evolve(answers[0], id=uuid.uuid4(), changes={"parties": ("china",)}))
    (agreement,) = book.state("pact", "2021-03-10").agreements
    assert agreement.parties == ("china",)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_claim_values_are_named_by_file_and_line(tmp_path: Path, value: str) -> None:
    """Regression: a claim value of .nan or .inf passed the checks and was refused only by
    the store, with no file or line; now a FixtureError on the field."""
    claims = CLAIMS.replace(
        "    counterparties: [china]\n",
        "    counterparties: [china]\n"
        "  - id: rank\n    type: ClaimMade\n    stream: nasa\n    quote: ناسا\n"
        f"    summary: a rank\n    date: '2021'\n    attribute: rank\n    value: {value}\n",
    )
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(write_corpus(tmp_path, claims=claims))
    (error,) = caught.value.errors
    assert (error.field, error.line) == (
        "value",
        claims.splitlines().index(f"    value: {value}") + 1,
    )
    assert "expected text, a number or true/false" in error.message


def test_an_oversized_corpus_file_is_refused_before_reading(tmp_path: Path) -> None:
    """A corpus file larger than a corpus file may be is refused at once, naming the file,
    instead of being parsed for minutes (the file here is sparse: nothing is written)."""
    manifest = write_corpus(tmp_path)
    with (manifest.parent / "claims.yaml").open("r+b") as claims:
        claims.truncate(MAX_FILE_BYTES + 1)
    started = time.monotonic()
    with pytest.raises(FixtureErrors) as caught:
        load_corpus(manifest)
    assert time.monotonic() - started < 5
    (error,) = caught.value.errors
    assert (error.file, error.line) == ("fixtures/claims.yaml", None)
    assert "split it" in error.message

"""Hostile input: dates, corpus files and command lines never crash, hang or write in part."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import URL

import ledger
from ledger.cli import main
from ledger.corpus import find_manifest, import_corpus, load_corpus
from ledger.dates import HistoricalDate, parse_edtf, resolve_phrase
from ledger.errors import FixtureError, FixtureErrors, InvalidDateError, StoreError
from ledger.persistence.urls import resolve_url

REPO = Path(__file__).resolve().parent.parent
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


@FUZZ
@given(text=hostile_text)
def test_parse_edtf_on_random_text_gives_a_date_or_invalid_date_error(text: str) -> None:
    """parse_edtf on any text returns a date that round-trips or raises InvalidDateError."""
    _date_outcome(parse_edtf, text)


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


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
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
    (error,) = caught.value.errors
    assert (error.file, error.line) == ("fixtures/article.yaml", 3)
    assert "'\\x00'" in error.message


def test_billion_laughs_is_refused_before_expansion(corpus_copy: Path, tmp_path: Path) -> None:
    """Regression: aliases expanding to 9**9 items exhausted memory; now refused at their line."""
    with (
        hostile_corpus(corpus_copy, tmp_path, HOSTILE_FILES["bomb-in-claim-id"]) as fixtures,
        pytest.raises(FixtureErrors) as caught,
    ):
        load_corpus(fixtures)
    (error,) = caught.value.errors
    assert error.line is not None
    assert "aliases expand" in error.message


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


@pytest.mark.parametrize(
    "name", ["invalid-utf8", "bomb-in-claim-id", "deep-flow-lists", "sql-ids", "huge-quote"]
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

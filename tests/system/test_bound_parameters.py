"""Hostile names, URLs and ``--db`` values reach SQL as data only, never as SQL text.

Events whose every text field is SQL (``'; DROP TABLE events; --`` and kin) are stored and
read back verbatim, looked up by those very names, and the ledger still verifies; a SQLite
file and a PostgreSQL schema named so work like any other. The SQL the package writes with
interpolation is pinned too: every value spliced into a statement is one of a fixed set of
names (tables, triggers, columns quoted by SQLAlchemy, placeholders, whole numbers).
"""

from __future__ import annotations

import ast
import json
import uuid
from pathlib import Path

import pytest
from cli_run import run
from conftest import postgres_admin_url
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

import ledger
from ledger.dates import parse_edtf
from ledger.domain.events import Citation, ClaimMade, Event, SourceRegistered
from ledger.errors import ImmutableError
from ledger.persistence.store import EventStore

INJECTIONS = [
    "'; DROP TABLE events; --",
    '"; DROP TABLE events; --',
    "x' OR '1'='1",
    "x); DELETE FROM events; --",
    "%s %(name)s ? :name $1",
    "\\'; DROP TABLE events; --",
]


def hostile_events() -> list[Event]:
    """For each injection: a source whose id, title and url are it, and a claim about a
    program of that name, citing it."""
    events: list[Event] = []
    for n, sql in enumerate(INJECTIONS):
        source = f"source {sql}"
        events.append(
            SourceRegistered(
                id=uuid.uuid5(uuid.NAMESPACE_URL, source),
                stream=source,
                valid_time=parse_edtf("2021-03-09"),
                citation=Citation(source=source, quote=sql),
                title=sql,
                url=f"https://example.org/?q={sql}",
                publisher=sql,
            )
        )
        events.append(
            ClaimMade(
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"claim {n}"),
                stream=sql,
                valid_time=parse_edtf("2021-03-09"),
                citation=Citation(source=source, quote=sql, quote_in=sql),
                subjects=(sql,),
                participants=(sql,),
                summary=sql,
                attribute=sql,
                value=sql,
            )
        )
    return events


def _check_stored_verbatim(url: str | URL) -> None:
    store = EventStore.open(url)
    try:
        written = hostile_events()
        store.append(written)
        assert [(e.id, e.summary, e.stream) for e in store.iter_events()] == [
            (e.id, e.summary, e.stream) for e in written
        ]
        assert store.head() == len(written)
        assert store.verify().ok
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.usefixtures("cli_env")
def test_hostile_text_and_a_hostile_file_name_are_data(tmp_path: Path) -> None:
    """A SQLite ledger in a folder and file named with SQL stores every hostile field
    verbatim; the commands look them up as names (found or not) and never run them."""
    folder = tmp_path / "'; DROP TABLE events; --"
    folder.mkdir()
    path = folder / "x'); DROP TABLE events; --.sqlite"
    url = f"sqlite:///{path}"
    _check_stored_verbatim(url)
    assert path.exists()
    for sql in INJECTIONS:
        for argv in (
            ["events", "--program", sql, "--format", "jsonl"],
            ["events", "--source", f"source {sql}", "--format", "jsonl"],
            ["state", sql, "--as-of", "2021-03-10", "--format", "json"],
            ["timeline", sql, "--format", "json"],
        ):
            code, out, err = run("--db", url, *argv)
            assert code in (0, 1), (argv, err)
            assert "Traceback" not in err
        code, out, _ = run("--db", url, "events", "--program", sql, "--format", "jsonl")
        assert code == 0
        assert [json.loads(line)["summary"] for line in out.splitlines()] == [sql]
    code, out, _ = run("--db", url, "sources", "--format", "json")
    assert code == 0
    assert {s["title"] for s in json.loads(out)} >= set(INJECTIONS)
    code, out, _ = run("--db", url, "verify")
    assert (code, out.split()[0]) == (0, "ok:")


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("sql", INJECTIONS[:3])
def test_a_hostile_db_value_names_a_file_and_runs_nothing(tmp_path: Path, sql: str) -> None:
    """``--db`` holding SQL is a file name (or a one-line error), never a statement."""
    monkey_cwd = tmp_path / "cwd"
    monkey_cwd.mkdir()
    code, _, err = run("--db", f"sqlite:///{monkey_cwd / sql.replace('/', '_')}", "digest")
    assert code == 0, err
    code, _, err = run("--db", sql, "digest")
    assert code in (0, 1)
    assert len(err.splitlines()) <= 2


@pytest.mark.postgres
def test_a_postgresql_schema_named_with_sql_is_data() -> None:
    """A ledger in a PostgreSQL schema named ``x'; DROP TABLE events; --`` (passed in the
    URL's search_path) is created, guarded and verified like any other."""
    from conftest import _postgres_unreachable

    if _postgres_unreachable():
        pytest.skip("PostgreSQL is unreachable")
    schema = f"x'; DROP TABLE events; -- {uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    quoted = '"' + schema.replace('"', '""') + '"'
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {quoted}"))
    try:
        url = postgres_admin_url().update_query_dict(
            {"options": f"-csearch_path={quoted.replace(' ', chr(92) + ' ')}"}
        )
        _check_stored_verbatim(url)
        opened = EventStore.open(url)
        try:
            with pytest.raises(ImmutableError), opened.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE events ALTER COLUMN summary TYPE text USING ''")
        finally:
            opened.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {quoted} CASCADE"))
        admin.dispose()


# What may be spliced into SQL text: fixed names (tables, triggers, indexes of the schema,
# the guard's objects), column lists quoted by SQLAlchemy, placeholder lists and integers.
SPLICED = {
    "self.columns",
    "marks",
    "values",
    "index.name",
    "_BUILD_CACHE_KIB",
    "AUTOCHECKPOINT_PAGES",
    "cache_kib",
    "size",
    "int(BUSY_TIMEOUT_SECONDS * 1000)",
    "trigger",
    "op",
    "name",
    "row",
    "trunc",
    "IMMUTABLE_MESSAGE",
    "SQLITE_REPLACE_TRIGGER",
    "REPLACE_REFUSAL",
    "GUARD_SCHEMA",
    "GUARDED_TABLE",
    "_FUNCTION",
    "_BODY",
    "_GUARDED_OBJECTS",
    "on",
    "when",
}
SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ", "ALTER ", "PRAGMA ")


def test_sql_is_spliced_only_from_fixed_names() -> None:
    """Every f-string of the package that writes SQL splices in only names from a fixed set
    (no value from a caller, a corpus or a URL)."""
    root = Path(ledger.__file__).parent
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            # The package writes SQL keywords in capitals; messages and markup never do.
            literal = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if not any(word in literal for word in SQL_WORDS):
                continue
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    found.setdefault(ast.unparse(part.value), set()).add(path.name)
    assert found, "no SQL f-string found: the scan is broken"
    assert set(found) <= SPLICED, {k: v for k, v in found.items() if k not in SPLICED}

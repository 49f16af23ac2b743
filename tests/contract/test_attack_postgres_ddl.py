"""PostgreSQL refuses the DDL that would rewrite recorded events past the row triggers.

A table owner can rewrite every value with ``ALTER TABLE events ALTER COLUMN ... TYPE ...
USING ...``, switch the triggers off, drop them or replace the function they call; none of
that is an UPDATE. The event triggers a superuser's connection installs refuse each of them
for the ledger's tables, while dropping a whole ledger schema (as this suite does after every
test) stays allowed. Where the connecting role is no superuser there is no guard, and verify
still names the rewritten event.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from conftest import postgres_admin_url, postgres_schema
from sqlalchemy import create_engine, text
from tamper import lift_guard, stored_row
from writers import corpus_events

from ledger.errors import ImmutableError
from ledger.persistence.pgguard import GUARDED_TABLE
from ledger.persistence.store import EventStore

pytestmark = pytest.mark.postgres

EVENTS = 8


@pytest.fixture
def backend() -> str:
    """Only PostgreSQL has event triggers."""
    return "postgresql"


@pytest.fixture
def filled(store: EventStore) -> EventStore:
    """A PostgreSQL ledger of a few events, created by the suite's superuser."""
    store.append(list(corpus_events(EVENTS)))
    return store


REFUSED = [
    "ALTER TABLE events ALTER COLUMN summary TYPE text "
    "USING CASE WHEN position = 3 THEN 'forged' ELSE summary END",
    "ALTER TABLE event_subjects ALTER COLUMN subject TYPE text USING 'forged'",
    "ALTER TABLE events DISABLE TRIGGER USER",
    "ALTER TABLE event_subjects DISABLE TRIGGER ALL",
    "DROP TRIGGER events_refuse_change ON events",
    "DROP TRIGGER event_subjects_refuse_truncate ON event_subjects",
    "CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    "ALTER FUNCTION ledger_refuse_change() RENAME TO anything_else",
    "ALTER TABLE events RENAME TO events_before",
    "ALTER TABLE events ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE events SET SCHEMA public",
]


@pytest.mark.sweep
@pytest.mark.parametrize("statement", REFUSED)
def test_ddl_around_the_row_triggers_is_refused(filled: EventStore, statement: str) -> None:
    """Each statement is refused by the database (an ImmutableError through the store),
    leaves every row as it was, and the ledger still verifies."""
    before = [stored_row(filled, p) for p in range(1, EVENTS + 1)]
    with pytest.raises(ImmutableError, match="is refused"), filled.begin() as conn:
        conn.exec_driver_sql(statement)
    assert [stored_row(filled, p) for p in range(1, EVENTS + 1)] == before
    with pytest.raises(ImmutableError), filled.begin() as conn:
        conn.exec_driver_sql("UPDATE events SET summary = 'forged' WHERE position = 3")
    assert filled.verify().ok


def test_a_second_connection_is_refused_too(filled: EventStore) -> None:
    """The refusal is the database's: a plain connection of the owner meets it as well."""
    engine = create_engine(filled.engine.url)
    try:
        with pytest.raises(Exception, match="immutable"), engine.begin() as conn:
            conn.execute(text("ALTER TABLE events ALTER COLUMN summary TYPE text USING 'x'"))
    finally:
        engine.dispose()
    assert filled.verify().ok


def test_harmless_ddl_and_other_tables_pass(filled: EventStore) -> None:
    """An index on events, and any change to a table that is not a ledger's, are not refused."""
    with filled.begin() as conn:
        conn.exec_driver_sql("CREATE INDEX ix_try_summary ON events (summary)")
        conn.exec_driver_sql("CREATE TABLE notes (body text)")
        conn.exec_driver_sql("ALTER TABLE notes ALTER COLUMN body TYPE varchar USING 'x'")
        conn.exec_driver_sql("ALTER TABLE checkpoints ALTER COLUMN name TYPE varchar(300)")
    assert filled.verify().ok


def _admin_scalar(query: str, **params: object) -> object:
    admin = create_engine(postgres_admin_url())
    try:
        with admin.connect() as conn:
            return conn.execute(text(query), params).scalar()
    finally:
        admin.dispose()


def test_dropping_a_whole_ledger_schema_is_allowed() -> None:
    """DROP SCHEMA ... CASCADE of a guarded ledger succeeds (so do this suite's teardowns) and
    takes the ledger's tables off the guard's list."""
    with postgres_schema() as url:
        schema = str(url.query["options"]).removeprefix("-csearch_path=")
        opened = EventStore.open(url)
        opened.append(list(corpus_events(3)))
        opened.close()
        oid = _admin_scalar(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relname = 'events'",
            s=schema,
        )
        listed = f"SELECT count(*) FROM {GUARDED_TABLE} WHERE objid = :oid"
        assert _admin_scalar(listed, oid=oid) == 1
    assert _admin_scalar("SELECT count(*) FROM pg_namespace WHERE nspname = :s", s=schema) == 0
    assert _admin_scalar(listed, oid=oid) == 0


def test_a_ledger_without_the_guard_gets_it_when_a_superuser_opens_it(filled: EventStore) -> None:
    """A ledger made before the guard (or struck off its list) is guarded again on open."""
    lift_guard(filled)
    with filled.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE events ALTER COLUMN summary SET DEFAULT ''")
    reopened = EventStore.open(filled.engine.url)
    try:
        with pytest.raises(ImmutableError), reopened.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE events ALTER COLUMN summary TYPE text USING 'x'")
        assert reopened.verify().ok
    finally:
        reopened.close()


@pytest.fixture
def owned_by_a_plain_role() -> Iterator[EventStore]:
    """A ledger created by a role that owns its schema but is no superuser."""
    role = f"ledger_test_owner_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
    try:
        with postgres_schema() as url:
            schema = str(url.query["options"]).removeprefix("-csearch_path=")
            with admin.connect() as conn:
                conn.execute(text(f'ALTER SCHEMA "{schema}" OWNER TO "{role}"'))
            as_owner = url.update_query_dict({"options": f"-csearch_path={schema} -crole={role}"})
            opened = EventStore.open(as_owner)
            try:
                yield opened
            finally:
                opened.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def test_a_plain_owner_gets_no_guard_and_verify_names_the_rewrite(
    owned_by_a_plain_role: EventStore,
) -> None:
    """Without a superuser no event trigger is made: the owner's ALTER ... USING goes
    through, and verify names the first event it rewrote."""
    store = owned_by_a_plain_role
    store.append(list(corpus_events(EVENTS)))
    with store.begin() as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar() != "root"
        conn.exec_driver_sql(
            "ALTER TABLE events ALTER COLUMN summary TYPE text "
            "USING CASE WHEN position = 5 THEN 'forged' ELSE summary END"
        )
    result = store.verify()
    assert (result.ok, result.first_bad) == (False, 5)


@pytest.mark.slow  # a database of its own: created and dropped whole
def test_a_guard_schema_made_by_another_role_is_not_trusted() -> None:
    """In a database where a plain role made ``ledger_guard`` first, a superuser's ledger
    neither trusts nor fills that role's list (it could empty it): no refusal is promised,
    and verify still names an ALTER ... USING rewrite."""
    database = f"ledger_test_{uuid.uuid4().hex[:12]}"
    role = f"ledger_test_owner_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
    url = postgres_admin_url().set(database=database)
    try:
        other = create_engine(url, isolation_level="AUTOCOMMIT")
        with other.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA ledger_guard AUTHORIZATION "{role}"'))
        other.dispose()
        store = EventStore.open(url)
        try:
            store.append(list(corpus_events(EVENTS)))
            with store.begin() as conn:
                conn.exec_driver_sql(
                    "ALTER TABLE events ALTER COLUMN summary TYPE text "
                    "USING CASE WHEN position = 4 THEN 'forged' ELSE summary END"
                )
                assert conn.exec_driver_sql("SELECT count(*) FROM pg_event_trigger").scalar() == 0
            result = store.verify()
            assert (result.ok, result.first_bad) == (False, 4)
        finally:
            store.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()

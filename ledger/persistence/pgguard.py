"""PostgreSQL: event triggers that refuse the DDL which would rewrite or unguard recorded events.

Row triggers do not see ``ALTER TABLE events ALTER COLUMN summary TYPE text USING ...``: the
table owner rewrites every value without an UPDATE. Nor can they stop the owner from dropping
or disabling them, or replacing the function they call. Event triggers can, but only a
superuser may create them, and they belong to the whole database, not to one ledger's schema.

So the guard lives in a schema of its own, ``ledger_guard``, made by the first superuser that
opens a ledger in the database: one function, three event triggers, and a table listing, by
oid (renamed or moved, they stay guarded), the objects of each ledger it guards. A ledger's
owner who is not a superuser can neither drop nor change any of it: they own neither that
schema nor the function. (A function in the ledger's own schema, which they own, could be
dropped with its event triggers, and ``sql_drop`` does not fire for its own removal.)

Refused, for a guarded ledger's ``events`` and ``event_subjects`` tables: any ``ALTER TABLE``
(a type change ``USING`` an expression, ``DISABLE TRIGGER``, a rename, a move to another
schema, row-level security), any other rewrite of them (``table_rewrite``, as an ``ALTER
TYPE`` of a column's type causes), dropping one of their triggers while the table stays, and
replacing or altering ``ledger_refuse_change``. Not refused: dropping the tables or the whole
schema. That destroys the ledger in plain sight rather than rewriting it unseen (a published
digest shows it), test suites and administrators drop schemas routinely, and what is dropped
leaves the list.
"""

from __future__ import annotations

from sqlalchemy import Connection

GUARD_SCHEMA = "ledger_guard"
GUARDED_TABLE = f"{GUARD_SCHEMA}.guarded"

_FUNCTION = f"{GUARD_SCHEMA}.refuse_ddl"

# Three triggers on one function; each name is fixed, so no identifier comes from data.
_TRIGGERS = (
    ("ledger_guard_rewrite", "table_rewrite", ""),
    (
        "ledger_guard_alter",
        "ddl_command_end",
        " WHEN TAG IN ('ALTER TABLE', 'CREATE FUNCTION', 'ALTER FUNCTION')",
    ),
    ("ledger_guard_drop", "sql_drop", ""),
)

# No % anywhere: the text goes to the driver as it is. SECURITY DEFINER lets the sql_drop
# branch strike dropped objects off the list whoever drops them; the fixed search_path keeps
# a caller's objects from standing in for the catalogue's.
_BODY = f"""
DECLARE
    r record;
BEGIN
    -- A guard whose list a superuser removed stands aside rather than fail every DDL.
    IF to_regclass('{GUARDED_TABLE}') IS NULL THEN
        RETURN;
    END IF;
    IF TG_EVENT = 'table_rewrite' THEN
        IF EXISTS (SELECT 1 FROM {GUARDED_TABLE} g WHERE g.classid = 'pg_class'::regclass
                   AND g.objid = pg_event_trigger_table_rewrite_oid()) THEN
            RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE =
                'ledger: recorded events are immutable: ' || TG_TAG || ' rewriting '
                || pg_event_trigger_table_rewrite_oid()::regclass::text || ' is refused';
        END IF;
    ELSIF TG_EVENT = 'ddl_command_end' THEN
        FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
            IF EXISTS (SELECT 1 FROM {GUARDED_TABLE} g
                       WHERE g.classid = r.classid AND g.objid = r.objid) THEN
                RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE =
                    'ledger: recorded events are immutable: ' || r.command_tag || ' on '
                    || r.object_identity || ' is refused';
            END IF;
        END LOOP;
    ELSIF TG_EVENT = 'sql_drop' THEN
        DELETE FROM {GUARDED_TABLE} g USING pg_event_trigger_dropped_objects() d
        WHERE g.classid = d.classid AND g.objid = d.objid;
        -- With its tables gone, the trigger function is no ledger's: a new one may replace it.
        DELETE FROM {GUARDED_TABLE} g USING pg_proc p
        WHERE g.classid = 'pg_proc'::regclass AND p.oid = g.objid AND NOT EXISTS (
            SELECT 1 FROM {GUARDED_TABLE} t JOIN pg_class c ON c.oid = t.objid
            WHERE t.classid = 'pg_class'::regclass AND c.relnamespace = p.pronamespace);
        FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
            -- A trigger dropped with its table finds no table left: only a trigger dropped
            -- from a guarded table that stays is refused.
            IF r.object_type = 'trigger' AND EXISTS (
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN {GUARDED_TABLE} g ON g.classid = 'pg_class'::regclass AND g.objid = c.oid
                WHERE n.nspname = r.address_names[1] AND c.relname = r.address_names[2]) THEN
                RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE =
                    'ledger: recorded events are immutable: dropping trigger '
                    || r.object_identity || ' is refused';
            END IF;
        END LOOP;
    END IF;
END
"""

_FUNCTION_DDL = (
    f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS event_trigger LANGUAGE plpgsql "
    f"SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $guard${_BODY}$guard$"
)

# The ledger's append-only tables and the function their row triggers call, by oid: renamed
# or moved to another schema, they stay guarded.
_GUARDED_OBJECTS = """
SELECT 'pg_class'::regclass, c.oid FROM pg_class c
WHERE c.relnamespace = to_regnamespace(quote_ident(current_schema()))
  AND c.relname IN ('events', 'event_subjects')
UNION ALL
SELECT 'pg_proc'::regclass, p.oid FROM pg_proc p
WHERE p.pronamespace = to_regnamespace(quote_ident(current_schema()))
  AND p.proname = 'ledger_refuse_change'
"""

_GUARDED_COUNT = 3  # two tables, one function

_REGISTER = (
    f"INSERT INTO {GUARDED_TABLE} (classid, objid) {_GUARDED_OBJECTS} ON CONFLICT DO NOTHING"
)


def _function_source(conn: Connection) -> str | None:
    found = conn.exec_driver_sql(
        f"SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure('{_FUNCTION}()')"
    ).scalar()
    return None if found is None else str(found)


# Whoever owns the guard's schema, list or function could empty the list or the function:
# a guard some other role made before any superuser (who may create schemas) is no guard.
_FOREIGN_PARTS = f"""
SELECT count(*) FROM (
    SELECT nspowner AS owner FROM pg_namespace WHERE nspname = '{GUARD_SCHEMA}'
    UNION ALL SELECT relowner FROM pg_class WHERE oid = to_regclass('{GUARDED_TABLE}')
    UNION ALL SELECT proowner FROM pg_proc WHERE oid = to_regprocedure('{_FUNCTION}()')
) parts JOIN pg_roles r ON r.oid = parts.owner WHERE NOT r.rolsuper
"""


def _foreign_parts(conn: Connection) -> bool:
    return int(conn.exec_driver_sql(_FOREIGN_PARTS).scalar_one()) > 0


def can_guard(conn: Connection) -> bool:
    """Whether the connected role may create event triggers (only a superuser may)."""
    found = conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(found.scalar())


def is_guarded(conn: Connection) -> bool:
    """Whether the guard exists and lists the ledger's tables (a read; writes nothing)."""
    if conn.exec_driver_sql(f"SELECT to_regclass('{GUARDED_TABLE}')").scalar() is None:
        return False
    if _function_source(conn) != _BODY or _foreign_parts(conn):
        return False
    names = tuple(name for name, _event, _when in _TRIGGERS)
    present = conn.exec_driver_sql(
        "SELECT count(*) FROM pg_event_trigger WHERE evtname = ANY(%s) AND evtenabled <> 'D'",
        (list(names),),
    ).scalar_one()
    if int(present) < len(names):
        return False
    listed = conn.exec_driver_sql(
        f"SELECT count(*) FROM ({_GUARDED_OBJECTS}) o (classid, objid) "
        f"JOIN {GUARDED_TABLE} g USING (classid, objid)"
    ).scalar_one()
    return int(listed) == _GUARDED_COUNT


def install_guard(conn: Connection) -> None:
    """Create what is missing of the guard and list the ledger's objects in it (superuser)."""
    # One lock for the whole database: two ledgers created at once share one guard.
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('ledger_guard'))")
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {GUARD_SCHEMA}")
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {GUARDED_TABLE} "
        "(classid oid, objid oid, PRIMARY KEY (classid, objid))"
    )
    if _foreign_parts(conn):
        return  # not ours to trust or to change (see _FOREIGN_PARTS)
    if _function_source(conn) != _BODY:
        conn.exec_driver_sql(_FUNCTION_DDL)
    for name, on, when in _TRIGGERS:
        state = conn.exec_driver_sql(
            "SELECT evtenabled FROM pg_event_trigger WHERE evtname = %s", (name,)
        ).scalar()
        if state is None:
            conn.exec_driver_sql(
                f"CREATE EVENT TRIGGER {name} ON {on}{when} EXECUTE FUNCTION {_FUNCTION}()"
            )
        elif state == "D":
            conn.exec_driver_sql(f"ALTER EVENT TRIGGER {name} ENABLE")
    conn.exec_driver_sql(_REGISTER)

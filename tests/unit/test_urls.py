"""Which database a ledger opens, and how its engine is set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

import ledger
from ledger.errors import StoreError
from ledger.persistence.engine import create_ledger_engine
from ledger.persistence.urls import ENV_VAR, resolve_url


def test_explicit_url_wins_over_the_environment() -> None:
    """An explicit URL is used as given, whatever the environment says."""
    url = resolve_url("sqlite:///:memory:", environ={ENV_VAR: "sqlite:///other.db"})
    assert url.database == ":memory:"


def test_environment_then_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a URL: $LEDGER_DATABASE_URL, else a SQLite file in the user's data directory,
    whose folder is created on first use."""
    env_file = tmp_path / "env" / "l.sqlite"
    assert resolve_url(None, environ={ENV_VAR: f"sqlite:///{env_file}"}).database == str(env_file)
    assert env_file.parent.is_dir()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = resolve_url(None, environ={})
    assert default.drivername == "sqlite"
    assert default.database is not None
    assert Path(default.database).parent.is_dir()
    assert str(tmp_path / "data") in default.database


def test_postgresql_urls_mean_psycopg_3() -> None:
    """postgresql:// and postgres:// are normalised to the psycopg 3 driver."""
    for given in ("postgresql://u@h/db", "postgres://u@h/db"):
        assert resolve_url(given).drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "not a url"])
def test_unsupported_urls_are_refused(bad: str) -> None:
    """Backends other than SQLite and PostgreSQL, and non-URLs, raise StoreError."""
    with pytest.raises(StoreError):
        resolve_url(bad)


def test_sqlite_file_engine_settings(tmp_path: Path) -> None:
    """A SQLite file is opened in WAL mode, with foreign keys and a busy timeout."""
    engine = create_ledger_engine(resolve_url(f"sqlite:///{tmp_path / 'x.sqlite'}"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
    engine.dispose()


def test_open_in_memory_ledger_as_a_context_manager() -> None:
    """ledger.open works on a private in-memory database and closes as a context manager."""
    with ledger.open("sqlite:///:memory:") as opened:
        assert opened.digest().position == 0
        assert opened.verify().ok
        assert "memory" in repr(opened)

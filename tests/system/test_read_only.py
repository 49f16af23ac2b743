"""Reading works read-only: ``?mode=ro`` URLs, files the process may not write, read-only disks.

No reading command may fail for want of saving a checkpoint or making a key; nothing is
written (the file's bytes stay as they were).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run
from sqlalchemy.engine import make_url

from ledger.application.bootstrap import open as open_ledger
from ledger.errors import StoreError
from ledger.persistence.urls import sqlite_open_form

READING = [
    ("verify",),
    ("state", "ILRS", "--as-of", "2021-03-10"),
    ("timeline", "ILRS"),
    ("programs",),
    ("conflicts",),
    ("events", "--limit", "3"),
    ("digest",),
]


@pytest.fixture
def article_copy(article_db: str, tmp_path: Path) -> Path:
    """A private copy of the article's ledger, without saved projections."""
    path = tmp_path / "ro" / "article.sqlite"
    path.parent.mkdir()
    shutil.copy(article_db.removeprefix("sqlite:///"), path)
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM checkpoints")
    conn.commit()
    conn.close()
    return path


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sweep
@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("url_form", ["sqlite:///{}?mode=ro", "sqlite:///file:{}?mode=ro&uri=true"])
def test_every_reading_command_works_on_a_read_only_url(article_copy: Path, url_form: str) -> None:
    """With ``?mode=ro`` (with or without ``uri=true``) every reading command answers,
    stderr stays empty, and the file is not changed (no checkpoint saved)."""
    before = digest_of(article_copy)
    url = url_form.format(article_copy)
    for argv in READING:
        code, out, err = run(*argv, "--db", url)
        assert (code, err) == (0, ""), argv
        assert out
    assert digest_of(article_copy) == before


def test_mode_ro_without_uri_is_honoured(article_copy: Path) -> None:
    """``sqlite:///file.db?mode=ro`` opens the file read-only: an append is refused."""
    with open_ledger(f"sqlite:///{article_copy}?mode=ro") as opened:
        assert opened.state("ILRS", "2021-03-10").program == "ilrs"
        with pytest.raises(StoreError, match="readonly"), opened.store.begin() as conn:
            conn.exec_driver_sql("INSERT INTO ledger_meta VALUES ('x', 'y')")


def test_a_file_the_process_may_not_write_is_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file without write permission (another user's, a read-only disk) opens ``mode=ro``,
    and ``immutable=1`` when not even SQLite's shared-memory file can be made beside it."""
    path = tmp_path / "a b%.sqlite"
    path.write_bytes(b"")
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != path)
    form = sqlite_open_form(make_url(f"sqlite:///{path}"))
    assert form.query == {"mode": "ro", "uri": "true"}
    assert form.database == "file:" + str(path).replace("%", "%25").replace(" ", "%20")
    monkeypatch.setattr(os, "access", lambda p, mode: False)
    form = sqlite_open_form(make_url(f"sqlite:///{path}"))
    assert form.query == {"mode": "ro", "immutable": "1", "uri": "true"}


def _read_only_mount(folder: Path) -> list[str] | None:
    """A command prefix running a shell in which ``folder`` is a read-only mount, or None."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    script = f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}' '{folder}'"
    probe = subprocess.run(
        [unshare, "-m", "sh", "-c", f"{script} && ! touch '{folder}/probe' 2>/dev/null"],
        capture_output=True,
        check=False,
    )
    return None if probe.returncode else [unshare, "-m", "sh", "-c", script + ' && exec "$@"', "-"]


@pytest.mark.slow
def test_every_reading_command_works_on_a_read_only_file_system(
    article_copy: Path, tmp_path: Path
) -> None:
    """On a read-only mount (ledger file and data directory both), every reading command
    answers with nothing on stderr."""
    prefix = _read_only_mount(article_copy.parent)
    if prefix is None:
        pytest.skip("cannot make a read-only mount here (needs unshare and mount rights)")
    env = {**os.environ, "XDG_DATA_HOME": str(article_copy.parent / "data")}
    env.pop("LEDGER_DATABASE_URL", None)
    for argv in READING:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "ledger", *argv, "--db", f"sqlite:///{article_copy}"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, ""), argv
        assert done.stdout

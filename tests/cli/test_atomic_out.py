"""``--out`` writes whole files or none: on a full disk the old file stays, nothing partial."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cli_run import run

import ledger.persistence.export as export


def full_disk(*_args: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".ledger-"))


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """An earlier export the failed run must leave as it was."""
    path = tmp_path / "out" / "ledger.jsonl"
    path.parent.mkdir()
    path.write_text("the earlier export\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("cli_env")
def test_export_on_a_full_disk_keeps_the_old_file(
    article_db: str, old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills half-way through an export: one error line, the earlier export
    untouched, no temporary file left."""
    real = export.write_events

    def half_then_full(events: Any, target: Any, *rest: Any) -> int:
        real(list(events)[:10], target, *rest)
        target.flush()
        full_disk()
        return 0

    monkeypatch.setattr(export, "write_events", half_then_full)
    code, _out, err = run("export", "--format", "jsonl", "--out", str(old_file), "--db", article_db)
    assert code == 1
    assert err.startswith(f"ledger: error: cannot write {str(old_file)!r}: No space left")
    assert err.count("\n") == 1
    assert old_file.read_text(encoding="utf-8") == "the earlier export\n"
    assert leftovers(old_file.parent) == []


@pytest.mark.sweep
@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    "argv",
    [
        ("report", "--as-of", "2021-03-10"),
        ("plot", "ILRS", "--as-of", "2021-03-10"),
        ("export", "--format", "csv"),
    ],
    ids=lambda argv: argv[0],
)
def test_a_full_disk_at_the_end_leaves_no_partial_file(
    article_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    """When the last flush to disk fails, no file appears (neither empty nor partial)."""
    monkeypatch.setattr(os, "fsync", full_disk)
    target = tmp_path / ("out.svg" if argv[0] == "plot" else "out.html")
    code, _out, err = run(*argv, "--out", str(target), "--db", article_db)
    assert (code, err.count("\n")) == (1, 1)
    assert "No space left" in err
    assert not target.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.usefixtures("cli_env")
def test_out_to_dev_full_is_one_line(article_db: str) -> None:
    """``--out /dev/full`` (a device, written in place, never renamed over) is one error line."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    code, _out, err = run("export", "--format", "jsonl", "--out", "/dev/full", "--db", article_db)
    assert (code, err.count("\n")) == (1, 1)
    assert "No space left" in err
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


@pytest.mark.usefixtures("cli_env")
def test_a_new_file_gets_the_usual_permissions(article_db: str, tmp_path: Path) -> None:
    """The file replacing nothing is readable as any new file is (the umask's 0666), and a
    replaced file keeps its own permissions."""
    target = tmp_path / "ledger.jsonl"
    umask = os.umask(0o022)
    try:
        assert run("export", "--format", "jsonl", "--out", str(target), "--db", article_db)[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o600)
        assert run("export", "--format", "jsonl", "--out", str(target), "--db", article_db)[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


@pytest.mark.usefixtures("cli_env")
def test_a_five_thousand_character_file_name_is_one_line(article_db: str, tmp_path: Path) -> None:
    """A file name no file system takes is one error line naming it, not a traceback."""
    target = tmp_path / ("x" * 5000 + ".jsonl")
    code, _out, err = run("export", "--format", "jsonl", "--out", str(target), "--db", article_db)
    assert (code, err.count("\n")) == (1, 1)
    assert err.startswith("ledger: error: cannot write")

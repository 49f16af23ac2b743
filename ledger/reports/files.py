"""Files written whole or not at all: a temporary file in the same folder, renamed over the
target once complete, so a full disk or a crash leaves the old file (or none), never half.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ledger.errors import OutputError


@contextmanager
def replacing(path: str | Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write ``path``'s new content into; it replaces ``path`` when the block ends
    without error. Text is UTF-8 with newlines as written. OS failures (a full disk, a
    read-only folder, a name too long) become ``OutputError`` naming the file.

    A target that is not a regular file (``/dev/stdout``, ``/dev/full``, a pipe) is written
    in place: it cannot be renamed over, and holds no old content to keep.
    """
    target = Path(path)
    shown = str(target)
    try:
        if "\x00" in shown:
            raise ValueError("a file name cannot hold a NUL character")
        special = target.exists() and not stat.S_ISREG(target.stat().st_mode)
        if special:
            with _opened(target, binary) as file:
                yield file
            return
        temporary = target.with_name(f".ledger-{secrets.token_hex(6)}.tmp")
        mode = _mode_for(target)
        try:
            with _opened(temporary, binary, exclusive=True) as file:
                yield file
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as e:
        raise OutputError(shown, e.strerror or str(e)) from None
    except ValueError as e:  # a NUL byte: no file system accepts the name
        raise OutputError(shown, str(e)) from None


def _opened(path: Path, binary: bool, exclusive: bool = False) -> IO[Any]:
    flag = "x" if exclusive else "w"
    if binary:
        return open(path, flag + "b")
    return open(path, flag, encoding="utf-8", newline="")


def _mode_for(target: Path) -> int:
    """The permissions the file gets: the old file's, else what the umask leaves of 0666."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_whole(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see :func:`replacing`)."""
    if isinstance(data, bytes):
        with replacing(path, binary=True) as file:
            file.write(data)
    else:
        with replacing(path) as text:
            text.write(data)
    return Path(path)


__all__ = ["replacing", "write_whole"]

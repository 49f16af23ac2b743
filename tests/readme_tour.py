"""The README's tour, run for real: each ``$ ledger ...`` line and what it printed.

``cog -r README.md`` regenerates every block of the tour with :func:`show`;
``tests/system/test_readme.py`` runs ``cog --check`` so the README cannot drift from what the
commands print. The commands run in-process on a default ledger of their own (a fresh data
directory, seeded from the packaged corpus as on a fresh install), in a scratch folder that
holds a copy of ``fixtures/`` and ``seeds/`` (and of a second corpus, ``apollo-soyuz/``), 120
columns wide.
"""

from __future__ import annotations

import atexit
import io
import os
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ledger.cli import main

REPO = Path(__file__).resolve().parents[1]
WIDTH = "120"

_scratch: list[Path] = []


def _folder() -> Path:
    """The scratch folder of this run: made once, so that later commands see earlier files."""
    if not _scratch:
        root = Path(tempfile.mkdtemp(prefix="ledger-tour-"))
        for name in ("fixtures", "seeds"):
            shutil.copytree(REPO / name, root / name)
        shutil.copytree(REPO / "tests" / "corpora" / "apollo-soyuz", root / "apollo-soyuz")
        _scratch.append(root)
        atexit.register(shutil.rmtree, root, ignore_errors=True)
    return _scratch[0]


@contextmanager
def _environment(folder: Path) -> Iterator[None]:
    """Run in ``folder`` with its own data directory, no database variable, a fixed width."""
    saved = dict(os.environ)
    cwd = Path.cwd()
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    os.environ["COLUMNS"] = WIDTH
    os.environ.pop("LEDGER_DATABASE_URL", None)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)


def run(command: str) -> tuple[int, str]:
    """Run one ``ledger ...`` command line (``| head -N`` allowed); its exit code and output."""
    pipeline = [part.strip() for part in command.split(" | ")]
    argv = shlex.split(pipeline[0])
    assert argv[0] == "ledger", command
    out, err = io.StringIO(), io.StringIO()
    with _environment(_folder()):
        code = main(argv[1:], stdout=out, stderr=err)
    text = out.getvalue()
    for stage in pipeline[1:]:
        program, count = shlex.split(stage)
        if program != "head" or not count.startswith("-"):
            raise ValueError(f"the tour pipes only into head -N, not {stage!r}")
        text = "".join(text.splitlines(keepends=True)[: int(count[1:])])
    return code, text + err.getvalue()


def output(command_line: str) -> str:
    """What ``command_line`` prints: commands joined by ``&&`` run until one fails."""
    shown = []
    for command in command_line.split(" && "):
        code, text = run(command)
        shown.append(text)
        if code != 0:
            shown.append(f"(exit {code})\n")
            break
    return "".join(shown)


def show(command_line: str) -> str:
    """A console block of the README: the command line, then what it printed.

    CSV ends its lines with CR LF, as RFC 4180 says; the README's lines end with LF.
    """
    text = output(command_line).replace("\r\n", "\n")
    return f"```console\n$ {command_line}\n{text}```\n"

"""``--format latex`` compiles with XeLaTeX (or LuaLaTeX), Arabic included, and its tables
stay on the page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_run import run

ENGINE = next((e for e in ("xelatex", "lualatex") if shutil.which(e)), None)

pytestmark = [
    pytest.mark.usefixtures("cli_env"),
    pytest.mark.slow,
    pytest.mark.skipif(
        ENGINE is None,
        reason="no XeLaTeX or LuaLaTeX installed (apt-get install texlive-xetex fonts-noto-core)",
    ),
]


def compiled(tmp_path: Path, source: str) -> str:
    """Compile ``source`` with the installed engine; return its log (the PDF must exist)."""
    assert ENGINE is not None
    tex = tmp_path / "out.tex"
    tex.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [ENGINE, "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = (tmp_path / "out.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    return log


def overfull(log: str) -> list[float]:
    """How many points each overfull box of the log runs past its room."""
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]


@pytest.mark.parametrize(
    "argv",
    [
        ("state", "ILRS", "--as-of", "2021-03-10", "--why"),
        ("state", "بوابة القمر", "--as-of", "2021-03", "--why"),
        ("conflicts", "--why"),
        ("timeline",),
    ],
)
def test_reading_commands_compile_with_arabic_and_fit_the_page(
    article_db: str, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    """The document compiles, has every Arabic glyph, and no line or table is too wide."""
    code, out, err = run(*argv, "--format", "latex", "--db", article_db)
    assert (code, err) == (0, "")
    assert r"\foreignlanguage{arabic}" in out
    log = compiled(tmp_path, out)
    assert "Missing character" not in log
    assert overfull(log) == []


def test_wide_listings_wrap_instead_of_running_off_the_page(
    article_db: str, tmp_path: Path
) -> None:
    """The eight columns of `events` wrap: nothing runs past the margin by more than a letter."""
    code, out, _ = run("events", "--limit", "40", "--format", "latex", "--db", article_db)
    assert code == 0
    log = compiled(tmp_path, out)
    assert "in alignment" not in log
    assert max(overfull(log), default=0.0) < 12.0

"""Every listing fits the terminal: no line wider than $COLUMNS, at 80 as at 120."""

from __future__ import annotations

import pytest
from cli_run import run
from wcwidth import wcswidth

pytestmark = pytest.mark.usefixtures("cli_env")

LISTINGS = [
    ("events",),
    ("programs",),
    ("sources",),
    ("state", "ILRS", "--as-of", "2021-03-10"),
    ("state", "Lunar Gateway", "--as-of", "2021-03", "--why"),
    ("timeline",),
    ("timeline", "ILRS", "--why"),
    ("conflicts", "--why"),
    ("diff", "ILRS", "2020", "2021"),
]


@pytest.mark.sweep
@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("argv", LISTINGS, ids=" ".join)
def test_listing_fits_the_terminal(
    article_db: str, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], columns: int
) -> None:
    """Cells and titles wrap so that no line of the output is wider than the terminal."""
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(*argv, "--db", article_db)
    assert (code, err) == (0, "")
    widest = max(wcswidth(line) for line in out.splitlines())
    assert widest <= columns

"""Results in a notebook: one-line repr, the terminal's table as HTML, typed DataFrames; the
domain itself imports nothing of the views."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ledger.domain.state import Certainty, Conflicts, Evidence, ProgramState, StatusFact
from ledger.domain.timeline import Timeline
from ledger.errors import MissingExtraError

WHY = (Evidence(event_id="e1", event_type="StatusChanged", source="a", quote="q"),)
STATE = ProgramState(
    program="ilrs",
    as_of="2021-03-10",
    statuses=(
        StatusFact(certainty=Certainty.CERTAIN, date="2021-03-09", why=WHY, status="agreed"),
    ),
)


def test_repr_is_one_short_line() -> None:
    """State, timeline and conflicts say what they hold in one line, not kilobytes."""
    assert repr(STATE) == "<ProgramState ilrs as of 2021-03-10: agreed>"
    assert repr(Timeline(program="ilrs")) == "<Timeline ilrs: no claims>"
    assert repr(Conflicts()) == "<Conflicts 0 disagreements>"


def test_repr_html_is_the_terminals_table() -> None:
    """_repr_html_ gives an HTML table with the facts."""
    html = STATE._repr_html_()
    assert html is not None
    assert "<table>" in html
    assert "agreed" in html


def test_to_pandas_has_typed_columns() -> None:
    """Bounds are datetime64, certain is boolean, sources a list, text columns strings."""
    pytest.importorskip("pandas")
    frame = STATE.to_pandas()
    assert str(frame["earliest"].dtype) == "datetime64[s]"
    assert str(frame["certain"].dtype) == "boolean"
    assert str(frame["section"].dtype) == "string"
    assert frame["sources"].iloc[0] == ["a"]
    assert bool(frame["certain"].iloc[0]) is True


def test_to_pandas_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_pandas() fails with the command that installs the notebook extra."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"\[notebook\]"):
        STATE.to_pandas()


def test_the_domain_imports_no_views_nor_tabulate() -> None:
    """Importing the domain's results loads neither tabulate nor any view module."""
    code = (
        "import sys, ledger.domain.state, ledger.domain.timeline; "
        "bad = [m for m in sys.modules if m == 'tabulate' or m.startswith('ledger.views')]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

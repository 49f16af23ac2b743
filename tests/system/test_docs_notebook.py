"""The notebook in docs/ runs: every code cell, in order, in one namespace, as Jupyter would."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pandas")

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebook.ipynb"


def run_cell(source: str, namespace: dict[str, Any]) -> object:
    """Execute a cell; return the value of its last expression (what Jupyter would show)."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr):
        exec(compile(tree, "<cell>", "exec"), namespace)
        return None
    tree.body.pop()
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


@pytest.mark.slow
def test_every_cell_of_the_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cells run without error; what they show has an HTML or a text form."""
    monkeypatch.chdir(tmp_path)
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    shown = []
    for cell in cells:
        if cell["cell_type"] == "code":
            shown.append(run_cell("".join(cell["source"]), namespace))
    assert len(shown) >= 5
    state = namespace["state"]
    assert repr(state).startswith("<ProgramState ilrs as of 2021-03-10")
    assert len(repr(state)) < 200
    assert "<table>" in state._repr_html_()
    assert any(type(value).__name__ == "DataFrame" for value in shown)

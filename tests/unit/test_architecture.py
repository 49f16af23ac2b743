"""The layers of docs/architecture.md, enforced: what each package may import, and no cycles.

Imports are read from the source with ``ast`` (module level, inside functions and under
``TYPE_CHECKING`` alike), so a lazy import cannot hide a dependency the layering forbids.
"""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import ledger

PACKAGE = Path(ledger.__file__).resolve().parent

# Which of ledger's own layers each layer may import (besides itself). Top to bottom: cli;
# application; views, corpus, persistence; reports; domain; dates; errors and deferred.
LAYERS: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "deferred": frozenset(),
    "dates": frozenset({"errors", "deferred"}),
    "domain": frozenset({"dates", "errors", "deferred"}),
    "reports": frozenset({"dates", "errors", "deferred"}),
    "persistence": frozenset({"dates", "domain", "errors", "deferred"}),
    "corpus": frozenset({"dates", "domain", "errors", "deferred"}),
    "application": frozenset(
        {"dates", "domain", "errors", "deferred", "persistence", "corpus", "views", "reports"}
    ),
    "views": frozenset({"dates", "domain", "errors", "deferred", "reports"}),
    "cli": frozenset(
        {
            "dates",
            "domain",
            "errors",
            "deferred",
            "reports",
            "persistence",
            "corpus",
            "application",
            "views",
        }
        | {"ledger"}  # its __version__
    ),
    "__main__": frozenset({"cli"}),
    "ledger": frozenset({"application", "domain", "persistence", "views"}),  # the lazy public API
}

# Third-party packages each pure layer may use; every layer may use the standard library.
PURE = {
    "dates": {"attrs", "pendulum"},
    "domain": {"attrs", "pendulum"},
    "errors": set(),
    "deferred": set(),
}


def module_name(path: Path) -> str:
    """The dotted name of a module of the package, from its file."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _not_at_import(tree: ast.Module) -> set[int]:
    """The ids of the import nodes that do not run when the module is imported: under
    ``if TYPE_CHECKING:`` (never run) or inside a function (run when it is called)."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        or (isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"))
        for inner in ast.walk(node)
    }


def imports_of(name: str, *, everywhere: bool = True) -> Iterator[str]:
    """Every module ``name`` imports (``ledger.x.y`` or top-level), anywhere in its source, or
    with ``everywhere=False`` only those that run when it is imported."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = _parsed(path)
    skipped = set() if everywhere else _not_at_import(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                # "from ledger.corpus import names" imports the module ledger.corpus.names.
                submodule = f"{module}.{alias.name}"
                yield submodule if submodule in MODULES else module


def layer_of(name: str) -> str:
    """The layer a module of ledger belongs to: its first package under ``ledger``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "ledger"


def test_every_module_belongs_to_a_known_layer() -> None:
    """No loose modules: every module of the package sits in one of the documented layers."""
    assert {layer_of(m) for m in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_layer_imports_only_the_layers_below_it(name: str) -> None:
    """A module imports ledger's modules only from its own layer or the layers it may use."""
    layer = layer_of(name)
    wrong = sorted(
        found
        for found in imports_of(name)
        if found.split(".")[0] == "ledger"
        and layer_of(found) != layer
        and layer_of(found) not in LAYERS[layer]
    )
    assert wrong == [], f"{name} ({layer}) may not import {wrong}"


@pytest.mark.parametrize("layer", sorted(PURE))
def test_pure_layers_import_only_attrs_pendulum_and_the_standard_library(layer: str) -> None:
    """dates/, domain/ and errors.py use no database, rendering or parsing library."""
    found = {
        module.split(".")[0]
        for name in MODULES
        if layer_of(name) == layer
        for module in imports_of(name)
    }
    third_party = found - set(sys.stdlib_module_names) - {"ledger", "__future__"}
    assert third_party <= PURE[layer]


def test_no_import_cycles_between_modules() -> None:
    """No module reaches itself through the imports that run when it is imported (Tarjan's
    strongly connected components). A lazy import inside a function may point back, as a
    factory choosing a subclass does; a layer still may not (the tests above)."""
    graph = {
        name: sorted(
            {m for m in imports_of(name, everywhere=False) if m in MODULES and m != "ledger"}
            - {name}
        )
        for name in MODULES
        if name != "ledger"
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_no_layer_depends_on_itself_through_another() -> None:
    """The layers' own graph is acyclic: no layer reaches itself through the layers it uses."""
    uses = {
        layer: {
            layer_of(m)
            for name in MODULES
            if layer_of(name) == layer
            for m in imports_of(name)
            if m.split(".")[0] == "ledger" and layer_of(m) != layer
        }
        for layer in LAYERS
    }
    for start in uses:
        seen: set[str] = set()
        todo = list(uses[start])
        while todo:
            layer = todo.pop()
            assert layer != start, f"{start} reaches itself"
            if layer not in seen:
                seen.add(layer)
                todo.extend(uses.get(layer, ()))


MAX_LINES = 500

# Modules still over the limit, each with the work that brings it under; the list must be
# exactly the modules over it, so that a module fixed leaves it and a new one cannot join.
OVER_LIMIT: dict[str, str] = {}


def test_no_module_is_over_500_lines() -> None:
    """Modules stay small enough to read at once: none over 500 lines but those listed."""
    over = {
        name
        for name, path in MODULES.items()
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert over == set(OVER_LIMIT), (
        f"over {MAX_LINES} lines: {sorted(over)}; split a new one, or take a module brought "
        "under the limit off OVER_LIMIT"
    )

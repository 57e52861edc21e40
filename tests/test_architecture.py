"""The package map of ARCHITECTURE.md holds: no import goes up a layer, no module imports around a circle.

The layers are read from ARCHITECTURE.md itself (its numbered list of packages, bottom first), so the
document and the code cannot drift apart. Every import counts: at module level, inside a function, and
under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def layers() -> list[list[str]]:
    """Return the packages of each layer, bottom first, from ARCHITECTURE.md's numbered list."""
    out = []
    for line in (ROOT / "ARCHITECTURE.md").read_text("utf-8").splitlines():
        m = re.match(r"\s*\d+\. ((?:`dsspec[\w.]*`(?:, )?)+) — ", line)
        if m:
            out.append(re.findall(r"`(dsspec[\w.]*)`", m.group(1)))
    return out


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "dsspec").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set[tuple[str, int]]]:
    """Return each module's imports of dsspec modules (the longest module a dotted name names), with lines."""
    def owner(name: str) -> str:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name

    out: dict[str, set[tuple[str, int]]] = {}
    for name, path in mods.items():
        edges = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {(owner(a.name), node.lineno) for a in node.names if a.name.split(".")[0] == "dsspec"}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                if base.split(".")[0] != "dsspec":
                    continue
                for a in node.names:
                    full = f"{base}.{a.name}"
                    edges.add((full if full in mods else owner(base), node.lineno))
        out[name] = {(t, line) for t, line in edges if t and t != name}
    return out


def rank(module: str, table: list[list[str]]) -> int | None:
    """Return the layer of ``module``: that of the longest listed package containing it."""
    best = None
    for i, packages in enumerate(table):
        for p in packages:
            if module == p or module.startswith(p + "."):
                if best is None or len(p) > best[1]:
                    best = (i, len(p))
    return None if best is None else best[0]


MODS = modules()
GRAPH = imports(MODS)
TABLE = layers()


def test_the_map_lists_the_layers():
    flat = [p for layer in TABLE for p in layer]
    assert flat[:3] == ["dsspec", "dsspec.base", "dsspec.compiler.syntax"], flat
    assert "dsspec.cli" in flat and len(TABLE) >= 8


def test_every_module_belongs_to_a_package_of_the_map():
    lost = [m for m in MODS if rank(m, TABLE) is None]
    assert not lost, f"add these to ARCHITECTURE.md's layers: {lost}"


def test_every_listed_package_exists():
    missing = [p for layer in TABLE for p in layer if p not in MODS]
    assert not missing, f"ARCHITECTURE.md names packages that do not exist: {missing}"


def test_no_import_goes_up_a_layer():
    upward = []
    for name, edges in GRAPH.items():
        for target, line in sorted(edges):
            if rank(target, TABLE) > rank(name, TABLE):
                upward.append(f"{MODS[name].relative_to(ROOT)}:{line}: {name} imports {target}, a layer above it")
    assert not upward, "\n".join(upward)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan's, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_no_module_imports_around_a_circle():
    graph = {name: {t for t, _ in edges} for name, edges in GRAPH.items()}
    assert cycles(graph) == []


@pytest.mark.parametrize("graph, circle", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set()}, []),
])
def test_the_circle_finder_finds_circles(graph, circle):
    assert cycles(graph) == circle


def test_an_upward_import_is_caught(tmp_path):
    """The checker itself can fail: a base module importing the compiler is ranked above its own layer."""
    assert rank("dsspec.compiler.pipeline", TABLE) > rank("dsspec.base.span", TABLE)
    assert rank("dsspec.compiler.emit.view", TABLE) > rank("dsspec.compiler.report.sarif", TABLE)
    assert rank("dsspec.commands.check", TABLE) > rank("dsspec.integrations.lsp.server", TABLE)


def test_syntax_knows_the_schemas_text_statements():
    """`syntax.mistakes` keeps its own copy of which statements take text (the schema is a layer above it)."""
    from dsspec.compiler.model.schema import SECTIONS
    from dsspec.compiler.syntax.mistakes import TEXT_STATEMENTS

    names: set[str] = set()
    todo, seen = [SECTIONS], set()
    while todo:
        block = todo.pop()
        if id(block) in seen:
            continue
        seen.add(id(block))
        for stmt in block.stmts:
            if any(arg.kind == "string" for sig in stmt.sigs for arg in sig):
                names.add(stmt.name)
            if stmt.body is not None:
                todo.append(stmt.body)
    assert TEXT_STATEMENTS == names, f"set mistakes.TEXT_STATEMENTS to {sorted(names)}"

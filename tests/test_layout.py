"""The package's shape: stages import only earlier stages, and no module imports
another in a circle (imports inside functions and type-only imports count)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
# Each stage may import those before it; `errors`, `ids` and `language` are shared
# foundations; import (`importer`) and `init` (`starter`) sit beside the pipeline.
ORDER = ["load", "check", "assemble", "render", "review", "publish"]
FOUNDATION = {"clausekit", "clausekit.errors", "clausekit.ids", "clausekit.language"}


def modules(src: Path = SRC) -> dict[str, Path]:
    out = {}
    for path in src.rglob("*.py"):
        name = ".".join(path.relative_to(src).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph(src: Path = SRC) -> dict[str, set[str]]:
    known = modules(src)
    return {name: imports(name, path, known) for name, path in known.items()}


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def find_cycle(src: Path = SRC) -> list[str] | None:
    edges = graph(src)
    # A package's __init__ re-exporting its own modules is not a cycle of stages.
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in edges.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                raise Cycle([*path[path.index(nxt) :], nxt])
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    try:
        for node in sorted(edges):
            if node not in state:
                visit(node)
    except Cycle as found:
        return found.modules
    return None


class Cycle(Exception):
    def __init__(self, modules: list[str]) -> None:
        self.modules = modules


def test_no_import_cycles() -> None:
    cycle = find_cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for module, targets in graph().items():
        own = stage(module)
        if own is None:
            continue
        for target in targets:
            theirs = stage(target)
            if theirs is not None and ORDER.index(theirs) > ORDER.index(own):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_a_cycle_hidden_inside_a_function_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "clausekit"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from clausekit.b import g\n")
    (pkg / "b.py").write_text("def g():\n    from . import a\n")
    assert find_cycle(tmp_path) == ["clausekit.a", "clausekit.b", "clausekit.a"]

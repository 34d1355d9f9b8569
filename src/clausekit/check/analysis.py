"""Static analysis of clause bodies and template expressions (Jinja ASTs).

What `check` needs to know without rendering: which variables a body uses
(and where), which `ref()` targets it names, and whether it reaches for
underscored attributes (`''.__class__`), which the sandbox would refuse at
render time anyway but which `check` reports up front with their line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from clausekit.language.sandbox import environment

BUILTIN_NAMES = frozenset({"ref"})


@dataclass(frozen=True)
class Use:
    """A name (or a ref target, or an unsafe attribute) at a 1-based line/column of its text."""

    name: str
    line: int
    col: int


@dataclass(frozen=True)
class Analysis:
    names: tuple[Use, ...]  # top-level variables read
    refs: tuple[Use, ...]  # ref('…') targets
    unsafe: tuple[Use, ...]  # attributes starting with '_'
    dynamic_refs: tuple[Use, ...]  # ref(x) with a non-literal argument


class SyntaxProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def _env() -> SandboxedEnvironment:
    return environment("zh-CN", False)


def _col(source_lines: list[str], line: int, needle: str) -> int:
    if 1 <= line <= len(source_lines):
        found = source_lines[line - 1].find(needle)
        if found >= 0:
            return found + 1
    return 1


def analyse(source: str) -> Analysis:
    """Analyse a body; raises `SyntaxProblem` with the line of a Jinja syntax error."""
    try:
        ast = _env().parse(source)
    except TemplateSyntaxError as exc:
        raise SyntaxProblem(exc.lineno or 1, exc.message or "syntax error") from exc
    return _walk(ast, source.split("\n"))


def analyse_expression(expr: str) -> Analysis:
    """Analyse a `computed`/`rules`/`when` expression."""
    return analyse("{{ " + expr + " }}")


def _walk(ast: nodes.Template, lines: list[str]) -> Analysis:
    bound = _locally_bound(ast)
    names: list[Use] = []
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in bound and node.name not in BUILTIN_NAMES:
            names.append(Use(node.name, node.lineno, _col(lines, node.lineno, node.name)))
    refs: list[Use] = []
    dynamic: list[Use] = []
    for call in ast.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "ref":
            arg = call.args[0] if call.args else None
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                refs.append(Use(arg.value, call.lineno, _col(lines, call.lineno, arg.value)))
            else:
                dynamic.append(Use("ref", call.lineno, _col(lines, call.lineno, "ref")))
    unsafe = [
        Use(n.attr, n.lineno, _col(lines, n.lineno, n.attr))
        for n in ast.find_all(nodes.Getattr)
        if n.attr.startswith("_")
    ]
    unsafe += [
        Use(str(n.arg.value), n.lineno, _col(lines, n.lineno, str(n.arg.value)))
        for n in ast.find_all(nodes.Getitem)
        if isinstance(n.arg, nodes.Const) and str(n.arg.value).startswith("_")
    ]
    return Analysis(tuple(names), tuple(refs), tuple(unsafe), tuple(dynamic))


def _locally_bound(ast: nodes.Template) -> set[str]:
    # Names a body defines itself ({% set %}, {% for %}, macros) are not variables.
    bound: set[str] = set()
    for node in ast.find_all((nodes.Assign, nodes.For, nodes.AssignBlock)):
        assert isinstance(node, nodes.Assign | nodes.For | nodes.AssignBlock)
        bound.update(n.name for n in _names(node.target))
    for macro in ast.find_all(nodes.Macro):
        bound.add(macro.name)
        bound.update(a.name for a in macro.args)
    bound.add("loop")
    return bound


def _names(node: nodes.Node) -> Iterator[nodes.Name]:
    if isinstance(node, nodes.Name):
        yield node
    yield from node.find_all(nodes.Name)

"""Static analysis of clause bodies and template expressions (Jinja ASTs).

What `check` needs to know without rendering: which variables a body uses
(and where), which `ref()` targets it names, and whether it reaches for
underscored attributes (`''.__class__`), which the sandbox would refuse at
render time anyway but which `check` reports up front with their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple, TypeVar

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from clausekit.language.sandbox import environment

BUILTIN_NAMES = frozenset({"ref"})


class Use(NamedTuple):
    """A name (or a ref target, or an unsafe attribute) at a 1-based line/column of its text."""

    name: str
    line: int
    col: int


ITEM = "[]"  # a path segment: the items of a list (`{% for x in items %}` binds x to it)


class Chain(NamedTuple):
    """A dotted name as written (`term.end`, `item.name` in a loop over `parties`).

    `base` is the path of its first name: a variable (`("term",)`) or a loop
    variable resolved to the list it iterates (`("parties", "[]")`).  `attrs` are
    the names after the dots, each at its position; `whole` is whether the value
    is used as a whole (printed, passed to a filter, looped over) rather than
    only through its attributes.
    """

    base: tuple[str, ...]
    attrs: tuple[Use, ...]
    root: Use

    @property
    def path(self) -> tuple[str, ...]:
        return (*self.base, *(a.name for a in self.attrs))

    def text(self, upto: int | None = None) -> str:
        return ".".join([self.root.name, *(a.name for a in self.attrs[:upto])])


class Analysis(NamedTuple):
    names: tuple[Use, ...]  # top-level variables read
    refs: tuple[Use, ...]  # ref('…') targets
    unsafe: tuple[Use, ...]  # attributes starting with '_'
    dynamic_refs: tuple[Use, ...]  # ref(x) with a non-literal argument
    chains: tuple[Chain, ...] = ()  # every dotted name whose first name is known
    forbidden: tuple[Use, ...] = ()  # include, import, extends: other files are out of reach


# Tags that read other templates: a clause has no loader, and must not have one.
FORBIDDEN_TAGS = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
}


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
    return analyse_tree(source)[0]


def analyse_tree(source: str) -> tuple[Analysis, nodes.Template]:
    """`analyse`, and the parsed body: compiling it skips parsing again.  (The parse
    is the same in every document language: the sandboxes differ in filters and
    blanks, which the code uses when it runs, not in syntax.)"""
    try:
        ast = _env().parse(source)
    except TemplateSyntaxError as exc:
        raise SyntaxProblem(exc.lineno or 1, exc.message or "syntax error") from exc
    return _walk(ast, source.split("\n")), ast


def analyse_expression(expr: str) -> Analysis:
    """Analyse a `computed`/`rules`/`when` expression."""
    return analyse("{{ " + expr + " }}")


def _walk(ast: nodes.Template, lines: list[str]) -> Analysis:
    # One walk over the tree, then each question asks the node list (in document
    # order): walking it once per question cost most of a clause's analysis.
    every = list(ast.find_all(nodes.Node))
    bound = _locally_bound(every)
    names: list[Use] = []
    for node in _of(every, nodes.Name):
        if node.ctx == "load" and node.name not in bound and node.name not in BUILTIN_NAMES:
            names.append(Use(node.name, node.lineno, _col(lines, node.lineno, node.name)))
    refs: list[Use] = []
    dynamic: list[Use] = []
    for call in _of(every, nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "ref":
            arg = call.args[0] if call.args else None
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                refs.append(Use(arg.value, call.lineno, _col(lines, call.lineno, arg.value)))
            else:
                dynamic.append(Use("ref", call.lineno, _col(lines, call.lineno, "ref")))
    unsafe = [
        Use(n.attr, n.lineno, _col(lines, n.lineno, n.attr))
        for n in _of(every, nodes.Getattr)
        if n.attr.startswith("_")
    ]
    unsafe += [
        Use(str(n.arg.value), n.lineno, _col(lines, n.lineno, str(n.arg.value)))
        for n in _of(every, nodes.Getitem)
        if isinstance(n.arg, nodes.Const) and str(n.arg.value).startswith("_")
    ]
    chains = _Chains(lines, bound)
    chains.visit(ast, {})
    forbidden = [
        Use(tag, node.lineno, _col(lines, node.lineno, tag.split()[0]))
        for kind, tag in FORBIDDEN_TAGS.items()
        for node in _of(every, kind)
    ]
    return Analysis(
        tuple(names),
        tuple(refs),
        tuple(unsafe),
        tuple(dynamic),
        tuple(chains.found),
        tuple(sorted(forbidden, key=lambda u: (u.line, u.col))),
    )


N = TypeVar("N", bound=nodes.Node)


def _of(every: list[nodes.Node], kind: type[N]) -> Iterator[N]:
    return (node for node in every if isinstance(node, kind))


Scope = dict[str, tuple[str, ...] | None]  # loop variables: the path they iterate, or unknown


class _Chains:
    """Collects dotted names, binding loop variables to the items they iterate."""

    def __init__(self, lines: list[str], bound: set[str]) -> None:
        self.lines = lines
        self.bound = bound  # names a body sets itself: their values are not the schema's
        self.found: list[Chain] = []
        self.seen: dict[tuple[int, str], int] = {}  # occurrences of a text on a line

    def visit(self, node: nodes.Node, scope: Scope) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            inner = dict(scope)
            target = node.target
            item = self._path(node.iter, scope)
            for name in _names(target):
                inner[name.name] = None
            if isinstance(target, nodes.Name):
                inner[target.name] = (*item, ITEM) if item is not None else None
            for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
                self.visit(child, inner)
            return
        if isinstance(node, nodes.Getattr | nodes.Name) and self._chain(node, scope):
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def _path(self, node: nodes.Node, scope: Scope) -> tuple[str, ...] | None:
        attrs: list[str] = []
        while isinstance(node, nodes.Getattr):
            attrs.insert(0, node.attr)
            node = node.node
        if not isinstance(node, nodes.Name):
            return None
        base = self._base(node.name, scope)
        return (*base, *attrs) if base is not None else None

    def _base(self, name: str, scope: Scope) -> tuple[str, ...] | None:
        if name in scope:
            return scope[name]
        if name in self.bound or name in BUILTIN_NAMES:
            return None
        return (name,)

    def _chain(self, node: nodes.Getattr | nodes.Name, scope: Scope) -> bool:
        """Record the chain ending at `node`; False when its root is not a name."""
        attrs: list[nodes.Getattr] = []
        cur: nodes.Node = node
        while isinstance(cur, nodes.Getattr):
            attrs.insert(0, cur)
            cur = cur.node
        if not isinstance(cur, nodes.Name):
            return False
        if cur.ctx != "load":
            return True
        base = self._base(cur.name, scope)
        if base is None:
            return True
        words = [cur.name, *(a.attr for a in attrs)]
        cols = self._cols(node.lineno, words)
        root = Use(cur.name, node.lineno, cols[0])
        uses = tuple(Use(a.attr, node.lineno, c) for a, c in zip(attrs, cols[1:], strict=True))
        self.found.append(Chain(base, uses, root))
        return True

    def _cols(self, line: int, words: list[str]) -> list[int]:
        """The column of each word of a chain on its line (the n-th such chain there)."""
        text = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        pattern = r"(?<![\w.])" + r"\s*\.\s*".join(f"({re.escape(w)})" for w in words) + r"\b"
        matches = list(re.finditer(pattern, text))
        key = (line, ".".join(words))
        n = self.seen.get(key, 0)
        self.seen[key] = n + 1
        if not matches:
            col = _col(self.lines, line, words[0])
            return [col] * len(words)
        m = matches[min(n, len(matches) - 1)]
        return [m.start(i + 1) + 1 for i in range(len(words))]


def _locally_bound(every: list[nodes.Node]) -> set[str]:
    # Names a body defines itself ({% set %}, {% for %}, macros) are not variables.
    bound: set[str] = set()
    for node in every:
        if isinstance(node, nodes.Assign | nodes.For | nodes.AssignBlock):
            bound.update(n.name for n in _names(node.target))
    for macro in _of(every, nodes.Macro):
        bound.add(macro.name)
        bound.update(a.name for a in macro.args)
    bound.add("loop")
    return bound


def _names(node: nodes.Node) -> Iterator[nodes.Name]:
    if isinstance(node, nodes.Name):
        yield node
    yield from node.find_all(nodes.Name)

"""Requirements that follow the document: a value only left-out clauses use is not required.

A required value (a variable without a default, or a property its object
lists in `required`) whose every use is in clauses that a `when` may leave
out is required only when one of those conditions holds.  The composed
schema says so with JSON Schema `if`/`then`, so `check` and an editor reading
`clausekit schema` agree.  A condition is written in the schema when it is a
simple comparable form: a yes/no value (`arbitration.enabled`), `x == 'text'`,
`x != 'text'`, `x in ['a', 'b']`, joined by `and`, `or`, `not`.  Any other
condition keeps its values required, as before: strict rather than wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from jinja2 import TemplateSyntaxError, nodes

from clausekit.check.compose import Declaration
from clausekit.language.sandbox import expression_env
from clausekit.load.model import Template
from clausekit.load.outline import Entry

if TYPE_CHECKING:  # the analysis is imported where values are worked out, not kept ones
    from clausekit.check.analysis import Analysis, Chain

Path = tuple[str, ...]
Condition = tuple[str, ...]  # `when` texts that must all hold (a clause in conditional groups)


class Conditional(NamedTuple):
    """A value required only when one of its conditions holds."""

    path: Path
    conditions: tuple[Condition, ...]
    clauses: tuple[str, ...]  # the clauses that use it

    def as_row(self) -> list[object]:
        return [list(self.path), [list(c) for c in self.conditions], list(self.clauses)]

    @classmethod
    def of_row(cls, row: list[Any]) -> Conditional:
        return cls(tuple(row[0]), tuple(tuple(c) for c in row[1]), tuple(row[2]))


def clause_conditions(template: Template) -> Iterator[tuple[str, Condition]]:
    """Each clause of the template with the `when`s of its entry and enclosing groups."""
    outline = template.outline
    for entry in outline.preamble:
        yield entry.clause or "", ()
    yield from _walk(outline.body, ())
    if outline.signature:
        yield outline.signature.clause or "", ()
    for entry in outline.annexes:
        yield entry.clause or "", ()


def _walk(entries: tuple[Entry, ...], outer: Condition) -> Iterator[tuple[str, Condition]]:
    for entry in entries:
        condition = (*outer, entry.when) if entry.when else outer
        if entry.clause:
            yield entry.clause, condition
        yield from _walk(entry.children, condition)


class Use(NamedTuple):
    path: Path  # the value read, cut at the first list (`parties` for `p.name` in a loop)
    condition: Condition | None  # None: read whatever the document holds (computed, when)
    clause: str | None


def _cut(chain: Chain) -> Path:
    from clausekit.check.analysis import ITEM

    path = chain.path
    return path[: path.index(ITEM)] if ITEM in path else path


def conditionals(
    template: Template,
    decls: Mapping[str, Declaration],
    clauses: Iterable[tuple[str, Condition, Analysis]],
    expressions: Iterable[tuple[str | None, Analysis]],
) -> tuple[Conditional, ...]:
    """The required values of a template that only conditional clauses use.

    `clauses`: each clause's id, condition and analysis; `expressions`: each
    `computed` value's name (None for a `when`) and analysis.  Rules are not
    uses: a rule that needs a value a document does not hold is skipped.
    """
    uses = [
        Use(_cut(chain), condition, cid)
        for cid, condition, analysis in clauses
        for chain in analysis.chains
    ]
    # Later expressions first: a computed value's users are known before the
    # values it reads are (a `when` reads its values whatever the document holds).
    for name, analysis in reversed(list(expressions)):
        users = [u for u in uses if u.path[:1] == (name,)] if name else [Use((), None, None)]
        uses += [Use(_cut(ch), u.condition, u.clause) for u in users for ch in analysis.chains]
    out = []
    for path in _required_paths(decls):
        related = [u for u in uses if _overlaps(u.path, path)]
        if not related or any(u.condition in (None, ()) for u in related):
            continue
        conditions = tuple(sorted({u.condition for u in related if u.condition}))
        if all(condition_schema(c, decls) is not None for c in conditions):
            names = tuple(sorted({u.clause for u in related if u.clause}))
            out.append(Conditional(path, conditions, names))
    return tuple(out)


def _overlaps(a: Path, b: Path) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _required_paths(decls: Mapping[str, Declaration]) -> Iterator[Path]:
    for name, decl in sorted(decls.items()):
        if "default" not in decl.schema:
            yield (name,)
            yield from _required_below((name,), decl.schema)


def _required_below(path: Path, schema: Mapping[str, Any]) -> Iterator[Path]:
    props = schema.get("properties")
    if not isinstance(props, dict):
        return
    for key in schema.get("required") or []:
        sub = props.get(key)
        if isinstance(sub, dict) and "default" not in sub:
            yield (*path, key)
            yield from _required_below((*path, key), sub)


# -- conditions as JSON Schema ---------------------------------------------------


def condition_schema(condition: Condition, decls: Mapping[str, Declaration]) -> Any | None:
    """The JSON Schema that holds exactly when every `when` of `condition` does."""
    parts = [_when_schema(text, decls) for text in condition]
    if any(p is None for p in parts):
        return None
    return parts[0] if len(parts) == 1 else {"allOf": parts}


def _when_schema(text: str, decls: Mapping[str, Declaration]) -> Any | None:
    try:
        ast = expression_env().parse("{{ " + text + " }}")
    except TemplateSyntaxError:
        return None
    output = ast.body[0] if len(ast.body) == 1 else None
    if not isinstance(output, nodes.Output) or len(output.nodes) != 1:
        return None
    return _schema(output.nodes[0], decls)


def _schema(node: nodes.Node, decls: Mapping[str, Declaration]) -> Any | None:
    if isinstance(node, nodes.And | nodes.Or):
        left, right = _schema(node.left, decls), _schema(node.right, decls)
        if left is None or right is None:
            return None
        return {"allOf" if isinstance(node, nodes.And) else "anyOf": [left, right]}
    if isinstance(node, nodes.Not):
        inner = _schema(node.node, decls)
        return None if inner is None else {"not": inner}
    if isinstance(node, nodes.Compare) and len(node.ops) == 1:
        test = _comparison(node.ops[0])
        path = _path(node.expr)
        return None if test is None or path is None else _at(path, test, decls)
    path = _path(node)
    from clausekit.check.names import schema_at

    if path is not None and (schema_at(decls, path) or {}).get("type") == "boolean":
        return _at(path, {"const": True}, decls)
    return None


def _comparison(op: nodes.Operand) -> dict[str, Any] | None:
    value = op.expr
    if op.op in ("eq", "ne") and isinstance(value, nodes.Const):
        test: dict[str, Any] = {"const": value.value}
    elif op.op in ("in", "notin") and isinstance(value, nodes.List | nodes.Tuple):
        if not all(isinstance(v, nodes.Const) for v in value.items):
            return None
        test = {"enum": [v.value for v in value.items if isinstance(v, nodes.Const)]}
    else:
        return None
    if isinstance(test.get("const"), float) or (test.get("const") is None and "const" in test):
        return None  # floats and None compare differently in JSON Schema
    return {"not": test} if op.op in ("ne", "notin") else test


def _path(node: nodes.Node) -> Path | None:
    attrs: list[str] = []
    while isinstance(node, nodes.Getattr):
        attrs.insert(0, node.attr)
        node = node.node
    return (node.name, *attrs) if isinstance(node, nodes.Name) else None


def _at(path: Path, test: dict[str, Any], decls: Mapping[str, Declaration]) -> Any | None:
    """`test` applied to the value at `path`, an absent value read as its default."""
    from clausekit.check.names import schema_at

    if path[0] not in decls:
        return None
    leaf = schema_at(decls, path) or {}
    schema: dict[str, Any] = test
    for depth in range(len(path), 0, -1):
        key = path[depth - 1]
        holder: dict[str, Any] = {"properties": {key: schema}}
        declared = schema_at(decls, path[:depth]) or {}
        absent_passes = depth == len(path) and "default" in leaf and _holds(test, leaf["default"])
        if not absent_passes and not ("default" in declared and depth < len(path)):
            holder["required"] = [key]
        schema = holder
    return schema


def _holds(test: Mapping[str, Any], value: Any) -> bool:
    if "not" in test:
        return not _holds(test["not"], value)
    if "const" in test:
        return bool(value == test["const"])
    return value in test.get("enum", [])


# -- the schema of an agreement's variables ----------------------------------------


def relax(
    schema: dict[str, Any], found: Iterable[Conditional], decls: Mapping[str, Declaration]
) -> None:
    """Make each conditional value required only under its conditions (in place)."""
    rules: dict[Condition, dict[str, Any]] = {}
    for item in found:
        _drop_required(schema, item.path)
        for condition in item.conditions:
            _merge(rules.setdefault(condition, {}), _requirement(item.path))
    if rules:
        schema["allOf"] = [
            {"if": condition_schema(c, decls), "then": then} for c, then in sorted(rules.items())
        ]


def _drop_required(schema: dict[str, Any], path: Path) -> None:
    holder = schema
    for key in path[:-1]:
        holder = holder["properties"][key]
    holder["required"] = [r for r in holder.get("required", []) if r != path[-1]]


def _requirement(path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"required": [path[-1]]}
    for key in reversed(path[:-1]):
        out = {"properties": {key: out}}
    return out


def _merge(into: dict[str, Any], more: Mapping[str, Any]) -> None:
    if "required" in more:
        into["required"] = sorted({*into.get("required", []), *more["required"]})
    for key, sub in (more.get("properties") or {}).items():
        _merge(into.setdefault("properties", {}).setdefault(key, {}), sub)

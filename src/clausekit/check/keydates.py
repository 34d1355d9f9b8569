"""What `check` knows of an expression without evaluating it: the filters it names and
the kind of value it gives (a key date's expression must give a date).

The kind is read from the composed schema (`term.end` is `format: date`), from the
last filter applied (`| add_months(1)` gives a date, `| money` text) and from the
operators (a comparison gives yes or no); None when it cannot be told statically.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, nodes

from clausekit.check.compose import Declaration
from clausekit.check.names import schema_at
from clausekit.language.sandbox import DATE_FILTERS, environment

TEXT_FILTERS = frozenset(
    {"money", "percent", "date", "ordinal", "rmb_upper", "cn_number", "words"}
    | {"upper", "lower", "title", "trim", "join"}
)
NUMBER_FILTERS = frozenset({"cents", "length", "round", "abs", "int"})
KINDS = {"date": "a date", "number": "a number", "text": "text", "bool": "yes or no"}


@dataclass(frozen=True)
class Typing:
    """The names an expression can read: declared variables and computed expressions."""

    decls: Mapping[str, Declaration]
    computed: Mapping[str, str]


def parse(expr: str) -> nodes.Expr | None:
    """The expression's tree; None on a syntax error (reported where syntax is checked)."""
    try:
        tree = environment("zh-CN", False).parse("{{ " + expr + " }}")
    except TemplateSyntaxError:
        return None
    output = tree.body[0] if tree.body else None
    if isinstance(output, nodes.Output) and len(output.nodes) == 1:
        return output.nodes[0]
    return None


def unknown_filters(expr: str) -> Iterator[tuple[str, int]]:
    """Each filter the sandbox does not have, with its column in `{{ expr }}`."""
    node = parse(expr)
    if node is None:
        return
    known = environment("zh-CN", False).filters
    text = "{{ " + expr + " }}"
    # find_all walks the descendants only: the outermost filter is the node itself.
    for found in [node, *node.find_all(nodes.Filter)]:
        if isinstance(found, nodes.Filter) and found.name not in known:
            yield found.name, text.find(found.name) + 1


def kind_of(expr: str, typing: Typing, depth: int = 0) -> str | None:
    node = parse(expr)
    return _kind(node, typing, depth) if node is not None else None


def _kind(node: nodes.Node, typing: Typing, depth: int) -> str | None:
    if isinstance(node, nodes.Filter):
        if node.name in DATE_FILTERS:
            return "date"
        if node.name in TEXT_FILTERS:
            return "text"
        return "number" if node.name in NUMBER_FILTERS else None
    if isinstance(node, nodes.Const):
        value = node.value
        if isinstance(value, bool):
            return "bool"
        return "text" if isinstance(value, str) else "number"
    if isinstance(node, nodes.Compare | nodes.And | nodes.Or | nodes.Not | nodes.Test):
        return "bool"
    if isinstance(node, nodes.Concat):
        return "text"
    if isinstance(node, nodes.CondExpr):
        one = _kind(node.expr1, typing, depth)
        two = _kind(node.expr2, typing, depth) if node.expr2 is not None else None
        return one if one == two else None
    if isinstance(node, nodes.BinExpr | nodes.UnaryExpr):
        return "number"
    return _kind_of_name(node, typing, depth)


def _kind_of_name(node: nodes.Node, typing: Typing, depth: int) -> str | None:
    path: list[str] = []
    while isinstance(node, nodes.Getattr):
        path.insert(0, node.attr)
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    if node.name in typing.computed and not path:
        # A computed value is typed by its own expression (a few levels deep at most).
        return kind_of(typing.computed[node.name], typing, depth + 1) if depth < 8 else None
    schema = schema_at(typing.decls, (node.name, *path))
    if schema is None:
        return None
    kind = schema.get("type")
    if kind == "string":
        return "date" if schema.get("format") == "date" else "text"
    if kind in ("number", "integer"):
        return "number"
    return "bool" if kind == "boolean" else None

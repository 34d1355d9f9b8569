"""An agreement's values: checked against the composed schema, typed, computed, ruled.

`agreement_values` is the one path from an agreement file to the context its
clauses are rendered with; `check` and `assemble` both go through it, so a
value that passes `check` is exactly the value that is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError

from . import schemas
from .compose import Declaration, declarations, variables_schema
from .errors import Problem
from .model import Agreement, Library, Template
from .sandbox import environment
from .yamlpos import JsonPath

# Template problems after which the composed schema cannot be trusted.
SCHEMA_BREAKING = frozenset(
    {"yaml", "schema", "missing-id", "variable-conflict", "id", "front-matter"}
)


@dataclass
class Values:
    """The typed context of one agreement (or of a blank form: empty, lenient)."""

    context: dict[str, Any]
    lenient: bool  # missing values print as blanks (drafts, blank forms)


def template_of(lib: Library, agreement: Agreement) -> Template | None:
    return lib.templates.get(agreement.template_id)


def agreement_values(lib: Library, agreement: Agreement) -> tuple[Values | None, list[Problem]]:
    """Validate an agreement and compute its context; None when it cannot be rendered."""
    src, doc = agreement.source, agreement.doc
    folder = schemas.schema_folder(lib.root)
    found = list(schemas.problems(schemas.file_validator(folder, "agreement"), doc.value, src, doc))
    if found:
        return None, found
    template = template_of(lib, agreement)
    if template is None:
        pos = doc.pos(("template",))
        return None, [
            Problem(
                src.path,
                pos.line,
                pos.col,
                "missing-id",
                f"template: no template {agreement.template_id!r} in templates/",
            )
        ]
    from .validate import template_scope_problems

    if any(p.code in SCHEMA_BREAKING for p in template_scope_problems(lib, template)):
        return None, []  # no reliable schema: the template's problems are reported on its files
    decls, schema = _composed(lib, template)
    draft = agreement.status == "draft"
    validator = _validator(lib, template, schema, draft)
    given = _without_nulls(agreement.values) if draft else agreement.values
    found = list(schemas.problems(validator, given, src, doc, ("variables",)))
    if found:
        return None, found
    context = schemas.coerce(schema, given)
    for name, decl in decls.items():
        if name not in context and "default" in decl.schema:
            context[name] = schemas.coerce(decl.schema, decl.schema["default"])
    values = Values(context, lenient=draft)
    errors = list(_computed(template, values)) + list(_rules(agreement, template, values))
    return (None if errors else values), errors


def _without_nulls(value: Any) -> Any:
    """A draft's empty fields (`name:` with nothing after it) are values not yet set."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def blank_values(template: Template) -> Values:
    values = Values({}, lenient=True)
    list(_computed(template, values))  # a blank form has nothing to compute: all blanks
    return values


def _composed(lib: Library, template: Template) -> tuple[dict[str, Declaration], dict[str, Any]]:
    """A template's declarations and variables schema, composed once per library:
    every agreement of the template is checked against the same one."""
    key = ("composed", template.id)
    if key not in lib.memo:
        decls, _ = declarations(lib, template)
        lib.memo[key] = (decls, variables_schema(decls))
    result: tuple[dict[str, Declaration], dict[str, Any]] = lib.memo[key]
    return result


def _validator(lib: Library, template: Template, schema: dict[str, Any], draft: bool) -> Any:
    # Drafts may leave required values unset: their validator drops `required`.
    key = ("validator-draft" if draft else "validator", template.id)
    if key not in lib.memo:
        lib.memo[key] = schemas.validator_for(schemas.without_required(schema) if draft else schema)
    return lib.memo[key]


@lru_cache(maxsize=4096)
def _compiled(expr: str, lenient: bool) -> Any:
    return environment("zh-CN", lenient).compile_expression(expr, undefined_to_none=False)


def evaluate(expr: str, context: dict[str, Any], lenient: bool) -> Any:
    """Evaluate an expression; UndefinedError when it needs a missing value."""
    return _compiled(expr, lenient)(**context)


def _computed(template: Template, values: Values) -> Iterator[Problem]:
    env = environment(template.lang, values.lenient)
    for name, expr in template.computed.items():
        try:
            values.context[name] = evaluate(expr, values.context, False)
        except UndefinedError:
            # A draft or blank form without the inputs: the result is a blank too.
            values.context[name] = env.undefined(name=name)
        except (TemplateSyntaxError, SecurityError):
            continue  # reported by the template check, with its position
        except (TypeError, ArithmeticError, ValueError) as exc:
            pos = template.doc.pos(("computed", name))
            yield Problem(
                template.source.path,
                pos.line,
                pos.col,
                "computed",
                f"computed.{name}: cannot evaluate {expr!r}: {exc}",
            )


def _rules(agreement: Agreement, template: Template, values: Values) -> Iterator[Problem]:
    for i, rule in enumerate(template.rules):
        expr, message = str(rule.get("assert", "")), str(rule.get("message", ""))
        try:
            ok = evaluate(expr, values.context, False)
        except UndefinedError:
            continue  # needs a value a draft has not set yet: skipped, not failed
        except (TemplateSyntaxError, SecurityError):
            continue
        except (TypeError, ArithmeticError, ValueError) as exc:
            pos = template.doc.pos(("rules", i, "assert"))
            yield Problem(
                template.source.path,
                pos.line,
                pos.col,
                "rule",
                f"rules[{i}]: cannot evaluate {expr!r}: {exc}",
            )
            continue
        if not ok:
            path = _first_value_path(expr, agreement)
            pos = agreement.doc.pos(path)
            yield Problem(agreement.source.path, pos.line, pos.col, "rule", f"{message} ({expr})")


def _first_value_path(expr: str, agreement: Agreement) -> JsonPath:
    """The agreement value a failed rule is about: the first one its expression reads."""
    try:
        ast = environment("zh-CN", False).parse("{{ " + expr + " }}")
    except TemplateSyntaxError:
        return ("variables",)
    paths: list[JsonPath] = []
    for node in ast.find_all((nodes.Getattr, nodes.Name)):
        chain: list[str] = []
        cur: nodes.Node = node
        while isinstance(cur, nodes.Getattr):
            chain.insert(0, cur.attr)
            cur = cur.node
        if isinstance(cur, nodes.Name):
            paths.append(("variables", cur.name, *chain))
    paths.sort(key=len, reverse=True)  # the most specific first
    ordered = sorted(paths, key=lambda p: expr.find(".".join(map(str, p[1:]))))
    for path in ordered:
        if path in agreement.doc.positions:
            return path
    return ("variables",)

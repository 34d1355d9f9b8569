"""An agreement's values: checked against the composed schema, typed, computed, ruled.

`agreement_values` is the one path from an agreement file to the context its
clauses are rendered with; `check` and `assemble` both go through it, so a
value that passes `check` is exactly the value that is printed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from jinja2 import TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError

from clausekit.check import schemas
from clausekit.check.reserved import reserved_characters
from clausekit.check.scope import TemplateScope
from clausekit.errors import Problem
from clausekit.language.sandbox import environment
from clausekit.load.model import Agreement
from clausekit.load.yamlpos import JsonPath


class Values(NamedTuple):
    """The typed context of one agreement (or of a blank form: empty, lenient)."""

    context: dict[str, Any]
    lenient: bool  # missing values print as blanks (drafts, blank forms)


def agreement_values(
    scope: TemplateScope, agreement: Agreement, base: Mapping[str, Any]
) -> tuple[Values | None, list[Problem]]:
    """Validate an agreement file against its template's schema (`base`, the agreement
    file schema, with the template's variables) and compute its context; None when it
    cannot be rendered."""
    src, doc = agreement.source, agreement.doc
    draft = agreement.status == "draft"
    given = _without_nulls(agreement.values) if draft else agreement.values
    whole = doc.value
    if draft and isinstance(whole, dict) and isinstance(whole.get("variables"), dict):
        whole = {**whole, "variables": given}  # a draft's null is a value not set yet
    found = list(reserved_characters(src))
    if not found and not scope.valid(draft, base, whole):  # jsonschema says why
        found = list(schemas.problems(scope.validator(draft, base), whole, src, doc))
    if found:
        return None, found
    values = Values(_context(scope, given), lenient=draft)
    errors = [*_computed(scope, values), *_rules(scope, agreement, values)]
    return (None if errors else values), errors


def trusted_values(scope: TemplateScope, agreement: Agreement) -> Values:
    """The context of an agreement whose values passed every check before (same file,
    same scope): typed and computed, without validating again."""
    draft = agreement.status == "draft"
    values = Values(
        _context(scope, _without_nulls(agreement.values) if draft else agreement.values), draft
    )
    list(_computed(scope, values))  # they evaluated cleanly when checked
    return values


def _context(scope: TemplateScope, given: dict[str, Any]) -> dict[str, Any]:
    """Validated values typed (dates, decimals), with defaults filled in."""
    context: dict[str, Any] = schemas.coerce(scope.schema, given)
    for name, decl in scope.declarations.items():
        if name not in context and "default" in decl.schema:
            context[name] = schemas.coerce(decl.schema, decl.schema["default"])
    return context


def blank_values(scope: TemplateScope) -> Values:
    """A blank form's context: nothing set, every computed value a blank."""
    values = Values({}, lenient=True)
    list(_computed(scope, values))  # a blank form has nothing to compute: all blanks
    return values


def _without_nulls(value: Any) -> Any:
    """A draft's empty fields (`name:` with nothing after it) are values not yet set."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def _computed(scope: TemplateScope, values: Values) -> Iterator[Problem]:
    template = scope.template
    env = environment(template.lang, values.lenient)
    for name, expr in template.computed.items():
        try:
            values.context[name] = scope.evaluate(expr, values.context)
        except UndefinedError:
            # A draft or blank form without the inputs: the result is a blank too.
            values.context[name] = env.undefined(name=name)
        except (TemplateSyntaxError, SecurityError):
            continue  # reported by the template check, with its position
        except (TypeError, ArithmeticError, ValueError) as exc:
            yield Problem.at(
                template.source.path,
                template.doc.pos(("computed", name)),
                "computed",
                f"computed.{name}: cannot evaluate {expr!r}: {exc}",
            )


def _rules(scope: TemplateScope, agreement: Agreement, values: Values) -> Iterator[Problem]:
    template = scope.template
    for i, rule in enumerate(template.rules):
        expr, message = str(rule.get("assert", "")), str(rule.get("message", ""))
        try:
            # bool() here: an undefined result (a refused attribute) raises when tested.
            ok = bool(scope.evaluate(expr, values.context))
        except UndefinedError:
            continue  # needs a value a draft has not set yet: skipped, not failed
        except (TemplateSyntaxError, SecurityError):
            continue  # reported by the template check, with its position
        except (TypeError, ArithmeticError, ValueError) as exc:
            yield Problem.at(
                template.source.path,
                template.doc.pos(("rules", i, "assert")),
                "rule",
                f"rules[{i}]: cannot evaluate {expr!r}: {exc}",
            )
            continue
        if not ok:
            pos = agreement.doc.pos(_first_value_path(expr, agreement, template.lang))
            yield Problem.at(agreement.source.path, pos, "rule", f"{message} ({expr})")


def _first_value_path(expr: str, agreement: Agreement, lang: str) -> JsonPath:
    """The agreement value a failed rule is about: the first one its expression reads."""
    try:
        ast = environment(lang, False).parse("{{ " + expr + " }}")
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


def left_out_notes(scope: TemplateScope, agreement: Agreement, values: Values) -> Iterator[Problem]:
    """Values given for clauses that this agreement's `when`s leave out: not errors,
    but worth a note (a value that changes nothing may be a mistake)."""
    for item in scope.conditionals:
        path = ("variables", *item.path)
        if path not in agreement.doc.positions:
            continue
        if any(_holds(scope, condition, values) for condition in item.conditions):
            continue
        whens = " or ".join(" and ".join(c) for c in item.conditions)
        yield Problem.at(
            agreement.source.path,
            agreement.doc.key_pos(path),
            "note",
            f"{schemas.dotted(path)}: not used: {', '.join(item.clauses)} "
            f"{'is' if len(item.clauses) == 1 else 'are'} left out (when: {whens})",
        )


def _holds(scope: TemplateScope, condition: tuple[str, ...], values: Values) -> bool:
    try:
        return all(scope.evaluate(when, values.context) for when in condition)
    except (UndefinedError, TemplateSyntaxError, SecurityError, TypeError, ValueError):
        return True  # the document cannot tell: the value may be used

"""Rules for one template, each a generator of problems, one concern each.

`template_problems` runs them in order.  A template that breaks its schema
gets only those problems: the other rules read what the schema guarantees.
Problems found in a clause body on behalf of a template (an undeclared name,
a ref outside the document) point into the clause file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from clausekit.check import schemas
from clausekit.check.analysis import Analysis, SyntaxProblem, Use, analyse_expression
from clausekit.check.clauses import body_problem, changelog
from clausekit.check.compose import declarations
from clausekit.check.context import CheckContext
from clausekit.check.keydates import KINDS, Typing, kind_of, unknown_filters
from clausekit.check.names import chain_problem
from clausekit.check.reserved import reserved_characters
from clausekit.check.suggest import did_you_mean
from clausekit.errors import Problem
from clausekit.language.sandbox import environment
from clausekit.load.model import Clause, Template
from clausekit.load.outline import Entry
from clausekit.load.yamlpos import JsonPath, Pos

Rule = Callable[[CheckContext, Template], Iterator[Problem]]
ANCHOR_IN_BODY = re.compile(r"\{#([a-z0-9][a-z0-9-]*)\}")


def template_problems(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    found = list(reserved_characters(template.source))
    if not found and not ctx.file_valid("template", template.doc.value):
        validator = ctx.file_validator("template")
        found = list(schemas.problems(validator, template.doc.value, template.source, template.doc))
    if found:
        yield from found
        return
    for rule in RULES:
        yield from rule(ctx, template)


def changelog_rule(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    yield from changelog(template.source.path, template.data, template.doc)


def missing_clauses(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    for entry in template.outline.clause_entries():
        if entry.clause not in ctx.lib.clauses:
            hint = did_you_mean(str(entry.clause), ctx.lib.clauses)
            message = f"no clause {entry.clause!r} in clauses/{hint}"
            yield _at(template, entry.path, "missing-id", message)


def duplicate_clauses(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    first: dict[str, Entry] = {}
    for entry in template.outline.clause_entries():
        cid = entry.clause or ""
        if cid in first and cid in ctx.lib.clauses:
            line = template.doc.pos(first[cid].path).line
            yield _at(
                template,
                entry.path,
                "duplicate-clause",
                f"clause {cid!r} is already included at line {line}",
            )
        first.setdefault(cid, entry)


def clause_languages(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    for entry, clause in _included(ctx, template):
        if clause.lang and clause.lang != template.lang:
            yield _at(
                template,
                entry.path,
                "lang",
                f"clause {clause.id!r} is in {clause.lang}, the template in {template.lang}",
            )


def variable_conflicts(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    yield from declarations(ctx.lib, template)[1]


def undeclared_in_clauses(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    known = _known(ctx, template)
    for clause, result in _analyses(ctx, template):
        for use in result.names:
            if use.name not in known:
                hint = did_you_mean(use.name, known)
                yield body_problem(
                    clause,
                    use.line,
                    use.col,
                    "undeclared-variable",
                    f"variable {use.name!r} is not declared (template {template.id})"
                    + (hint or ": add it to the clause's variables"),
                )


def names_in_clauses(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    """Dotted names in clause text that the composed schema does not have."""
    decls = declarations(ctx.lib, template)[0]
    for clause, result in _analyses(ctx, template):
        for chain in result.chains:
            found = chain_problem(decls, chain)
            if found is not None:
                use, message = found
                yield body_problem(clause, use.line, use.col, "unknown-name", message)


def refs(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    present = {c.id for _, c in _included(ctx, template)}
    for clause, result in _analyses(ctx, template):
        for use in result.refs:
            message = _bad_ref(ctx, template, present, use.name)
            if message is not None:
                yield body_problem(clause, use.line, use.col, "ref", message)


def _bad_ref(ctx: CheckContext, template: Template, present: set[str], name: str) -> str | None:
    """What is wrong with `ref(name)` in this template, with the closest valid targets."""
    target, _, anchor = name.partition("#")
    if target not in present:
        where = "in clauses/" if target not in ctx.lib.clauses else f"in template {template.id}"
        return f"ref({name!r}): no clause {target!r} {where}" + did_you_mean(target, present)
    if not anchor:
        return None
    anchors = anchors_of(ctx.lib.clauses[target].body)
    if anchor in anchors:
        return None
    message = f"ref({name!r}): clause {target!r} has no heading {{#{anchor}}}"
    hint = did_you_mean(anchor, anchors)
    if hint:
        return message + hint
    if anchors:
        return message + f"; its anchors are {', '.join(anchors)}"
    return message + "; it has no anchors: add {#name} after one of its headings"


@dataclass(frozen=True)
class _Expression:
    path: JsonPath  # where it is written in the template
    text: str


def expressions(template: Template) -> Iterator[_Expression]:
    """Every `computed`, `rules`, `when` and `key_dates` expression of a template."""
    for name, expr in template.computed.items():
        yield _Expression(("computed", name), expr)
    for i, rule in enumerate(template.rules):
        yield _Expression(("rules", i, "assert"), str(rule.get("assert", "")))
    for entry in template.outline.conditional():
        yield _Expression((*entry.path, "when"), entry.when or "")
    for key in template.key_dates:
        yield _Expression(("key_dates", key.place, "date"), key.expression)
        if key.when is not None:
            yield _Expression(("key_dates", key.place, "when"), key.when)


def expression_problems(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    known = _known(ctx, template)
    computed = list(template.computed)
    decls = declarations(ctx.lib, template)[0]
    for expr in expressions(template):
        where = schemas.dotted(expr.path)
        try:
            result = analyse_expression(expr.text)
        except SyntaxProblem as exc:
            yield _at(template, expr.path, "jinja-syntax", f"{where}: {exc.message}")
            continue
        for chain in result.chains:
            found = chain_problem(decls, chain)
            if found is not None:
                pos = _in_expression(template, expr, found[0])
                yield Problem.at(template.source.path, pos, "unknown-name", f"{where}: {found[1]}")
        for use in result.unsafe:
            yield _at(
                template, expr.path, "sandbox", f"{where}: attribute {use.name!r} is not allowed"
            )
        # A computed value may read the values computed before it, not after.
        visible = (
            known - set(computed[computed.index(str(expr.path[1])) :])
            if expr.path[0] == "computed"
            else known
        )
        for use in result.names:
            if use.name not in visible:
                yield Problem.at(
                    template.source.path,
                    _in_expression(template, expr, use),
                    "undeclared-variable",
                    f"{where}: {use.name!r} is not a declared variable "
                    "or an earlier computed value" + did_you_mean(use.name, visible),
                )


def filter_problems(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    """A filter the sandbox does not have (`| add_month(1)`), at its column."""
    for expr in expressions(template):
        for name, col in unknown_filters(expr.text):
            pos = _in_expression(template, expr, Use(name, 1, col))
            message = f"{schemas.dotted(expr.path)}: no filter {name!r}"
            hint = did_you_mean(name, environment("zh-CN", False).filters)
            yield Problem.at(template.source.path, pos, "unknown-filter", message + hint)


def key_date_problems(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    """A key date's expression gives a date; its names are the template's own."""
    typing = Typing(declarations(ctx.lib, template)[0], template.computed)
    seen: dict[str, int] = {}
    for key in template.key_dates:
        path = ("key_dates", key.place, "date")
        kind = kind_of(key.expression, typing)
        if kind is not None and kind != "date":
            yield _at(
                template,
                path,
                "key-date",
                f"key_dates[{key.place}].date: {key.expression!r} gives {KINDS[kind]}, not a date; "
                "use a date value or end with | add_days(n), | add_months(n), "
                "| add_years(n) or | workdays(n)",
            )
        for name in key.names.values():
            if name in seen:
                yield _at(
                    template,
                    ("key_dates", key.place, "name"),
                    "duplicate-key-date",
                    f"key date {name!r} is already named at key_dates[{seen[name]}]: "
                    "a key date's name identifies it in calendars",
                )
            seen.setdefault(name, key.place)


def unused_template_variables(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    used = {u.name for _, result in _analyses(ctx, template) for u in result.names}
    for expr in expressions(template):
        try:
            used.update(u.name for u in analyse_expression(expr.text).names)
        except SyntaxProblem:
            continue  # reported by expression_problems
    for name in template.variables:
        if name not in used:
            yield Problem.at(
                template.source.path,
                template.doc.key_pos(("variables", name)),
                "unused-variable",
                f"variable {name!r} is declared but used by no clause, "
                "computed value, rule or condition",
            )


RULES: tuple[Rule, ...] = (
    changelog_rule,
    missing_clauses,
    duplicate_clauses,
    clause_languages,
    variable_conflicts,
    undeclared_in_clauses,
    names_in_clauses,
    refs,
    expression_problems,
    filter_problems,
    key_date_problems,
    unused_template_variables,
)


def _in_expression(template: Template, expr: _Expression, use: Use) -> Pos:
    """Where a name of an expression is written in the template file: its own column
    when the expression sits on one line as written, else the expression's start."""
    pos = template.doc.pos(expr.path)
    lines = template.source.text.split("\n")
    text = lines[pos.line - 1] if use.line == 1 and 1 <= pos.line <= len(lines) else ""
    start = text.find(expr.text, pos.col - 1) if expr.text else -1
    if start < 0:
        return pos
    return Pos(pos.line, start + use.col - len("{{ ")) if use.col > 3 else pos


def _at(template: Template, path: JsonPath, code: str, message: str) -> Problem:
    return Problem.at(template.source.path, template.doc.pos(path), code, message)


def _included(ctx: CheckContext, template: Template) -> Iterator[tuple[Entry, Clause]]:
    """Each clause of the template once, with the entry that first names it."""
    seen: set[str] = set()
    for entry in template.outline.clause_entries():
        clause = ctx.lib.clauses.get(entry.clause or "")
        if clause is not None and clause.id not in seen:
            seen.add(clause.id)
            yield entry, clause


def _analyses(ctx: CheckContext, template: Template) -> Iterator[tuple[Clause, Analysis]]:
    for _, clause in _included(ctx, template):
        result = ctx.analysis(clause)
        if isinstance(result, Analysis):  # a syntax problem is the clause's own
            yield clause, result


def _known(ctx: CheckContext, template: Template) -> set[str]:
    return set(declarations(ctx.lib, template)[0]) | set(template.computed)


def anchors_of(body: str) -> list[str]:
    """The anchors (`{#name}`) a clause body gives its headings, in order."""
    return [m.group(1) for m in ANCHOR_IN_BODY.finditer(body)]

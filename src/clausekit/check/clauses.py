"""Rules for one clause file, each a generator of problems (jsonschema's style).

`clause_problems` runs them in order; a clause whose front matter breaks the
schema skips the rules that read the front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from clausekit.check import schemas
from clausekit.check.analysis import Analysis
from clausekit.check.context import CheckContext
from clausekit.check.markup import raw_markup
from clausekit.check.reserved import reserved_characters
from clausekit.check.suggest import did_you_mean
from clausekit.errors import Problem
from clausekit.load.model import Clause
from clausekit.load.yamlpos import Located

Rule = Callable[[CheckContext, Clause], Iterator[Problem]]


def clause_problems(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    reserved = list(reserved_characters(clause.source))
    if reserved:
        yield from reserved
        return
    schema_problems = list(front_matter_schema(ctx, clause))
    yield from schema_problems
    rules: tuple[Rule, ...] = (syntax, sandbox, markup, dynamic_refs, unused_variables)
    if not schema_problems:
        rules = (changelog_rule, alternatives, *rules)
    for rule in rules:
        yield from rule(ctx, clause)


def front_matter_schema(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    if ctx.file_valid("clause", clause.meta.value):
        return
    validator = ctx.file_validator("clause")
    yield from schemas.problems(validator, clause.meta.value, clause.source, clause.meta)


def changelog_rule(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    yield from changelog(clause.source.path, clause.data, clause.meta)


def changelog(path: str, data: dict[str, object], located: Located) -> Iterator[Problem]:
    """The newest changelog entry (the first) is the file's current version."""
    log = data.get("changelog")
    if isinstance(log, list) and log and isinstance(log[0], dict):
        head = str(log[0].get("version"))
        if head != str(data.get("version")):
            yield Problem.at(
                path,
                located.pos(("changelog", 0, "version")),
                "changelog",
                f"changelog[0].version: {head!r} should equal version "
                f"{str(data.get('version'))!r} (newest entry first)",
            )


def alternatives(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    for i, alt in enumerate(clause.data.get("alternatives") or []):
        if alt not in ctx.lib.clauses:
            yield Problem.at(
                clause.source.path,
                clause.meta.pos(("alternatives", i)),
                "missing-id",
                f"alternatives[{i}]: no clause {alt!r} in clauses/"
                + did_you_mean(str(alt), ctx.lib.clauses),
            )


def syntax(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    result = ctx.analysis(clause)
    if isinstance(result, Problem):
        yield result


def _analysis(ctx: CheckContext, clause: Clause) -> Analysis | None:
    result = ctx.analysis(clause)
    return result if isinstance(result, Analysis) else None


def body_problem(clause: Clause, line: int, col: int, code: str, message: str) -> Problem:
    """A problem at a line and column of a clause body (1-based, counted in the body)."""
    return Problem(clause.source.path, clause.body_line + line - 1, col, code, message)


def sandbox(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    result = _analysis(ctx, clause)
    for use in result.unsafe if result else ():
        yield body_problem(
            clause,
            use.line,
            use.col,
            "sandbox",
            f"attribute {use.name!r} is not allowed: templates may not reach Python internals",
        )
    for use in result.forbidden if result else ():
        yield body_problem(
            clause,
            use.line,
            use.col,
            "sandbox",
            f"{{% {use.name} %}} is not allowed in clauses: a clause cannot read other files; "
            "use ref('clause-id') to refer to another clause",
        )


def markup(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    yield from raw_markup(clause)


def dynamic_refs(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    result = _analysis(ctx, clause)
    for use in result.dynamic_refs if result else ():
        yield body_problem(
            clause,
            use.line,
            use.col,
            "ref",
            "ref() takes a clause id in quotes, e.g. ref('training/payment')",
        )


def unused_variables(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    result = _analysis(ctx, clause)
    if result is None:
        return
    used = {u.name for u in result.names}
    for name in clause.variables:
        if name not in used:
            yield Problem.at(
                clause.source.path,
                clause.meta.key_pos(("variables", name)),
                "unused-variable",
                f"variable {name!r} is declared but not used in the clause body",
            )


# Markup written so that it prints literally (`\<b\>`, `\[text\](https://…)`): most
# often text pasted from HTML or Markdown that was meant as formatting.
_LITERAL_MARKUP = re.compile(
    r"\\<\s*/?\s*[A-Za-z][\w-]*(?:\s[^<>\n]*)?\\?>"
    r"|\\\[[^\]\n]*\\\]\\?\((?:https?:|mailto:|[\w./#-]+\))"
)


def markup_notes(clauses: Iterable[Clause]) -> Iterator[Problem]:
    """Notes (not errors) on clause text that prints an HTML tag or a Markdown link
    literally: it is probably meant as formatting."""
    for clause in clauses:
        for n, line in enumerate(clause.body.splitlines(), 1):
            for m in _LITERAL_MARKUP.finditer(line):
                yield body_problem(
                    clause,
                    n,
                    m.start() + 1,
                    "markup",
                    f"{m.group(0)[:40]!r} prints as typed: write the text without the "
                    "markup, or a link as [text](https://…)",
                )

"""A template's scope: everything derived once from a template and its clauses.

Ten thousand agreements of one template share one scope: its problems, the
composed schema, the validators of final and draft agreements, and its
expressions compiled in the template's own language.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from clausekit.check import schemas
from clausekit.check.compose import Declaration, file_schema, variables_schema
from clausekit.check.formats import FORMAT_CHECKS
from clausekit.errors import Problem
from clausekit.language.sandbox import CodeKeeper, compile_expression, environment
from clausekit.load.model import Template

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

    from clausekit.check.requirements import Conditional

# Problems after which the composed schema cannot be trusted.
SCHEMA_BREAKING = frozenset(
    {"yaml", "schema", "missing-id", "variable-conflict", "id", "front-matter", "encoding"}
)

Compiled = Callable[..., Any]


class TemplateScope:
    """A template's problems and declarations, the schema of its agreements' values,
    and what is derived from them once (validators, compiled expressions).  A plain
    class: a dataclass costs every command a millisecond to create (`load.model`)."""

    def __init__(
        self,
        template: Template,
        # Of the template and every clause it names; or what works them out, on first
        # use: a build renders an agreement before its checks (`assemble.speculate`).
        problems: tuple[Problem, ...] | Callable[[], tuple[Problem, ...]],
        declarations: Mapping[str, Declaration],
        key: str,  # digest of everything the problems depend on (`Checked.scope_key`)
        # Values required only when a `when` keeps the clauses that use them.
        conditionals: tuple[Conditional, ...] = (),
        holidays: frozenset[date] = frozenset(),  # what `workdays` skips besides weekends
        keep: CodeKeeper | None = None,  # where compiled expressions are kept (`codecache`)
    ) -> None:
        self.template = template
        self._problems = problems if isinstance(problems, tuple) else None
        self._find_problems = None if isinstance(problems, tuple) else problems
        self.declarations = declarations
        self.key = key
        self.conditionals = conditionals
        self.holidays = holidays
        self.keep = keep
        self._validators: dict[bool, Draft202012Validator] = {}
        self._file_schemas: dict[bool, dict[str, Any]] = {}
        self._compiled: dict[str, Compiled] = {}
        decls = dict(declarations)
        self.schema = variables_schema(decls)  # the `variables` of its agreements
        if conditionals:
            self.schema = copy.deepcopy(self.schema)
            from clausekit.check.requirements import relax

            relax(self.schema, conditionals, decls)

    @property
    def problems(self) -> tuple[Problem, ...]:
        if self._problems is None:
            assert self._find_problems is not None
            self._problems = self._find_problems()
        return self._problems

    @property
    def usable(self) -> bool:
        """Whether agreements can be checked against this scope's schema."""
        return not any(p.code in SCHEMA_BREAKING for p in self.problems)

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        """The options of each choice (`enum`) by dotted path (`[]` for list items), and by
        its last name when no other choice shares it (a draft's half-filled object)."""
        found: dict[str, tuple[str, ...]] = {}
        for name, decl in self.declarations.items():
            _choices(name, decl.schema, found)
        last: dict[str, list[tuple[str, ...]]] = {}
        for path, options in found.items():
            last.setdefault(path.rsplit(".", 1)[-1], []).append(options)
        found.update({k: v[0] for k, v in last.items() if len(v) == 1 and k not in found})
        return found

    def validator(self, draft: bool, base: Mapping[str, Any]) -> Draft202012Validator:
        """The whole agreement file at once: `base` (the agreement file schema) with
        this template's `template` and `variables`, one pass per agreement; the
        `template` id is this template's, so no `$ref` is looked up.  Drafts may
        leave required values unset: their validator drops `required` there."""
        if draft not in self._validators:
            self._validators[draft] = schemas.validator_for(self.file_schema(draft, base))
        return self._validators[draft]

    def file_schema(self, draft: bool, base: Mapping[str, Any]) -> dict[str, Any]:
        """The schema `validator` checks an agreement file with."""
        if draft not in self._file_schemas:
            variables = schemas.without_required(self.schema) if draft else self.schema
            self._file_schemas[draft] = file_schema(base, self.template.id, variables)
        return self._file_schemas[draft]

    def valid(self, draft: bool, base: Mapping[str, Any], whole: Any) -> bool:
        """Whether an agreement file is surely valid, decided without jsonschema when
        its schema allows (`check.verdict`); False sends it to the validator."""
        from clausekit.check.verdict import verdict

        schema = self.file_schema(draft, base)
        return verdict(schema, whole, FORMAT_CHECKS) is True

    def expression(self, expr: str) -> Compiled:
        """`expr` compiled once, strict, with the filters of the template's language."""
        if expr not in self._compiled:
            env = environment(self.template.lang, False, self.holidays)
            if self.keep is None:
                self._compiled[expr] = env.compile_expression(expr, undefined_to_none=False)
            else:
                self._compiled[expr] = compile_expression(env, expr, self.keep)
        return self._compiled[expr]

    def evaluate(self, expr: str, context: Mapping[str, Any]) -> Any:
        """Evaluate an expression; UndefinedError when it needs a missing value."""
        return self.expression(expr)(**context)


def _choices(path: str, schema: Any, found: dict[str, tuple[str, ...]]) -> None:
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("enum"), list):
        found[path] = tuple(str(o) for o in schema["enum"] if o is not None)
    for key, sub in (schema.get("properties") or {}).items():
        _choices(f"{path}.{key}", sub, found)
    _choices(f"{path}.[]", schema.get("items"), found)

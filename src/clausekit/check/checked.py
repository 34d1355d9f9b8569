"""`Checked`: a loaded library and everything `check` derives from it, computed once.

A `Library` is immutable; what is derived from it (a clause's analysis and
problems, each template's scope, the file validators, locked views) lives
here, in typed caches, so that checking ten thousand agreements does each
template's and each clause's work once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from jinja2 import Template as JinjaTemplate
from jsonschema import Draft202012Validator

from clausekit.check import schemas
from clausekit.check.analysis import Analysis, SyntaxProblem, analyse
from clausekit.check.clauses import clause_problems
from clausekit.check.compose import composed_schema, declarations
from clausekit.check.scope import TemplateScope
from clausekit.check.templates import template_problems
from clausekit.check.translations import bilingual_problems, translation_problems
from clausekit.check.values import Values, agreement_values
from clausekit.errors import Problem
from clausekit.language.headings import Heading, find_headings
from clausekit.language.sandbox import environment
from clausekit.load import read_agreements
from clausekit.load.model import Agreement, Clause, Library, Template


class Checked:
    """The library with its derived results; create one per loaded library."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self._analyses: dict[str, Analysis | Problem] = {}
        self._clause_problems: dict[str, tuple[Problem, ...]] = {}
        self._scopes: dict[str, TemplateScope] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._views: dict[str, Checked] = {}
        self._bodies: dict[tuple[str, str, bool], JinjaTemplate] = {}
        self._headings: dict[str, tuple[Heading, ...] | None] = {}

    # -- what rules ask for (check.context.CheckContext) -------------------

    def analysis(self, clause: Clause) -> Analysis | Problem:
        if clause.id not in self._analyses:
            try:
                self._analyses[clause.id] = analyse(clause.body)
            except SyntaxProblem as exc:
                self._analyses[clause.id] = Problem(
                    clause.source.path,
                    clause.body_line + exc.line - 1,
                    1,
                    "jinja-syntax",
                    exc.message,
                )
        return self._analyses[clause.id]

    def clause_problems(self, clause: Clause) -> tuple[Problem, ...]:
        if clause.id not in self._clause_problems:
            own = self.lib.problems_of(clause.source.path)
            found = (*clause_problems(self, clause), *translation_problems(self, clause))
            self._clause_problems[clause.id] = (*own, *found)
        return self._clause_problems[clause.id]

    def compiled_body(self, clause: Clause, lang: str, lenient: bool) -> JinjaTemplate:
        """The clause body compiled in the sandbox of a document language."""
        key = (clause.id, lang, lenient)
        if key not in self._bodies:
            env = environment(lang, lenient)
            path = clause.source.path
            code = env.compile(clause.body, name=path, filename=path)
            self._bodies[key] = env.template_class.from_code(
                env, code, env.make_globals(None), None
            )
        return self._bodies[key]

    def source_headings(self, clause: Clause) -> tuple[Heading, ...] | None:
        """The headings of the clause source; None when rendering may move them.

        Values are single-line and escaped, so rendering `{{ … }}` keeps every
        heading on its line: the parse of the source serves every agreement.
        `{% … %}` blocks can add or drop lines: those bodies are parsed after
        rendering.
        """
        if clause.id not in self._headings:
            body = clause.body
            self._headings[clause.id] = None if "{%" in body else find_headings(body)
        return self._headings[clause.id]

    def file_validator(self, name: str) -> Draft202012Validator:
        if not self._validators:
            self._validators = schemas.file_validators(schemas.schema_folder(self.lib.root))
        return self._validators[name]

    # -- templates and agreements --------------------------------------------

    def scope(self, template: Template) -> TemplateScope:
        """The template's scope: its problems and those of the clauses it uses."""
        if template.id not in self._scopes:
            found = set(self.lib.problems_of(template.source.path))
            found.update(template_problems(self, template))
            found.update(bilingual_problems(self, template))
            for entry in template.outline.clause_entries():
                clause = self.lib.clauses.get(entry.clause or "")
                if clause is not None:
                    found.update(self.clause_problems(clause))
            decls, _ = declarations(self.lib, template)
            self._scopes[template.id] = TemplateScope(template, tuple(sorted(found)), decls)
        return self._scopes[template.id]

    def agreement(self, agreement: Agreement) -> tuple[Values | None, list[Problem]]:
        """An agreement's values and problems (the template's own problems excluded)."""
        src, doc = agreement.source, agreement.doc
        validator = self.file_validator("agreement")
        found = list(schemas.problems(validator, doc.value, src, doc))
        if found:
            return None, found
        template = self.lib.templates.get(agreement.template_id)
        if template is None:
            return None, [
                Problem.at(
                    src.path,
                    doc.pos(("template",)),
                    "missing-id",
                    f"template: no template {agreement.template_id!r} in templates/",
                )
            ]
        scope = self.scope(template)
        if not scope.usable:
            return None, []  # no reliable schema: the template's problems are on its files
        return agreement_values(scope, agreement)

    def composed_schema(self, template: Template) -> dict[str, Any]:
        """The JSON Schema of the template's agreements, for editors (`clausekit schema`)."""
        base = cast(dict[str, Any], self.file_validator("agreement").schema)
        return composed_schema(self.lib, template, base)

    def with_agreements(self, paths: Iterable[Path]) -> Checked:
        """This checked library with more agreement files read; the caches are shared,
        since clauses and templates are the same."""
        other = copy.copy(self)
        other.lib = read_agreements(self.lib, paths)
        return other

    def view(self, key: str, make: Callable[[], Library]) -> Checked:
        """The `Checked` of another view of this library (a lock's versions), made once."""
        if key not in self._views:
            lib = make()
            self._views[key] = self if lib is self.lib else Checked(lib)
        return self._views[key]

    def static_problems(self) -> Iterator[Problem]:
        """Every problem of the clauses, templates and read agreements, without rendering."""
        yield from self.lib.problems
        for clause in self.lib.clauses.values():
            yield from self.clause_problems(clause)
        for template in self.lib.templates.values():
            yield from self.scope(template).problems
        for agreement in self.lib.agreements.values():
            yield from self.agreement(agreement)[1]

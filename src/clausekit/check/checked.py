"""`Checked`: a loaded library and everything `check` derives from it, computed once.

A `Library` is immutable; what is derived from it (a clause's analysis and
problems, each template's scope, the file validators, locked views) lives
here, in typed caches, so that checking ten thousand agreements does each
template's and each clause's work once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Set
from functools import partial
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from jinja2 import Template as JinjaTemplate
from jinja2 import nodes as JinjaNodes

from clausekit.check import schemas
from clausekit.check.cache import ResultCache, digest
from clausekit.check.codecache import kept_code
from clausekit.check.compose import Declaration, composed_schema, declarations
from clausekit.check.formats import FILE_FORMATS
from clausekit.check.requirements import Conditional, clause_conditions, conditionals
from clausekit.check.scope import TemplateScope
from clausekit.check.values import Values, agreement_values, trusted_values
from clausekit.errors import Problem
from clausekit.language.headings import Heading
from clausekit.language.sandbox import environment
from clausekit.load import read_agreements
from clausekit.load.model import Agreement, Clause, Library, Template

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

    from clausekit.check.analysis import Analysis

T = TypeVar("T")


class Checked:
    """The library with its derived results; create one per loaded library."""

    def __init__(self, lib: Library, results: ResultCache | None = None) -> None:
        self.lib = lib
        if results is None:
            folder = schemas.schema_folder(lib.root)
            results = ResultCache.for_library(lib.root, folder, lib.settings.lang)
            schemas.keep_validity(folder, results)
        self.results = results
        self._analyses: dict[str, Analysis | Problem] = {}
        self._clause_problems: dict[str, tuple[Problem, ...]] = {}
        self._scopes: dict[str, TemplateScope] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._schema_files: dict[str, dict[str, Any]] = {}
        self._views: dict[str, Checked] = {}
        self._code: dict[str, CodeType] = {}
        self._trees: dict[str, JinjaNodes.Template] = {}  # parsed, not compiled yet
        self._bodies: dict[tuple[str, str, bool], JinjaTemplate] = {}
        self._headings: dict[str, tuple[Heading, ...] | None] = {}

    # -- what rules ask for (check.context.CheckContext) -------------------

    def analysis(self, clause: Clause) -> Analysis | Problem:
        if clause.id not in self._analyses:
            from clausekit.check.analysis import SyntaxProblem, analyse_tree

            try:
                self._analyses[clause.id], self._trees[clause.id] = analyse_tree(clause.body)
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
            key = self._clause_key(clause)
            # The rules' modules are imported here, not with this one: a build whose
            # template's problems are kept never asks for a clause's.
            from clausekit.check.translations import translation_problems

            found = self.results.get(key)
            if found is None:
                from clausekit.check.clauses import clause_problems

                found = tuple(clause_problems(self, clause))
                self.results.put(key, found)
            own = self.lib.problems_of(clause.source.path)
            # A translation's problems read its source too: found afresh each run.
            found = (*found, *translation_problems(self, clause))
            self._clause_problems[clause.id] = (*own, *found)
        return self._clause_problems[clause.id]

    def _clause_key(self, clause: Clause) -> str:
        # Its rules read the clause and whether its alternatives exist.
        alts = [f"{a}:{a in self.lib.clauses}" for a in clause.data.get("alternatives") or []]
        return digest("clause", clause.id, clause.source.sha256, *alts)

    def compiled_body(self, clause: Clause, lang: str, lenient: bool) -> JinjaTemplate:
        """The clause body compiled in the sandbox of a document language.

        Jinja's compiled code does not depend on the language or on how missing
        values print (both are looked up when it runs), so each body is compiled
        once and bound to each environment it is rendered in.
        """
        name = self._body_key(clause)
        key = (name, lang, lenient)
        if key not in self._bodies:
            env = environment(lang, lenient, self.lib.settings.holidays)
            if name not in self._code:
                path = clause.source.path
                source = (self._trees.pop(name, None) if name == clause.id else None) or clause.body
                folder = self.results.file.parent / "code" if self.results.file else None
                self._code[name] = kept_code(
                    folder,
                    self.results.salt,
                    path,
                    clause.body,
                    lambda: env.compile(source, name=path, filename=path),
                )
            code, globals_ = self._code[name], env.make_globals(None)
            self._bodies[key] = env.template_class.from_code(env, code, globals_, None)
        return self._bodies[key]

    def _keep(self, name: str, source: str, make: Callable[[], CodeType]) -> CodeType:
        """Compiled code kept in the user's cache folder (`check.codecache`)."""
        folder = self.results.file.parent / "code" if self.results.file else None
        return kept_code(folder, self.results.salt, name, source, make)

    def _body_key(self, clause: Clause) -> str:
        """What a body is cached under: its id, or for an agreement's own wording of
        the clause (a deviation, read from the agreement file) its file and id too."""
        if self.lib.clauses.get(clause.id) is clause:
            return clause.id
        return f"{clause.source.path}\0{clause.id}\0{digest('body', clause.body)}"

    def source_headings(self, clause: Clause) -> tuple[Heading, ...] | None:
        """The headings of the clause source; None when rendering may move them.

        Values are single-line and escaped, so rendering `{{ … }}` keeps every
        heading on its line: the parse of the source serves every agreement.
        `{% … %}` blocks can add or drop lines: those bodies are parsed after
        rendering.
        """
        name = self._body_key(clause)
        if name not in self._headings:
            body = clause.body
            if "{%" in body:
                self._headings[name] = None
            else:
                key = digest("headings", body)
                found = _kept(self.results.rows(key), _heading)
                if found is None:
                    from clausekit.language.headings import find_headings

                    found = find_headings(body)
                    self.results.put_rows(key, [list(h) for h in found])
                self._headings[name] = found
        return self._headings[name]

    def file_schema(self, name: str) -> dict[str, Any]:
        """A schema file's contents (`agreement`, …), without building validators."""
        if not self._schema_files:
            folder = schemas.schema_folder(self.lib.root)
            self._schema_files = schemas.read_schemas(folder, self.results)
        return self._schema_files[name]

    def file_valid(self, name: str, instance: Any) -> bool:
        """Whether `instance` is surely valid under `schema/<name>.schema.json`, decided
        without jsonschema when the schema allows (`check.verdict`); False sends it to
        `file_validator`, whose messages are reported."""
        self.file_schema(name)
        from clausekit.check.verdict import verdict

        files = self._schema_files
        found = verdict(files[name], instance, FILE_FORMATS, schemas.documents(files))
        return found is True

    def file_validator(self, name: str) -> Draft202012Validator:
        if not self._validators:
            self._validators = schemas.file_validators(
                schemas.schema_folder(self.lib.root), self.results
            )
        return self._validators[name]

    # -- templates and agreements --------------------------------------------

    def scope(self, template: Template) -> TemplateScope:
        """The template's scope: its problems and those of the clauses it uses."""
        if template.id not in self._scopes:
            key = self.scope_key(template)
            decls, _ = declarations(self.lib, template)
            conditional = self._conditionals(template, decls, key)
            found = partial(self._kept_scope_problems, template, key)  # worked out when asked
            self._scopes[template.id] = TemplateScope(
                template, found, decls, key, conditional, self.lib.settings.holidays, self._keep
            )
        return self._scopes[template.id]

    def _kept_scope_problems(self, template: Template, key: str) -> tuple[Problem, ...]:
        found = self.results.get(key)
        if found is None:
            found = tuple(sorted(set(self._scope_problems(template))))
            self.results.put(key, found)
        else:  # the results it was made of stay valid as long as it does
            for entry in template.outline.clause_entries():
                clause = self.lib.clauses.get(entry.clause or "")
                if clause is not None:
                    self.results.touch(self._clause_key(clause))
                    self.results.touch(digest("headings", clause.body))
        return found

    def _conditionals(
        self, template: Template, decls: dict[str, Declaration], scope_key: str
    ) -> tuple[Conditional, ...]:
        """The values only conditional clauses use (kept with the scope's problems)."""
        if next(template.outline.conditional(), None) is None:
            return ()  # no `when`: every clause is kept, and nothing is conditional
        key = digest("conditionals", scope_key)
        kept = _kept(self.results.rows(key), Conditional.of_row)
        if kept is not None:
            return kept
        from clausekit.check.analysis import Analysis, SyntaxProblem, analyse_expression

        clauses = []
        for cid, condition in clause_conditions(template):
            clause = self.lib.clauses.get(cid)
            found = self.analysis(clause) if clause else None
            if isinstance(found, Analysis):
                clauses.append((cid, condition, found))
        exprs: list[tuple[str | None, Analysis]] = []
        for name, text in [
            *template.computed.items(),
            *((None, e.when or "") for e in template.outline.conditional()),
        ]:
            try:
                exprs.append((name, analyse_expression(text)))
            except SyntaxProblem:
                continue  # reported by the template check
        result = conditionals(template, decls, clauses, exprs)
        self.results.put_rows(key, [c.as_row() for c in result])
        return result

    def scope_key(self, template: Template) -> str:
        """A digest of everything a template's problems depend on: the template, each
        clause it names (or that it is missing), the library's default language."""
        lib = self.lib
        parts = [template.id, template.source.sha256, lib.settings.lang]
        for entry in template.outline.clause_entries():
            clause = lib.clauses.get(entry.clause or "")
            parts.append(f"{entry.clause}:{clause.source.sha256 if clause else '-'}")
            if clause is not None:  # a clause's load problems are its own, not cached
                parts += [str(p) for p in lib.problems_of(clause.source.path)]
            # A bilingual template's text in its other language is its translations'.
            for lang, translation in sorted(lib.translations.get(entry.clause or "", {}).items()):
                parts.append(f"{lang}:{translation.id}:{translation.source.sha256}")
        parts += [str(p) for p in lib.problems_of(template.source.path)]
        return digest("scope", *parts)

    def _scope_problems(self, template: Template) -> Iterator[Problem]:
        from clausekit.check.templates import template_problems
        from clausekit.check.translations import bilingual_problems

        yield from self.lib.problems_of(template.source.path)
        yield from template_problems(self, template)
        yield from bilingual_problems(self, template)
        for entry in template.outline.clause_entries():
            clause = self.lib.clauses.get(entry.clause or "")
            if clause is not None:
                yield from self.clause_problems(clause)

    def agreement_key(self, agreement: Agreement) -> str | None:
        """The key of an agreement's problems (None when it names no template)."""
        template = self.lib.templates.get(agreement.template_id)
        if template is None:
            return None
        return digest("agreement", agreement.source.sha256, self.scope(template).key)

    def agreement(
        self, agreement: Agreement, trial: bool = False
    ) -> tuple[Values | None, list[Problem]]:
        """An agreement's values and problems (the template's own problems excluded).

        `trial` takes the template's scope as usable without working out its problems:
        what it returns is what this returns once they show the scope usable."""
        template = self.lib.templates.get(agreement.template_id)
        scope = self.scope(template) if template else None
        usable = scope is not None and (trial or scope.usable)
        key = self.agreement_key(agreement)
        if scope and usable and key and self.results.get(key) == ():
            return trusted_values(scope, agreement), []  # checked clean in an earlier run
        if scope is not None and usable:  # the file and its values at once
            values, found = agreement_values(scope, agreement, self.file_schema("agreement"))
            if values is None or not agreement.deviations:
                return values, found
            from clausekit.check.deviations import deviation_problems

            more = list(deviation_problems(self.lib, scope.template, agreement))
            return (None if more else values), [*found, *more]
        file = self.file_validator("agreement")
        src, doc = agreement.source, agreement.doc
        found = list(schemas.problems(file, doc.value, src, doc))
        if found:
            return None, found
        if scope is None:
            return None, [
                Problem.at(
                    src.path,
                    doc.pos(("template",)),
                    "missing-id",
                    f"template: no template {agreement.template_id!r} in templates/",
                )
            ]
        return None, []  # no reliable schema: the template's problems are on its files

    def composed_schema(self, template: Template) -> dict[str, Any]:
        """The JSON Schema of the template's agreements, for editors (`clausekit schema`)."""
        base = cast(dict[str, Any], self.file_validator("agreement").schema)
        schema = composed_schema(self.lib, template, base)
        # With the requirements that follow `when`, as `check` applies them.
        schema["properties"]["variables"] = self.scope(template).schema
        return schema

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
            # A view's results are not kept: its files are not the library's.
            off = ResultCache(None, "")
            self._views[key] = self if lib is self.lib else Checked(lib, off)
        return self._views[key]

    def static_problems(self, done: Set[str] = frozenset()) -> Iterator[Problem]:
        """Every problem of the files that needs no rendering, except those of the
        templates in `done` and of the clauses they use (checked elsewhere already)."""
        yield from self.lib.problems
        covered: set[str] = set()
        for tid, template in self.lib.templates.items():
            if tid in done:
                covered.update(e.clause or "" for e in template.outline.clause_entries())
            else:
                yield from self.scope(template).problems
        for cid, clause in self.lib.clauses.items():
            if cid not in covered:
                yield from self.clause_problems(clause)


def _heading(row: list[Any]) -> Heading:
    """A heading as the result cache keeps it: [first line, line after, depth]."""
    start, end, depth = row
    if not all(isinstance(n, int) for n in (start, end, depth)):
        raise TypeError(f"not a kept heading: {row!r}")
    return start, end, depth


def _kept(rows: list[list[Any]] | None, read: Callable[[list[Any]], T]) -> tuple[T, ...] | None:
    """Rows of the result cache read back; None (a miss) when absent or damaged."""
    if rows is None:
        return None
    try:
        return tuple(read(row) for row in rows)
    except (ValueError, TypeError, IndexError):
        return None

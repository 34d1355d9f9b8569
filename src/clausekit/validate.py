"""Stage 2, validate: every problem of a library, each with its file, line and column.

Validators are generators, like jsonschema's `iter_errors`: they yield every
problem and never stop at the first.  `check_library` runs them all;
`scope_problems` runs only those an agreement depends on, for `assemble`.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import schemas
from .analysis import Analysis, SyntaxProblem, analyse, analyse_expression
from .assemble import render
from .compose import Entry, declarations, outline
from .errors import Problem, ProblemsFound
from .load import load_agreements
from .model import Agreement, Clause, Library, Template
from .values import agreement_values, blank_values


def check_library(lib: Library, jobs: int | None = None) -> list[Problem]:
    """Everything `clausekit check` reports, deduplicated and sorted.

    Agreements still pending (listed, not read) are read and checked in
    `jobs` worker processes: with thousands of agreements, reading and
    rendering them is nearly all the work, and each is independent.
    """
    found: set[Problem] = set(lib.load_problems)
    for clause in lib.clauses.values():
        found.update(check_clause(lib, clause))
    for template in lib.templates.values():
        found.update(check_template(lib, template))
        found.update(template_scope_problems(lib, template))  # warm the memo before forking
    for agreement in lib.agreements.values():
        found.update(check_agreement(lib, agreement))
    if lib.pending:
        found.update(_check_pending(lib, jobs or os.cpu_count() or 1))
    return sorted(found)


_WORKER_LIB: Library | None = None


def _check_pending(lib: Library, jobs: int) -> list[Problem]:
    global _WORKER_LIB
    paths, lib.pending = lib.pending, []
    if jobs < 2 or len(paths) < 200 or "fork" not in mp.get_all_start_methods():
        return _check_files(lib, paths)
    lib.files_read += len(paths)  # the workers' counts stay in the workers
    _WORKER_LIB = lib  # inherited by the forked workers, with its warm memo
    chunks = [paths[i::jobs] for i in range(jobs)]
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
        return [p for part in pool.map(_worker, chunks) for p in part]


def _worker(paths: list[Path]) -> list[Problem]:
    assert _WORKER_LIB is not None
    return _check_files(_WORKER_LIB, paths)


def _check_files(lib: Library, paths: list[Path]) -> list[Problem]:
    before = len(lib.load_problems)
    ids = load_agreements(lib, paths)
    found = lib.load_problems[before:]
    for ident in ids:
        found.extend(check_agreement(lib, lib.agreements[ident]))
    return found


def _own(lib: Library, path: str) -> list[Problem]:
    return [p for p in lib.load_problems if p.path == path]


def template_scope_problems(lib: Library, template: Template) -> list[Problem]:
    """Problems of a template and of the clauses it uses (computed once per library)."""
    key = ("template-scope", template.id)
    if key not in lib.memo:
        found = set(_own(lib, template.source.path)) | set(check_template(lib, template))
        for entry in outline(template).clause_entries():
            clause = lib.clauses.get(entry.clause or "")
            if clause:
                found.update(_own(lib, clause.source.path))
                found.update(check_clause(lib, clause))
        lib.memo[key] = sorted(found)
    result: list[Problem] = lib.memo[key]
    return result


def scope_problems(lib: Library, agreement: Agreement) -> list[Problem]:
    template = lib.templates.get(agreement.template_id)
    return template_scope_problems(lib, template) if template else []


def _analysis(clause: Clause) -> Analysis | Problem:
    try:
        return analyse(clause.body)
    except SyntaxProblem as exc:
        return Problem(
            clause.source.path, clause.body_line + exc.line - 1, 1, "jinja-syntax", exc.message
        )


def check_clause(lib: Library, clause: Clause) -> Iterator[Problem]:
    """A clause's own problems (computed once per library: templates share clauses)."""
    key = ("clause", clause.id)
    if key not in lib.memo:
        lib.memo[key] = list(_clause_problems(lib, clause))
    found: list[Problem] = lib.memo[key]
    return iter(found)


def _file_schema_problems(lib: Library, name: str, item: Clause | Template) -> list[Problem]:
    """Problems of a clause's front matter or a template against schema/<name>.schema.json."""
    validator = schemas.file_validator(schemas.schema_folder(lib.root), name)
    return list(schemas.problems(validator, item.located.value, item.source, item.located))


def _clause_problems(lib: Library, clause: Clause) -> Iterator[Problem]:
    src, meta = clause.source, clause.meta
    schema_problems = _file_schema_problems(lib, "clause", clause)
    yield from schema_problems
    if not schema_problems:
        yield from _changelog(src.path, clause.data, meta)
        for i, alt in enumerate(clause.data.get("alternatives") or []):
            if alt not in lib.clauses:
                pos = meta.pos(("alternatives", i))
                yield Problem(
                    src.path,
                    pos.line,
                    pos.col,
                    "missing-id",
                    f"alternatives[{i}]: no clause {alt!r} in clauses/",
                )
    result = _analysis(clause)
    if isinstance(result, Problem):
        yield result
        return
    for use in result.unsafe:
        yield Problem(
            src.path,
            clause.body_line + use.line - 1,
            use.col,
            "sandbox",
            f"attribute {use.name!r} is not allowed: templates may not reach Python internals",
        )
    for use in result.dynamic_refs:
        yield Problem(
            src.path,
            clause.body_line + use.line - 1,
            use.col,
            "ref",
            "ref() takes a clause id in quotes, e.g. ref('training/payment')",
        )
    used = {u.name for u in result.names}
    for name in clause.variables:
        if name not in used:
            pos = meta.key_pos(("variables", name))
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "unused-variable",
                f"variable {name!r} is declared but not used in the clause body",
            )


def _changelog(path: str, data: dict[str, object], located: object) -> Iterator[Problem]:
    log = data.get("changelog")
    if isinstance(log, list) and log and isinstance(log[0], dict):
        head = str(log[0].get("version"))
        if head != str(data.get("version")):
            pos = located.pos(("changelog", 0, "version"))  # type: ignore[attr-defined]
            yield Problem(
                path,
                pos.line,
                pos.col,
                "changelog",
                f"changelog[0].version: {head!r} should equal version "
                f"{str(data.get('version'))!r} (newest entry first)",
            )


def check_template(lib: Library, template: Template) -> Iterator[Problem]:
    found = list(_template_problems(lib, template))
    yield from found
    if found:
        return
    clauses = [lib.clauses[e.clause] for e in outline(template).clause_entries() if e.clause]
    if any(_has_problems(lib, c) for c in clauses):
        return
    # Render the blank form: finds refs to excluded clauses and headings nested too deep.
    try:
        render(lib, template, blank_values(template), template.title, None)
    except ProblemsFound as exc:
        yield from exc.problems


def _template_problems(lib: Library, template: Template) -> Iterator[Problem]:
    src, doc = template.source, template.doc
    schema_problems = _file_schema_problems(lib, "template", template)
    yield from schema_problems
    if schema_problems:
        return
    yield from _changelog(src.path, template.data, doc)
    plan = outline(template)
    entries = list(plan.clause_entries())
    seen: dict[str, Entry] = {}
    clauses: list[Clause] = []
    for entry in entries:
        pos = doc.pos(entry.path)
        clause = lib.clauses.get(entry.clause or "")
        if clause is None:
            yield Problem(
                src.path, pos.line, pos.col, "missing-id", f"no clause {entry.clause!r} in clauses/"
            )
            continue
        if clause.id in seen:
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "duplicate-clause",
                f"clause {clause.id!r} is already included at line "
                f"{doc.pos(seen[clause.id].path).line}",
            )
            continue
        seen[clause.id] = entry
        clauses.append(clause)
        if clause.lang and clause.lang != template.lang:
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "lang",
                f"clause {clause.id!r} is in {clause.lang}, the template in {template.lang}",
            )
    decls, conflicts = declarations(lib, template)
    yield from conflicts
    known = set(decls) | set(template.computed)
    used: set[str] = set()
    for clause in clauses:
        result = _analysis(clause)
        if isinstance(result, Problem):
            continue  # reported by check_clause
        for use in result.names:
            used.add(use.name)
            if use.name not in known:
                yield Problem(
                    clause.source.path,
                    clause.body_line + use.line - 1,
                    use.col,
                    "undeclared-variable",
                    f"variable {use.name!r} is not declared (template "
                    f"{template.id}): add it to the clause's variables",
                )
        for use in result.refs:
            target = use.name.split("#", 1)
            if target[0] not in seen or (len(target) == 2 and not _has_anchor(lib, *target)):
                yield Problem(
                    clause.source.path,
                    clause.body_line + use.line - 1,
                    use.col,
                    "ref",
                    f"ref({use.name!r}): no such clause or heading in template {template.id}",
                )
    found = list(_expressions(template, known, used))
    for name in template.variables:
        if name not in used:
            pos = doc.key_pos(("variables", name))
            found.append(
                Problem(
                    src.path,
                    pos.line,
                    pos.col,
                    "unused-variable",
                    f"variable {name!r} is declared but used by no clause, "
                    "computed value, rule or condition",
                )
            )
    yield from found


def _has_problems(lib: Library, clause: Clause) -> bool:
    return bool(_own(lib, clause.source.path)) or any(True for _ in check_clause(lib, clause))


def _has_anchor(lib: Library, clause_id: str, anchor: str) -> bool:
    return "{#" + anchor + "}" in lib.clauses[clause_id].body


def _expressions(template: Template, known: set[str], used: set[str]) -> Iterator[Problem]:
    src, doc = template.source, template.doc
    exprs: list[tuple[tuple[str | int, ...], str]] = []
    computed_names = list(template.computed)
    for name, expr in template.computed.items():
        exprs.append((("computed", name), expr))
    for i, rule in enumerate(template.rules):
        exprs.append((("rules", i, "assert"), str(rule.get("assert", ""))))
    exprs += [((*e.path, "when"), e.when) for e in _all_entries(outline(template).body) if e.when]
    for path, expr in exprs:
        pos = doc.pos(path)
        try:
            result = analyse_expression(expr)
        except SyntaxProblem as exc:
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "jinja-syntax",
                f"{schemas.dotted(path)}: {exc.message}",
            )
            continue
        for use in result.unsafe:
            yield Problem(
                src.path,
                pos.line,
                pos.col,
                "sandbox",
                f"{schemas.dotted(path)}: attribute {use.name!r} is not allowed",
            )
        for use in result.names:
            used.add(use.name)
            later = (
                path[0] == "computed"
                and use.name in computed_names
                and (computed_names.index(use.name) >= computed_names.index(str(path[1])))
            )
            if use.name not in known or later:
                yield Problem(
                    src.path,
                    pos.line,
                    pos.col,
                    "undeclared-variable",
                    f"{schemas.dotted(path)}: {use.name!r} is not a declared variable "
                    "or an earlier computed value",
                )


def _all_entries(entries: tuple[Entry, ...]) -> Iterator[Entry]:
    for e in entries:
        yield e
        yield from _all_entries(e.children)


def check_agreement(lib: Library, agreement: Agreement) -> Iterator[Problem]:
    values, found = agreement_values(lib, agreement)
    yield from found
    if values is None:
        return
    template = lib.templates[agreement.template_id]
    if template_scope_problems(lib, template):
        return  # the template's problems are reported on their own files
    try:
        render(lib, template, values, template.title, None)
    except ProblemsFound as exc:
        yield from exc.problems

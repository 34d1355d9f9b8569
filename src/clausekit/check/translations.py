"""Rules for translations and bilingual templates, each a generator of problems.

A clause names what it translates: `translates: {clause: ID, version: X.Y.Z}`.
`translation_problems` checks one clause against its source: the source
exists, has not moved past the version translated (`translation-outdated`),
declares the same variables (descriptions are translated text and may
differ) and has the same headings in the same order and depth, with the same
anchors (a ref to `clause#anchor` must find its heading in both languages).

`bilingual_problems` checks a template with `languages`: its language keys
agree, every clause has a translation, and the text in the second language
passes the template rules that read clause bodies (declared names, refs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from clausekit.check.context import CheckContext
from clausekit.check.schemas import without_annotations
from clausekit.check.suggest import did_you_mean
from clausekit.check.templates import names_in_clauses, refs, undeclared_in_clauses
from clausekit.errors import Problem
from clausekit.language.headings import ANCHOR, find_headings, heading_text
from clausekit.load.bilingual import is_bilingual, language_view
from clausekit.load.model import Clause, Template

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)")

Rule = Callable[[CheckContext, Template], Iterator[Problem]]


def translation_problems(ctx: CheckContext, clause: Clause) -> Iterator[Problem]:
    named = clause.translates
    if named is None:
        return
    source = ctx.lib.clauses.get(named[0])
    if source is None:
        yield _at(
            clause,
            ("translates", "clause"),
            "missing-id",
            f"no clause {named[0]!r}" + did_you_mean(named[0], ctx.lib.clauses),
        )
        return
    yield from _outdated(clause, source, named[1])
    yield from _variables(clause, source)
    yield from _headings(clause, source)


def version_key(text: str | None) -> tuple[int, ...] | None:
    m = SEMVER.match(text or "")
    return tuple(int(g) for g in m.groups()) if m else None


def _outdated(clause: Clause, source: Clause, named: str) -> Iterator[Problem]:
    have, now = version_key(named), version_key(source.version)
    if have is None or now is None or have == now:
        return
    if have < now:
        yield Problem.at(
            clause.source.path,
            clause.meta.key_pos(("translates",)),
            "translation-outdated",
            f"translates {source.id} {named}, but {source.source.path} is at {source.version}: "
            f"bring the translation up to date and set translates.version to {source.version}",
        )
    else:
        yield _at(
            clause,
            ("translates", "version"),
            "translation-version",
            f"{source.source.path} has no version {named} yet (it is at {source.version})",
        )


def _variables(clause: Clause, source: Clause) -> Iterator[Problem]:
    mine, theirs = clause.variables, source.variables
    for name in sorted(set(theirs) - set(mine)):
        yield _at(
            clause,
            ("variables",) if clause.variables else ("translates",),
            "translation-variables",
            f"variable {name!r} of {source.source.path} is not declared here in "
            f"{clause.source.path}: a translation declares the same variables",
        )
    for name in sorted(set(mine) - set(theirs)):
        yield Problem.at(
            clause.source.path,
            clause.meta.key_pos(("variables", name)),
            "translation-variables",
            f"variable {name!r} is not declared in {source.source.path}, "
            "which this clause translates",
        )
    for name in sorted(set(mine) & set(theirs)):
        if without_annotations(mine[name]) != without_annotations(theirs[name]):
            yield Problem.at(
                clause.source.path,
                clause.meta.key_pos(("variables", name)),
                "translation-variables",
                f"variable {name!r} has another schema than in {source.source.path} "
                "(only descriptions may differ)",
            )


def _outline(clause: Clause) -> list[tuple[int, int, str | None, str]]:
    """(line in the file, depth, anchor, text) of each heading of the body."""
    lines = clause.body.split("\n")
    out = []
    for start, end, depth in find_headings(clause.body):
        text = heading_text(lines, start, end)
        anchor = ANCHOR.search(text)
        title = text[: anchor.start()] if anchor else text
        out.append((clause.body_line + start, depth, anchor.group(1) if anchor else None, title))
    return out


def _headings(clause: Clause, source: Clause) -> Iterator[Problem]:
    mine, theirs = _outline(clause), _outline(source)
    for i, (a, b) in enumerate(zip(mine, theirs, strict=False)):
        if a[1:3] != b[1:3]:
            yield Problem(
                clause.source.path,
                a[0],
                1,
                "translation-headings",
                f"heading {i + 1} {a[3]!r} ({_shape(a)}) does not mirror heading {i + 1} of "
                f"{source.source.path}:{b[0]} {b[3]!r} ({_shape(b)})",
            )
            return  # one shift misaligns every heading after it
    if len(mine) != len(theirs):
        line = mine[len(theirs)][0] if len(mine) > len(theirs) else clause.body_line
        yield Problem(
            clause.source.path,
            line,
            1,
            "translation-headings",
            f"{len(mine)} headings, but {source.source.path} has {len(theirs)}: "
            "a translation's headings mirror its source's, in number and order",
        )


def _shape(heading: tuple[int, int, str | None, str]) -> str:
    level = f"level {heading[1]}"
    return f"{level}, {{#{heading[2]}}}" if heading[2] else level


def _at(clause: Clause, path: tuple[str, ...], code: str, message: str) -> Problem:
    return Problem.at(clause.source.path, clause.meta.pos(path), code, message)


# -- bilingual templates ------------------------------------------------------


def bilingual_problems(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    if not is_bilingual(template) or not _schema_valid(ctx, template):
        return  # a template that breaks its schema gets only its schema problems
    for rule in (_keys, _missing_translations, _second_text):
        yield from rule(ctx, template)


def _schema_valid(ctx: CheckContext, template: Template) -> bool:
    data = template.data
    return ctx.file_valid("template", data) or ctx.file_validator("template").is_valid(data)


def _keys(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    langs, data = template.languages, template.data
    if "lang" in data and data["lang"] != langs[0]:
        yield _t(template, ("lang",), "lang", f"lang must be {langs[0]}, the first of languages")
    if data.get("prevails") not in (None, *langs):
        yield _t(template, ("prevails",), "lang", f"prevails must be one of {', '.join(langs)}")
    for key in ("numbering", "title"):
        value = data.get(key)
        if isinstance(value, dict) and set(value) - set(langs):
            extra = ", ".join(sorted(set(value) - set(langs)))
            yield _t(template, (key,), "lang", f"{key}: {extra} is not one of the languages")


def _missing_translations(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    lang = template.languages[1]
    for entry in template.outline.clause_entries():
        cid = entry.clause or ""
        if cid in ctx.lib.clauses and lang not in ctx.lib.translations.get(cid, {}):
            path = ctx.lib.clauses[cid].source.path
            yield _t(
                template,
                entry.path,
                "missing-translation",
                f"clause {cid!r} ({path}) has no {lang} translation: no clause "
                f"says translates: {{clause: {cid}, …}} with lang: {lang}",
            )


def _second_text(ctx: CheckContext, template: Template) -> Iterator[Problem]:
    """The template's rules that read clause bodies, run on its second language."""
    view = language_view(ctx.lib, template, template.languages[1])
    translated = {template.source.path}
    for entry in view.outline.clause_entries():
        clause = ctx.lib.clauses.get(entry.clause or "")
        if clause is not None and clause.translates is not None:
            translated.add(clause.source.path)
            yield from ctx.clause_problems(clause)
    for rule in (undeclared_in_clauses, names_in_clauses, refs):
        # A clause left untranslated is reported once, as missing-translation, not
        # again for the refs it makes into a text in another language.
        yield from (p for p in rule(ctx, view) if p.path in translated)


def _t(template: Template, path: tuple[str | int, ...], code: str, message: str) -> Problem:
    return Problem.at(template.source.path, template.doc.pos(path), code, message)

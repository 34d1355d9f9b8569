"""Rules for an agreement's deviations (`deviations: {CLAUSE_ID: {text, ...}}`).

A deviation is the agreement's own wording of one of its template's clauses,
negotiated against a version of the standard text:
- its clause must be one the template prints (in either language of a
  bilingual template), else the deviation would silently do nothing;
- `from_version` older than the clause's current version means the standard
  text moved on since the wording was agreed (`deviation-outdated`, like a
  translation behind its source); an executed agreement is fixed by its lock;
- a `final` agreement may carry a wording labelled `needs-approval` only when
  the deviation names who approved it (`approved_by`).
"""

from __future__ import annotations

from collections.abc import Iterator

from clausekit.check.suggest import did_you_mean
from clausekit.check.translations import version_key
from clausekit.errors import Problem
from clausekit.load.bilingual import is_bilingual, language_view
from clausekit.load.model import Agreement, Deviation, Library, Template


def template_clauses(lib: Library, template: Template) -> frozenset[str]:
    """The ids of the clauses the template prints, in each of its languages."""
    views = (
        [language_view(lib, template, lang) for lang in template.languages]
        if is_bilingual(template)
        else [template]
    )
    return frozenset(e.clause for v in views for e in v.outline.clause_entries() if e.clause)


def deviation_problems(lib: Library, template: Template, agreement: Agreement) -> Iterator[Problem]:
    known = template_clauses(lib, template)
    for cid, deviation in agreement.deviations.items():
        if cid not in known:
            yield _problem(
                agreement,
                deviation,
                "deviation-unknown",
                f"deviations: template {template.id} has no clause {cid!r}"
                + did_you_mean(cid, sorted(known)),
            )
            continue
        yield from _outdated(lib, agreement, deviation)
        if (
            agreement.status == "final"
            and deviation.label == "needs-approval"
            and not deviation.approved_by
        ):
            yield _problem(
                agreement,
                deviation,
                "deviation-approval",
                f"deviations: {cid} needs approval: a final agreement names who approved "
                "it (approved_by)",
            )


def _outdated(lib: Library, agreement: Agreement, deviation: Deviation) -> Iterator[Problem]:
    clause = lib.clauses[deviation.clause]
    have, now = version_key(deviation.from_version), version_key(clause.version)
    if agreement.status == "executed" or have is None or now is None or have >= now:
        return
    yield _problem(
        agreement,
        deviation,
        "deviation-outdated",
        f"deviations: {deviation.clause} was worded from version {deviation.from_version}, "
        f"but {clause.source.path} is at {clause.version}: review the wording against the "
        f"new standard text and set from_version to {clause.version}",
    )


def _problem(agreement: Agreement, deviation: Deviation, code: str, message: str) -> Problem:
    return Problem.at(agreement.source.path, deviation.pos, code, message)

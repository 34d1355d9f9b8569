"""Assembling an agreement or a blank form, and what `check` asks of assembly."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from jinja2 import TemplateError, UndefinedError

from clausekit.assemble.document import render
from clausekit.assemble.model import Assembled, InputRef
from clausekit.assemble.outline import number_entries
from clausekit.check import Checked, TemplateScope, Values, blank_values
from clausekit.errors import Problem, ProblemsFound
from clausekit.load.bilingual import is_bilingual
from clausekit.load.model import Agreement
from clausekit.load.outline import Entry


class Speculation(NamedTuple):
    """An agreement rendered before its checks, so that rendering it into a file can
    start while they run (`publish.build`); `confirm` runs them and returns what
    `assemble_agreement` returns, or raises what it raises."""

    doc: Assembled | None  # None: not rendered (it had problems, or no template)
    confirm: Callable[[], Assembled]


def assemble_agreement(checked: Checked, agreement_id: str, framed: bool = False) -> Assembled:
    """The agreement as Markdown; `ProblemsFound` if it or its template has problems.

    `framed` adds a one-language agreement's frame (`assemble.frame`), for its DOCX."""
    return _confirm(checked, agreement_id, framed, None, None)


def speculate(checked: Checked, agreement_id: str, framed: bool = False) -> Speculation:
    """The agreement rendered before its template's and clauses' problems are worked
    out, taking its template's scope as usable (`Checked.agreement`'s `trial`).

    `confirm` works them out; with none, the rendered document is the checked one, as
    both come of the same values, scope and title.  Rendering unchecked files is as
    safe as rendering checked ones: the sandbox and its limits are the same."""
    agreement = checked.lib.agreements[agreement_id]
    template = checked.lib.templates.get(agreement.template_id)
    trial: tuple[Values | None, list[Problem]] | None = None
    doc = None
    if template is not None:
        try:
            trial = checked.agreement(agreement, trial=True)
            values, found = trial
            if values is not None and not found:
                doc = _assembled(checked, agreement, checked.scope(template), values, framed)
        except Exception:
            # Unchecked files may fail in any way (a schema the template breaks, a clause
            # it names that is missing).  Nothing tried, then: `confirm` does what
            # `assemble_agreement` does, which tells the checks' problems first.
            trial, doc = None, None
    return Speculation(doc, partial(_confirm, checked, agreement_id, framed, trial, doc))


def _confirm(
    checked: Checked,
    agreement_id: str,
    framed: bool,
    trial: tuple[Values | None, list[Problem]] | None,
    doc: Assembled | None,
) -> Assembled:
    """`assemble_agreement`: the checks, then the document.  `trial` (the agreement's
    values as `speculate` worked them out) stands for `Checked.agreement`'s once the
    scope is usable, and `doc` (rendered from them) is then the document."""
    agreement = checked.lib.agreements[agreement_id]
    template = checked.lib.templates.get(agreement.template_id)
    scope = checked.scope(template) if template else None
    found = list(scope.problems) if scope else []
    usable = scope is not None and scope.usable
    values, more = trial if trial is not None and usable else checked.agreement(agreement)
    found += more
    if found or values is None or scope is None:
        raise ProblemsFound(found)
    if doc is None or trial is None:
        doc = _assembled(checked, agreement, scope, values, framed)
    key = checked.agreement_key(agreement)
    if key is not None:  # it assembled: no problem of its own, as `check` would find
        checked.results.put(key, ())
    return doc


def _assembled(
    checked: Checked, agreement: Agreement, scope: TemplateScope, values: Values, framed: bool
) -> Assembled:
    """The agreement rendered from its values (with its frame when `framed`)."""
    title = str(agreement.data.get("title") or scope.template.title)
    src = agreement.source
    extra = InputRef("agreement", agreement.id, src.path, None, src.sha256)
    doc = _rendered(*_render(checked, scope, values, title, extra, own=agreement))
    if framed and not is_bilingual(scope.template):
        from clausekit.assemble.frame import with_frame

        again = partial(_render, checked, scope, values, title, extra, own=agreement)
        doc = with_frame(doc, lambda: again()[0])
    return doc._replace(status=agreement.status, agreement=agreement.id)


def assemble_blank(checked: Checked, template_id: str) -> Assembled:
    """The fillable form: every variable printed as a blank."""
    scope = checked.scope(checked.lib.templates[template_id])
    if scope.problems:
        raise ProblemsFound(scope.problems)
    values = blank_values(scope)
    return _rendered(*_render(checked, scope, values, scope.template.title, None))


def agreement_problems(checked: Checked, agreement_id: str) -> list[Problem]:
    """An agreement's own problems: its values, and what rendering it finds.

    Its template's problems are left out: they are reported on their own files.
    """
    agreement = checked.lib.agreements[agreement_id]
    key = checked.agreement_key(agreement)
    cached = checked.results.get(key) if key else None
    if cached is not None:
        return list(cached)
    values, found = checked.agreement(agreement)
    template = checked.lib.templates.get(agreement.template_id)
    if values is not None and template is not None and not checked.scope(template).problems:
        # The layout's own problems are the blank form's (`blank_problems`).
        scope = checked.scope(template)
        found = _render(checked, scope, values, "", None, True, True, agreement)[1]
    if key is not None:
        checked.results.put(key, found)
    return found


def agreement_checked(
    checked: Checked, agreement_id: str
) -> tuple[Assembled | None, list[Problem]]:
    """`agreement_problems`, and the document when it has none (as `assemble_agreement`
    makes it): `check` assembles every agreement anyway, and the site shows them."""
    try:
        assembled = assemble_agreement(checked, agreement_id)
    except ProblemsFound:
        return None, agreement_problems(checked, agreement_id)
    key = checked.agreement_key(checked.lib.agreements[agreement_id])
    if key is not None:
        checked.results.put(key, ())
    return assembled, []


def blank_problems(checked: Checked, template_id: str) -> list[Problem]:
    """What rendering a clean template's blank form finds (refs to clauses a `when`
    may leave out are fine there; headings nested too deep are not)."""
    scope = checked.scope(checked.lib.templates[template_id])
    if scope.problems:
        return []
    return _render(checked, scope, blank_values(scope), scope.template.title, None, True)[1]


def left_out(checked: Checked, agreement_id: str) -> frozenset[str]:
    """The clauses of the agreement's template that its `when` conditions leave out.

    A condition that needs a value a draft has not set shows its clause, as the
    draft's document does; an agreement whose values have problems leaves
    nothing out (check reports it).
    """
    agreement = checked.lib.agreements[agreement_id]
    template = checked.lib.templates.get(agreement.template_id)
    values, _ = checked.agreement(agreement)
    if template is None or values is None:
        return frozenset()
    scope = checked.scope(template)

    def include(entry: Entry) -> bool:
        try:
            return not entry.when or bool(scope.evaluate(entry.when, values.context))
        except (UndefinedError, TemplateError, TypeError, ValueError, ArithmeticError):
            return True  # the document shows it (a draft) or check reports it

    kept = {n.entry.clause for n in number_entries(template, include)}
    outline = template.outline
    return frozenset(
        e.clause for e in outline.clause_entries() if e.clause and e.clause not in kept
    ) - {e.clause for e in (*outline.preamble, outline.signature, *outline.annexes) if e}


def _render(
    checked: Checked,
    scope: TemplateScope,
    values: Values,
    title: str,
    extra: InputRef | None,
    problems_only: bool = False,
    layout_known: bool = False,
    own: Agreement | None = None,
) -> tuple[Assembled | None, list[Problem]]:
    """The document; `own` is the agreement, whose deviations replace clause bodies."""
    deviations = own.deviations if own is not None else {}
    path = own.source.path if own is not None else ""
    if is_bilingual(scope.template):
        from clausekit.assemble.bilingual import render_bilingual  # only where needed

        return render_bilingual(checked, scope, values, title, extra, deviations, path)
    return render(
        checked,
        scope,
        values,
        title,
        extra,
        problems_only,
        layout_known=layout_known,
        deviations=deviations,
        agreement_path=path,
    )


def _rendered(assembled: Assembled | None, problems: list[Problem]) -> Assembled:
    if assembled is None:
        raise ProblemsFound(problems)
    return assembled

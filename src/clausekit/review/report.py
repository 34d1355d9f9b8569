"""The review report of `clausekit diff`: what a pull request changes, for lawyers.

For every changed clause and template: its version change, the changelog note,
what changed in its variables and a word-level diff of its text; then every
template that uses a changed clause and every agreement of those templates,
each with whether its document text actually changes (a clause left out by
`when`, or a lock, keeps a document unchanged).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from clausekit.check import Checked
from clausekit.check.schedule import Due, agreement_dates, moved
from clausekit.errors import ClausekitError, ProblemsFound
from clausekit.load.model import Clause, Library, Template
from clausekit.review.locks import assemble_locked, lock_path
from clausekit.review.textdiff import Piece, align_lines, inline_diff
from clausekit.review.translations import Behind, left_behind
from clausekit.review.versions import clause_change, template_change, variable_changes


@dataclass
class Line:
    """One line of a diff: `pieces` of a changed line, or a whole line kept/deleted/added."""

    op: str  # "equal" | "delete" | "insert" | "change" | "gap" (unchanged lines left out)
    pieces: list[Piece]


@dataclass
class FileChange:
    kind: str  # "clause" | "template"
    id: str
    path: str
    change: str  # "added" | "removed" | "modified"
    title: str
    base_version: str | None
    head_version: str | None
    note: str | None  # the changelog note of the head version
    level: str | None  # the bump the content change needs: patch | minor | major
    details: list[str]  # variable changes, in words
    diff: list[Line]


@dataclass
class Affected:
    id: str
    title: str
    why: list[str]  # changed clause ids, or "template changed" / "agreement changed"
    template: str | None = None
    status: str | None = None
    locked: bool = False
    document: str | None = None  # changed | unchanged | new | removed | "not assembled: …"


@dataclass
class MovedDate:
    """A key date a change moves: ISO dates, None where it does not apply (before it was
    added, after it was removed or left out by its `when`)."""

    agreement: str
    name: str
    base: str | None
    head: str | None


@dataclass
class DeviationChange:
    """An agreement's own wording of a clause added, changed or dropped: its diff is
    against the standard clause text (the head's), which is what a reviewer weighs."""

    agreement: str
    clause: str
    change: str  # "added" | "modified" | "removed"
    label: str | None
    approved_by: str | None
    from_version: str | None
    diff: list[Line]


@dataclass
class Review:
    base: str
    head: str
    clauses: list[FileChange] = field(default_factory=list)
    templates: list[FileChange] = field(default_factory=list)
    affected_templates: list[Affected] = field(default_factory=list)
    affected_agreements: list[Affected] = field(default_factory=list)
    translations_behind: list[Behind] = field(default_factory=list)
    key_dates_moved: list[MovedDate] = field(default_factory=list)
    deviations: list[DeviationChange] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


CONTEXT = 1  # unchanged lines shown around a change


def review(base: Library, head: Library, base_label: str, head_label: str) -> Review:
    result = Review(base_label, head_label)
    for cid in sorted(set(base.clauses) | set(head.clauses)):
        fc = _file_change("clause", base.clauses.get(cid), head.clauses.get(cid))
        if fc:
            result.clauses.append(fc)
    for tid in sorted(set(base.templates) | set(head.templates)):
        fc = _file_change("template", base.templates.get(tid), head.templates.get(tid))
        if fc:
            result.templates.append(fc)
    changed_clauses = {c.id for c in result.clauses}
    changed_templates = {t.id for t in result.templates}
    why_template: dict[str, list[str]] = {}
    for lib in (base, head):
        for tid, template in lib.templates.items():
            used = {e.clause for e in template.outline.clause_entries() if e.clause}
            reasons = why_template.setdefault(tid, [])
            reasons += sorted((used & changed_clauses) - set(reasons))
    for tid in sorted(why_template):
        reasons = sorted(why_template[tid])
        if tid in changed_templates:
            reasons.insert(0, "template changed")
        if reasons:
            t = head.templates.get(tid) or base.templates[tid]
            result.affected_templates.append(Affected(tid, t.title, reasons))
    result.translations_behind = left_behind(base, head)
    affected = {a.id: a.why for a in result.affected_templates}
    pair = (Checked(base), Checked(head))
    for aid in sorted(set(base.agreements) | set(head.agreements)):
        result.affected_agreements += _agreement(pair, aid, affected)
    result.key_dates_moved = _moved_dates(pair, [a.id for a in result.affected_agreements])
    result.deviations = deviation_changes(base, head)
    return result


def deviation_changes(base: Library, head: Library) -> list[DeviationChange]:
    """Each deviation that differs between base and head, redlined against the standard."""
    out: list[DeviationChange] = []
    for aid in sorted(set(base.agreements) | set(head.agreements)):
        old_agreement, new_agreement = base.agreements.get(aid), head.agreements.get(aid)
        old = old_agreement.deviations if old_agreement is not None else {}
        new = new_agreement.deviations if new_agreement is not None else {}
        for cid in sorted(set(old) | set(new)):
            before, after = old.get(cid), new.get(cid)
            if (
                before is not None
                and after is not None
                and (
                    (before.text, before.label, before.approved_by)
                    == (after.text, after.label, after.approved_by)
                )
            ):
                continue
            current = after or before
            assert current is not None
            standard = head.clauses.get(cid) or base.clauses.get(cid)
            text = standard.body if standard is not None else ""
            change = "added" if before is None else "removed" if after is None else "modified"
            shown = after.text if after is not None else text
            out.append(
                DeviationChange(
                    aid,
                    cid,
                    change,
                    current.label,
                    current.approved_by,
                    current.from_version,
                    _diff(text.splitlines(), shown.splitlines()),
                )
            )
    return out


def _moved_dates(pair: tuple[Checked, Checked], aids: list[str]) -> list[MovedDate]:
    """The key dates of the affected agreements that differ between base and head (an
    agreement that does not compute on one side is left to `check`)."""
    sides: list[list[Due]] = [[], []]
    for side, checked in zip(sides, pair, strict=True):
        for aid in aids:
            agreement = checked.lib.agreements.get(aid)
            if agreement is not None:
                dues, problems = agreement_dates(checked, agreement)
                side += [] if problems else dues
    return [
        MovedDate(aid, name, _iso(old), _iso(new))
        for aid, name, old, new in moved(sides[0], sides[1])
    ]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _agreement(
    pair: tuple[Checked, Checked], aid: str, affected: dict[str, list[str]]
) -> list[Affected]:
    base, head = pair[0].lib, pair[1].lib
    old, new = base.agreements.get(aid), head.agreements.get(aid)
    current = new or old
    assert current is not None
    why = list(affected.get(current.template_id, []))
    if old is None or new is None or old.source.text != new.source.text:
        why.insert(0, "agreement changed")
    elif old.template_id != new.template_id:
        why.insert(0, "template switched")
    if not why:
        return []
    item = Affected(aid, str(current.data.get("title") or current.template_id), why)
    item.template, item.status = current.template_id, current.status
    item.locked = new is not None and lock_path(head.root, aid).is_file()
    if new is None:
        item.document = "removed"
        return [item]
    old_md = _markdown(pair[0], aid) if old is not None else None
    new_md = _markdown(pair[1], aid)
    if old is None:
        item.document = "new"
    elif new_md.startswith("not assembled") or (old_md or "").startswith("not assembled"):
        item.document = new_md if new_md.startswith("not assembled") else f"{old_md} (at base)"
    else:
        item.document = "unchanged" if old_md == new_md else "changed"
    return [item]


def _markdown(checked: Checked, aid: str) -> str:
    try:
        return assemble_locked(checked, aid).markdown
    except ProblemsFound as exc:
        n = len(exc.problems)
        return f"not assembled: {n} problem{'s' if n != 1 else ''} (see clausekit check)"
    except ClausekitError as exc:  # a broken lock: the report says so, check fails on it
        return f"not assembled: {exc}"


def _file_change(
    kind: str, old: Clause | Template | None, new: Clause | Template | None
) -> FileChange | None:
    if old is not None and new is not None and old.source.text == new.source.text:
        return None
    current = new or old
    assert current is not None
    change = "added" if old is None else "removed" if new is None else "modified"
    details: list[str] = []
    level = None
    if old is not None and new is not None:
        c = (
            clause_change(old, new)
            if isinstance(old, Clause) and isinstance(new, Clause)
            else template_change(old, new)  # type: ignore[arg-type]
        )
        level = c.level if c else None
        details = [ch.reason for ch in variable_changes(old.variables, new.variables)]
    return FileChange(
        kind=kind,
        id=current.id,
        path=current.source.path,
        change=change,
        title=current.title,
        base_version=old.version if old else None,
        head_version=new.version if new else None,
        note=_note(new) if new else None,
        level=level,
        details=details,
        diff=_diff(_text(old), _text(new)),
    )


def _text(item: Clause | Template | None) -> list[str]:
    if item is None:
        return []
    # A clause's text is its body (its front matter is summarised above the diff); a
    # template is all YAML.
    return (item.body if isinstance(item, Clause) else item.source.text).splitlines()


def _note(item: Clause | Template) -> str | None:
    log = item.data.get("changelog")
    for entry in log if isinstance(log, list) else []:
        if isinstance(entry, dict) and str(entry.get("version")) == item.version:
            return str(entry.get("note", ""))
    return None


def _diff(old: list[str], new: list[str]) -> list[Line]:
    ops = align_lines(old, new)
    changed = [i for i, op in enumerate(ops) if op.op != "equal"]
    keep = {j for i in changed for j in range(i - CONTEXT, i + CONTEXT + 1)}
    lines: list[Line] = []
    for i, op in enumerate(ops):
        if i not in keep:
            if lines and lines[-1].op != "gap":
                lines.append(Line("gap", []))
            continue
        if op.op == "change":
            lines.append(Line("change", inline_diff(op.old or "", op.new or "")))
        elif op.op == "delete":
            lines.append(Line("delete", [Piece("delete", op.old or "")]))
        elif op.op == "insert":
            lines.append(Line("insert", [Piece("insert", op.new or "")]))
        else:
            lines.append(Line("equal", [Piece("equal", op.new or "")]))
    if lines and lines[-1].op == "gap":
        lines.pop()
    return lines

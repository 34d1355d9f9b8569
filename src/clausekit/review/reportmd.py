"""The review report as GitHub-flavoured Markdown, for a pull-request comment.

Diffs are `<pre>` blocks with `<del>`/`<ins>`: GitHub renders both inside `<pre>`,
and raw HTML there is not read as Markdown, so a clause's own `#`, `*` or `|`
show literally instead of turning the comment into a mess.
"""

from __future__ import annotations

import html

from clausekit.review.report import Affected, DeviationChange, FileChange, Line, Review

# GitHub refuses comments over 65,536 characters; leave room for the closing note.
MAX_CHARS = 60_000


def to_markdown(r: Review) -> str:
    out = [f"## clausekit review: `{r.base}` → `{r.head}`", "", _summary(r), ""]
    if r.clauses:
        out += ["### Clauses", ""]
        for fc in r.clauses:
            out += _file(fc)
    if r.templates:
        out += ["### Templates", ""]
        for fc in r.templates:
            out += _file(fc)
    if r.affected_templates:
        out += ["### Templates affected", "", "| Template | Title | Why |", "|---|---|---|"]
        out += [
            f"| `{a.id}` | {_cell(a.title)} | {', '.join(_why(w) for w in a.why)} |"
            for a in r.affected_templates
        ]
        out.append("")
    if r.affected_agreements:
        out += [
            "### Agreements affected",
            "",
            "| Agreement | Status | Template | Document | Why |",
            "|---|---|---|---|---|",
        ]
        out += [_agreement_row(a) for a in r.affected_agreements]
        out.append("")
    if r.key_dates_moved:
        out += ["### Key dates moved", "", "| Agreement | Key date | Change |", "|---|---|---|"]
        out += [
            f"| `{m.agreement}` | {_cell(m.name)} | {m.base or '(none)'} → {m.head or '(none)'} |"
            for m in r.key_dates_moved
        ]
        out.append("")
    if r.translations_behind:
        out += [
            "### Translations left behind",
            "",
            "| Translation | Language | Translates | Names | Source is at |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| `{b.id}` | {b.lang} | `{b.source}` | {b.translated} | {b.current} |"
            for b in r.translations_behind
        ]
        out.append("")
    if r.deviations:
        out += ["### Deviations", ""]
        for d in r.deviations:
            out += _deviation(d)
    if not (r.clauses or r.templates or r.affected_agreements):
        out += ["No clause, template or agreement changed.", ""]
    text = "\n".join(out)
    if len(text) > MAX_CHARS:
        cut = text.rfind("\n", 0, MAX_CHARS)
        text = text[:cut] + (
            "\n\n*The report was cut to fit a comment: run `clausekit diff` for all of it.*\n"
        )
    return text


def _summary(r: Review) -> str:
    def n(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}"

    changed = sum(a.document == "changed" for a in r.affected_agreements)
    return (
        f"**{n(len(r.clauses), 'clause')} and {n(len(r.templates), 'template')} changed**"
        f" · {n(len(r.affected_templates), 'template')} and "
        f"{n(len(r.affected_agreements), 'agreement')} affected"
        f" · {changed} agreement text{'' if changed == 1 else 's'} change"
        + (f" · {n(len(r.deviations), 'deviation')} changed" if r.deviations else "")
    )


def _file(fc: FileChange) -> list[str]:
    if fc.change == "modified":
        same = fc.base_version == fc.head_version
        version = (
            f"{fc.head_version} (unchanged)" if same else f"{fc.base_version} → {fc.head_version}"
        )
    else:
        version = fc.head_version or fc.base_version or "?"
    out = [f"#### `{fc.id}` — {_inline(fc.title)} · {version}", ""]
    facts = [f"`{fc.path}`", fc.change]
    if fc.level:
        facts.append(f"{fc.level}-level change")
    out += [" · ".join(facts), ""]
    if fc.note:
        out += [f"> changelog {fc.head_version}: {_inline(fc.note)}", ""]
    out += [f"- {_inline(d)}" for d in fc.details]
    if fc.details:
        out.append("")
    if fc.diff:
        out += ["<pre>", *(_line(line) for line in fc.diff), "</pre>", ""]
    return out


def _deviation(d: DeviationChange) -> list[str]:
    facts = [d.change, f"label: {d.label or '(none)'}"]
    if d.approved_by:
        facts.append(f"approved by {_inline(d.approved_by)}")
    if d.from_version:
        facts.append(f"from version {d.from_version}")
    out = [f"#### `{d.agreement}` · `{d.clause}`", "", " · ".join(facts), ""]
    if d.change == "removed":
        return [*out, "The agreement uses the standard text again.", ""]
    if d.diff:
        out += ["Against the standard clause:", "", "<pre>", *(_line(x) for x in d.diff)]
        out += ["</pre>", ""]
    return out


def _line(line: Line) -> str:
    if line.op == "gap":
        return "…"
    parts = []
    for piece in line.pieces:
        text = html.escape(piece.text, quote=False)
        if piece.op == "delete":
            parts.append(f"<del>{text}</del>")
        elif piece.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        else:
            parts.append(text)
    return "".join(parts)


def _agreement_row(a: Affected) -> str:
    status = f"{a.status} 🔒" if a.locked else str(a.status)
    why = ", ".join(_why(w) for w in a.why)
    return f"| `{a.id}` | {status} | `{a.template}` | {_cell(a.document or '')} | {why} |"


def _why(reason: str) -> str:
    return reason if " " in reason else f"`{reason}`"


def _inline(text: str) -> str:
    # Text in a Markdown line: escape what GitHub would read as markup or HTML.
    return html.escape(text, quote=False).replace("*", "\\*").replace("_", "\\_")


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")

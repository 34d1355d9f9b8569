"""Rendering one document: clause bodies in the sandbox, numbered, refs resolved.

`ref()` prints a placeholder while rendering and is resolved once every
number is known, so a reference may point forwards.  Headings carry a marker
too, so that one pass makes both texts of the document: the Markdown with
typed numbers (`# 一、标题`, `Section 5.2`) and the Word text, where a numbered
heading holds its title and a bookmark name, and a reference says which
bookmark its number comes from (`clausekit.render.wordnative` turns them into
Word's list numbering and REF fields).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache, cached_property

from jinja2 import TemplateError, UndefinedError
from jinja2.exceptions import SecurityError

from clausekit.assemble.model import Assembled, InputRef, NumberedHeading
from clausekit.assemble.numbering import (
    MAX_LEVEL,
    heading_prefix,
    reference,
    word_reference,
)
from clausekit.assemble.outline import Counters, Numbered, number_entries
from clausekit.check import Checked, TemplateScope, Values
from clausekit.errors import Problem
from clausekit.language.headings import ANCHOR, find_headings, heading_text
from clausekit.language.marks import (
    HEADING_CLOSE,
    HEADING_OPEN,
    REF_CLOSE,
    REF_OPEN,
    XREF_CLOSE,
    XREF_OPEN,
)
from clausekit.language.sandbox import CHOICES, MarkdownSafe, md_escape
from clausekit.load.model import Clause, Deviation, Template
from clausekit.load.outline import Entry

PLACEHOLDER = re.compile(f"{REF_OPEN}(\\d+){REF_CLOSE}")
HEADING_MARK = re.compile(f"^(#+) {HEADING_OPEN}(\\d+){HEADING_CLOSE}(.*)$", re.M)
REF_MARK = re.compile(f"{XREF_OPEN}(\\d+){XREF_CLOSE}")


class _Doc:
    """Assembly state: the numbers of clauses and anchors, pending refs, output.  (A
    plain class: a dataclass costs every command a millisecond, `load.model` says why.)"""

    def __init__(
        self,
        checked: Checked,
        scope: TemplateScope,
        values: Values,
        tag: str = "",  # in each Word bookmark's name: the language of a bilingual text
        deviations: Mapping[str, Deviation] | None = None,  # the agreement's own wordings
        agreement_path: str = "",  # the agreement file, where a deviation's problems are
    ) -> None:
        self.checked = checked
        self.scope = scope
        self.values = values
        self.tag = tag
        self.deviations: Mapping[str, Deviation] = deviations or {}
        self.agreement_path = agreement_path
        self.numbers: dict[str, tuple[int, ...]] = {}
        self.headings: list[NumberedHeading] = []
        self.refs: list[tuple[str, Clause]] = []
        self.blocks: list[str] = []
        self.starts: list[tuple[int, str]] = []  # (block index, section kind)
        self.used: dict[str, Clause] = {}
        self.problems: list[Problem] = []

    @cached_property
    def choices(self) -> dict[str, tuple[str, ...]]:
        return self.scope.choices if self.values.lenient else {}

    @property
    def style(self) -> str:
        return self.scope.template.numbering

    def clause(self, entry: Entry) -> Clause:
        clause = self.checked.lib.clauses[entry.clause or ""]
        self.used.setdefault(clause.id, clause)
        return clause

    def wording(self, clause: Clause) -> Clause:
        """The clause with the body this document prints: the agreement's deviation
        (read from the agreement file, so problems point into it) or its own."""
        found = self.deviations.get(clause.id)
        if found is None:
            return clause
        path = self.agreement_path or clause.source.path
        source = clause.source._replace(path=path)
        return clause._replace(source=source, body=found.text, body_line=found.text_line)

    def heading(self, number: tuple[int, ...], title: str, target: str | None) -> str:
        self.headings.append(NumberedHeading(number, title, target))
        if target is not None:
            self.numbers[target] = number
        return f"{'#' * len(number)} {HEADING_OPEN}{len(self.headings) - 1}{HEADING_CLOSE}{title}"

    def markdown(self, text: str, refs: list[tuple[int, ...]]) -> str:
        """The text with typed heading numbers and references."""
        text = REF_MARK.sub(lambda m: reference(self.style, refs[int(m.group(1))]), text)
        return HEADING_MARK.sub(
            lambda m: (
                f"{m.group(1)} "
                f"{heading_prefix(self.style, self.headings[int(m.group(2))].number)}{m.group(3)}"
            ),
            text,
        )

    def word(self, text: str, refs: list[tuple[int, ...]]) -> str:
        """The Word text: titles only, numbers and references tied to bookmarks."""
        index = {h.number: i for i, h in enumerate(self.headings)}

        def ref(m: re.Match[str]) -> str:
            number = refs[int(m.group(1))]
            shown = reference(self.style, number)
            parts = word_reference(self.style, number)
            attrs = f"ck-bm={bookmark(index[number], self.tag)}"
            if parts is not None:
                pre, field = parts
                attrs += f' ck-pre="{pre}" ck-field="{field}"'
            return f"[{shown}]{{.ck-ref {attrs}}}"

        text = REF_MARK.sub(ref, text)
        return HEADING_MARK.sub(
            lambda m: (
                f"{m.group(1)} {m.group(3)} {{.ck-num ck-bm={bookmark(int(m.group(2)), self.tag)}}}"
            ),
            text,
        )


def bookmark(index: int, tag: str = "") -> str:
    """The Word bookmark of the index-th numbered heading: hidden (`_`), at most 40
    characters, and not Pandoc's own (that one spans the whole section).  `tag` names
    the language of a bilingual document's text (`ZhCN`, `En`): each text has its own."""
    return f"_RefCk{tag}{index + 1}"


def render(
    checked: Checked,
    scope: TemplateScope,
    values: Values,
    title: str,
    extra: InputRef | None,
    problems_only: bool = False,
    tag: str = "",
    layout_known: bool = False,
    deviations: Mapping[str, Deviation] | None = None,
    agreement_path: str = "",
) -> tuple[Assembled | None, list[Problem]]:
    """The document, or None and the problems that kept it from being assembled.

    With `problems_only` (what `check` asks), a clean document is not written out:
    None and no problems; with `layout_known` too, the problems of a fixed layout
    are left to the blank form (`_value_problems`).  `tag` goes into the Word
    bookmarks' names (`bookmark`).  `deviations` replace the bodies of their
    clauses; their problems are reported on `agreement_path`.
    """
    template = scope.template
    doc = _Doc(
        checked, scope, values, tag=tag, deviations=deviations or {}, agreement_path=agreement_path
    )
    if problems_only and layout_known and not doc.deviations and _fixed_layout(checked, template):
        return None, _value_problems(doc)
    plan = template.outline
    doc.starts.append((0, "preamble"))
    for entry in plan.preamble:
        doc.blocks.append(_body(doc, doc.clause(entry), None))
    for numbered in number_entries(template, lambda e: _included(doc, e)):
        if numbered.level == 1:
            doc.starts.append((len(doc.blocks), "article"))
        _entry(doc, numbered)
    doc.starts.append((len(doc.blocks), "signature"))
    if plan.signature:
        doc.blocks.append(_body(doc, doc.clause(plan.signature), None))
    if plan.annexes:
        doc.starts.append((len(doc.blocks), "annex"))
    for entry in plan.annexes:
        doc.blocks.append(_body(doc, doc.clause(entry), None))
    resolved: list[tuple[int, ...]] = []
    sections = _sections(doc, resolved)
    if doc.problems or problems_only:
        return None, doc.problems
    quoted = json.dumps(md_escape(title), ensure_ascii=False)  # JSON text is valid YAML
    meta = f"---\ntitle: {quoted}\nlang: {template.lang}\n---\n"
    # Both texts are made per section (the markers never cross a cut) and joined.
    md_parts = tuple((kind, doc.markdown(part, resolved)) for kind, part in sections)
    word_parts = tuple((kind, doc.word(part, resolved)) for kind, part in sections)
    markdown = meta + "\n" + joined(md_parts) + "\n"
    src = template.source
    inputs = [InputRef("template", template.id, src.path, template.version, src.sha256)]
    inputs += [
        InputRef("clause", c.id, c.source.path, c.version, c.source.sha256)
        for c in doc.used.values()
    ]
    if extra:
        inputs.append(extra)
    assembled = Assembled(
        markdown,
        title,
        template.lang,
        tuple(inputs),
        template.numbering,
        tuple(doc.headings),
        meta + "\n" + joined(word_parts) + "\n",
        sections=md_parts,
        word_sections=word_parts,
        signature_borders=template.signature_borders,
        first_line_indent=template.first_line_indent,
    )
    return assembled, []


def joined(sections: tuple[tuple[str, str], ...]) -> str:
    """The non-empty sections of a text, one after the other."""
    return "\n\n".join(s for _, s in sections if s)


def _fixed_layout(checked: Checked, template: Template) -> bool:
    """Whether every document of the template has the same headings, numbers and
    references: no `when`, and no `{% %}` (which may add or drop lines) in a body."""
    if any(template.outline.conditional()):
        return False
    for entry in template.outline.clause_entries():
        clause = checked.lib.clauses.get(entry.clause or "")
        if clause is None or "{%" in clause.body:
            return False
    return True


def _value_problems(doc: _Doc) -> list[Problem]:
    """What rendering an agreement of a fixed layout finds: only what its values do
    (a filter that cannot print a value, a value a final agreement lacks).  Its
    headings, numbers and references are the blank form's, whose problems `check`
    reports on their clause files already."""
    for entry in doc.scope.template.outline.clause_entries():
        _body(doc, doc.clause(entry), None)
    return doc.problems


def _sections(doc: _Doc, resolved: list[tuple[int, ...]]) -> tuple[tuple[str, str], ...]:
    """The blocks joined per section, refs resolved (each ref is resolved once)."""
    ends = [start for start, _ in doc.starts[1:]] + [len(doc.blocks)]
    out = []
    for (start, kind), end in zip(doc.starts, ends, strict=True):
        text = "\n\n".join(b.strip("\n") for b in doc.blocks[start:end] if b.strip())
        out.append(
            (kind, PLACEHOLDER.sub(lambda m: _resolve(doc, int(m.group(1)), resolved), text))
        )
    return tuple(out)


def _included(doc: _Doc, entry: Entry) -> bool:
    if not entry.when:
        return True
    try:
        return bool(doc.scope.evaluate(entry.when, doc.values.context))
    except UndefinedError:
        if doc.values.lenient:  # a draft or blank form lacks the deciding value: show it
            return True
        template = doc.scope.template
        doc.problems.append(
            Problem.at(
                template.source.path,
                template.doc.pos(entry.path),
                "when",
                "when needs a value that is not set",
            )
        )
        return False


def _entry(doc: _Doc, numbered: Numbered) -> None:
    entry = numbered.entry
    if entry.heading is not None:
        doc.blocks.append(doc.heading(numbered.number, md_escape(entry.heading), None))
        return
    clause = doc.clause(entry)
    doc.blocks.append(doc.heading(numbered.number, md_escape(clause.title), clause.id))
    doc.blocks.append(_body(doc, clause, numbered.number))


def _body(doc: _Doc, clause: Clause, number: tuple[int, ...] | None) -> str:
    """Render a clause body; number its headings below `number` (None: unnumbered)."""
    clause = doc.wording(clause)

    def ref(target: str) -> MarkdownSafe:
        doc.refs.append((str(target), clause))
        return MarkdownSafe(f"{REF_OPEN}{len(doc.refs) - 1}{REF_CLOSE}")

    try:
        tpl = doc.checked.compiled_body(clause, doc.scope.template.lang, doc.values.lenient)
        token = CHOICES.set(doc.choices)
        try:
            text = tpl.render({**doc.values.context, "ref": ref})
        finally:
            CHOICES.reset(token)
    except TemplateError as exc:
        doc.problems.append(_render_problem(clause, exc, plain_message(exc)))
        return ""
    except (TypeError, ValueError, ArithmeticError) as exc:
        doc.problems.append(_render_problem(clause, exc, str(exc)))
        return ""
    return text if number is None else _number_headings(doc, clause, text, number)


@cache
def _undefined() -> re.Pattern[str]:
    """The name in Jinja's message for a missing value (compiled on a render error)."""
    return re.compile(r"(?:has no attribute|^)\s*'([^']+)'(?: is undefined)?$")


def plain_message(exc: TemplateError) -> str:
    """Jinja's error in a lawyer's words: no exception names, no `dict object`."""
    text = str(exc.message or exc)
    if isinstance(exc, UndefinedError):
        m = _undefined().search(text)
        return f"{m.group(1)!r} is not set" if m else "a value it needs is not set"
    if isinstance(exc, SecurityError):
        return f"not allowed in clauses: {text}"
    if "no loader" in text:
        return "include, import and extends are not allowed in clauses"
    return text


def _render_problem(clause: Clause, exc: BaseException, message: str) -> Problem:
    lineno = getattr(exc, "lineno", None)
    if not isinstance(lineno, int):
        import traceback  # an error's path only

        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename == clause.source.path
        ]
        lineno = (frames[-1].lineno or 1) if frames else 1
    return Problem(clause.source.path, clause.body_line + lineno - 1, 1, "render", message)


def _number_headings(doc: _Doc, clause: Clause, text: str, number: tuple[int, ...]) -> str:
    lines = text.split("\n")
    found = doc.checked.source_headings(clause)
    if found is None or text.count("\n") != clause.body.count("\n"):
        found = find_headings(text)
    counters = Counters(number)
    edits: list[tuple[int, int, str]] = []
    for start, end, depth_in_body in found:
        depth = len(number) + depth_in_body
        content = heading_text(lines, start, end)
        if depth > MAX_LEVEL:
            doc.problems.append(
                Problem(
                    clause.source.path,
                    clause.body_line + start,
                    1,
                    "heading-depth",
                    f"heading {content!r} would be level {depth}; "
                    f"documents have {MAX_LEVEL} levels",
                )
            )
            continue
        anchor = ANCHOR.search(content)
        target = f"{clause.id}#{anchor.group(1)}" if anchor else None
        title = content[: anchor.start()] if anchor else content
        edits.append((start, end, doc.heading(counters.next(depth), title, target)))
    for start, end, line in reversed(edits):
        lines[start:end] = [line]
    return "\n".join(lines)


def _resolve(doc: _Doc, index: int, resolved: list[tuple[int, ...]]) -> str:
    """A marker for the reference's number (see `_Doc.markdown` and `_Doc.word`)."""
    target, clause = doc.refs[index]
    number = doc.numbers.get(target)
    if number is not None:
        resolved.append(number)
        return f"{XREF_OPEN}{len(resolved) - 1}{XREF_CLOSE}"
    line = next((i for i, t in enumerate(clause.body.split("\n")) if target in t), 0)
    doc.problems.append(
        Problem(
            clause.source.path,
            clause.body_line + line,
            1,
            "ref",
            f"ref({target!r}): not in this document (template {doc.scope.template.id})",
        )
    )
    return "?"

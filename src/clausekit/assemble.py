"""Stage 3, assemble: an agreement (or a blank form) as numbered Markdown.

Clause bodies are rendered in the sandbox; then their headings are found
with markdown-it (so a `#` in a code span or a list is not a heading),
shifted under the clause's own level and numbered by the template's style.
`ref()` prints a placeholder while rendering and is resolved once every
number is known, so a reference may point forwards.
"""

from __future__ import annotations

import json
import re
import traceback
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError, UndefinedError
from markdown_it import MarkdownIt

from .compose import Entry, outline
from .errors import Problem, ProblemsFound
from .model import Clause, Library, Template
from .numbering import MAX_LEVEL, heading_prefix, reference
from .sandbox import MarkdownSafe, environment, md_escape
from .values import Values, agreement_values, blank_values, evaluate

ANCHOR = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class InputRef:
    kind: str  # "template" | "clause" | "agreement"
    id: str
    path: str
    version: str | None
    sha256: str


@dataclass(frozen=True)
class Assembled:
    markdown: str
    title: str
    lang: str
    inputs: tuple[InputRef, ...]


@cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


@dataclass
class _Doc:
    """Assembly state: counters, the numbers of clauses/anchors, pending refs."""

    lib: Library
    template: Template
    values: Values
    style: str
    counters: list[int] = field(default_factory=lambda: [0] * MAX_LEVEL)
    numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    refs: list[tuple[str, Clause]] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    used: list[Clause] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def next_number(self, level: int) -> tuple[int, ...]:
        self.counters[level - 1] += 1
        for i in range(level, MAX_LEVEL):
            self.counters[i] = 0
        return tuple(self.counters[:level])


def assemble_agreement(lib: Library, agreement_id: str, locked: bool = True) -> Assembled:
    """The agreement as Markdown; `ProblemsFound` if it or its template has problems.

    An agreement with a lock (`agreements/<id>.lock.json`) is assembled from its
    locked template and clause versions unless `locked` is False.
    """
    from .validate import scope_problems

    if locked:
        from .review.locks import locked_view

        lib = locked_view(lib, agreement_id)
    agreement = lib.agreements[agreement_id]
    found = scope_problems(lib, agreement)
    values, more = agreement_values(lib, agreement)
    found += more
    if found or values is None:
        raise ProblemsFound(found)
    template = lib.templates[agreement.template_id]
    title = str(agreement.data.get("title") or template.title)
    extra = InputRef(
        "agreement", agreement.id, agreement.source.path, None, agreement.source.sha256
    )
    return render(lib, template, values, title, extra)


def assemble_blank(lib: Library, template_id: str) -> Assembled:
    """The fillable form: every variable printed as a blank."""
    from .validate import template_scope_problems

    template = lib.templates[template_id]
    found = template_scope_problems(lib, template)
    if found:
        raise ProblemsFound(found)
    return render(lib, template, blank_values(template), template.title, None)


def render(
    lib: Library, template: Template, values: Values, title: str, extra: InputRef | None
) -> Assembled:
    doc = _Doc(lib, template, values, template.numbering)
    plan = outline(template)
    for entry in plan.preamble:
        doc.blocks.append(_body(doc, _clause(doc, entry), None))
    _entries(doc, plan.body, 1)
    if plan.signature:
        doc.blocks.append(_body(doc, _clause(doc, plan.signature), None))
    text = "\n\n".join(b.strip("\n") for b in doc.blocks if b.strip())
    text = PLACEHOLDER.sub(lambda m: _resolve(doc, int(m.group(1))), text)
    if doc.problems:
        raise ProblemsFound(doc.problems)
    quoted = json.dumps(md_escape(title), ensure_ascii=False)  # JSON text is valid YAML
    meta = f"---\ntitle: {quoted}\nlang: {template.lang}\n---\n"
    inputs = [
        InputRef(
            "template", template.id, template.source.path, template.version, template.source.sha256
        )
    ]
    inputs += [
        InputRef("clause", c.id, c.source.path, c.version, c.source.sha256)
        for c in {c.id: c for c in doc.used}.values()
    ]
    if extra:
        inputs.append(extra)
    return Assembled(meta + "\n" + text + "\n", title, template.lang, tuple(inputs))


def _included(doc: _Doc, entry: Entry) -> bool:
    if not entry.when:
        return True
    try:
        return bool(evaluate(entry.when, doc.values.context, False))
    except UndefinedError:
        # A draft or blank form lacks the value that decides: show the clause.
        return doc.values.lenient or _fail(doc, entry, "when needs a value that is not set")


def _fail(doc: _Doc, entry: Entry, message: str) -> bool:
    pos = doc.template.doc.pos(entry.path)
    doc.problems.append(Problem(doc.template.source.path, pos.line, pos.col, "when", message))
    return False


def _entries(doc: _Doc, entries: tuple[Entry, ...], level: int) -> None:
    for entry in entries:
        if not _included(doc, entry):
            continue
        number = doc.next_number(level)
        prefix = heading_prefix(doc.style, number)
        if entry.heading is not None:
            doc.blocks.append(f"{'#' * level} {prefix}{md_escape(entry.heading)}")
            _entries(doc, entry.children, level + 1)
            continue
        clause = _clause(doc, entry)
        doc.numbers[clause.id] = number
        doc.blocks.append(f"{'#' * level} {prefix}{md_escape(clause.title)}")
        doc.blocks.append(_body(doc, clause, level))


def _clause(doc: _Doc, entry: Entry) -> Clause:
    clause = doc.lib.clauses[entry.clause or ""]
    doc.used.append(clause)
    return clause


@cache
def _compiled(clause_path: str, body: str, lang: str, lenient: bool) -> JinjaTemplate:
    env = environment(lang, lenient)
    code = env.compile(body, name=clause_path, filename=clause_path)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _body(doc: _Doc, clause: Clause, level: int | None) -> str:
    """Render a clause body; number its headings under `level` (None: unnumbered)."""
    lang = doc.template.lang

    def ref(target: str) -> MarkdownSafe:
        doc.refs.append((str(target), clause))
        return MarkdownSafe(f"\ue000{len(doc.refs) - 1}\ue001")

    try:
        tpl = _compiled(clause.source.path, clause.body, lang, doc.values.lenient)
        text = tpl.render({**doc.values.context, "ref": ref})
    except TemplateError as exc:
        line = _template_line(exc, clause.source.path)
        doc.problems.append(
            Problem(
                clause.source.path,
                clause.body_line + line - 1,
                1,
                "render",
                f"{type(exc).__name__}: {exc.message or exc}",
            )
        )
        return ""
    except (TypeError, ValueError, ArithmeticError) as exc:
        line = _template_line(exc, clause.source.path)
        doc.problems.append(
            Problem(clause.source.path, clause.body_line + line - 1, 1, "render", str(exc))
        )
        return ""
    return text if level is None else _number_headings(doc, clause, text, level)


def _template_line(exc: BaseException, filename: str) -> int:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return frames[-1].lineno or 1 if frames else 1


Heading = tuple[int, int, int]  # first line, line after, depth (1 = `#`)
ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")


def _headings(text: str) -> tuple[Heading, ...]:
    """Top-level headings of a Markdown text (not those in lists or code)."""
    return tuple(
        (tok.map[0], tok.map[1], int(tok.tag[1]))
        for tok in _md().parse(text)
        if tok.type == "heading_open" and tok.level == 0 and tok.map is not None
    )


@lru_cache(maxsize=8192)
def _source_headings(body: str) -> tuple[Heading, ...] | None:
    # Values are single-line and escaped, so rendering `{{ … }}` keeps every
    # heading on its line: the parse of the source serves every agreement.
    # `{% … %}` blocks can add or drop lines; those bodies are parsed after
    # rendering.
    return None if "{%" in body else _headings(body)


def _heading_text(lines: list[str], start: int, end: int) -> str:
    if ATX.match(lines[start]):
        return ATX_CLOSE.sub("", ATX.sub("", lines[start], count=1)).strip()
    return " ".join(line.strip() for line in lines[start : end - 1])  # setext


def _number_headings(doc: _Doc, clause: Clause, text: str, level: int) -> str:
    lines = text.split("\n")
    found = _source_headings(clause.body)
    if found is None or text.count("\n") != clause.body.count("\n"):
        found = _headings(text)
    edits: list[tuple[int, int, str]] = []
    for start, end, depth_in_body in found:
        depth = level + depth_in_body
        content = _heading_text(lines, start, end)
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
        number = doc.next_number(depth)
        anchor = ANCHOR.search(content)
        if anchor:
            doc.numbers[f"{clause.id}#{anchor.group(1)}"] = number
            content = content[: anchor.start()]
        edits.append((start, end, f"{'#' * depth} {heading_prefix(doc.style, number)}{content}"))
    for start, end, line in reversed(edits):
        lines[start:end] = [line]
    return "\n".join(lines)


def _resolve(doc: _Doc, index: int) -> str:
    target, clause = doc.refs[index]
    number = doc.numbers.get(target)
    if number is not None:
        return reference(doc.style, number)
    line = next((i for i, t in enumerate(clause.body.split("\n")) if target in t), 0)
    doc.problems.append(
        Problem(
            clause.source.path,
            clause.body_line + line,
            1,
            "ref",
            f"ref({target!r}): not in this document (template {doc.template.id})",
        )
    )
    return "?"


def outline_numbers(lib: Library, template: Template) -> dict[str, Any]:
    """Clause id -> printed number in a blank form (for the site's template outline)."""
    doc = _Doc(lib, template, blank_values(template), template.numbering)
    _entries(doc, outline(template).body, 1)
    return {k: reference(doc.style, v) for k, v in doc.numbers.items()}

"""Clause bodies: source text escaped for Markdown and the Jinja sandbox, with the
blanks and references found in it turned into template expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import blanks
from .model import (
    BOLD_OFF,
    BOLD_ON,
    BREAK,
    LABEL_OFF,
    LABEL_ON,
    LINK_MID,
    LINK_OFF,
    LINK_ON,
    TERM_OFF,
    TERM_ON,
    Article,
    Block,
    Review,
    Variable,
)
from .refs import REF, Targets
from .structure import box
from .text import plain

# Markdown syntax anywhere in a line (emphasis, links, HTML, code, tables, math,
# sub/superscript, citations) and at the start of one (headings, quotes, lists).
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~^$@])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LEADING = re.compile(r"^(\s*)([#>+=-])")
_LEADING_NUMBER = re.compile(r"^(\s*\d+)([.)])")
_BREAKS = re.compile(r"[ \t]*" + BREAK + r"[ \t]*")
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_LINK = re.compile(f"{LINK_ON}([^{LINK_MID}]*){LINK_MID}([^{LINK_OFF}]*){LINK_OFF}")
_LABEL = re.compile(f"{LABEL_ON}([^{LABEL_OFF}]*){LABEL_OFF}")
_TERM = re.compile(f"{TERM_ON}([^{TERM_OFF}]*){TERM_OFF}")
# Link targets a document may hold (others keep their text only).
_SAFE_TARGET = re.compile(r"^(?:https?://|mailto:)[^\s()<>\\]+$", re.I)


def escape(text: str) -> str:
    """Literal text as Markdown that renders as exactly that, and that Jinja leaves alone."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    # `{{`, `{%` and `{##` open Jinja; print their first brace through Jinja itself.
    return _JINJA_OPEN.sub("{{ '{' }}", text)


def _line_start(text: str) -> str:
    text = text.lstrip(" \t")
    text = _LEADING.sub(r"\1\\\2", text)
    return _LEADING_NUMBER.sub(r"\1\\\2", text)


@dataclass
class Inline:
    """Renders paragraph text of one clause; collects variables and review items."""

    registry: blanks.Registry
    targets: Targets
    clause: str
    lang: str
    reviews: list[Review] = field(default_factory=list)
    used: list[Variable] = field(default_factory=list)  # the blanks' variables, in order

    def render(self, text: str, line: int) -> str:
        for label in _LABEL.finditer(text):
            # A help text describes the value that follows it.
            self.registry.note = label.group(1).strip()
        text = _LABEL.sub("", text)
        matches = sorted(
            [
                *blanks.TOKEN.finditer(text),
                *REF.finditer(text),
                *_LINK.finditer(text),
                *_TERM.finditer(text),
            ],
            key=lambda m: (m.start(), -m.end()),
        )
        out: list[str] = []
        pos = 0
        for m in matches:
            if m.start() < pos:
                continue
            out.append(escape(text[pos : m.start()]))
            out.append(self._token(m, text, line))
            pos = m.end()
        out.append(escape(text[pos:]))
        body = _line_start("".join(out))
        body = body.replace(BOLD_ON, "**").replace(BOLD_OFF, "**").replace("****", "")
        return _BREAKS.sub("\\\\\n", body).strip()

    def _token(self, m: re.Match[str], text: str, line: int) -> str:
        if m.re is _TERM:
            var = self.registry.term(m.group(1), self.clause)
            if var is None:
                return escape(m.group(1))
            self.reviews.append(Review(line, f"cover-page term '{m.group(1)}' is '{var.name}'"))
            return blanks.jinja_for(var, m)
        if m.re is _LINK:
            words = escape(m.group(1))
            target = m.group(2).strip()
            if not _SAFE_TARGET.match(target):
                self.reviews.append(Review(line, f"link to '{target[:60]}' kept as text only"))
                return words
            return f"[{words}](<{target}>)"
        if m.re is REF:
            target = self.targets.resolve(m)
            if target is None:
                self.reviews.append(Review(line, self.targets.review(m)))
                return escape(m.group(0))
            if "#" in target.ref:
                self.targets.used_anchors.add(target.ref)
            return f"{{{{ ref('{target.ref}') }}}}"
        var = blanks.variable_for(self.registry, m, text, self.clause, self.lang)
        self.used.append(var)
        self.reviews.extend(Review(line, guess) for guess in self.registry.guesses)
        self.registry.guesses.clear()
        return blanks.jinja_for(var, m)


def body(article: Article, inline: Inline) -> str:
    """The Markdown body of a clause: headings, paragraphs, lists and tables in order."""
    parts: list[str] = []
    prev = ""
    blocks = article.blocks
    for i, block in enumerate(blocks):
        if block.kind == "option":
            if prev != "option":
                parts.append(_choice(_options(blocks, i), inline))
            prev = block.kind
            continue
        if block.kind == "heading" or _bold_only(block.text):
            # A heading names the blanks under it; a help text stops at the next one.
            inline.registry.section = re.sub(r"\W+$", "", block.text.strip(BOLD_ON + BOLD_OFF))
            inline.registry.note = ""
        text = inline.render(block.text, block.line) if block.kind != "table" else ""
        if block.kind == "heading":
            anchor = f"{inline.clause}#{block.anchor}"
            suffix = f" {{#{block.anchor}}}" if anchor in inline.targets.used_anchors else ""
            parts.append("#" * block.level + " " + text.replace("\\\n", " ") + suffix)
        elif block.kind in ("item", "bullet"):
            marker = f"{block.number or '1'}." if block.kind == "item" else "-"
            indent = "   " * block.level
            item = f"{indent}{marker} " + text.replace(
                "\n", "\n" + indent + " " * (len(marker) + 1)
            )
            if prev in ("item", "bullet"):
                parts[-1] += "\n" + item
            else:
                parts.append(item)
        elif block.kind == "table":
            parts.append(_table(block, inline))
        else:
            parts.append(text)
        prev = block.kind
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def _bold_only(text: str) -> bool:
    t = text.strip()
    return t.startswith(BOLD_ON) and t.endswith(BOLD_OFF) and t.count(BOLD_ON) == 1


def _options(blocks: list[Block], start: int) -> list[Block]:
    group: list[Block] = []
    for block in blocks[start:]:
        if block.kind != "option":
            break
        group.append(block)
    return group


def _choice(group: list[Block], inline: Inline) -> str:
    """A group of check boxes: one choice whose options are the boxes' texts; the ticked
    one is its default.  A blank inside an option is a value of its own, named in the
    option's text (`Expires {mnda_term_period} from …`) and printed when it is chosen."""
    reg = inline.registry
    reg.option = blanks.choice_name(reg)
    note, reg.note = reg.note, ""  # the help text describes the choice, not its blanks
    options: list[str] = []
    shown: list[str] = []  # each option as the document prints it
    inner: list[str] = []
    for b in group:
        inline.used.clear()
        shown.append(inline.render(b.text, b.line).replace("\\\n", " "))
        options.append(_option_text(plain(b.text), inline.used))
        inner += [v.path[0] for v in inline.used]
        inline.reviews += [
            Review(b.line, f"the blank in option '{plain(b.text)[:50]}' is '{v.name}'")
            for v in inline.used
        ]
    reg.option, reg.note = "", note
    ticked = next((o for o, b in zip(options, group, strict=True) if b.checked), None)
    var: Variable = blanks.choice(reg, tuple(options), ticked, inline.clause)
    inline.reviews.append(
        Review(
            group[0].line, f"check boxes became the choice '{var.name}' ({len(options)} options)"
        )
    )
    if not inner:
        return f"{{{{ {var.name} }}}}"
    # Each option prints its own blanks; not chosen yet (a draft, a blank form), every
    # option with its box, its blanks as the source wrote them.
    branches = "".join(
        f"{{% {'if' if i == 0 else 'elif'} {var.name} == {blanks.literal(o)} %}}{text}"
        for i, (o, text) in enumerate(zip(options, shown, strict=True))
    )
    boxes = " ".join(f"☐ {text}" for text in shown)
    var.printed = f"{branches}{{% else %}}{boxes}{{% endif %}}"
    var.inner = tuple(dict.fromkeys(inner))
    return var.printed


def _option_text(text: str, used: list[Variable]) -> str:
    """An option's text with each blank replaced by the name of its value in braces."""
    found = list(blanks.TOKEN.finditer(text))
    if len(found) != len(used):
        return text  # a blank was read as something else (a reference): keep the words
    out, pos = [], 0
    for m, var in zip(found, used, strict=True):
        out += [text[pos : m.start()], f"{{{var.name}}}"]
        pos = m.end()
    return "".join([*out, text[pos:]])


def _cell(text: str, label: str, line: int, inline: Inline) -> str:
    """A table cell; its lines that are check boxes are one choice named after the row."""
    lines = text.split(BREAK)
    boxed = [box(t) for t in lines]
    if sum(b is not None for b in boxed) < 2:
        return inline.render(text, line)
    out: list[str] = []
    group: list[Block] = []
    for t, b in zip([*lines, ""], [*boxed, None], strict=True):
        if b is not None:
            group.append(Block("option", b[1], line, checked=b[0]))
            continue
        if group:
            inline.registry.section = label
            out.append(_choice(group, inline))
            group = []
        if t.strip():
            out.append(inline.render(t, line))
    return " ".join(out)


def _table(block: Block, inline: Inline) -> str:
    rows: list[list[str]] = []
    for row in block.cells or []:
        # A label | value row: the label names the value's blanks.
        hint = re.sub(r"\W+$", "", row[0].strip()) if len(row) == 2 else ""
        cells = [inline.render(row[0], block.line)] if row else []
        inline.registry.hint = hint
        label = plain(row[0].split(BREAK)[0]) if row else ""
        # The label cell's second line is a help text (`Period for sharing …`).
        inline.registry.note = plain(" ".join(row[0].split(BREAK)[1:])) if row else ""
        cells += [_cell(c, label, block.line, inline) for c in row[1:]]
        inline.registry.hint = ""
        rows.append([c.replace("\\\n", " ") for c in cells])
    width = max((len(r) for r in rows), default=0)
    if not width:
        return ""
    rows = [r + [""] * (width - len(r)) for r in rows]
    head, *rest = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rest]
    return "\n".join(lines)

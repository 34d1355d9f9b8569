"""Text helpers for the site: escaping, clause bodies as HTML, variable tables.

Clause bodies and assembled agreements are CommonMark in markdown-it-py's
dialect (the dialect of the DOCX and the PDF), so the site renders them with
markdown-it-py too and embeds the HTML: Python-Markdown, which renders the
rest of the page, would differ (it shows `\\@` and `\\:`, which the
assembler's escaping writes, with their backslashes, and needs blank lines
before lists).  Everything else on a page is Markdown that this module escapes
for Python-Markdown, so that mkdocs checks and rewrites its links.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from markdown_it import MarkdownIt
from markdown_it.token import Token

from clausekit.language.headings import ANCHOR
from clausekit.language.marks import EXPR_CLOSE, EXPR_OPEN
from clausekit.language.sandbox import environment
from clausekit.language.typography import drop_notes, smarten

# Python-Markdown's escapable characters (plus `|` for table cells and `<`/`&`,
# which are written as entities instead).
_PYMD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%-?(.*?)-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{##.*?##\}", re.DOTALL)
_TOKEN = re.compile(f"{EXPR_OPEN}(\\d+){EXPR_CLOSE}")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def one_line(text: object) -> str:
    """Text on one line: each line break, with the spaces around it, one space."""
    return re.sub(r"\s*[\r\n]+\s*", " ", str(text))


def md_text(text: object) -> str:
    """Any text as literal inline Markdown for Python-Markdown (one line)."""
    return _PYMD_SPECIAL.sub(r"\\\1", html.escape(one_line(text), quote=False))


def md_code(text: object) -> str:
    """Text as inline code; code spans are literal, only backticks and pipes need care."""
    s = re.sub(r"\s+", " ", str(text)).replace("|", "&#124;")
    if "`" in s:
        return md_text(s)
    return f"`{s}`"


@cache
def _md() -> MarkdownIt:
    # html=False: a clause or a value can never inject markup into the site.
    # No `typographer`/`smartquotes`: clause text already has its typographic quotes
    # and dashes (clausekit.language.typography), and values keep their straight ones.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def commonmark(text: str, shift: int = 2) -> str:
    """CommonMark (with pipe tables) as HTML, `{#id}` heading anchors applied.

    Headings move down `shift` levels: a body's `#` sits below the page's
    title (h1) and section (h2).
    """
    tokens = _md().parse(text)
    _apply_anchors(tokens, shift)
    return str(_md().renderer.render(tokens, _md().options, {}))


def _apply_anchors(tokens: list[Token], shift: int) -> None:
    for i, tok in enumerate(tokens):
        if tok.type in ("heading_open", "heading_close"):
            tok.tag = f"h{min(6, int(tok.tag[1]) + shift)}"
        if tok.type != "heading_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        children = inline.children or []
        last = children[-1] if children else None
        if last is None or last.type != "text":
            continue
        match = ANCHOR.search(last.content)
        if match:
            last.content = last.content[: match.start()]
            tok.attrSet("id", f"ck-{match.group(1)}")


def html_block(
    inner_html: str, css_class: str, lang: str | None = None, searchable: bool = True
) -> str:
    """A block of finished HTML in a `<div>` with its language; `searchable=False`
    keeps it out of the search index (mkdocs-material's `data-search-exclude`)."""
    lang_attr = f' lang="{html.escape(lang)}"' if lang else ""
    exclude = "" if searchable else " data-search-exclude"
    return f'<div class="{css_class}"{lang_attr}{exclude}>\n{inner_html.strip()}\n</div>'


def strip_front_matter(markdown: str) -> str:
    return _FRONT.sub("", markdown, count=1).lstrip("\n")


# --- clause bodies with placeholders ----------------------------------------


@dataclass(frozen=True)
class Placeholder:
    label: str  # what the reader sees: `fee.total`, `ref: training/acceptance`
    title: str  # hover text
    kind: str  # "var" | "ref" | "stmt"


def clause_html(body: str, lang: str, describe: dict[str, str]) -> tuple[str, list[Placeholder]]:
    """A clause body as HTML with every Jinja expression shown as a placeholder.

    `describe` maps dotted variable paths to their descriptions (the hover text).
    """
    found: list[Placeholder] = []

    def hold(match: re.Match[str]) -> str:
        expr, stmt = match.group(1), match.group(2)
        if stmt is not None:
            found.append(Placeholder("{% " + " ".join(stmt.split()) + " %}", "", "stmt"))
        else:
            found.append(_placeholder(expr, lang, describe))
        return f"{EXPR_OPEN}{len(found) - 1}{EXPR_CLOSE}"

    text = _EXPRESSION.sub(hold, _COMMENT.sub("", drop_notes(body)))
    # The placeholders are private-use characters, which read as words: the quotes
    # come out as in every assembled document (clausekit.language.typography).
    rendered = commonmark(smarten(text))
    return _TOKEN.sub(lambda m: _span(found[int(m.group(1))]), rendered), found


def _span(p: Placeholder) -> str:
    title = f' title="{html.escape(p.title)}"' if p.title else ""
    return f'<span class="ck-{p.kind}"{title}>{html.escape(p.label)}</span>'


def _placeholder(expr: str, lang: str, describe: dict[str, str]) -> Placeholder:
    source = " ".join(expr.split())
    try:
        tree = environment(lang, False).parse("{{ " + expr + " }}")
    except TemplateSyntaxError:
        # `check` has already failed the build on a syntax error; this is
        # only reached for a clause nobody validated (a fixture): show it raw.
        return Placeholder(source, source, "var")
    outputs = list(tree.find_all(nodes.Output))
    node = outputs[0].nodes[0] if outputs and outputs[0].nodes else None
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "ref"
        and node.args
        and isinstance(node.args[0], nodes.Const)
    ):
        target = str(node.args[0].value)
        return Placeholder(f"→ {target}", f"ref('{target}')", "ref")
    path = _dotted(node) if node is not None else None
    if node is None or path is None:
        return Placeholder(source, source, "var")
    filters = _filters(node)
    shown = f" ({' | '.join(filters)})" if filters else ""
    hover = describe.get(path, "")
    if hover and not hover.startswith("= "):
        # A lawyer reads what to fill in; the code name is on hover for engineers.
        return Placeholder(f"[{hover}]", path + shown, "var")
    # No description (or a computed value, described by its expression): the name.
    if filters:
        hover = f"{hover}{shown}" if hover else " | ".join(filters)
    return Placeholder(path, hover or path, "var")


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = _dotted(node.node)
        return f"{base}.{node.arg.value}" if base else None
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _dotted(node.node)
    return None


def _filters(node: nodes.Node) -> list[str]:
    names: list[str] = []
    while isinstance(node, nodes.Filter) and node.node is not None:
        names.append(node.name)
        node = node.node
    return list(reversed(names))


# --- variables ---------------------------------------------------------------


@dataclass(frozen=True)
class VariableRow:
    path: str
    type: str
    constraints: str
    default: str
    description: str
    required: bool


def flatten(variables: dict[str, Any]) -> list[VariableRow]:
    """Declared variables as rows; nested objects flattened to `fee.total`."""
    return list(_rows(variables, "", set(variables), top=True))


def _rows(
    props: dict[str, Any], prefix: str, required: set[str], top: bool
) -> Iterator[VariableRow]:
    for name, schema in props.items():
        if not isinstance(schema, dict):
            continue
        path = f"{prefix}{name}"
        has_default = "default" in schema
        needed = (name in required) and not has_default
        yield VariableRow(
            path=path,
            type=_type(schema),
            constraints=_constraints(schema),
            default=_show(schema["default"]) if has_default else "",
            description=str(schema.get("description", "")),
            required=needed if not top else not has_default,
        )
        children = schema.get("properties")
        if isinstance(children, dict):
            req = schema.get("required")
            inner = {str(r) for r in req} if isinstance(req, list) else set()
            yield from _rows(children, f"{path}.", inner, top=False)


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "")
    kind = " | ".join(map(str, kind)) if isinstance(kind, list) else str(kind)
    fmt = schema.get("format")
    if kind == "array" and isinstance(schema.get("items"), dict):
        kind = f"array of {_type(schema['items'])}"
    return f"{kind} ({fmt})" if fmt else kind


_BOUNDS = (
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("exclusiveMaximum", "< {}"),
    ("minLength", "length ≥ {}"),
    ("maxLength", "length ≤ {}"),
    ("minItems", "items ≥ {}"),
    ("maxItems", "items ≤ {}"),
    ("pattern", "matches {}"),
    ("const", "= {}"),
)


def _constraints(schema: dict[str, Any]) -> str:
    parts = [fmt.format(_show(schema[key])) for key, fmt in _BOUNDS if key in schema]
    if isinstance(schema.get("enum"), list):
        parts.append("one of " + ", ".join(_show(v) for v in schema["enum"]))
    return "; ".join(parts)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def descriptions(variables: dict[str, Any]) -> dict[str, str]:
    """Dotted path -> description, for placeholders' hover text."""
    return {row.path: row.description for row in flatten(variables) if row.description}

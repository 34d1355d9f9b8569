"""What every generated page needs: page paths, links, labels, where-used."""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from clausekit.assemble import left_out, number_entries
from clausekit.check import Checked
from clausekit.language.marks import HREF_CLOSE, HREF_OPEN
from clausekit.load.outline import Entry
from clausekit.publish.site.markup import md_code, md_text, one_line

_BLOCK = re.compile(r'<div data-ck-block="(\d+)"></div>')
# A link target in a block of HTML: a path relative to the page, as `rel` gives it,
# made the page's URL when the block goes in (`GeneratedPage.fill`).
_HREF = re.compile(f"{HREF_OPEN}([^{HREF_CLOSE}]*){HREF_CLOSE}")
# Where an agreement page's preview goes, inside its (unsearchable) block.
PREVIEW_MARK = "<!-- ck-preview -->"


# The front matter of a page kept out of the search index (mkdocs-material reads it).
NO_SEARCH = "---\nsearch:\n  exclude: true\n---\n"


@dataclass(frozen=True)
class RawHtml:
    """Finished HTML (a clause body, a preview) for a page.

    A block kept out of the search index (`searchable=False`) is put in only once
    the page is written (`on_post_page`), so the search plugin never parses it.
    """

    html: str
    searchable: bool = True


@dataclass(frozen=True)
class GeneratedPage:
    uri: str  # path below docs_dir, e.g. clauses/common/confidentiality-zh.md
    title: str
    content: str  # Markdown, with a marker where each block goes
    blocks: tuple[str, ...] = ()
    searchable: tuple[bool, ...] = ()  # per block
    # An agreement page's preview as Markdown; its HTML goes in at PREVIEW_MARK.
    preview: str | None = None
    # The Markdown is `# title` and then the same as its folder's other pages of one
    # kind (agreement and clause pages): converted once per kind (`pages.TitledPage`).
    one_of_many: bool = False

    def fill(self, rendered: str, url: Callable[[str], str], searchable: bool = True) -> str:
        """The page's HTML with the blocks that are (or are not) searchable in place of
        their markers; the others' markers stay for the second pass.  `url` makes a
        link target of `html_link` (relative to this page's source) a URL."""

        def block(m: re.Match[str]) -> str:
            i = int(m.group(1))
            if self.searchable[i] != searchable:
                return m.group(0)
            return _HREF.sub(lambda h: html.escape(url(h.group(1))), self.blocks[i])

        return _BLOCK.sub(block, rendered)


def make_page(
    uri: str, title: str, parts: list[str | RawHtml], search: bool = True
) -> GeneratedPage:
    """A page from Markdown parts and HTML blocks.

    Blocks are put in after Python-Markdown has run (`on_page_content`):
    passing large HTML through it as raw blocks costs more than all the rest
    of a page, and it has nothing to do with them.
    """
    # `search: false`: the page stays out of the search index (mkdocs-material reads
    # `search: {exclude: true}` from the page's front matter).
    text: list[str] = [] if search else [NO_SEARCH]
    blocks: list[RawHtml] = []
    for part in parts:
        if isinstance(part, RawHtml):
            text.append(f'\n<div data-ck-block="{len(blocks)}"></div>\n')
            blocks.append(part)
        else:
            text.append(part)
    return GeneratedPage(
        uri,
        title,
        "\n".join(text),
        tuple(b.html for b in blocks),
        tuple(b.searchable for b in blocks),
    )


def clause_uri(cid: str) -> str:
    return f"clauses/{cid}.md"


def template_uri(tid: str) -> str:
    return f"templates/{tid}.md"


def agreement_uri(aid: str) -> str:
    return f"agreements/{aid}.md"


def list_uri(tid: str, page: int) -> str:
    """Page `page` (from 1) of the list of a template's agreements."""
    return f"agreement-lists/{tid}/index.md" if page == 1 else f"agreement-lists/{tid}/{page}.md"


def download_uri(key: str, fmt: str) -> str:
    """`key` is an agreement id or `blank/<template id>`, as `build` names outputs."""
    return f"downloads/{key}.{fmt}"


INDEXES = {
    "home": "index.md",
    "clauses": "clauses/index.md",
    "templates": "templates/index.md",
    "agreements": "agreements/index.md",
    "tags": "tags.md",
    "negotiated": "negotiated.md",
}


def rel(from_uri: str, to_uri: str) -> str:
    """The relative path from one page to another (both below docs/), as
    `posixpath.relpath` gives it, without its look at the working folder: a large
    library's pages hold over 100,000 links."""
    here = [p for p in posixpath.dirname(from_uri).split("/") if p and p != "."]
    there = [p for p in to_uri.split("/") if p and p != "."]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def link(from_uri: str, to_uri: str, text: str) -> str:
    """A Markdown link between docs pages; mkdocs checks it and rewrites it to a URL."""
    return f"[{md_text(text)}]({rel(from_uri, to_uri)})"


def html_link(from_uri: str, to_uri: str, text: str) -> str:
    """A link between docs pages in a block of HTML: Python-Markdown never parses it
    (a clause's where-used list holds a link to each of its agreements), so the plugin
    makes its target a URL, and checks it, when the block goes in."""
    return f'<a href="{HREF_OPEN}{rel(from_uri, to_uri)}{HREF_CLOSE}">{html.escape(text)}</a>'


def html_text(text: object) -> str:
    """`md_text` in a block of HTML: the text Python-Markdown makes of it."""
    return html.escape(one_line(text).strip(), quote=False)


def html_code(text: str) -> str:
    """`md_code` in a block of HTML."""
    one_line = re.sub(r"\s+", " ", text)
    return f"<code>{html.escape(one_line, quote=False)}</code>"


def html_table(header: list[str], rows: list[list[str]]) -> str:
    """A table of HTML cells with the markup of Python-Markdown's pipe tables (the
    theme styles both alike): a list of 100 agreements is most of its page's time
    through Python-Markdown."""
    lines = [
        "<table>",
        "<thead>",
        "<tr>",
        *[f"<th>{html.escape(h, quote=False)}</th>" for h in header],
    ]
    lines += ["</tr>", "</thead>", "<tbody>"]
    for row in rows:
        lines += ["<tr>", *[f"<td>{cell}</td>" for cell in row], "</tr>"]
    return "\n".join([*lines, "</tbody>", "</table>"])


def status_badge(status: str, in_html: bool = False) -> str:
    # Python-Markdown keeps the tags and formats the text between them.
    safe = html.escape(status, quote=False) if in_html else md_text(status)
    cls = "".join(c for c in status if c.isascii() and c.isalnum())
    return f'<span class="ck-status ck-status-{cls}">{safe}</span>'


_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "status": "状态",
        "version": "版本",
        "lang": "语言",
        "id": "编号",
        "source": "源文件",
        "text": "条款文本",
        "variables": "变量",
        "name": "名称",
        "type": "类型",
        "constraints": "约束",
        "default": "默认值",
        "description": "说明",
        "required": "必填",
        "yes": "是",
        "no": "否",
        "guidance": "起草与谈判说明",
        "alternatives": "备选条款",
        "standard": "标准文本",
        "alternative": "备选文本",
        "any_two": "任意两个版本",
        "source_view": "源文本（含变量代码）",
        "changelog": "版本历史",
        "redlines": "版本对照",
        "redlines_none": "git 历史中只有这一个版本。",
        "date": "日期",
        "note": "变更说明",
        "used": "使用情况",
        "templates": "模板",
        "agreements": "协议",
        "left_out": "因条件未纳入的协议",
        "number": "条号",
        "none": "无",
        "no_vars": "本条款没有变量。",
        "not_used": "尚未被任何模板使用。",
        "tags": "标签",
        "summary": "摘要",
        "downloads": "下载",
        "outline": "大纲",
        "computed": "计算值",
        "expression": "表达式",
        "rules": "校验规则",
        "deviations": "谈判修改（相对标准文本）",
        "label": "评估",
        "approved_by": "批准人",
        "from_version": "基于版本",
        "message": "提示",
        "declared": "声明于",
        "numbering": "编号样式",
        "when": "条件",
        "template": "模板",
        "preview": "预览",
        "blank": "空白文本",
        "clause": "条款",
        "title": "标题",
    },
    "en": {
        "status": "Status",
        "version": "Version",
        "lang": "Language",
        "id": "Id",
        "source": "Source",
        "text": "Clause text",
        "variables": "Variables",
        "name": "Name",
        "type": "Type",
        "constraints": "Constraints",
        "default": "Default",
        "description": "Description",
        "required": "Required",
        "yes": "yes",
        "no": "no",
        "guidance": "Drafting and negotiation notes",
        "alternatives": "Alternatives",
        "standard": "Standard text",
        "alternative": "Alternative",
        "any_two": "Any two versions",
        "source_view": "Source (with variable code names)",
        "changelog": "Changelog",
        "redlines": "Redlines between versions",
        "redlines_none": "Git history holds only this version.",
        "date": "Date",
        "note": "Note",
        "used": "Where used",
        "templates": "Templates",
        "agreements": "Agreements",
        "left_out": "Agreements whose values leave it out",
        "number": "Number",
        "none": "none",
        "no_vars": "This clause has no variables.",
        "not_used": "Not used by any template yet.",
        "tags": "Tags",
        "summary": "Summary",
        "downloads": "Downloads",
        "outline": "Outline",
        "computed": "Computed values",
        "expression": "Expression",
        "rules": "Rules",
        "deviations": "Negotiated changes (against the standard text)",
        "label": "Position",
        "approved_by": "Approved by",
        "from_version": "From version",
        "message": "Message",
        "declared": "Declared in",
        "numbering": "Numbering",
        "when": "Condition",
        "template": "Template",
        "preview": "Preview",
        "blank": "Blank form",
        "clause": "Clause",
        "title": "Title",
    },
}


def labels(lang: str | None) -> dict[str, str]:
    """The interface words for a page in `lang` (Chinese unless the page is English)."""
    return _LABELS["en" if (lang or "").startswith("en") else "zh"]


@dataclass(frozen=True)
class Use:
    """A template that uses a clause: where, and on what condition."""

    template: str
    number: str  # the clause's reference in the blank form (`第五条`), "" unnumbered
    when: str | None  # the condition that includes it (its own or its group's)


@dataclass
class Usage:
    """Where each clause is used, and which agreements each template has.

    `when` conditions are evaluated per agreement: an agreement whose values
    leave a clause out is listed under `left_out`, not as using it.
    """

    templates: dict[str, list[Use]] = field(default_factory=lambda: defaultdict(list))
    agreements: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    clause_agreements: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    left_out: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    paged: frozenset[str] | None = None  # agreements that have a page; None: all

    def has_page(self, aid: str) -> bool:
        return self.paged is None or aid in self.paged


def agreement_link(from_uri: str, aid: str, text: str, used: Usage) -> str:
    """A link to an agreement's page, or its id when `agreement_pages` leaves it out."""
    return link(from_uri, agreement_uri(aid), text) if used.has_page(aid) else md_code(aid)


def agreement_html_link(from_uri: str, aid: str, text: str, used: Usage) -> str:
    """`agreement_link` in a block of HTML."""
    if used.has_page(aid):
        return html_link(from_uri, agreement_uri(aid), text)
    return html_code(aid)


def usage(checked: Checked) -> Usage:
    lib = checked.lib
    found = Usage()
    for tid, template in sorted(lib.templates.items()):
        numbers = {n.entry.clause: n.ref for n in number_entries(template) if n.entry.clause}
        conditions = _conditions(template.outline.body, None)
        seen: set[str] = set()
        for entry in template.outline.clause_entries():
            cid = entry.clause or ""
            if cid in lib.clauses and cid not in seen:
                seen.add(cid)
                found.templates[cid].append(Use(tid, numbers.get(cid, ""), conditions.get(cid)))
    conditional = {tid for tid, t in lib.templates.items() if any(t.outline.conditional())}
    for aid, agreement in sorted(lib.agreements.items()):
        tid = agreement.template_id
        found.agreements[tid].append(aid)
        own = lib.templates.get(tid)
        if own is None:
            continue
        # Without a `when` in its outline, a template's agreements keep every clause:
        # no need to work out each one's values (a second of 10,000 agreements).
        out = left_out(checked, aid) if tid in conditional else frozenset()
        for cid in {e.clause for e in own.outline.clause_entries() if e.clause}:
            (found.left_out if cid in out else found.clause_agreements)[cid].append(aid)
    return found


def _conditions(entries: tuple[Entry, ...], inherited: str | None) -> dict[str, str]:
    """Clause id -> the condition that includes it (a group's applies to its children)."""
    out: dict[str, str] = {}
    for entry in entries:
        parts = [w for w in (inherited, entry.when) if w]
        when = " and ".join(f"({w})" if len(parts) > 1 else w for w in parts) or None
        if entry.clause and when:
            out[entry.clause] = when
        out.update(_conditions(entry.children, when))
    return out


def changelog(data: dict[str, object]) -> list[dict[str, object]]:
    log = data.get("changelog")
    return [e for e in log if isinstance(e, dict)] if isinstance(log, list) else []


def table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table of already-escaped Markdown cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"

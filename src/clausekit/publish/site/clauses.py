"""Clause pages: the home page, the clause index, the tags page, one page per clause."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from clausekit.load.model import Clause, Library
from clausekit.publish.site.bilingual import translation_links
from clausekit.publish.site.common import (
    INDEXES,
    GeneratedPage,
    RawHtml,
    Usage,
    agreement_html_link,
    changelog,
    clause_uri,
    labels,
    link,
    make_page,
    rel,
    status_badge,
    table,
    template_uri,
)
from clausekit.publish.site.markup import (
    clause_html,
    commonmark,
    descriptions,
    flatten,
    html_block,
    md_code,
    md_text,
)
from clausekit.review.history import Version, redline_fragment

RECENT = 10


def status(clause: Clause) -> str:
    return str(clause.data.get("status", "draft"))


def tags(clause: Clause) -> list[str]:
    raw = clause.data.get("tags")
    return [str(t) for t in raw] if isinstance(raw, list) else []


def tag_anchor(tag: str) -> str:
    # Tags may be Chinese; an explicit ASCII-safe id keeps links stable.
    return "tag-" + "".join(c if c.isascii() and c.isalnum() else f"-{ord(c):x}" for c in tag)


def folder(cid: str) -> str:
    return cid.rsplit("/", 1)[0] if "/" in cid else "."


def home_page(lib: Library, title: str, more_links: Sequence[str] = ()) -> GeneratedPage:
    """The library's home; `more_links` (Markdown) follow the links to the indexes."""
    uri = INDEXES["home"]
    by_status = Counter(status(c) for c in lib.clauses.values())
    by_lang = Counter(c.lang or lib.settings.lang for c in lib.clauses.values())
    agreements = Counter(a.status for a in lib.agreements.values())
    out: list[str | RawHtml] = [f"# {md_text(title)}\n"]
    out.append(
        f"本条款库共有 {len(lib.clauses)} 个条款、{len(lib.templates)} 个模板、"
        f"{len(lib.agreements)} 份协议。"
        f"The library holds {len(lib.clauses)} clauses, {len(lib.templates)} templates "
        f"and {len(lib.agreements)} agreements.\n"
    )
    out.append("## 条款状态 · Clauses by status\n")
    out.append(table(["状态 Status", "条款 Clauses"], _counts(by_status)))
    out.append("## 语言 · Languages\n")
    out.append(table(["语言 Language", "条款 Clauses"], _counts(by_lang)))
    out.append("## 协议状态 · Agreements by status\n")
    out.append(table(["状态 Status", "协议 Agreements"], _counts(agreements)))
    out.append("## 最近修改 · Recently changed\n")
    rows = []
    for date, clause, entry in _recent(lib)[:RECENT]:
        rows.append(
            [
                md_text(date),
                link(uri, clause_uri(clause.id), clause.title),
                md_text(entry.get("version", "")),
                md_text(entry.get("note", "")),
            ]
        )
    out.append(table(["日期 Date", "条款 Clause", "版本 Version", "说明 Note"], rows))
    out.append(
        "\n"
        + " · ".join(
            link(uri, INDEXES[k], t)
            for k, t in (
                ("clauses", "条款索引 Clause index"),
                ("templates", "模板 Templates"),
                ("agreements", "协议 Agreements"),
                ("tags", "标签 Tags"),
            )
        )
        + "\n"
    )
    out += [f"\n{more}\n" for more in more_links]
    return make_page(uri, title, out)


def _counts(counter: Counter[str]) -> list[list[str]]:
    return [[md_text(k), str(v)] for k, v in sorted(counter.items())]


def _recent(lib: Library) -> list[tuple[str, Clause, dict[str, Any]]]:
    found = []
    for clause in lib.clauses.values():
        log = changelog(clause.data)
        if log:
            found.append((str(log[0].get("date", "")), clause, log[0]))
    # Newest first; ties by id so the page is the same on every build.
    found.sort(key=lambda item: item[1].id)
    found.sort(key=lambda item: item[0], reverse=True)
    return found


def _clause_row(uri: str, clause: Clause) -> list[str]:
    return [
        link(uri, clause_uri(clause.id), clause.title),
        md_code(clause.id),
        md_text(status(clause)),
        md_text(clause.lang or ""),
        md_text(clause.version or ""),
        md_text(clause.data.get("summary", "")),
    ]


_HEAD = ["条款 Clause", "编号 Id", "状态 Status", "语言 Lang", "版本 Version", "摘要 Summary"]


def clause_index(lib: Library) -> GeneratedPage:
    uri = INDEXES["clauses"]
    out: list[str | RawHtml] = ["# 条款索引 · Clause index\n", "## 按目录 · By folder\n"]
    groups: dict[str, list[Clause]] = defaultdict(list)
    for cid in sorted(lib.clauses):
        groups[folder(cid)].append(lib.clauses[cid])
    for name, members in groups.items():
        out.append(f"### {md_text(name)}\n")
        out.append(table(_HEAD, [_clause_row(uri, c) for c in members]))
    out.append("## 按标签 · By tag\n")
    by_tag = _by_tag(lib)
    out.append(
        " · ".join(
            f"[{md_text(t)} ({len(cs)})]({_rel_tags(uri)}#{tag_anchor(t)})"
            for t, cs in by_tag.items()
        )
        + "\n"
    )
    return make_page(uri, "条款索引 · Clause index", out)


def _rel_tags(from_uri: str) -> str:
    return rel(from_uri, INDEXES["tags"])


def _by_tag(lib: Library) -> dict[str, list[Clause]]:
    found: dict[str, list[Clause]] = defaultdict(list)
    for cid in sorted(lib.clauses):
        for tag in tags(lib.clauses[cid]):
            found[tag].append(lib.clauses[cid])
    return dict(sorted(found.items()))


def tags_page(lib: Library) -> GeneratedPage:
    uri = INDEXES["tags"]
    out: list[str | RawHtml] = ["# 标签 · Tags\n"]
    for tag, members in _by_tag(lib).items():
        out.append(f"## {md_text(tag)} {{#{tag_anchor(tag)}}}\n")
        out.append(table(_HEAD, [_clause_row(uri, c) for c in members]))
    if len(out) == 1:
        out.append("没有标签。No tags yet.\n")
    return make_page(uri, "标签 · Tags", out)


def clause_page(
    lib: Library,
    clause: Clause,
    used: Usage,
    describe: dict[str, str],
    versions: list[Version] | None = None,
) -> GeneratedPage:
    """One clause: text with placeholders, variables, guidance, alternatives, history, use.

    `describe` holds the hover text of names the clause does not declare itself
    (templates' computed values).
    """
    uri = clause_uri(clause.id)
    lang = clause.lang or lib.settings.lang
    t = labels(lang)
    out: list[str | RawHtml] = [f"# {md_text(clause.title)}\n"]
    facts = [
        f"**{t['status']}** {status_badge(status(clause))}",
        f"**{t['version']}** {md_text(clause.version or '')}",
        f"**{t['lang']}** {md_text(lang)}",
        f"**{t['id']}** {md_code(clause.id)}",
        f"**{t['source']}** {md_code(clause.source.path)}",
    ]
    out.append(" · ".join(facts) + "\n")
    if tags(clause):
        out.append(
            f"**{t['tags']}** "
            + " ".join(
                f"[{md_text(tag)}]({_rel_tags(uri)}#{tag_anchor(tag)})" for tag in tags(clause)
            )
            + "\n"
        )
    if clause.data.get("summary"):
        out.append(f"> {md_text(clause.data['summary'])}\n")
    out.extend(filter(None, [translation_links(lib, clause, uri)]))

    out.append(f"## {t['text']} {{#text}}\n")
    body, _ = clause_html(clause.body, lang, {**describe, **descriptions(clause.variables)})
    out.append(RawHtml(html_block(body, "ck-clause", lang)))

    out.append(f"## {t['variables']} {{#variables}}\n")
    out.append(variables_table(clause.variables, t) or f"{t['no_vars']}\n")

    guidance = clause.data.get("guidance")
    if guidance:
        out.append(f"## {t['guidance']} {{#guidance}}\n")
        out.append(RawHtml(html_block(commonmark(str(guidance)), "ck-guidance", lang)))

    alternatives = clause.data.get("alternatives")
    if isinstance(alternatives, list) and alternatives:
        out.append(f"## {t['alternatives']} {{#alternatives}}\n")
        for alt in map(str, alternatives):
            target = lib.clauses.get(alt)
            item = link(uri, clause_uri(alt), f"{target.title} ({alt})") if target else md_code(alt)
            out.append(f"- {item}")
        out.append("")

    out.append(f"## {t['used']} {{#where-used}}\n")
    out.extend(_where_used(lib, clause, used, uri, t))

    out.append(f"## {t['changelog']} {{#changelog}}\n")
    rows = [
        [md_text(e.get("version", "")), md_text(e.get("date", "")), md_text(e.get("note", ""))]
        for e in changelog(clause.data)
    ]
    out.append(table([t["version"], t["date"], t["note"]], rows) if rows else f"{t['none']}\n")
    if versions is not None:
        out.extend(_redlines(versions, lang, t))
    return make_page(uri, clause.title, out)


def _redlines(versions: list[Version], lang: str, t: dict[str, str]) -> list[str | RawHtml]:
    """Each version against the one before it, newest first, as found in git history."""
    out: list[str | RawHtml] = [f"## {t['redlines']} {{#redlines}}\n"]
    if len(versions) < 2:
        return [*out, f"{t['redlines_none']}\n"]
    for new, old in pairwise(versions):
        out.append(f"### {md_text(old.version)} → {md_text(new.version)}\n")
        out.append(RawHtml(html_block(redline_fragment(old.body, new.body), "ck-redline", lang)))
    return out


def _where_used(
    lib: Library, clause: Clause, used: Usage, uri: str, t: dict[str, str]
) -> list[str | RawHtml]:
    uses = used.templates.get(clause.id, [])
    if not uses:
        return [f"{t['not_used']}\n"]
    out: list[str | RawHtml] = [f"### {t['templates']}\n"]
    rows = [
        [
            link(uri, template_uri(u.template), lib.templates[u.template].title),
            md_code(u.template),
            md_text(u.number),
            md_code(u.when) if u.when else "",
        ]
        for u in uses
    ]
    out.append(table([t["template"], t["id"], t["number"], t["when"]], rows))
    for key, ids in (
        ("agreements", used.clause_agreements.get(clause.id, [])),
        ("left_out", used.left_out.get(clause.id, [])),
    ):
        if ids:
            # HTML: a clause of a large library lists thousands of agreements, and
            # Python-Markdown would spend most of the page's time on their links.
            out.append(f"### {t[key]}\n")
            items = "".join(_agreement_item(lib, uri, aid, used) for aid in ids)
            out.append(RawHtml(f"<ul>\n{items}</ul>"))
    return out


def _agreement_item(lib: Library, uri: str, aid: str, used: Usage) -> str:
    a = lib.agreements[aid]
    name = str(a.data.get("title") or aid)
    return f"<li>{agreement_html_link(uri, aid, name, used)} ({html.escape(a.status)})</li>\n"


def variables_table(
    variables: dict[str, Any], t: dict[str, str], declared_in: dict[str, str] | None = None
) -> str:
    """The variables table; `declared_in` adds a column (a template page's)."""
    rows = []
    for row in flatten(variables):
        cells = [
            md_code(row.path),
            md_text(row.type),
            md_text(row.constraints),
            md_text(row.default),
            t["yes"] if row.required else t["no"],
            md_text(row.description),
        ]
        if declared_in is not None:
            cells.append(declared_in.get(row.path.split(".")[0], ""))
        rows.append(cells)
    if not rows:
        return ""
    head = [t["name"], t["type"], t["constraints"], t["default"], t["required"], t["description"]]
    if declared_in is not None:
        head.append(t["declared"])
    return table(head, rows)

"""Clause pages: the home page, the clause index, the tags page, one page per clause."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import replace
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
    html_code,
    html_link,
    html_table,
    html_text,
    labels,
    link,
    make_page,
    rel,
    status_badge,
    table,
    template_uri,
)
from clausekit.publish.site.compare import alternatives, redlines
from clausekit.publish.site.markup import (
    clause_html,
    commonmark,
    descriptions,
    flatten,
    html_block,
    md_code,
    md_text,
)
from clausekit.publish.site.words import Words, site_words
from clausekit.review.history import Version


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


def _clause_row(uri: str, clause: Clause) -> list[str]:
    return [
        link(uri, clause_uri(clause.id), clause.title),
        md_code(clause.id),
        md_text(status(clause)),
        md_text(clause.lang or ""),
        md_text(clause.version or ""),
        md_text(clause.data.get("summary", "")),
    ]


def _head(w: Words) -> list[str]:
    return [w(k) for k in ("clause", "id", "status", "lang", "version", "summary")]


def clause_index(lib: Library) -> GeneratedPage:
    uri = INDEXES["clauses"]
    w = site_words(lib)
    out: list[str | RawHtml] = [f"# {w('clause_index')}\n", f"## {w('by_folder')}\n"]
    groups: dict[str, list[Clause]] = defaultdict(list)
    for cid in sorted(lib.clauses):
        groups[folder(cid)].append(lib.clauses[cid])
    for name, members in groups.items():
        out.append(f"### {md_text(name)}\n")
        out.append(table(_head(w), [_clause_row(uri, c) for c in members]))
    out.append(f"## {w('by_tag')}\n")
    by_tag = _by_tag(lib)
    out.append(
        " · ".join(
            f"[{md_text(t)} ({len(cs)})]({_rel_tags(uri)}#{tag_anchor(t)})"
            for t, cs in by_tag.items()
        )
        + "\n"
    )
    return make_page(uri, w("clause_index"), out)


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
    w = site_words(lib)
    out: list[str | RawHtml] = [f"# {w('tags')}\n"]
    for tag, members in _by_tag(lib).items():
        out.append(f"## {md_text(tag)} {{#{tag_anchor(tag)}}}\n")
        out.append(table(_head(w), [_clause_row(uri, c) for c in members]))
    if len(out) == 1:
        out.append(f"{w('no_tags')}\n")
    return make_page(uri, w("tags"), out)


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
    # HTML with Python-Markdown's markup: the Markdown left is the headings, the same
    # on every clause page of a folder, converted once (`pages.TitledPage`).
    facts = [
        f"<strong>{html_text(t['status'])}</strong> {status_badge(status(clause), True)}",
        f"<strong>{html_text(t['version'])}</strong> {html_text(clause.version or '')}",
        f"<strong>{html_text(t['lang'])}</strong> {html_text(lang)}",
        f"<strong>{html_text(t['id'])}</strong> {html_code(clause.id)}",
        f"<strong>{html_text(t['source'])}</strong> {html_code(clause.source.path)}",
    ]
    head = [f"<p>{' · '.join(facts)}</p>"]
    if tags(clause):
        links = [
            html_link(uri, f"{INDEXES['tags']}#{tag_anchor(tag)}", tag) for tag in tags(clause)
        ]
        head.append(f"<p><strong>{html_text(t['tags'])}</strong> {' '.join(links)}</p>")
    if clause.data.get("summary"):
        head.append(f"<blockquote>\n<p>{html_text(clause.data['summary'])}</p>\n</blockquote>")
    head.extend(filter(None, [translation_links(lib, clause, uri)]))
    out.append(RawHtml("\n".join(head)))

    out.append(f"## {t['text']} {{#text}}\n")
    body, _ = clause_html(clause.body, lang, {**describe, **descriptions(clause.variables)})
    out.append(RawHtml(html_block(body, "ck-clause", lang)))
    # The source keeps the code names, for engineers.
    source = f"<pre><code>{html.escape(clause.body.strip())}</code></pre>"
    summary = f"<summary>{html.escape(t['source_view'])}</summary>"
    out.append(RawHtml(f'<details class="ck-source">{summary}\n{source}\n</details>'))

    out.append(f"## {t['variables']} {{#variables}}\n")
    out.append(variables_table(clause.variables, t) or f"{t['no_vars']}\n")

    guidance = clause.data.get("guidance")
    if guidance:
        out.append(f"## {t['guidance']} {{#guidance}}\n")
        out.append(RawHtml(html_block(commonmark(str(guidance)), "ck-guidance", lang)))

    out.extend(alternatives(lib, clause, uri, t, describe))

    out.append(f"## {t['used']} {{#where-used}}\n")
    out.extend(_where_used(lib, clause, used, uri, t))

    out.append(f"## {t['changelog']} {{#changelog}}\n")
    rows = [
        [
            html_text(e.get("version", "")),
            html_text(e.get("date", "")),
            html_text(e.get("note", "")),
        ]
        for e in changelog(clause.data)
    ]
    head = [t["version"], t["date"], t["note"]]
    out.append(RawHtml(html_table(head, rows)) if rows else f"{t['none']}\n")
    if versions is not None:
        out.extend(redlines(versions, lang, t))
    return replace(make_page(uri, clause.title, out), one_of_many=True)


def _where_used(
    lib: Library, clause: Clause, used: Usage, uri: str, t: dict[str, str]
) -> list[str | RawHtml]:
    uses = used.templates.get(clause.id, [])
    if not uses:
        return [f"{t['not_used']}\n"]
    out: list[str | RawHtml] = [f"### {t['templates']}\n"]
    rows = [
        [
            html_link(uri, template_uri(u.template), lib.templates[u.template].title),
            html_code(u.template),
            html_text(u.number),
            html_code(u.when) if u.when else "",
        ]
        for u in uses
    ]
    out.append(RawHtml(html_table([t["template"], t["id"], t["number"], t["when"]], rows)))
    for key, ids in (
        ("agreements", used.clause_agreements.get(clause.id, [])),
        ("left_out", used.left_out.get(clause.id, [])),
    ):
        if ids:
            # HTML: a clause of a large library lists thousands of agreements, and
            # Python-Markdown would spend most of the page's time on their links.
            # Kept out of the search index, as the agreement pages are: a search for
            # an agreement's title would list every clause of its template, and a
            # library of 10,000 agreements would spend its build segmenting them.
            # Titles are found on the templates' lists of agreements.
            out.append(f"### {t[key]}\n")
            items = "".join(_agreement_item(lib, uri, aid, used) for aid in ids)
            out.append(RawHtml(f"<ul data-search-exclude>\n{items}</ul>", searchable=False))
    return out


def _agreement_item(lib: Library, uri: str, aid: str, used: Usage) -> str:
    a = lib.agreements[aid]
    name = str(a.data.get("title") or aid)
    return f"<li>{agreement_html_link(uri, aid, name, used)} ({html.escape(a.status)})</li>\n"


def variables_table(
    variables: dict[str, Any], t: dict[str, str], declared_in: dict[str, str] | None = None
) -> RawHtml | None:
    """The variables table as HTML that wraps inside the content width (a `ck-vars`
    table: the theme's scrolling table style is for tables without a class); on a
    phone each row becomes a card.  `declared_in` (HTML) adds a column (a template
    page's)."""
    head = [t["name"], t["type"], t["constraints"], t["default"], t["required"], t["description"]]
    if declared_in is not None:
        head.append(t["declared"])
    rows = []
    for row in flatten(variables):
        cells = [
            _name_cell(row.path),
            html.escape(row.type),
            html.escape(row.constraints),
            html.escape(row.default),
            html.escape(t["yes"] if row.required else t["no"]),
            html.escape(row.description),
        ]
        if declared_in is not None:
            cells.append(declared_in.get(row.path.split(".")[0], ""))
        tds = "".join(
            f'<td data-label="{html.escape(h)}">{c}</td>' for h, c in zip(head, cells, strict=True)
        )
        rows.append(f"<tr>{tds}</tr>")
    if not rows:
        return None
    ths = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "\n".join(rows)
    return RawHtml(
        f'<table class="ck-vars">\n<thead><tr>{ths}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'
    )


def _name_cell(path: str) -> str:
    """A dotted name that breaks only after a dot, never inside a word."""
    parts = [f'<span class="ck-seg">{html.escape(p)}</span>' for p in path.split(".")]
    return "<code>" + ".<wbr>".join(parts) + "</code>"

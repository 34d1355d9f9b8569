"""Template and agreement pages, and their index pages."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from clausekit.assemble import Assembled, number_entries
from clausekit.check import Checked
from clausekit.check.compose import declarations
from clausekit.load.model import Agreement, Library, Template, text_in
from clausekit.publish.site.bilingual import side_by_side
from clausekit.publish.site.clauses import (
    variables_table,  # one table format for clauses and templates
)
from clausekit.publish.site.common import (
    INDEXES,
    PREVIEW_MARK,
    GeneratedPage,
    RawHtml,
    Usage,
    agreement_html_link,
    agreement_uri,
    clause_uri,
    download_uri,
    html_code,
    html_link,
    html_table,
    labels,
    link,
    list_uri,
    make_page,
    status_badge,
    table,
    template_uri,
)
from clausekit.publish.site.form import new_agreement_link
from clausekit.publish.site.markup import (
    html_block,
    md_code,
    md_text,
    strip_front_matter,
)
from clausekit.publish.site.negotiated import deviations_section
from clausekit.publish.site.words import Words, site_words
from clausekit.publish.verify import Preview
from clausekit.review.locks import assemble_locked

FORMAT_NAMES = {"docx": "DOCX", "pdf": "PDF", "html": "HTML", "md": "Markdown"}


def download_links(uri: str, key: str, formats: list[str], label: str) -> str:
    """The download links of a document as a paragraph of HTML ("" without formats)."""
    if not formats:
        return ""
    links = " · ".join(
        html_link(uri, download_uri(key, fmt), FORMAT_NAMES.get(fmt, fmt)) for fmt in formats
    )
    return f"<p><strong>{html.escape(label)}:</strong> {links}</p>"


def template_index(lib: Library, used: Usage) -> GeneratedPage:
    uri = INDEXES["templates"]
    rows = [
        [
            link(uri, template_uri(tid), t.title),
            md_code(tid),
            md_text(t.version or ""),
            md_text(t.lang),
            md_text(t.numbering),
            str(len(used.agreements.get(tid, []))),
            md_text(text_in(t.data.get("summary", ""), t.lang)),
        ]
        for tid, t in sorted(lib.templates.items())
    ]
    w = site_words(lib)
    head = [w(k) for k in ("template", "id", "version", "lang", "numbering", "agreements")]
    head.append(w("summary"))
    body = table(head, rows) if rows else f"{w('no_templates')}\n"
    return GeneratedPage(uri, w("templates"), f"# {w('templates')}\n\n{body}")


def template_page(
    lib: Library, template: Template, used: Usage, formats: list[str]
) -> GeneratedPage:
    uri = template_uri(template.id)
    t = labels(template.lang)
    out: list[str | RawHtml] = [f"# {md_text(template.title)}\n"]
    facts = [
        f"**{t['version']}** {md_text(template.version or '')}",
        f"**{t['lang']}** {md_text(template.lang)}",
        f"**{t['numbering']}** {md_code(template.numbering)}",
        f"**{t['id']}** {md_code(template.id)}",
        f"**{t['source']}** {md_code(template.source.path)}",
    ]
    out.append(" · ".join(facts) + "\n")
    if template.data.get("summary"):
        out.append(f"> {md_text(text_in(template.data['summary'], template.lang))}\n")
    out.append(f"{new_agreement_link(uri, template)}\n")
    blank = download_links(uri, f"blank/{template.id}", formats, t["blank"])
    if blank:
        out.append(RawHtml(blank))

    out.append(f"## {t['outline']} {{#outline}}\n")
    out.extend(_outline(lib, template, uri, t))
    out.extend(side_by_side(lib, template))

    decls, _ = declarations(lib, template)
    out.append(f"## {t['variables']} {{#variables}}\n")
    where: dict[str, str] = {}
    for name, decl in decls.items():
        cid = _clause_of(lib, decl.file)
        where[name] = html_link(uri, clause_uri(cid), cid) if cid else html_code(decl.file)
    variables = {name: decl.schema for name, decl in sorted(decls.items())}
    out.append(variables_table(variables, t, where) or f"{t['none']}\n")

    if template.computed:
        out.append(f"## {t['computed']} {{#computed}}\n")
        rows = [[md_code(k), md_code(v)] for k, v in template.computed.items()]
        out.append(table([t["name"], t["expression"]], rows))
    if template.rules:
        out.append(f"## {t['rules']} {{#rules}}\n")
        rows = [
            [md_code(r.get("assert", "")), md_text(r.get("message", ""))] for r in template.rules
        ]
        out.append(table([t["expression"], t["message"]], rows))

    agreements = used.agreements.get(template.id, [])
    if agreements:
        out.append(f"## {t['agreements']} {{#agreements}}\n")
        # The list itself is paginated on its own pages: a template may have thousands.
        out.append(f"{link(uri, list_uri(template.id, 1), t['agreements'])}: {len(agreements)}\n")
    return make_page(uri, template.title, out)


def _clause_of(lib: Library, path: str) -> str | None:
    for cid, clause in lib.clauses.items():
        if clause.source.path == path:
            return cid
    return None


def _clause_link(lib: Library, uri: str, cid: str) -> str:
    clause = lib.clauses.get(cid)
    return link(uri, clause_uri(cid), clause.title) if clause else md_code(cid)


def _outline(lib: Library, template: Template, uri: str, t: dict[str, str]) -> list[str]:
    plan = template.outline
    out: list[str] = []
    for entry in plan.preamble:
        out.append(f"- {_clause_link(lib, uri, entry.clause or '')}")
    for n in number_entries(template):
        indent = "    " * (n.level - 1)
        if n.entry.clause:
            text = f"{md_text(n.prefix)}{_clause_link(lib, uri, n.entry.clause)}"
        else:
            text = f"{md_text(n.prefix)}**{md_text(n.entry.heading or '')}**"
        if n.entry.when:
            text += f" ({t['when']}: {md_code(n.entry.when)})"
        out.append(f"{indent}- {text}")
    if plan.signature:
        out.append(f"- {_clause_link(lib, uri, plan.signature.clause or '')}")
    out.append("")
    return out


def agreement_index(lib: Library, used: Usage) -> GeneratedPage:
    """The templates with their number of agreements, each linking to its paginated list."""
    uri = INDEXES["agreements"]
    w = site_words(lib)
    out: list[str | RawHtml] = [f"# {w('agreements')}\n"]
    rows = []
    for tid, ids in sorted(used.agreements.items()):
        template = lib.templates.get(tid)
        name = link(uri, template_uri(tid), template.title) if template else md_code(tid)
        by_status = Counter(lib.agreements[a].status for a in ids)
        counts = " · ".join(f"{status_badge(k)} {n}" for k, n in sorted(by_status.items()))
        rows.append([name, md_code(tid), link(uri, list_uri(tid, 1), str(len(ids))), counts])
    if rows:
        head = [w("template"), w("id"), w("agreements"), w("status")]
        out.append(table(head, rows))
        out.append(f"{link(uri, INDEXES['negotiated'], w('negotiated'))}\n")
    else:
        out.append(f"{w('no_agreements')}\n")
    return make_page(uri, w("agreements"), out)


def agreement_lists(lib: Library, used: Usage, per_page: int) -> list[GeneratedPage]:
    """For each template, its agreements `per_page` to a page, with links between pages."""
    pages = []
    w = site_words(lib)
    for tid, ids in sorted(used.agreements.items()):
        template = lib.templates.get(tid)
        title = template.title if template else tid
        count = max(1, -(-len(ids) // per_page))
        for n in range(1, count + 1):
            uri = list_uri(tid, n)
            head = f"# {md_text(title)} · {w('agreements')} ({n}/{count})\n"
            out: list[str | RawHtml] = [head, _pager(uri, tid, n, count, w)]
            rows = [
                [
                    agreement_html_link(
                        uri, a, str(lib.agreements[a].data.get("title") or a), used
                    ),
                    html_code(a),
                    status_badge(lib.agreements[a].status, True),
                ]
                for a in ids[(n - 1) * per_page : n * per_page]
            ]
            out.append(RawHtml(html_table([w("agreement"), w("id"), w("status")], rows)))
            pages.append(make_page(uri, f"{title} ({n}/{count})", out))
    return pages


def _pager(uri: str, tid: str, n: int, count: int, w: Words) -> str:
    parts = [link(uri, template_uri(tid), w("template"))] if tid else []
    if n > 1:
        parts.append(link(uri, list_uri(tid, n - 1), f"← {n - 1}"))
    if n < count:
        parts.append(link(uri, list_uri(tid, n + 1), f"{n + 1} →"))
    return " · ".join(parts) + "\n"


def preview_of(assembled: Assembled) -> Preview:
    """An agreement's preview: its title, language and Markdown text (made HTML by
    `previews.Previews` while mkdocs renders other pages)."""
    return Preview(assembled.title, assembled.lang, strip_front_matter(assembled.markdown))


def agreement_page(
    checked: Checked,
    agreement: Agreement,
    formats: list[str],
    preview: Preview | None = None,
    key_dates: Sequence[str | RawHtml] = (),
) -> GeneratedPage:
    """`preview`: the text `check` assembled already; None assembles it here.  The
    preview's HTML goes in place of `PREVIEW_MARK` when the page is written.
    `key_dates`: the agreement's key dates section (`site.calendars`), before the text."""
    lib = checked.lib
    uri = agreement_uri(agreement.id)
    template = lib.templates[agreement.template_id]
    t = labels(template.lang)
    # ProblemsFound: the plugin reports it
    assembled = preview or preview_of(assemble_locked(checked, agreement.id))
    # The facts as HTML: Python-Markdown would take as long again for them as
    # for the rest of the page, on 10,000 pages.
    out: list[str | RawHtml] = [f"# {md_text(assembled.title)}\n"]
    facts = [
        f"<strong>{html.escape(t['status'])}</strong> {status_badge(agreement.status, True)}",
        f"<strong>{html.escape(t['template'])}</strong> "
        + html_link(uri, template_uri(template.id), template.title),
        f"<strong>{html.escape(t['id'])}</strong> {html_code(agreement.id)}",
        f"<strong>{html.escape(t['source'])}</strong> {html_code(agreement.source.path)}",
    ]
    downloads = download_links(uri, agreement.id, formats, t["downloads"])
    out.append(RawHtml("\n".join(p for p in (f"<p>{' · '.join(facts)}</p>", downloads) if p)))
    out += key_dates
    out += deviations_section(lib, agreement, uri)
    out.append(f"## {t['preview']} {{#preview}}\n")
    # The preview repeats the clauses' text: indexed, every search for a clause
    # word would list every agreement first, and a library of 10,000 agreements
    # would spend most of its build segmenting them. Clause pages are the hits.
    block = html_block(PREVIEW_MARK, "ck-preview", assembled.lang, searchable=False)
    out.append(RawHtml(block, searchable=False))
    # An agreement page repeats its clauses and its template's title: in the index,
    # 10,000 of them would bury the clause pages and cost most of a large build. Its
    # title is found through the template's list of agreements.
    page = make_page(uri, assembled.title, out, search=False)
    return replace(page, preview=assembled.text, one_of_many=True)

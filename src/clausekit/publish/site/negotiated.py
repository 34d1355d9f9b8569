"""Deviations on the site: an agreement's own wordings as redlines against the
standard clause text, and the "Negotiated terms" page listing, clause by clause,
which agreements word it their own way and how far (the playbook label)."""

from __future__ import annotations

import html

from clausekit.load.model import Agreement, Deviation, Library
from clausekit.publish.site.common import (
    INDEXES,
    GeneratedPage,
    RawHtml,
    Usage,
    agreement_link,
    clause_uri,
    html_code,
    html_link,
    labels,
    link,
    make_page,
    table,
)
from clausekit.publish.site.markup import html_block, md_code, md_text
from clausekit.publish.site.words import site_words
from clausekit.review.history import redline_fragment


def deviations_section(lib: Library, agreement: Agreement, uri: str) -> list[str | RawHtml]:
    """An agreement page's negotiated changes, each redlined against its clause."""
    if not agreement.deviations:
        return []
    template = lib.templates[agreement.template_id]
    t = labels(template.lang)
    out: list[str | RawHtml] = [f"## {t['deviations']} {{#deviations}}\n"]
    for cid, deviation in sorted(agreement.deviations.items()):
        clause = lib.clauses.get(cid)
        if clause is None:  # `check` reports it
            continue
        head = html_link(uri, clause_uri(cid), f"{clause.title} ({cid})")
        facts = [f"<strong>{head}</strong>", *_facts(deviation, t)]
        body = f"<p>{' · '.join(facts)}</p>\n" + redline_fragment(clause.body, deviation.text)
        out.append(RawHtml(html_block(body, "ck-redline", clause.lang or template.lang)))
    return out


def _facts(deviation: Deviation, t: dict[str, str]) -> list[str]:
    out = []
    for key, value in (
        ("label", deviation.label),
        ("from_version", deviation.from_version),
        ("approved_by", deviation.approved_by),
    ):
        if value:
            out.append(f"{html.escape(t[key])}: {html_code(value)}")
    return out


def negotiated_page(lib: Library, used: Usage) -> GeneratedPage:
    """Per clause, the agreements that deviate from it, with their labels."""
    uri = INDEXES["negotiated"]
    w = site_words(lib)
    out: list[str | RawHtml] = [f"# {w('negotiated')}\n", f"{w('negotiated_intro')}\n"]
    by_clause: dict[str, list[tuple[str, Deviation]]] = {}
    for aid in sorted(lib.agreements):
        for cid, deviation in lib.agreements[aid].deviations.items():
            by_clause.setdefault(cid, []).append((aid, deviation))
    if not by_clause:
        out.append(f"{w('no_negotiated')}\n")
    for cid in sorted(by_clause):
        clause = lib.clauses.get(cid)
        name = link(uri, clause_uri(cid), clause.title) if clause else md_code(cid)
        out.append(f"## {name} · {md_code(cid)}\n")
        rows = [
            [
                agreement_link(uri, aid, str(lib.agreements[aid].data.get("title") or aid), used),
                md_code(lib.agreements[aid].status),
                md_text(d.label or ""),
                md_text(d.approved_by or ""),
                md_text(d.from_version or ""),
            ]
            for aid, d in by_clause[cid]
        ]
        head = [w("agreement"), w("status"), w("position"), w("approved_by"), w("version")]
        out.append(table(head, rows))
    return make_page(uri, w("negotiated"), out)

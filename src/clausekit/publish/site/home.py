"""The library's home page: the templates first (which one do I need?), then the
figures and the recent changes.

Each template's entry is built by `template_entry` alone, so that more links (a form
to start an agreement, a calendar) go in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from clausekit.load.model import Clause, Library, Template, text_in
from clausekit.publish.site.common import (
    INDEXES,
    GeneratedPage,
    RawHtml,
    changelog,
    clause_uri,
    link,
    make_page,
    table,
    template_uri,
)
from clausekit.publish.site.documents import download_links
from clausekit.publish.site.form import new_agreement_link
from clausekit.publish.site.markup import md_text
from clausekit.publish.site.words import Words, site_words

RECENT = 10


def home_page(
    lib: Library, title: str, formats: list[str], more_links: Sequence[str] = ()
) -> GeneratedPage:
    """The library's home; `more_links` (Markdown) follow the links to the indexes."""
    uri = INDEXES["home"]
    w = site_words(lib)
    out: list[str | RawHtml] = [
        f"# {md_text(title)}\n",
        f"## {w('which_template')} {{#templates}}\n",
    ]
    for tid in sorted(lib.templates):
        out.extend(template_entry(lib.templates[tid], uri, formats, w))
    if not lib.templates:
        out.append(f"{w('no_templates')}\n")
    out.extend(_figures(lib, uri, w))
    out.extend(_recent_changes(lib, uri, w))
    keys = ("clause_index", "templates", "agreements", "tags")
    targets = ("clauses", "templates", "agreements", "tags")
    out.append(
        " · ".join(link(uri, INDEXES[k], w(key)) for key, k in zip(keys, targets, strict=True))
    )
    out += [f"\n{more}\n" for more in more_links]
    return make_page(uri, title, out)


def template_entry(
    template: Template, uri: str, formats: list[str], w: Words
) -> list[str | RawHtml]:
    """A template on the home page: title, what it is for, when to use it, its blank form."""
    out: list[str | RawHtml] = [f"### {link(uri, template_uri(template.id), template.title)}\n"]
    summary = _text(template, "summary")
    if summary:
        out.append(f"{md_text(summary)}\n")
    use_when = _text(template, "use_when")
    if use_when:
        out.append(f"**{w('use_when')}:** {md_text(use_when)}\n")
    out.append(f"{new_agreement_link(uri, template)}\n")
    blank = download_links(uri, f"blank/{template.id}", formats, w("blank"))
    if blank:
        out.append(RawHtml(blank))
    return out


def _text(template: Template, key: str) -> str:
    return text_in(template.data.get(key, ""), template.lang)


def _figures(lib: Library, uri: str, w: Words) -> list[str | RawHtml]:
    by_status = Counter(_status(c) for c in lib.clauses.values())
    by_lang = Counter(c.lang or lib.settings.lang for c in lib.clauses.values())
    agreements = Counter(a.status for a in lib.agreements.values())
    return [
        f"## {w('library_facts')} {{#figures}}\n",
        w.holds(len(lib.clauses), len(lib.templates), len(lib.agreements)) + "\n",
        f"### {w('by_status')}\n",
        table([w("status"), w("clauses")], _counts(by_status)),
        f"### {w('languages')}\n",
        table([w("lang"), w("clauses")], _counts(by_lang)),
        f"### {w('agreements_by_status')}\n",
        table([w("status"), w("agreements")], _counts(agreements)),
    ]


def _recent_changes(lib: Library, uri: str, w: Words) -> list[str | RawHtml]:
    rows = [
        [
            md_text(date),
            link(uri, clause_uri(clause.id), clause.title),
            md_text(entry.get("version", "")),
            md_text(entry.get("note", "")),
        ]
        for date, clause, entry in _recent(lib)[:RECENT]
    ]
    head = [w("date"), w("clause"), w("version"), w("note")]
    return [f"## {w('recent')} {{#recent}}\n", table(head, rows)]


def _status(clause: Clause) -> str:
    return str(clause.data.get("status", "draft"))


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

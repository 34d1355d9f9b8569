"""The site's view of paired clauses: a clause page links to its source or its
translations, and a bilingual template's page shows each clause beside its
translation (one row per clause, each text in its own language)."""

from __future__ import annotations

import html
import re

from clausekit.load.bilingual import is_bilingual
from clausekit.load.model import Clause, Library, Template
from clausekit.publish.site.common import RawHtml, clause_uri, html_link
from clausekit.publish.site.markup import clause_html, commonmark, descriptions, html_block
from clausekit.publish.site.words import site_words


def translation_links(lib: Library, clause: Clause, uri: str) -> str | None:
    """`译文 · Translations: …` or `原文 · Source: …`, as a paragraph of HTML."""
    named = clause.translates
    if named is not None:
        source = lib.clauses.get(named[0])
        target = (
            html_link(uri, clause_uri(named[0]), source.title)
            if source
            else html.escape(named[0], quote=False)
        )
        label = html.escape(site_words(lib)("source"), quote=False)
        version = html.escape(named[1], quote=False)
        return f"<p><strong>{label}</strong> {target} ({version})</p>"
    pairs = sorted(lib.translations.get(clause.id, {}).items())
    if not pairs:
        return None
    items = [f"{html_link(uri, clause_uri(c.id), c.title)} ({lang})" for lang, c in pairs]
    label = html.escape(site_words(lib)("translations"), quote=False)
    return f"<p><strong>{label}</strong> " + " · ".join(items) + "</p>"


def side_by_side(lib: Library, template: Template) -> list[str | RawHtml]:
    """A bilingual template's clauses, each beside its translation."""
    if not is_bilingual(template):
        return []
    first, second = template.languages
    rows = []
    for entry in template.outline.clause_entries():
        source = lib.clauses.get(entry.clause or "")
        if source is None:
            continue
        translation = lib.translations.get(source.id, {}).get(second)
        cells = [_cell(source, first), _cell(translation, second) if translation else "<td></td>"]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = f"<tr><th>{html.escape(first)}</th><th>{html.escape(second)}</th></tr>"
    table = f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    title = site_words(lib)("side_by_side")
    return [f"## {title} {{#side-by-side}}\n", RawHtml(html_block(table, "ck-parallel"))]


def _cell(clause: Clause, lang: str) -> str:
    body, _ = clause_html(clause.body, lang, descriptions(clause.variables))
    title = f"<p><strong>{html.escape(clause.title)}</strong></p>"
    return f'<td lang="{html.escape(lang)}">{title}\n{body}</td>'


ROW = re.compile(r"^:{4}\s*\{[^}]*\}\s*$", re.M)
CELL = re.compile(r'^:{3}\s*\{lang="([^"]+)"\}\s*$')
CLOSE = re.compile(r"^:{3,4}\s*$")


def preview_html(markdown: str) -> str:
    """A bilingual document's preview: each row of the parallel (or sequential) text as
    a table row, each language's cell rendered on its own.  Pandoc reads the fenced
    divs that assembly writes; markdown-it would print their markers as text."""
    rows: list[list[tuple[str, list[str]]]] = []
    cell: tuple[str, list[str]] | None = None
    for line in markdown.split("\n"):
        if ROW.match(line):
            rows.append([])
        elif (m := CELL.match(line)) and rows:
            cell = (m.group(1), [])
            rows[-1].append(cell)
        elif CLOSE.match(line):
            cell = None
        elif cell is not None:
            cell[1].append(line)
    out = ['<table class="ck-parallel"><tbody>']
    for row in rows:
        cells = "".join(
            f'<td lang="{html.escape(lang)}">{commonmark(chr(10).join(lines))}</td>'
            for lang, lines in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)

"""A clause page's comparisons: its alternatives beside the standard text, and a
redline between any two of its versions from git history."""

from __future__ import annotations

import html
from itertools import combinations, pairwise

from clausekit.load.model import Clause, Library
from clausekit.publish.site.common import RawHtml, clause_uri, html_link
from clausekit.publish.site.markup import clause_html, descriptions, html_block, md_text
from clausekit.review.history import Version, redline_fragment

# Versions compared pair by pair beyond consecutive ones: n(n-1)/2 redlines.
ANY_PAIR_UP_TO = 8


def alternatives(
    lib: Library, clause: Clause, uri: str, t: dict[str, str], describe: dict[str, str]
) -> list[str | RawHtml]:
    """Each alternative in a row beside the standard text, each with its link."""
    ids = clause.data.get("alternatives")
    if not isinstance(ids, list) or not ids:
        return []
    lang = clause.lang or lib.settings.lang
    out: list[str | RawHtml] = [f"## {t['alternatives']} {{#alternatives}}\n"]
    standard = _cell(clause, lang, describe, f"{t['standard']}: {clause.title}")
    rows = []
    for alt in map(str, ids):
        target = lib.clauses.get(alt)
        if target is None:  # `check` reports it; the page names it
            rows.append(f"<tr>{standard}<td><code>{html.escape(alt)}</code></td></tr>")
            continue
        head = html_link(uri, clause_uri(alt), f"{target.title} ({alt})")
        rows.append(f"<tr>{standard}{_cell(target, lang, describe, head, linked=True)}</tr>")
    heads = (
        f"<tr><th>{html.escape(t['standard'])}</th><th>{html.escape(t['alternative'])}</th></tr>"
    )
    body = f'<table class="ck-side">\n<thead>{heads}</thead>\n<tbody>\n'
    body += "".join(rows) + "\n</tbody></table>"
    out.append(RawHtml(html_block(body, "ck-alternatives", lang)))
    return out


def _cell(
    clause: Clause, lang: str, describe: dict[str, str], head: str, linked: bool = False
) -> str:
    body, _ = clause_html(
        clause.body, clause.lang or lang, {**describe, **descriptions(clause.variables)}
    )
    title = head if linked else html.escape(head)
    return f"<td><p><strong>{title}</strong></p>\n{body}</td>"


def redlines(versions: list[Version], lang: str, t: dict[str, str]) -> list[str | RawHtml]:
    """Each version against the one before it (newest first), then any two versions
    (older → newer), each pair folded, as found in git history."""
    out: list[str | RawHtml] = [f"## {t['redlines']} {{#redlines}}\n"]
    if len(versions) < 2:
        return [*out, f"{t['redlines_none']}\n"]
    for new, old in pairwise(versions):
        out.append(f"### {md_text(old.version)} → {md_text(new.version)}\n")
        out.append(RawHtml(html_block(redline_fragment(old.body, new.body), "ck-redline", lang)))
    wider = [
        (old, new)
        for new, old in combinations(versions[:ANY_PAIR_UP_TO], 2)
        if versions.index(old) - versions.index(new) > 1
    ]
    if wider:
        out.append(f"### {t['any_two']} {{#any-two-versions}}\n")
        folded = [
            f"<details><summary>{html.escape(old.version)} → {html.escape(new.version)}"
            f"</summary>\n{redline_fragment(old.body, new.body)}\n</details>"
            for old, new in wider
        ]
        out.append(RawHtml(html_block("\n".join(folded), "ck-redline", lang)))
    return out

"""A bilingual template seen in one of its languages.

A bilingual template (`languages: [zh-CN, en]`) names the clauses of its
first language; each one's translation is the clause whose `translates`
names it.  `language_view` turns the template into the plain one-language
template of either language: its clause ids replaced by their translations,
its per-language texts (`title`, group `heading`s, `numbering`) picked for
that language.  Entries keep their paths, so a problem found in a view
points at the template file as written.  Check and assembly both read the
views; nothing else about a language is special.
"""

from __future__ import annotations

from typing import Any

from clausekit.load.model import Library, Template, text_in


def is_bilingual(template: Template) -> bool:
    return len(template.languages) == 2


def translation_id(lib: Library, clause_id: str, lang: str) -> str | None:
    """The id of the clause that translates `clause_id` into `lang`, if there is one."""
    found = lib.translations.get(clause_id, {}).get(lang)
    return found.id if found is not None else None


def language_view(lib: Library, template: Template, lang: str) -> Template:
    """The template in `lang`: the template itself for its first language.

    A clause without a translation keeps its own id (check reports it as
    `missing-translation`), so the view is always a complete outline.
    """
    data = dict(template.data)
    if not is_bilingual(template):
        return template
    first = template.languages[0]

    def clause(cid: Any) -> Any:
        if lang == first or not isinstance(cid, str):
            return cid
        return translation_id(lib, cid, lang) or cid

    def entries(items: Any) -> Any:
        if not isinstance(items, list):
            return items
        out: list[Any] = []
        for item in items:
            if isinstance(item, str):
                out.append(clause(item))
            elif isinstance(item, dict):
                new = dict(item)
                if "clause" in new:
                    new["clause"] = clause(new["clause"])
                if "heading" in new:
                    new["heading"] = text_in(new["heading"], lang)
                if "children" in new:
                    new["children"] = entries(new["children"])
                out.append(new)
            else:
                out.append(item)
        return out

    numbering = data.get("numbering")
    data.update(
        lang=lang,
        title=text_in(data.get("title", template.id), lang),
        preamble=entries(data.get("preamble")),
        body=entries(data.get("body")),
        signature=clause(data.get("signature")),
        annexes=entries(data.get("annexes")),
        numbering=numbering.get(lang) if isinstance(numbering, dict) else numbering,
    )
    for key in ("languages", "layout", "prevails"):
        data.pop(key, None)
    if data["numbering"] is None:
        data.pop("numbering")
    for key in ("signature", "annexes"):
        if data[key] is None:
            data.pop(key)
    doc = template.doc.with_value(data)
    return Template(template.id, template.source, doc, template.default_lang)

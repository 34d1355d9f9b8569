"""A bilingual document: the template assembled in each language, then set together.

Each language is assembled on its own, from the template's view in that
language (`load.bilingual.language_view`), with its own numbering style, so
`ref()` prints `第五条` in the Chinese text and `Article 5` in the English.
The two outlines are the same (a translation mirrors its source, and the
same values decide every `when`), so article *n* of one text is article *n*
of the other.

The Markdown marks the layout with fenced divs, which Pandoc reads and the
renderer (`render.parallel`) turns into a two-column table or grid:

    :::: {.ck-row}            one per article (and the preamble, the signature)
    ::: {lang="zh-CN"}
    …
    :::
    ::: {lang="en"}
    …
    :::
    ::::

A sequential document is one `{.ck-text lang=…}` div per language, the
second opening with its own title (`{.ck-title}`).
"""

from __future__ import annotations

import json

from clausekit.assemble.document import render
from clausekit.assemble.model import Assembled, InputRef
from clausekit.check import Checked, TemplateScope, Values
from clausekit.errors import Problem
from clausekit.language.sandbox import Blank, environment, md_escape
from clausekit.load.bilingual import language_view
from clausekit.load.model import text_in


def render_bilingual(
    checked: Checked,
    scope: TemplateScope,
    values: Values,
    title: str | None,
    extra: InputRef | None,
) -> tuple[Assembled | None, list[Problem]]:
    """The bilingual document; `title` (an agreement's own) replaces the first language's."""
    template = scope.template
    texts: list[Assembled] = []
    problems: list[Problem] = []
    for i, lang in enumerate(template.languages):
        view = language_view(checked.lib, template, lang)
        view_scope = TemplateScope(view, scope.problems, scope.declarations, scope.key)
        own_title = title if (i == 0 and title) else text_in(template.data.get("title"), lang)
        assembled, found = render(checked, view_scope, _in(values, lang), own_title, None)
        problems += found
        if assembled is not None:
            texts.append(assembled)
    if problems or len(texts) != 2:
        return None, sorted(set(problems))
    first, second = texts
    body = _parallel(first, second) if template.layout == "parallel" else _sequential(first, second)
    meta = {"title": md_escape(first.title), "lang": first.lang}
    if template.layout == "parallel":
        meta["subtitle"] = md_escape(second.title)
    front = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())
    inputs = list(first.inputs) + [i for i in second.inputs if i not in first.inputs]
    if extra:
        inputs.append(extra)
    return (
        Assembled(
            f"---\n{front}---\n\n{body}",
            first.title,
            first.lang,
            tuple(inputs),
            first.numbering,
            first.headings,
            sections=first.sections,
            layout=template.layout,
            languages=(first.lang, second.lang),
        ),
        [],
    )


def _in(values: Values, lang: str) -> Values:
    """The values with a computed value left blank printed as `lang`'s blank."""
    if not values.lenient:
        return values
    env = environment(lang, True)
    context = {
        k: env.undefined(name=k) if isinstance(v, Blank) else v for k, v in values.context.items()
    }
    return Values(context, True)


def _div(text: str, attrs: str, colons: int = 3) -> str:
    fence = ":" * colons
    return f"{fence} {{{attrs}}}\n{text}\n{fence}" if text else f"{fence} {{{attrs}}}\n{fence}"


def _parallel(first: Assembled, second: Assembled) -> str:
    rows = []
    for (kind, a), (_, b) in zip(first.sections, second.sections, strict=True):
        if not a and not b:
            continue  # a template without a preamble or signature
        cells = _div(a, f'lang="{first.lang}"') + "\n\n" + _div(b, f'lang="{second.lang}"')
        rows.append(_div(cells, f".ck-row .ck-{kind}", 4))
    return "\n\n".join(rows) + "\n"


def _sequential(first: Assembled, second: Assembled) -> str:
    one = "\n\n".join(s for _, s in first.sections if s)
    two = "\n\n".join(s for _, s in second.sections if s)
    title = _div(md_escape(second.title), ".ck-title")
    return (
        _div(one, f'.ck-text lang="{first.lang}"', 4)
        + "\n\n"
        + _div(f"{title}\n\n{two}", f'.ck-text lang="{second.lang}"', 4)
        + "\n"
    )

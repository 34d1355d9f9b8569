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

The Word text (`Assembled.word_markdown`) has the same layout, made of each
language's Word text; each text's bookmarks carry its language (`_RefCkZhCN5`,
`_RefCkEn5`), so a reference finds the heading of its own text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from clausekit.assemble.document import joined, render
from clausekit.assemble.model import Assembled, InputRef
from clausekit.assemble.numbering import bookmark_tag
from clausekit.check import Checked, TemplateScope, Values
from clausekit.errors import Problem
from clausekit.language.sandbox import Blank, environment, md_escape
from clausekit.load.bilingual import language_view
from clausekit.load.model import Deviation, text_in


def render_bilingual(
    checked: Checked,
    scope: TemplateScope,
    values: Values,
    title: str | None,
    extra: InputRef | None,
    deviations: Mapping[str, Deviation] | None = None,
    agreement_path: str = "",
) -> tuple[Assembled | None, list[Problem]]:
    """The bilingual document; `title` (an agreement's own) replaces the first language's.
    `deviations` (by clause id, of either language) replace their clauses' bodies."""
    template = scope.template
    texts: list[Assembled] = []
    problems: list[Problem] = []
    for i, lang in enumerate(template.languages):
        view = language_view(checked.lib, template, lang)
        view_scope = TemplateScope(view, scope.problems, scope.declarations, scope.key)
        own_title = title if (i == 0 and title) else text_in(template.data.get("title"), lang)
        assembled, found = render(
            checked,
            view_scope,
            _in(values, lang),
            own_title,
            None,
            tag=bookmark_tag(lang),
            deviations=deviations,
            agreement_path=agreement_path,
        )
        problems += found
        if assembled is not None:
            texts.append(assembled)
    if problems or len(texts) != 2:
        return None, sorted(set(problems))
    first, second = texts
    layout = _parallel if template.layout == "parallel" else _sequential
    meta = {"title": md_escape(first.title), "lang": first.lang}
    if template.layout == "parallel":
        meta["subtitle"] = md_escape(second.title)
    front = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())
    word = layout(first.word_sections, second.word_sections, first, second)
    inputs = list(first.inputs) + [i for i in second.inputs if i not in first.inputs]
    if extra:
        inputs.append(extra)
    return (
        Assembled(
            f"---\n{front}---\n\n{layout(first.sections, second.sections, first, second)}",
            first.title,
            first.lang,
            tuple(inputs),
            first.numbering,
            first.headings,
            f"---\n{front}---\n\n{word}",
            sections=first.sections,
            layout=template.layout,
            languages=(first.lang, second.lang),
            numberings=(first.numbering, second.numbering),
            signature_borders=template.signature_borders,
            first_line_indent=template.first_line_indent,
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


Sections = tuple[tuple[str, str], ...]


def _signed(sections: Sections) -> Sections:
    """The sections with the signature part in a `.ck-sign` div: each language's
    signature block is held together and unruled in print (`render.signature`)."""
    return tuple((k, _div(t, ".ck-sign") if k == "signature" and t else t) for k, t in sections)


def _parallel(one: Sections, two: Sections, first: Assembled, second: Assembled) -> str:
    """One `.ck-row` per section: the two texts' sections side by side."""
    rows = []
    for (kind, a), (_, b) in zip(_signed(one), _signed(two), strict=True):
        if not a and not b:
            continue  # a template without a preamble or signature
        cells = _div(a, f'lang="{first.lang}"') + "\n\n" + _div(b, f'lang="{second.lang}"')
        rows.append(_div(cells, f".ck-row .ck-{kind}", 4))
    return "\n\n".join(rows) + "\n"


def _sequential(one: Sections, two: Sections, first: Assembled, second: Assembled) -> str:
    """One `.ck-text` per language; the second opens with its title."""
    title = _div(md_escape(second.title), ".ck-title")
    return (
        _div(joined(_signed(one)), f'.ck-text lang="{first.lang}"', 4)
        + "\n\n"
        + _div(f"{title}\n\n{joined(_signed(two))}", f'.ck-text lang="{second.lang}"', 4)
        + "\n"
    )

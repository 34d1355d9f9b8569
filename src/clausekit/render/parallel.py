"""Bilingual PDF and HTML: the two texts side by side (parallel) or one after the other.

`assemble.bilingual` marks the layout in the Markdown with fenced divs; Pandoc
reads them into its AST (`-t json`), this module rewrites the AST, and Pandoc
writes the result (the DOCX is Word-native and made in one Pandoc pass:
`render.bilingual_word`):

* parallel, HTML: one table of two columns, a header row naming the languages,
  one row per article;
* parallel, PDF: one Typst `grid` with a repeating `grid.header`, each cell set
  in its own language and fonts (Chinese faces for the Chinese column, Latin
  faces first for the English one);
* sequential: the second text starts on a new page with its own title, set in
  its own language and fonts.

Only structure is rewritten: every text node goes through Pandoc's writer and
its escaping, so a value can no more break out of a cell than out of a
paragraph.  Raw blocks hold only what this module writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from clausekit.render.bilingual_word import LANGUAGE_NAMES
from clausekit.render.fonts import FONT_SETS, lang_key
from clausekit.render.page import page_style
from clausekit.render.pandoc import run_pandoc
from clausekit.render.pdf import compile_typst, template_path
from clausekit.render.signature import MARK

Block = dict[str, Any]


def render_bilingual(
    markdown: str,
    lang: str,
    fmt: str,
    what: str,
    fonts: Sequence[str | Path] | None = None,
    signature_borders: bool = False,
) -> bytes:
    """PDF or HTML bytes of an assembled bilingual document."""
    if fmt == "pdf":
        typst = typst_source(markdown, lang, what)
        return compile_typst(typst, lang, what, fonts, signature_borders=signature_borders)
    if fmt != "html":
        raise ValueError(f"no bilingual {fmt} here: the DOCX is render.bilingual_word's")
    ast = json.loads(run_pandoc(markdown, "json", [], what))
    ast["blocks"] = _table_blocks(ast["blocks"])
    return run_pandoc(json.dumps(ast), "html5", ["--standalone"], what, "json")


def typst_source(markdown: str, lang: str, what: str) -> str:
    """The Typst source of a bilingual document's PDF."""
    ast = json.loads(run_pandoc(markdown, "json", [], what))
    ast["blocks"] = _subtitle(ast) + _typst_blocks(_signature_labels(ast["blocks"]))
    typst = run_pandoc(
        json.dumps(ast), "typst", ["--standalone", f"--template={template_path()}"], what, "json"
    )
    return typst.decode("utf-8")


def _signature_labels(blocks: list[Block]) -> list[Block]:
    """Each language's signature part (a `.ck-sign` div) labelled `<ckSignature>`, so
    the template's rule for the signature block applies to both (a Typst label may
    stand on more than one element)."""
    out = []
    for block in blocks:
        if block.get("t") == "Div":
            attr, inner = block["c"]
            if "ck-sign" in attr[1]:
                attr = [MARK, [c for c in attr[1] if c != "ck-sign"], attr[2]]
            block = {"t": "Div", "c": [attr, _signature_labels(inner)]}
        out.append(block)
    return out


# -- reading the marks ----------------------------------------------------------


def _classes(block: Block) -> list[str]:
    return list(block["c"][0][1]) if block.get("t") == "Div" else []


def _lang_of(block: Block) -> str:
    return str(dict(block["c"][0][2]).get("lang", ""))


def _cells(row: Block) -> list[Block]:
    """The two language divs of a `.ck-row`."""
    return [b for b in row["c"][1] if b.get("t") == "Div"]


def _raw(fmt: str, text: str) -> Block:
    return {"t": "RawBlock", "c": [fmt, text]}


def _plain(text: str) -> Block:
    return {"t": "Plain", "c": [{"t": "Strong", "c": [{"t": "Str", "c": text}]}]}


# -- HTML: a table ------------------------------------------------------------------


def _rows_set_apart(
    blocks: list[Block],
    rows_as: Callable[[list[Block]], list[Block]],
    other_as: Callable[[Block], list[Block]],
) -> list[Block]:
    """Each run of `ck-row` divs set by `rows_as` (a table, a grid), the rest by
    `other_as`, in document order."""
    out: list[Block] = []
    rows: list[Block] = []
    for block in blocks:
        if "ck-row" in _classes(block):
            rows.append(block)
            continue
        if rows:
            out.extend(rows_as(rows))
            rows = []
        out.extend(other_as(block))
    if rows:
        out.extend(rows_as(rows))
    return out


def _table_blocks(blocks: list[Block]) -> list[Block]:
    return _rows_set_apart(blocks, lambda rows: [_table(rows)], _sequential_part)


def _cell(blocks: list[Block]) -> list[Any]:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]


def _table(rows: list[Block]) -> Block:
    langs = [_lang_of(c) for c in _cells(rows[0])]
    header = [["", [], []], [_cell([_plain(LANGUAGE_NAMES[lang_key(x)])]) for x in langs]]
    body = [
        [["", [], []], [_cell([c]) for c in _cells(row)]]  # the language div keeps its lang
        for row in rows
    ]
    colspec = [{"t": "AlignDefault"}, {"t": "ColWidth", "c": 0.5}]
    return {
        "t": "Table",
        "c": [
            ["", ["ck-parallel"], []],
            [None, []],
            [colspec, colspec],
            [["", [], []], [header]],
            [[["", [], []], 0, [], body]],
            [["", [], []], []],
        ],
    }


def _sequential_part(block: Block) -> list[Block]:
    """A `.ck-text` div: the second one under its own title."""
    if "ck-text" not in _classes(block):
        return [block]
    inner = [
        {"t": "Div", "c": [["", [], [["custom-style", "Title"]]], b["c"][1]]}
        if "ck-title" in _classes(b)
        else b
        for b in block["c"][1]
    ]
    return [{"t": "Div", "c": [block["c"][0], inner]}]


# -- PDF: a Typst grid ------------------------------------------------------------


def _typst_str(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Typst string literal for these names


def _set_language(lang: str) -> str:
    """Typst rules that set one cell (or one text) in `lang`'s language and fonts."""
    fonts = FONT_SETS[lang_key(lang)]
    body = ", ".join(_typst_str(f) for f in fonts.body)
    heading = ", ".join(_typst_str(f) for f in fonts.heading)
    region = ', region: "CN"' if lang_key(lang) == "zh" else ', region: "GB"'
    return (
        f'#set text(font: ({body},), lang: "{lang_key(lang)}"{region})\n'
        f"#show heading: set text(font: ({heading},))\n"
        # A half-width column justified spreads a line of long Latin words (addresses,
        # e-mails) into gaps; ragged right reads better in both languages.
        "#set par(justify: false)\n"
        # Each language's own first-line indent (two characters in Chinese).
        f"#set par(first-line-indent: (amount: {page_style(lang).indent}pt, all: true))"
    )


def _typst_blocks(blocks: list[Block]) -> list[Block]:
    return _rows_set_apart(blocks, _grid, _typst_text)


def _subtitle(ast: dict[str, Any]) -> list[Block]:
    """The second language's title under the first (the Typst template shows only `title`)."""
    sub = ast.get("meta", {}).pop("subtitle", None)
    if not sub:
        return []
    inlines = sub["c"] if sub.get("t") == "MetaInlines" else [{"t": "Str", "c": ""}]
    return [
        _raw("typst", "#align(center, block(above: -0.8em, below: 1.8em, text(size: 14pt)["),
        {"t": "Plain", "c": inlines},
        _raw("typst", "]))"),
    ]


def _grid(rows: list[Block]) -> list[Block]:
    langs = [_lang_of(c) for c in _cells(rows[0])]
    head = ", ".join(f"[*{LANGUAGE_NAMES[lang_key(x)]}*]" for x in langs)
    out = [
        _raw(
            "typst",
            "#grid(\n  columns: (1fr, 1fr),\n  column-gutter: 1.6em,\n  row-gutter: 1.2em,\n"
            f"  grid.header({head}),",
        )
    ]
    for row in rows:
        for cell in _cells(row):
            out.append(_raw("typst", f"[\n{_set_language(_lang_of(cell))}"))
            out.extend(cell["c"][1])
            out.append(_raw("typst", "],"))
    out.append(_raw("typst", ")"))
    return out


def _typst_text(block: Block) -> list[Block]:
    """A `.ck-text` div in its language; the second starts a page under its own title."""
    if "ck-text" not in _classes(block):
        return [block]
    out = [_raw("typst", f"#[\n{_set_language(_lang_of(block))}")]
    for inner in block["c"][1]:
        if "ck-title" in _classes(inner):
            out.append(
                _raw(
                    "typst",
                    "#pagebreak(weak: true)\n#align(center, block(below: 1.6em, "
                    'text(size: 16pt, weight: "bold")[',
                )
            )
            out.extend(inner["c"][1])
            out.append(_raw("typst", "]))"))
        else:
            out.append(inner)
    out.append(_raw("typst", "]"))
    return out

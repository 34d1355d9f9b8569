"""Bilingual documents: the two texts side by side (parallel) or one after the other.

`assemble.bilingual` marks the layout in the Markdown with fenced divs; Pandoc
reads them into its AST (`-t json`), this module rewrites the AST, and Pandoc
writes the result:

* parallel, DOCX and HTML: one table of two columns, a header row naming the
  languages (Word repeats it on every page), one row per article, each row
  free to break across pages (no `cantSplit`), without borders unless the
  reference DOCX has a `ParallelTable` table style;
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
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from clausekit.errors import BuildError
from clausekit.render.docx import reference_docx, rewrite_member, set_lines, stamp_core_dates
from clausekit.render.fonts import FONT_SETS, lang_key
from clausekit.render.pandoc import run_pandoc
from clausekit.render.pdf import compile_typst, template_path

Block = dict[str, Any]

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
PARALLEL_STYLE = "ParallelTable"


def render_bilingual(
    markdown: str, lang: str, fmt: str, what: str, fonts: Sequence[str | Path] | None = None
) -> bytes:
    """DOCX, PDF or HTML bytes of an assembled bilingual document."""
    ast = json.loads(run_pandoc(markdown, "json", [], what))
    if fmt == "pdf":
        ast["blocks"] = _subtitle(ast) + _typst_blocks(ast["blocks"])
        typst = run_pandoc(
            json.dumps(ast),
            "typst",
            ["--standalone", f"--template={template_path()}"],
            what,
            "json",
        )
        return compile_typst(typst.decode("utf-8"), lang, what, fonts)
    ast["blocks"] = _table_blocks(ast["blocks"], fmt)
    if fmt == "html":
        return run_pandoc(json.dumps(ast), "html5", ["--standalone"], what, "json")
    args = [f"--reference-doc={reference_docx(lang)}", "-o", "-"]
    docx = run_pandoc(json.dumps(ast), "docx", args, what, "json")
    return _borderless(stamp_core_dates(docx, what), lang, what)


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


# -- DOCX and HTML: a table --------------------------------------------------------


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


def _table_blocks(blocks: list[Block], fmt: str) -> list[Block]:
    return _rows_set_apart(blocks, lambda rows: [_table(rows)], lambda b: _sequential_part(b, fmt))


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


PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def _sequential_part(block: Block, fmt: str) -> list[Block]:
    """A `.ck-text` div: the second one starts on a new page, under its own title."""
    if "ck-text" not in _classes(block):
        return [block]
    inner = [
        {"t": "Div", "c": [["", [], [["custom-style", "Title"]]], b["c"][1]]}
        if "ck-title" in _classes(b)
        else b
        for b in block["c"][1]
    ]
    starts_page = any("ck-title" in _classes(b) for b in block["c"][1])
    breaker = [_raw("openxml", PAGE_BREAK)] if starts_page and fmt == "docx" else []
    return [*breaker, {"t": "Div", "c": [block["c"][0], inner]}]


_TBL = re.compile(r"<w:tbl>|</w:tbl>")


def _borderless(docx: bytes, lang: str, what: str) -> bytes:
    """The top-level tables (the parallel ones; a signature table sits in a cell)
    take the reference DOCX's `ParallelTable` style if it has one, else no borders."""
    styled = PARALLEL_STYLE.encode() in _reference_styles(lang)
    if styled:
        style = f'<w:tblStyle w:val="{PARALLEL_STYLE}" />'
    else:
        sides = "".join(
            f'<w:{s} w:val="nil" />'
            for s in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        style = f'<w:tblStyle w:val="Table" /><w:tblBorders>{sides}</w:tblBorders>'

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        out, depth, pos = [], 0, 0
        for m in _TBL.finditer(text):
            if m.group() == "</w:tbl>":
                depth -= 1
                continue
            if depth == 0:
                head = re.compile(r'<w:tblStyle w:val="Table" ?/>').match(text, m.end() + 9)
                if head is None:
                    raise BuildError(f"{what}: unexpected table XML from pandoc")
                out.append(text[pos : head.start()] + style)
                pos = head.end()
            depth += 1
        out.append(text[pos:])
        return "".join(out).encode("utf-8")

    return rewrite_member(docx, "word/document.xml", lambda xml: set_lines(change(xml)))


def _reference_styles(lang: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(reference_docx(lang)) as z:
        return z.read("word/styles.xml")


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
        "#set par(justify: false)"
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

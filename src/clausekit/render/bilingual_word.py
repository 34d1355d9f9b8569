"""The Word-native DOCX of a bilingual document (docs/word.md, docs/bilingual.md).

A bilingual document's Word text (`assemble.bilingual`) is the two languages'
Word texts, side by side in `.ck-row` divs (parallel) or one after the other in
`.ck-text` divs (sequential).  It goes through Pandoc once, like a one-language
document (`render.wordnative`); this module makes the layout without a second
Pandoc pass:

* each fence that opens a row, passes to the next cell or closes a row is
  replaced by a paragraph holding only a placeholder (U+E032, an index,
  U+E033), and the pass over `document.xml` replaces that paragraph by the
  OpenXML of the table: its start (properties, the header row naming the
  languages) before the first row, `<w:tr><w:tc>`, `</w:tc><w:tc>`,
  `</w:tc></w:tr>`, `</w:tbl>` after the last.  Each cell keeps its language
  div, so Pandoc marks its runs with the cell's language;
* the second text's title becomes a page break and a `Title` paragraph;
* the second text's numbered headings (their bookmarks carry its language,
  `_RefCkEn5`) are set in `Heading N (second text)`, a Heading N linked to the
  second text's list of its numbering style: the two texts count each on their
  own, even in the same style, and a heading a lawyer adds in the second column
  with that style gets that column's next number.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from clausekit.assemble.numbering import STYLES, bookmark_tag
from clausekit.language.marks import BLOCK_CLOSE, BLOCK_OPEN
from clausekit.render.docx import reference_docx
from clausekit.render.fonts import lang_key
from clausekit.render.page import page_style

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
PARALLEL_STYLE = "ParallelTable"
BLOCK = re.compile(f"{BLOCK_OPEN}(\\d+){BLOCK_CLOSE}")
# A paragraph Pandoc wrote for a placeholder of a block (it holds nothing else).
BLOCK_P = re.compile(
    f"<w:p>(?:(?!</w:p>).)*?{BLOCK_OPEN}(\\d+){BLOCK_CLOSE}(?:(?!</w:p>).)*?</w:p>", re.S
)
# The fences `assemble.bilingual` writes (`_div`), with the cell fence they sit by.
ROW_OPEN = re.compile(r'^:::: \{\.ck-row [^}\n]*\}\n(::: \{lang="[^"\n]*"\})$', re.M)
NEXT_CELL = re.compile(r'^:::\n\n(::: \{lang="[^"\n]*"\})$', re.M)
ROW_CLOSE = re.compile(r"^:::\n::::$", re.M)
TITLE = re.compile(r"^::: \{\.ck-title\}$", re.M)
# A page of A4 less the reference DOCX's margins, in twips, in two columns.
COLUMN = (11906 - 2 * 1797) // 2
CELL = f'<w:tc><w:tcPr><w:tcW w:w="{COLUMN}" w:type="dxa"/></w:tcPr>'
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
# A body paragraph as Pandoc writes it: its style alone in its properties.
BODY_P = re.compile(r'(<w:pPr><w:pStyle w:val="(?:BodyText|FirstParagraph)" ?/>)(</w:pPr>)')
KEEP_HEADING = re.compile(rb'(<w:pStyle w:val="Heading[1-9](?:Second)?" ?/>)')
RELEASE = b'<w:keepNext w:val="0"/><w:keepLines w:val="0"/>'
# A cell must end in a paragraph: after a table (the signature's) or when empty.
CELL_END = re.compile(r"(</w:tbl>|</w:tcPr>)(\s*</w:tc>)")


@dataclass
class BilingualWord:
    """The layout of a bilingual Word text: its blocks, and the second text's list."""

    blocks: list[str] = field(default_factory=list)
    second_tag: str = ""  # the language in the second text's bookmark names
    second_num: int = 0  # the numId of the second text's list
    parallel: bool = False  # the texts side by side in a table
    # Per column: the first-line indent (characters) of its body paragraphs where
    # its language's differs from the reference DOCX's Body Text (None: as styled).
    indents: tuple[int | None, int | None] = (None, None)

    def release_headings(self, xml: bytes) -> bytes:
        """A parallel table's headings without "keep with next" and "keep lines
        together": in a table cell they keep the whole row with the next one (Word,
        LibreOffice), which pushed each article's row to a new page and left the
        page before it half empty.  Run after `wordnative.edit_document` puts its
        numPr after the style: these go between the two, where the schema wants them."""
        if not self.parallel:
            return xml
        return KEEP_HEADING.sub(rb"\1" + RELEASE, xml)

    def marker(self, xml: str) -> str:
        """A Markdown paragraph standing for a block of OpenXML."""
        self.blocks.append(xml)
        return f"\n{BLOCK_OPEN}{len(self.blocks) - 1}{BLOCK_CLOSE}\n"

    def apply(self, xml: bytes) -> bytes:
        """document.xml with the blocks in place and the second text's headings listed."""
        text = BLOCK_P.sub(lambda m: self.blocks[int(m.group(1))], xml.decode("utf-8"))
        if BLOCK.search(text):
            raise ValueError("a placeholder of the bilingual layout is not a paragraph of its own")
        text = CELL_END.sub(r"\1<w:p/>\2", text)
        if self.parallel and self.indents != (None, None):
            cells = text.split(CELL)
            for k in range(1, len(cells)):
                chars = self.indents[(k - 1) % 2]  # two cells a row, first language first
                if chars is not None:
                    ind = f'<w:ind w:firstLineChars="{chars * 100}" w:firstLine="{chars * 240}"/>'
                    cells[k] = BODY_P.sub(rf"\1{ind}\2", cells[k])
            text = CELL.join(cells)
        return number_second_text(text, self.second_tag, self.second_num).encode("utf-8")


def second_list(style: str) -> int:
    """The numId of the second text's list of a numbering style: the reference DOCX
    defines each style's list twice (scripts/make_reference_docx.py)."""
    return STYLES.index(style) + 1 + len(STYLES) if style in STYLES else 0


def bilingual_layout(
    text: str, layout: str, languages: Sequence[str], numberings: Sequence[str], lang: str
) -> tuple[str, BilingualWord]:
    """The Word text with the layout's fences as placeholders, and its blocks."""
    word = BilingualWord(
        second_tag=bookmark_tag(languages[1]), second_num=second_list(numberings[1])
    )
    if layout == "parallel":
        word.parallel = True
        own = page_style(lang).indent_chars
        word.indents = tuple(  # type: ignore[assignment]
            None if page_style(x).indent_chars == own else page_style(x).indent_chars
            for x in languages[:2]
        )
        return _table(text, word, languages, lang), word
    out = TITLE.sub(lambda _: word.marker(PAGE_BREAK) + '\n::: {custom-style="Title"}', text)
    return out, word


def _table(text: str, word: BilingualWord, languages: Sequence[str], lang: str) -> str:
    rows = len(ROW_OPEN.findall(text))
    if not rows or len(ROW_CLOSE.findall(text)) != rows or len(NEXT_CELL.findall(text)) != rows:
        raise ValueError("the rows of the bilingual Word text are not as assembly writes them")
    opened, closed = itertools.count(), itertools.count()

    def open_row(m: re.Match[str]) -> str:
        head = table_start(languages, lang) if next(opened) == 0 else ""
        return word.marker(f"{head}<w:tr>{CELL}") + "\n" + m.group(1)

    def close_row(_: re.Match[str]) -> str:
        tail = "</w:tbl>" if next(closed) == rows - 1 else ""
        return ":::\n" + word.marker(f"</w:tc></w:tr>{tail}")

    text = ROW_OPEN.sub(open_row, text)
    text = NEXT_CELL.sub(
        lambda m: ":::\n" + word.marker(f"</w:tc>{CELL}") + "\n" + m.group(1), text
    )
    return ROW_CLOSE.sub(close_row, text)


def table_start(languages: Sequence[str], lang: str) -> str:
    """The table's properties and its header row naming the languages (Word repeats it
    on every page); rows may break across pages (no `cantSplit`)."""
    grid = f'<w:tblGrid><w:gridCol w:w="{COLUMN}"/><w:gridCol w:w="{COLUMN}"/></w:tblGrid>'
    header = "".join(_header_cell(x) for x in languages)
    style, borders = table_style(lang)  # tblPr is a sequence: tblBorders after tblW
    return (
        f'<w:tbl><w:tblPr>{style}<w:tblW w:type="pct" w:w="5000" />{borders}'
        '<w:tblLayout w:type="fixed" /><w:tblLook w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0" w:val="0020" />'
        f'</w:tblPr>{grid}<w:tr><w:trPr><w:tblHeader w:val="on" /></w:trPr>{header}</w:tr>'
    )


def _header_cell(lang: str) -> str:
    """The language's name, bold (in the East Asian font for Chinese, as Pandoc does)."""
    hint = '<w:rFonts w:hint="eastAsia" />' if lang_key(lang) == "zh" else ""
    return (
        f'{CELL}<w:p><w:pPr><w:pStyle w:val="Compact" /></w:pPr><w:r><w:rPr>{hint}<w:b />'
        f'<w:bCs /></w:rPr><w:t xml:space="preserve">{LANGUAGE_NAMES[lang_key(lang)]}</w:t>'
        "</w:r></w:p></w:tc>"
    )


@lru_cache(maxsize=4)
def table_style(lang: str) -> tuple[str, str]:
    """The table's style and borders: the reference DOCX's `ParallelTable` style if it
    has one, else its `Table` style without borders."""
    with zipfile.ZipFile(reference_docx(lang)) as z:
        styles = z.read("word/styles.xml")
    if PARALLEL_STYLE.encode() in styles:
        return f'<w:tblStyle w:val="{PARALLEL_STYLE}" />', ""
    sides = "".join(
        f'<w:{s} w:val="nil" />' for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return '<w:tblStyle w:val="Table" />', f"<w:tblBorders>{sides}</w:tblBorders>"


def number_second_text(xml: str, tag: str, num_id: int) -> str:
    """Each numbered heading of the second text (its bookmark, `_RefCk{tag}N`, is in
    its paragraph) in `Heading N (second text)`, the style that counts in the second
    text's list (`link_headings`)."""
    heading = re.compile(
        rf'<w:pStyle w:val="Heading([1-4])"( ?/>)(?=(?:(?!</w:p>).)*?w:name="_RefCk{tag}\d)', re.S
    )
    return heading.sub(r'<w:pStyle w:val="Heading\1Second"\2', xml) if num_id else xml

"""The page of a printed document, in one place for the DOCX and the PDF.

Lawyers quote page numbers, so a DOCX opened in Word or LibreOffice and the PDF
must break their pages alike.  Both are set from these figures: the reference
DOCX (scripts/make_reference_docx.py writes them into its styles and section)
and the Typst template (`render.pdf` hands them over as inputs).

Lines are set at a fixed pitch ("at least" in Word): a line's height then does not
depend on the font's own ascent and descent, which differ between SimSun in Word,
the Noto CJK faces LibreOffice substitutes for it, and the faces of the PDF.  The
space after a paragraph is added to the pitch, as Word adds "spacing after".
"""

from __future__ import annotations

from typing import NamedTuple

from clausekit.render.fonts import lang_key

# A4 in twentieths of a point (twips), the unit of the DOCX.
PAGE_WIDTH_TWIPS = 11906
PAGE_HEIGHT_TWIPS = 16838
# 2.54 cm top and bottom, 3.17 cm left and right: Word's defaults for Chinese documents.
MARGIN_TOP_TWIPS = 1440
MARGIN_SIDE_TWIPS = 1797


class PageStyle(NamedTuple):
    """Sizes in points of one language's documents."""

    body_size: float  # body text
    line_pitch: float  # baseline to baseline within a paragraph (at least)
    space_after: float  # added between two paragraphs
    title_size: float
    heading_sizes: tuple[float, float, float, float]  # levels 1-4
    heading_before: tuple[float, float]  # space above level 1, above levels 2-4
    heading_after: float
    # The first line of a body paragraph indented by this many characters (the
    # text's size each) unless the template says otherwise (`print.first_line_indent`).
    indent_chars: int

    @property
    def indent(self) -> float:
        return self.indent_chars * self.body_size


PAGE_STYLES: dict[str, PageStyle] = {
    # 小四 body on a 20 pt pitch, 小二 title, 四号 articles: the common Chinese contract.
    "zh": PageStyle(
        body_size=12,
        line_pitch=20,
        space_after=6,
        title_size=18,
        heading_sizes=(14, 12, 12, 12),
        heading_before=(12, 6),
        heading_after=6,
        indent_chars=2,
    ),
    "en": PageStyle(
        body_size=12,
        line_pitch=16,
        space_after=6,
        title_size=16,
        heading_sizes=(13, 12, 12, 12),
        heading_before=(12, 6),
        heading_after=6,
        indent_chars=0,
    ),
}


def page_style(lang: str) -> PageStyle:
    return PAGE_STYLES[lang_key(lang)]


def twips(points: float) -> int:
    return round(points * 20)


def typst_inputs(lang: str, first_line_indent: bool | None) -> dict[str, str]:
    """The Typst template's inputs for a document in `lang` (all strings, in points);
    `first_line_indent` None takes the language's default."""
    style = page_style(lang)
    indent = (
        style.indent
        if first_line_indent is None
        else (2 * style.body_size if first_line_indent else 0)
    )
    return {
        "body-size": f"{style.body_size}",
        "line-pitch": f"{style.line_pitch}",
        "space-after": f"{style.space_after}",
        "title-size": f"{style.title_size}",
        "heading-sizes": "|".join(f"{s}" for s in style.heading_sizes),
        "heading-before": "|".join(f"{s}" for s in style.heading_before),
        "heading-after": f"{style.heading_after}",
        "indent": f"{indent}",
    }

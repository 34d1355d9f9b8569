#!/usr/bin/env python3
"""Regenerate src/clausekit/assets/reference-{zh,en}.docx from Pandoc's default.

Pandoc takes styles, page setup, headers and footers from a reference DOCX. We
start from the reference.docx of the Pandoc that clausekit runs (so the style
names match what its writer emits) and edit the XML:

* the page of `clausekit.render.page`, which the Typst template is set from too, so
  that the DOCX and the PDF break their pages alike: A4 paper, 2.54 cm top/bottom and
  3.17 cm left/right margins (Word's defaults for Chinese documents), text sizes, a
  fixed line pitch ("at least"), the space after paragraphs and around headings, and
  the first-line indent of body paragraphs (two characters in Chinese);
* real fonts instead of theme fonts: Word resolves `w:asciiTheme` / `w:eastAsiaTheme`
  *before* `w:ascii` / `w:eastAsia`, so a theme attribute left in place silently wins
  and Chinese text comes out in the theme's font. We remove every theme attribute and
  set SimSun (body) / SimHei (headings) for zh, Times New Roman for en;
* black, bold headings with a size per level, kept with the next paragraph;
* a centred, bold title;
* a bordered default table style (a signature table is set without borders by
  `clausekit.render.signature` unless the template asks for them);
* list items and table cells (`Compact`) without space between them or an indent;
* a `Lines` paragraph style, left aligned, for lines broken by hand (party blocks);
* a footer with the page number field: `第 X 页 共 Y 页` / `Page X of Y`;
* one Word multilevel list per numbering style (docs/word.md; abstractNumId and numId
  1-4 in the order of `clausekit.assemble.numbering.STYLES`; Pandoc keeps reference
  definitions below 990 and numbers its own lists from 990), with Heading 1-4 linked
  to the first; `clausekit.render.wordnative` relinks them to the document's style;
  and a second list per style (5-8), for the second text of a bilingual document.

The output is deterministic (fixed zip timestamps, fixed member order), so running
this script twice gives identical files. Run: `.venv/bin/python scripts/make_reference_docx.py`.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ET.register_namespace("w", W)
ET.register_namespace("r", R)

ASSETS = Path(__file__).resolve().parent.parent / "src" / "clausekit" / "assets"
sys.path.insert(0, str(ASSETS.parent.parent))
from clausekit.render.page import (  # noqa: E402  (the source tree, not an installed copy)
    MARGIN_SIDE_TWIPS,
    MARGIN_TOP_TWIPS,
    PAGE_HEIGHT_TWIPS,
    PAGE_STYLES,
    PAGE_WIDTH_TWIPS,
    twips,
)

FOOTER_REL_ID = "rIdClausekitFooter"
THEME_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")

# Per language: body fonts (ascii/hAnsi/cs, eastAsia), heading fonts, sizes in half-points.
LANGS: dict[str, dict[str, object]] = {
    "zh": {
        "body": ("Times New Roman", "SimSun"),
        "heading": ("SimHei", "SimHei"),
        "lang": ("en-US", "zh-CN"),
        "footer": ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"),
    },
    "en": {
        "body": ("Times New Roman", "Times New Roman"),
        "heading": ("Times New Roman", "Times New Roman"),
        "lang": ("en-GB", "zh-CN"),
        "footer": ("Page ", "PAGE", " of ", "NUMPAGES", ""),
    },
}

# Fonts Word does not know by their English names on every system: give their
# Chinese alternates and GB2312 charset so substitution picks a Song/Hei face.
EXTRA_FONTS = """
  <w:font w:name="SimSun"><w:altName w:val="宋体"/><w:panose1 w:val="02010600030101010101"/>\
<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>
  <w:font w:name="SimHei"><w:altName w:val="黑体"/><w:panose1 w:val="02010609060101010101"/>\
<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
"""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def pandoc_default_reference() -> bytes:
    sys.path.insert(0, str(ASSETS.parent.parent))
    from clausekit.render.pandoc import pandoc_path

    return subprocess.run(
        [str(pandoc_path()), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    ).stdout


def set_fonts(rpr: ET.Element, latin: str, east_asia: str) -> None:
    fonts = child(rpr, "rFonts")
    for attr in THEME_ATTRS:
        fonts.attrib.pop(w(attr), None)
    fonts.set(w("ascii"), latin)
    fonts.set(w("hAnsi"), latin)
    fonts.set(w("cs"), latin)
    fonts.set(w("eastAsia"), east_asia)


# Word rejects a file whose elements are out of schema order, so new children are
# inserted at their place in these sequences (from ECMA-376 part 1, §17.3 and §17.4).
def seq(names: str) -> tuple[str, ...]:
    return tuple(names.split())


ORDER: dict[str, tuple[str, ...]] = {
    "rPr": seq(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
        "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout"
    ),
    "pPr": seq(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "tblPr": seq(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
    ),
    "style": seq(
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
        "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr "
        "tblPr trPr tcPr tblStylePr"
    ),
    "numPr": seq("ilvl numId"),
    "tblBorders": seq("top left bottom right insideH insideV"),
    "tblCellMar": seq("top left bottom right"),
}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(parent: ET.Element, tag: str) -> ET.Element:
    """The `tag` child of `parent`, created at its schema position if missing."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    new = ET.Element(w(tag))
    order = ORDER.get(local(parent.tag))
    if order is None or tag not in order:
        parent.append(new)
        return new
    rank = order.index(tag)
    for i, existing in enumerate(list(parent)):
        name = local(existing.tag)
        if name in order and order.index(name) > rank:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


def set_size(rpr: ET.Element, points: float) -> None:
    for tag in ("sz", "szCs"):
        child(rpr, tag).set(w("val"), str(round(points * 2)))


def set_spacing(ppr: ET.Element, before: float, after: float, pitch: float) -> None:
    """Space before and after in points, and the line pitch "at least" `pitch`."""
    sp = child(ppr, "spacing")
    sp.set(w("before"), str(twips(before)))
    sp.set(w("after"), str(twips(after)))
    sp.set(w("line"), str(twips(pitch)))
    sp.set(w("lineRule"), "atLeast")


def set_indent(ppr: ET.Element, chars: int, points: float) -> None:
    """The first-line indent: in characters for Word (`firstLineChars`, hundredths),
    in twips for readers that do not know characters."""
    ind = child(ppr, "ind")
    ind.set(w("firstLineChars"), str(chars * 100))
    ind.set(w("firstLine"), str(twips(points)))


def set_bold_black(rpr: ET.Element) -> None:
    for tag in ("i", "iCs", "color"):
        for el in rpr.findall(w(tag)):
            rpr.remove(el)
    child(rpr, "b")
    child(rpr, "bCs")


def edit_styles(xml: bytes, lang: str) -> bytes:
    cfg = LANGS[lang]
    root = ET.fromstring(xml)
    body_latin, body_ea = cfg["body"]  # type: ignore[misc]
    head_latin, head_ea = cfg["heading"]  # type: ignore[misc]
    lang_val, lang_ea = cfg["lang"]  # type: ignore[misc]
    page = PAGE_STYLES[lang]

    defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    assert defaults is not None
    set_fonts(defaults, body_latin, body_ea)
    set_size(defaults, page.body_size)
    pdefaults = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
    assert pdefaults is not None
    set_spacing(pdefaults, 0, 0, page.line_pitch)
    lang = child(defaults, "lang")
    lang.set(w("val"), lang_val)
    lang.set(w("eastAsia"), lang_ea)

    for style in root.findall(w("style")):
        sid = style.get(w("styleId"), "")
        ppr = style.find(w("pPr"))
        rpr = style.find(w("rPr"))
        # Every remaining theme font reference would override our explicit fonts.
        if rpr is not None and rpr.find(w("rFonts")) is not None:
            set_fonts(rpr, body_latin, body_ea)
        m = re.fullmatch(r"Heading(\d)(Char)?", sid)
        if sid in ("Title", "TitleChar", "Subtitle", "SubtitleChar") or m:
            rpr = rpr if rpr is not None else child(style, "rPr")
            set_fonts(rpr, head_latin, head_ea)
            set_bold_black(rpr)
            for el in rpr.findall(w("spacing")):
                rpr.remove(el)
            if sid.startswith("Title"):
                set_size(rpr, page.title_size)
            elif m:
                level = int(m.group(1))
                set_size(rpr, page.heading_sizes[min(level, 4) - 1])
        if sid == "Title" and ppr is not None:
            child(ppr, "jc").set(w("val"), "center")
            set_spacing(ppr, 0, 18, page.line_pitch)
        if m and m.group(2) is None and ppr is not None:
            if int(m.group(1)) <= 4:  # Heading 1-4 carry the document's numbering
                num = child(ppr, "numPr")
                child(num, "ilvl").set(w("val"), str(int(m.group(1)) - 1))
                child(num, "numId").set(w("val"), "1")
            before = page.heading_before[0 if m.group(1) == "1" else 1]
            set_spacing(ppr, before, page.heading_after, page.line_pitch)
        if sid == "BodyText" and ppr is not None:
            set_spacing(ppr, 0, page.space_after, page.line_pitch)
            child(ppr, "jc").set(w("val"), "both")
            set_indent(ppr, page.indent_chars, page.indent)
        if sid == "Compact" and ppr is not None:
            set_spacing(ppr, 0, 0, page.line_pitch)
            set_indent(ppr, 0, 0)
        if sid == "Table":
            add_table_borders(style)
    root.append(lines_style())
    for level in range(1, 5):
        root.append(second_heading_style(level))
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root)


def lines_style() -> ET.Element:
    """`Lines`: body text set left aligned, for paragraphs whose lines are broken by
    hand (party blocks, addresses, contact lines); `clausekit.render.docx.set_lines`
    gives it to every body paragraph holding a manual line break.  Justified, a line
    that wraps before a long e-mail address is stretched into "联 系 方 式 ："."""
    style = ET.fromstring(
        f'<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="1" w:styleId="Lines">'
        '<w:name w:val="Lines"/><w:basedOn w:val="BodyText"/><w:qFormat/>'
        '<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/></w:pPr>'
        "</w:style>"
    )
    return style


def second_heading_style(level: int) -> ET.Element:
    """`Heading N (second text)`: the headings of a bilingual document's second text,
    a Heading N that counts in the second list of the numbering style (numIds 5-8,
    `heading_numbering_xml`), so a lawyer who applies it to a new paragraph of the
    second column gets that column's next number.  The writer links it to the
    document's second style, as it links Heading 1-4 to the first."""
    from clausekit.assemble.numbering import STYLES

    style = ET.fromstring(
        f'<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="1" '
        f'w:styleId="Heading{level}Second"><w:name w:val="Heading {level} (second text)"/>'
        f'<w:basedOn w:val="Heading{level}"/><w:next w:val="BodyText"/>'
        f'<w:pPr><w:numPr><w:ilvl w:val="{level - 1}"/>'
        f'<w:numId w:val="{len(STYLES) + 1}"/></w:numPr>'
        f'<w:outlineLvl w:val="{level - 1}"/></w:pPr></w:style>'
    )
    return style


def add_table_borders(style: ET.Element) -> None:
    tblpr = child(style, "tblPr")
    borders = child(tblpr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = child(borders, side)
        b.set(w("val"), "single")
        b.set(w("sz"), "4")
        b.set(w("space"), "0")
        b.set(w("color"), "000000")
    mar = tblpr.find(w("tblCellMar"))
    if mar is not None:
        for side in ("top", "bottom"):
            child(mar, side).set(w("w"), "60")


def heading_numbering_xml() -> tuple[str, str]:
    """The abstractNum and num elements of the heading numbering styles: one list per
    style for a document's (first) text, then a second one per style for the second
    text of a bilingual document, so that the two texts count on their own even in
    the same style (`clausekit.render.wordnative.second_list`)."""
    from clausekit.assemble.numbering import STYLES, WORD_LEVELS, word_suffix

    abstracts, nums = [], []
    for n, style in enumerate(STYLES + STYLES, start=1):
        name = f"clausekit {style}" + (" (second text)" if n > len(STYLES) else "")
        levels = []
        for ilvl, (text, fmt) in enumerate(WORD_LEVELS[style]):
            levels.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:suff w:val="{word_suffix(style, ilvl + 1)}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
            )
        abstracts.append(
            f'<w:abstractNum w:abstractNumId="{n}"><w:nsid w:val="C1A05E{n:02X}"/>'
            f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>'
            f"{''.join(levels)}</w:abstractNum>"
        )
        nums.append(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{n}"/></w:num>')
    return "".join(abstracts), "".join(nums)


def edit_numbering(xml: bytes) -> bytes:
    """Put the heading lists first: CT_Numbering wants every abstractNum before any num."""
    abstracts, nums = heading_numbering_xml()
    text = xml.decode()
    i = text.index("<w:abstractNum ")
    text = text[:i] + abstracts + text[i:]
    j = text.index("<w:num ")
    return (text[:j] + nums + text[j:]).encode()


def footer_xml(parts: tuple[str, ...]) -> bytes:
    runs = []
    for i, part in enumerate(parts):
        if i % 2 == 1:  # a field code
            runs.append(
                f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve"> {part} </w:instrText></w:r>'
                f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f"<w:r><w:t>1</w:t></w:r>"
                f'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            )
        elif part:
            runs.append(f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:jc w:val="center"/>'
        f'<w:rPr><w:sz w:val="18"/></w:rPr></w:pPr>{"".join(runs)}</w:p></w:ftr>'
    ).encode()


def no_stretched_line_breaks(settings: bytes) -> bytes:
    """Word and LibreOffice stretch a justified line that ends in a manual line
    break (the parties block: 名称、法定代表人… one per line), spreading its
    characters across the page; this compatibility flag keeps such lines natural."""
    flag = b"<w:doNotExpandShiftReturn/>"
    if b"<w:compat>" in settings:
        return settings.replace(b"<w:compat>", b"<w:compat>" + flag, 1)
    if b"<w:compat/>" in settings or b"<w:compat />" in settings:
        return re.sub(rb"<w:compat ?/>", b"<w:compat>" + flag + b"</w:compat>", settings, count=1)
    # CT_Settings is a sequence: compat comes after footnotePr/endnotePr, before rsids.
    for anchor in (b"<w:docVars", b"<w:rsids", b"<m:mathPr"):
        if anchor in settings:
            return settings.replace(anchor, b"<w:compat>" + flag + b"</w:compat>" + anchor, 1)
    raise ValueError("reference settings.xml has no place for w:compat")


SECT_PR = (
    f'<w:sectPr><w:footerReference w:type="default" r:id="{FOOTER_REL_ID}"/>'
    '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
    f'<w:pgSz w:w="{PAGE_WIDTH_TWIPS}" w:h="{PAGE_HEIGHT_TWIPS}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP_TWIPS}" w:right="{MARGIN_SIDE_TWIPS}" '
    f'w:bottom="{MARGIN_TOP_TWIPS}" w:left="{MARGIN_SIDE_TWIPS}" '
    'w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
)


def build(default: bytes, lang: str) -> bytes:
    cfg = LANGS[lang]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(default)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        names = src.namelist()
        for name in [*names, "word/footer1.xml"]:
            is_footer = name == "word/footer1.xml"
            data = footer_xml(cfg["footer"]) if is_footer else src.read(name)  # type: ignore[arg-type]
            if name == "word/styles.xml":
                data = edit_styles(data, lang)
            elif name == "word/document.xml":
                text = data.decode()
                text, n = re.subn(r"<w:sectPr>.*?</w:sectPr>", SECT_PR, text, flags=re.S)
                assert n == 1, "reference document.xml has no single sectPr"
                data = text.encode()
            elif name == "word/_rels/document.xml.rels":
                rel = (
                    f'<Relationship Type="{R}/footer" Id="{FOOTER_REL_ID}" Target="footer1.xml" />'
                )
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif name == "[Content_Types].xml":
                ct = (
                    '<Override PartName="/word/footer1.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
                )
                data = data.replace(b"</Types>", ct.encode() + b"</Types>")
            elif name == "word/numbering.xml":
                data = edit_numbering(data)
            elif name == "word/settings.xml":
                data = no_stretched_line_breaks(data)
            elif name == "word/fontTable.xml" and lang == "zh":
                data = data.replace(b"</w:fonts>", EXTRA_FONTS.encode() + b"</w:fonts>")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue()


def main() -> int:
    default = pandoc_default_reference()
    for lang in LANGS:
        target = ASSETS / f"reference-{lang}.docx"
        target.write_bytes(build(default, lang))
        print(f"wrote {target.relative_to(ASSETS.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Word-native DOCX (docs/word.md): live heading numbers, REF fields, watermark, properties.

Assembly hands over two texts of a document: the Markdown with typed numbers and
the Word text, where numbered headings hold their titles and a bookmark name and
references name the bookmark of their target (`clausekit.assemble.document`).
`word_openxml` puts a placeholder (two private-use characters around a number)
where each piece of OpenXML goes: bookmarks inside the heading paragraphs, REF
fields, hyperlinks.  Pandoc copies the placeholders into its runs as text, and the
pass over `document.xml` puts the OpenXML in their place.  (Handing Pandoc raw
OpenXML, `` `…`{=openxml} ``, made it a quarter slower on a document with many
references; a Lua filter costs more still, for starting Pandoc's Lua engine.)  One
pass over Pandoc's zip

* puts the OpenXML pieces in place of their placeholders,
* links Heading 1-4 to the document's numbering style (the reference DOCX
  defines the list of every style, `scripts/make_reference_docx.py`),
* takes every other heading (preamble, signature) out of the list,
* sets paragraphs with manual line breaks (party blocks) in the left-aligned
  `Lines` style,
* adds the draft watermark header, and stamps the creation date;
* sets out a bilingual document's two texts (`render.bilingual_word`): its
  table, each text's headings in that text's list.

Numbers are never computed here: the REF fields' cached results and the link
texts are the ones assembly computed.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from clausekit.assemble.numbering import STYLES
from clausekit.errors import BuildError
from clausekit.language.marks import PIECE_CLOSE, PIECE_OPEN
from clausekit.render.docx import link_headings, reference_docx, rewrite_members, set_lines
from clausekit.render.fonts import lang_key
from clausekit.render.page import page_style, twips
from clausekit.render.pandoc import creation_time, run_pandoc
from clausekit.render.signature import hold_signature, mark_bilingual_signatures, mark_signature

if TYPE_CHECKING:
    from typing import Protocol

    from clausekit.render.bilingual_word import BilingualWord

# The markers of `clausekit.assemble.document._Doc.word` (a bilingual document's
# bookmarks carry their text's language: `_RefCkEn5`).
HEADING = re.compile(r"^(#+ .*) \{\.ck-num ck-bm=(_RefCk[A-Za-z]*\d+)\}$", re.M)
REF = re.compile(
    r"\[([^\]]*)\]\{\.ck-ref ck-bm=(_RefCk[A-Za-z]*\d+)"
    r'(?: ck-pre="([^"]*)" ck-field="([^"]*)")?\}'
)
# Bookmark ids far above Pandoc's own, which count up from 0.
FIRST_BOOKMARK_ID = 900000
WATERMARK_PART = "word/header-clausekit.xml"
WATERMARK_REL = "rIdClausekitWatermark"


if TYPE_CHECKING:  # a Protocol costs every build a millisecond or two to create

    class WordDocument(Protocol):
        """What the Word writer needs of an assembled document (`assemble.Assembled`)."""

        @property
        def markdown(self) -> str: ...
        @property
        def word_markdown(self) -> str: ...
        @property
        def lang(self) -> str: ...
        @property
        def numbering(self) -> str: ...
        @property
        def status(self) -> str | None: ...
        @property
        def agreement(self) -> str | None: ...
        @property
        def inputs(self) -> tuple[object, ...]: ...
        @property
        def layout(self) -> str | None: ...
        @property
        def languages(self) -> tuple[str, ...]: ...
        @property
        def numberings(self) -> tuple[str, ...]: ...
        @property
        def sections(self) -> tuple[tuple[str, str], ...]: ...
        @property
        def word_sections(self) -> tuple[tuple[str, str], ...]: ...
        @property
        def signature_borders(self) -> bool: ...
        @property
        def first_line_indent(self) -> bool | None: ...


# A placeholder: U+E030, the index of its OpenXML piece, U+E031.
PIECE = re.compile(PIECE_OPEN + r"(\d+)" + PIECE_CLOSE)
RUN_WITH_PIECE = re.compile(
    r'<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t(?: xml:space="preserve")?>'
    r"([^<]*" + PIECE_OPEN + r"[^<]*)</w:t></w:r>",
    re.S,
)


def escape(text: str) -> str:
    """`html.escape(text)`, without importing `html` on every build."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, entity)
    return text.replace("'", "&#x27;")


def word_openxml(text: str) -> tuple[str, list[str]]:
    """The Word text with a placeholder for each OpenXML piece, and the pieces.

    A numbered heading gets a bookmark inside its paragraph (Pandoc's own heading
    bookmark spans the whole section); a reference becomes its words, then a
    `REF bookmark \\w \\h` field whose cached result is the number assembly
    computed, or, where no field can print it, a hyperlink to the bookmark."""
    ids = iter(range(FIRST_BOOKMARK_ID, FIRST_BOOKMARK_ID + 1_000_000))
    pieces: list[str] = []

    def piece(xml: str) -> str:
        pieces.append(xml)
        return f"{PIECE_OPEN}{len(pieces) - 1}{PIECE_CLOSE}"

    def heading(m: re.Match[str]) -> str:
        hashes, title = m.group(1).split(" ", 1)
        n, name = next(ids), m.group(2)
        start = piece(f'<w:bookmarkStart w:id="{n}" w:name="{name}"/>')
        end = piece(f'<w:bookmarkEnd w:id="{n}"/>')
        return f"{hashes} {start}{title}{end}"

    def ref(m: re.Match[str]) -> str:
        shown, name, pre, field = m.groups()
        if field is None:
            # No Hyperlink style: a reference in a contract reads as body text.
            return piece(
                f'<w:hyperlink w:anchor="{name}"><w:r><w:t xml:space="preserve">'
                f"{escape(shown)}</w:t></w:r></w:hyperlink>"
            )
        return pre + piece(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> REF {name} \\w \\h </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t xml:space="preserve">{escape(field)}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    return REF.sub(ref, HEADING.sub(heading, text)), pieces


def put_pieces(xml: bytes, pieces: list[str]) -> bytes:
    """Each placeholder replaced by its OpenXML piece: the run holding it is split
    around it, each part keeping the run's formatting."""

    def run(m: re.Match[str]) -> str:
        props, text = m.group(1) or "", m.group(2)
        out: list[str] = []
        for i, part in enumerate(PIECE.split(text)):
            if i % 2:
                out.append(pieces[int(part)])
            elif part:
                out.append(f'<w:r>{props}<w:t xml:space="preserve">{part}</w:t></w:r>')
        return "".join(out)

    text = RUN_WITH_PIECE.sub(run, xml.decode("utf-8"))
    if PIECE_OPEN in text:
        raise ValueError("a placeholder of the Word text is not inside a text run")
    return text.encode("utf-8")


def watermark_text(status: str | None, lang: str) -> str | None:
    """`DRAFT` / `草稿` for a draft agreement; None for final, executed and blank forms."""
    if status != "draft":
        return None
    return "草稿" if lang_key(lang) == "zh" else "DRAFT"


def content_hash(doc: WordDocument) -> str:
    """The build's content hash: sha256 of the assembled Markdown."""
    return hashlib.sha256(doc.markdown.encode("utf-8")).hexdigest()


def properties(doc: WordDocument) -> dict[str, str]:
    """Document properties: agreement, template and version, status, content hash."""
    template = next((i for i in doc.inputs if getattr(i, "kind", "") == "template"), None)
    props = {
        "clausekit-agreement": doc.agreement or "",
        "clausekit-template": str(getattr(template, "id", "")),
        "clausekit-template-version": str(getattr(template, "version", "")),
        "clausekit-status": doc.status or "blank",
        "clausekit-content-hash": content_hash(doc),
    }
    return {k: v for k, v in props.items() if v}


def with_properties(text: str, props: dict[str, str]) -> str:
    """The Word text with the properties added to its YAML metadata block (Pandoc writes
    metadata it does not know to docProps/custom.xml)."""
    head, sep, body = text.partition("\n---\n")
    if not head.startswith("---\n") or not sep:
        raise ValueError("the Word text has no metadata block")
    # JSON strings are valid YAML scalars; Pandoc reads metadata as Markdown, so values
    # are plain ids, versions and hex digits.
    lines = "".join(f"{k}: {json.dumps(v)}\n" for k, v in props.items())
    return f"{head}\n{lines}---\n{body}"


def render_word_native(doc: WordDocument, what: str = "document") -> bytes:
    """DOCX bytes with Word's own numbering and references (byte-reproducible); a
    bilingual document's in its layout (`render.bilingual_word`)."""
    text = with_properties(doc.word_markdown or doc.markdown, properties(doc))
    layout = None
    if doc.layout:
        from clausekit.render.bilingual_word import bilingual_layout  # two texts only

        text = mark_bilingual_signatures(text)
        text, layout = bilingual_layout(text, doc.layout, doc.languages, doc.numberings, doc.lang)
    else:
        text = mark_signature(text, doc.word_sections)
    text, pieces = word_openxml(text)
    return word_docx(doc, text, pieces, layout, what)


def word_docx(
    doc: WordDocument, text: str, pieces: list[str], layout: BilingualWord | None, what: str
) -> bytes:
    """The DOCX of a prepared Word text (`word_openxml`'s) and its pieces: Pandoc's,
    finished (`finish`) with the document's numbering, watermark and print settings."""
    args = [f"--reference-doc={reference_docx(doc.lang)}", "-o", "-"]
    docx = run_pandoc(text, "docx", args, what)
    num_id = STYLES.index(doc.numbering) + 1 if doc.numbering in STYLES else 0
    mark = watermark_text(doc.status, doc.lang)
    try:
        indent = body_indent(doc.lang, doc.first_line_indent)
        print_ = Print(doc.signature_borders, indent, page_style(doc.lang).body_size)
        return finish(docx, num_id, mark, pieces, layout, print_)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BuildError(f"{what}: pandoc wrote an unexpected DOCX: {exc}") from exc


def finish(
    docx: bytes,
    num_id: int,
    watermark: str | None,
    pieces: list[str] | None = None,
    layout: BilingualWord | None = None,
    print_: Print | None = None,
) -> bytes:
    """One pass over Pandoc's zip: numbering link, opt-outs, watermark, dates, and a
    bilingual document's layout.

    `num_id` 0 unlinks the heading styles (a document whose headings carry typed
    numbers, such as the redline)."""
    stamp = creation_time().strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    setting = print_ or Print()

    def document(xml: bytes) -> bytes:
        xml = put_pieces(xml, pieces or [])
        if layout is None:
            xml = edit_document(xml, watermark is not None)
        else:
            xml = layout.release_headings(edit_document(layout.apply(xml), watermark is not None))
        return hold_signature(xml, setting.signature_borders)

    def styles(xml: bytes) -> bytes:
        xml = link_headings(xml, num_id, layout.second_num if layout else 0)
        if setting.indent is None:
            return xml
        return set_body_indent(xml, setting.indent, setting.size)

    changes: dict[str, Callable[[bytes], bytes]] = {
        "docProps/core.xml": lambda d: re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, d),
        "word/styles.xml": styles,
        "word/document.xml": document,
    }
    added: dict[str, bytes] = {}
    if watermark is not None:
        changes["word/_rels/document.xml.rels"] = add_header_rel
        changes["[Content_Types].xml"] = add_header_type
        added[WATERMARK_PART] = watermark_header(watermark)
    return rewrite_members(docx, changes, added)


class Print(NamedTuple):
    """The template's `print` settings: signature rules, and the body's first-line
    indent in characters (None: the reference DOCX's own)."""

    signature_borders: bool = False
    indent: int | None = None
    size: float = 12  # the body text's, in points: one character of the indent


def body_indent(lang: str, option: bool | None) -> int | None:
    """The indent to write into the Body Text style when the template's option
    differs from the language's default (the reference DOCX's)."""
    if option is None or option == bool(page_style(lang).indent_chars):
        return None
    return 2 if option else 0


BODY_INDENT = re.compile(
    rb'(<w:style [^>]*w:styleId="BodyText"[^>]*>(?:(?!</w:style>).)*?)<w:ind [^>]*?/>', re.S
)


def set_body_indent(styles: bytes, chars: int, size: float) -> bytes:
    """styles.xml with Body Text's first line indented by `chars` characters of `size`."""
    ind = f'<w:ind w:firstLineChars="{chars * 100}" w:firstLine="{twips(chars * size)}" />'
    out, n = BODY_INDENT.subn(rb"\1" + ind.encode(), styles, count=1)
    if n != 1:
        raise ValueError("styles.xml has no Body Text style with an indent")
    return out


# A heading paragraph as Pandoc writes it; numbered ones hold our bookmark.
HEADING_P = re.compile(
    rb'<w:p><w:pPr><w:pStyle w:val="Heading[1-9]" ?/>(?!(?:(?!</w:p>).)*?_RefCk)', re.S
)
OPT_OUT = b'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'


def edit_document(xml: bytes, watermark: bool) -> bytes:
    """Take unnumbered headings out of the list; lines broken by hand left aligned;
    reference the watermark header."""
    xml = set_lines(HEADING_P.sub(lambda m: m.group(0) + OPT_OUT, xml))
    if watermark:
        ref = f'<w:headerReference w:type="default" r:id="{WATERMARK_REL}"/>'.encode()
        xml, n = re.subn(rb"(<w:sectPr[^>]*>)", rb"\1" + ref, xml)
        if n == 0:
            raise ValueError("document.xml has no section properties")
    return xml


def add_header_rel(rels: bytes) -> bytes:
    rel = (
        f'<Relationship Id="{WATERMARK_REL}" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/header" Target="{WATERMARK_PART[5:]}"/>'
    )
    return rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def add_header_type(types: bytes) -> bytes:
    ct = (
        f'<Override PartName="/{WATERMARK_PART}" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    )
    return types.replace(b"</Types>", ct.encode() + b"</Types>")


def watermark_header(text: str) -> bytes:
    """A header holding Word's own watermark shape (what Design > Watermark inserts):
    diagonal, light grey, behind the text, on every page of the section."""
    font = "SimHei" if any(ord(c) > 0x2E80 for c in text) else "Times New Roman"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w10="urn:schemas-microsoft-com:office:word">'
        '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
        + "".join(f'<v:f eqn="{e}"/>' for e in _TEXTPATH_FORMULAS)
        + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
        "</v:shapetype>"
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:400pt;height:160pt;'
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" '
        'stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r></w:p></w:hdr>'
    ).encode()


_TEXTPATH_FORMULAS = (
    "sum #0 0 10800",
    "prod #0 2 1",
    "sum 21600 0 @1",
    "sum 0 0 @2",
    "sum 21600 0 @3",
    "if @0 @3 0",
    "if @0 21600 @1",
    "if @0 0 @2",
    "if @0 @4 21600",
    "mid @5 @6",
    "mid @8 @5",
    "mid @7 @8",
    "mid @6 @7",
    "sum @6 0 @5",
)

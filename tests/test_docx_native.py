"""Word-native DOCX, checked with LibreOffice: heading numbers come from Word's list,
references are REF fields, and both follow when an article is inserted.

LibreOffice (Debian `libreoffice-writer-nogui`, scripts/system-deps.sh) converts
each DOCX to PDF headless; pdftotext reads what it printed.  LibreOffice computes
list numbers and REF fields itself on load (it does not show the cached results),
so an article inserted into document.xml renumbers everything when converted.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from clausekit.assemble import Assembled, assemble_agreement, assemble_blank
from clausekit.assemble.numbering import STYLES, heading_prefix
from clausekit.check import Checked
from clausekit.language.filters import cn_number
from clausekit.load import load_library
from clausekit.render.pandoc import pandoc_path
from clausekit.render.wordnative import render_word_native

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.needs("soffice", "pdftotext")

CN = "一二三四五六七八九十"
# What a reader sees as a number: headings and references, in document order.
NUMBERS = {
    "zh-CN": rf"^[{CN}]+、|第[{CN}]+条(?:第（[{CN}]+）款)?(?:第\d+项)?",
    "zh-CN-article": rf"第[{CN}]+条(?:第（[{CN}]+）款)?(?:第\d+项)?",
    "decimal": r"Section\s+\d+(?:\.\d+)*(?:\([a-z]+\))*|^\d+(?:\.\d+)+|^\d+\.(?= )",
    "legal": r"Article\s+\d+|Section\s+\d+\.\d+(?:\([a-z]+\))*|^\d+\.\d+(?= )",
}
# (template, numbering style, agreement): the examples, and copies in other styles.
CASES = [
    ("customer-service-training", "zh-CN", "customer-service-training/2026-draft"),
    ("customer-service-training", "zh-CN-article", "customer-service-training/2026-draft"),
    ("customer-service-training-en", "legal", "customer-service-training-en/2026-draft"),
    ("customer-service-training-en", "decimal", "customer-service-training-en/2026-draft"),
]


def library(tmp: Path, template: str, style: str) -> Checked:
    """The example library, with `template` switched to numbering `style`."""
    root = tmp / "lib"
    for name in ("clauses", "templates", "agreements", "schema"):
        shutil.copytree(REPO / name, root / name)
    path = root / "templates" / f"{template}.yaml"
    text, n = re.subn(r"(?m)^numbering: .*$", f"numbering: {style}", path.read_text("utf-8"))
    assert n == 1
    path.write_text(text, "utf-8")
    return Checked(load_library(root))


def libreoffice_pdfs(docs: dict[str, bytes], tmp: Path) -> dict[str, Path]:
    """Each DOCX as LibreOffice prints it to PDF (one soffice run for all)."""
    src, out = tmp / "docx", tmp / "pdf"
    src.mkdir(exist_ok=True)
    for name, data in docs.items():
        (src / f"{name}.docx").write_bytes(data)
    profile = (tmp / "lo-profile").as_uri()  # a private profile: parallel runs don't collide
    subprocess.run(
        [
            *("soffice", f"-env:UserInstallation={profile}", "--headless"),
            *("--convert-to", "pdf", "--outdir", str(out)),
            *(str(src / f"{n}.docx") for n in docs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: out / f"{name}.pdf" for name in docs}


def libreoffice_text(docs: dict[str, bytes], tmp: Path) -> dict[str, str]:
    """What LibreOffice prints for each DOCX."""
    return {
        name: subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")
        for name, pdf in libreoffice_pdfs(docs, tmp).items()
    }


def numbers(text: str, style: str) -> list[str]:
    # pdftotext -layout pads justified lines with spaces: squeeze them (zh: drop them).
    # Leading spaces stay: a heading starts its line, a list item is indented.
    zh = style.startswith("zh")
    joined = "\n".join(
        line.strip().replace(" ", "") if zh else re.sub(r"(?<=\S)\s+", " ", line.rstrip())
        for line in text.splitlines()
    )
    # A reference may wrap: "Article" at the end of one line, "5" on the next.
    return [re.sub(r"\s+", " ", t) for t in re.findall(NUMBERS[style], joined, flags=re.M)]


def expected_numbers(doc: Assembled) -> list[str]:
    """The numbers of the assembled Markdown, as clausekit computed them."""
    body = doc.markdown.split("---\n", 2)[2].splitlines()
    # Headings start a line; everything else is indented, as LibreOffice indents lists.
    text = "\n".join(
        line[line.index(" ") + 1 :] if line.startswith("#") else f"  {line}" for line in body
    )
    return numbers(text, doc.numbering)


def insert_article(docx: bytes) -> bytes:
    """A copy of the first Heading 1 paragraph (without its bookmark), inserted before it:
    what a lawyer does who adds an article at the top."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    m = re.search(r'<w:p><w:pPr><w:pStyle w:val="Heading1" ?/></w:pPr>.*?</w:p>', xml)
    assert m is not None
    copy = re.sub(r"<w:bookmark(Start|End) [^>]*/>", "", m.group(0))
    copy = re.sub(r"(<w:t[^>]*>)[^<]*", r"\1Inserted article", copy, count=1)
    return replace_document(docx, xml[: m.start()] + copy + xml[m.start() :])


def replace_document(docx: bytes, xml: str) -> bytes:
    """The DOCX with `xml` as its document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = xml.encode("utf-8") if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, data)
    return out.getvalue()


CN_VALUE = {cn_number(n): n for n in range(1, 100)}


def shifted(token: str, style: str) -> str:
    """`token` once every article has moved down by one (its first number + 1)."""
    if style.startswith("zh"):
        return re.sub(rf"[{CN}]+", lambda m: cn_number(CN_VALUE[m.group(0)] + 1), token, count=1)
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), token, count=1)


def is_link(token: str, style: str) -> bool:
    """A reference the DOCX makes a hyperlink with the computed text (no REF field can
    print it): every zh-CN reference (第五条 for a 五、 heading) and the composed forms
    (第五条第（二）款)."""
    return token.startswith("第") and (style == "zh-CN" or "款" in token)


@pytest.mark.parametrize(("template", "style", "agreement"), CASES)
def test_libreoffice_prints_clausekits_numbers_and_follows_an_inserted_article(
    tmp_path: Path, template: str, style: str, agreement: str
) -> None:
    checked = library(tmp_path, template, style)
    doc = assemble_agreement(checked, agreement)
    assert doc.numbering == style
    data = render_word_native(doc, agreement)
    printed = libreoffice_text({"before": data, "after": insert_article(data)}, tmp_path)
    want = expected_numbers(doc)
    assert len(want) > 20
    assert numbers(printed["before"], style) == want

    # After the insertion: a new first article, every later article number and every
    # REF field one up; hyperlinked references keep the computed text.
    moved = [t if is_link(t, style) else shifted(t, style) for t in want]
    first = numbers(heading_prefix(style, (1,)) + "x", style)
    assert numbers(printed["after"], style) == [*first, *moved]


def every_document(checked: Checked) -> list[tuple[str, Assembled]]:
    """Every one-language document (bilingual ones are tables: test_bilingual.py)."""
    docs = [(a, assemble_agreement(checked, a)) for a in sorted(checked.lib.agreements)]
    docs += [(f"blank/{t}", assemble_blank(checked, t)) for t in sorted(checked.lib.templates)]
    return [(key, doc) for key, doc in docs if doc.layout is None]


def pandoc_plain(data: bytes, tmp: Path) -> str:
    path = tmp / "read.docx"
    path.write_bytes(data)
    return subprocess.run(
        [str(pandoc_path()), "-f", "docx", "-t", "plain", "--wrap=none", str(path)],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")


def word_parts(doc: Assembled, key: str, part: str) -> tuple[bytes, str, str, bool]:
    """The DOCX (rendered twice: the same bytes), its document.xml, `part`, and whether
    it has the watermark header."""
    data = render_word_native(doc, key)
    assert render_word_native(doc, key) == data, key  # byte-reproducible
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        other = z.read(part).decode("utf-8")
        header = "word/header-clausekit.xml" in z.namelist()
    return data, xml, other, header


def test_every_example_and_blank_form_is_word_native(tmp_path: Path) -> None:
    checked = Checked(load_library(REPO))
    for key, doc in every_document(checked):
        data, xml, styles, header = word_parts(doc, key, "word/styles.xml")
        # Heading 1-4 are linked to the list of the document's numbering style.
        num_id = str(STYLES.index(doc.numbering) + 1)
        assert styles.count(f'<w:numId w:val="{num_id}" />') == 4, key
        # Each numbered heading's paragraph holds its bookmark and its title only.
        for i, heading in enumerate(doc.headings):
            m = re.search(
                rf'<w:p>(?:(?!</w:p>).)*w:name="_RefCk{i + 1}"(?:(?!</w:p>).)*</w:p>', xml
            )
            assert m is not None and 'w:val="Heading' in m.group(0), (key, heading)
            text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", m.group(0)))
            assert text == heading.title.replace("\\", ""), (key, text)
            assert len(f"_RefCk{i + 1}") <= 40
        # Every other heading (preamble, signature) opts out of the list.
        assert xml.count('<w:numId w:val="0"/>') == xml.count('w:val="Heading') - len(doc.headings)
        # References: REF fields where a field can print them, hyperlinks elsewhere.
        refs = re.findall(r"\[([^\]]+)\]\{\.ck-ref ([^}]*)\}", doc.word_markdown)
        fields = [r for r in refs if "ck-field" in r[1]]
        assert xml.count(" REF _RefCk") == len(fields), key
        assert xml.count('w:anchor="_RefCk') == len(refs) - len(fields), key
        # python-docx opens it; the properties name what was built.
        props = python_docx.Document(io.BytesIO(data)).core_properties
        assert props.title, key
        custom = zipfile.ZipFile(io.BytesIO(data)).read("docProps/custom.xml").decode()
        status = doc.status or "blank"
        for value in (status, doc.inputs[0].id, str(doc.inputs[0].version)):
            assert f">{value}<" in custom, (key, value)
        if doc.agreement:
            assert f">{doc.agreement}<" in custom
        # The draft watermark, and only on drafts.
        assert header == (doc.status == "draft"), key
        # Pandoc reads it back: every reference as computed (the fields' cached results).
        plain = re.sub(r"\s+", " ", pandoc_plain(data, tmp_path))
        for shown, _ in refs:
            assert shown in plain, (key, shown)


def test_body_lists_restart_at_one_and_draft_watermark_in_libreoffice(tmp_path: Path) -> None:
    checked = Checked(load_library(REPO))
    key = "customer-service-training-en/2026-draft"
    printed = libreoffice_text(
        {"doc": render_word_native(assemble_agreement(checked, key), key)}, tmp_path
    )
    items = re.findall(r"^\s+(\d+)\. ", printed["doc"], flags=re.M)
    starts = [
        n for n, prev in zip(items, ["0", *items[:-1]], strict=True) if int(n) != int(prev) + 1
    ]
    assert items and set(starts) == {"1"}  # every list starts at 1, none continues
    assert items.count("1") > 5

"""Typographic quotes and dashes (issue 9, item 5) and lines that do not stretch
(item 7), checked in what a reader gets: the Markdown, the site's HTML, the text of
the DOCX (python-docx) and of the PDF (pypdf), and LibreOffice's rendering."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from pypdf import PdfReader

from clausekit.assemble import assemble_agreement
from clausekit.check import Checked
from clausekit.language.typography import drop_notes, smarten
from clausekit.load import load_library
from clausekit.publish.site.markup import clause_html, commonmark, strip_front_matter
from clausekit.render.pdf import render_pdf
from clausekit.render.wordnative import render_word_native
from helpers_lib import checked_library

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('the "Agreement" and the Party\'s staff', "the “Agreement” and the Party’s staff"),
        ('(the "**Client**")', "(the “**Client**”)"),
        ("the Parties' rights", "the Parties’ rights"),
        ("'term' and 2026--2027, a---b", "‘term’ and 2026–2027, a—b"),
        # Between two CJK characters a quote is neither opening nor closing by the
        # flanking rules: the pairing decides.
        ('称为"保密信息"的资料和"商业秘密"。', "称为“保密信息”的资料和“商业秘密”。"),
        ("他说'好'的", "他说‘好’的"),
        # Left as typed: code, escapes, attributes, link targets, table rows, rules.
        (
            '`"x"` \\"inch\\" {#a--b} [a](http://e.x/"q")',
            '`"x"` \\"inch\\" {#a--b} [a](http://e.x/"q")',
        ),
        ("|---|---|\n| a | b |\n\n---\n", "|---|---|\n| a | b |\n\n---\n"),
        ('```\n"code" --\n```\n', '```\n"code" --\n```\n'),
    ],
)
def test_smarten_rules(source: str, expected: str) -> None:
    assert smarten(source) == expected


def test_drop_notes_keeps_lines_and_code() -> None:
    text = "a <!-- x\n-- y --> b `<!-- c -->`\n```\n<!-- d -->\n```\n"
    assert drop_notes(text) == "a \n b `<!-- c -->`\n```\n<!-- d -->\n```\n"


CLAUSE = """
---
title: {title}
version: 1.0.0
lang: {lang}
variables:
  note: {{type: string, description: a value typed with straight quotes}}
---
{body}
"""
EN_BODY = (
    'This Agreement (the "Agreement") covers the Client\'s staff in 2026--2027. Note: {{ note }}'
)
ZH_BODY = "本协议所称\"保密信息\"，指甲方的'商业秘密'。备注：{{ note }}"
TEMPLATE = "title: T\nversion: 1.0.0\nlang: {lang}\nbody:\n  - c/{key}\n"
AGREEMENT = "template: {key}\nstatus: final\nvariables:\n  note: '{note}'\n"
NOTE = 'He said "hi" -- it\'s 5\'11"'
# A lawyer's note, on several lines: it never prints.
DRAFTING_NOTE = "<!-- DRAFTNOTE: check -- with\nthe client {{ note }} before\n-- signing -->"
EN_TEXT = "This Agreement (the “Agreement”) covers the Client’s staff in 2026–2027."
ZH_TEXT = "本协议所称“保密信息”，指甲方的‘商业秘密’。"


def _library(tmp: Path) -> Checked:
    files = {}
    for lang, body in (("en", EN_BODY), ("zh-CN", ZH_BODY)):
        key = lang[:2]
        body += "\n\n" + DRAFTING_NOTE
        files[f"clauses/c/{key}.md"] = CLAUSE.format(title="Terms", lang=lang, body=body)
        files[f"templates/{key}.yaml"] = TEMPLATE.format(lang=lang, key=key)
        note = NOTE.replace("'", "''")
        files[f"agreements/{key}/a.yaml"] = AGREEMENT.format(key=key, note=note)
    return checked_library(tmp, files)


def _flat(text: str) -> str:
    """Text as a reader compares it: line breaks and CJK spacing gone."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def test_quotes_and_dashes_agree_in_markdown_site_docx_and_pdf(tmp_path: Path) -> None:
    checked = _library(tmp_path)
    for lang, expected in (("en", EN_TEXT), ("zh-CN", ZH_TEXT)):
        doc = assemble_agreement(checked, f"{lang[:2]}/a")
        docx = render_word_native(doc)
        outputs = {
            "markdown": doc.markdown,
            "site": commonmark(strip_front_matter(doc.markdown)),
            "docx": "\n".join(p.text for p in python_docx.Document(io.BytesIO(docx)).paragraphs),
            "pdf": "\n".join(
                page.extract_text()
                for page in PdfReader(io.BytesIO(render_pdf(doc.markdown, lang))).pages
            ),
        }
        for name, text in outputs.items():
            flat = _flat(text.replace("&quot;", '"').replace("&#x27;", "'"))
            assert _flat(expected) in flat, (lang, name, text)
            # The value prints exactly as typed: straight quotes, two hyphens.
            assert NOTE in flat, (lang, name, text)
            assert "DRAFTNOTE" not in text and "signing" not in text, (lang, name, text)
        # The site's clause page shows the clause text with the same quotes.
        html, _ = clause_html(checked.lib.clauses[f"c/{lang[:2]}"].body, lang, {})
        assert _flat(expected) in _flat(html) and "DRAFTNOTE" not in html
        if lang == "zh-CN":
            # Word sets a quote in a hinted run in the East Asian font (full width).
            xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
            run = re.search(r"<w:r>(?:(?!</w:r>).)*“保密信息”(?:(?!</w:r>).)*</w:r>", xml)
            assert run is not None and 'w:hint="eastAsia"' in run.group(0), xml


# -- lines broken by hand are not justified ---------------------------------------

FINALS = {
    "zh": "customer-service-training/2026-shenzhen-final",
    "en": "customer-service-training-en/2026-shanghai-final",
}


def _layout(pdf: bytes, tmp: Path, name: str) -> str:
    path = tmp / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
    )
    return out.stdout.decode("utf-8")


def _contact_lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if re.search(r"联\s*系|Contact:", line)]


def _assert_not_stretched(page: str, what: str) -> None:
    lines = _contact_lines(page)
    assert len(lines) == 2, (what, page)
    for line in lines:
        # Justified, pdftotext shows "联 系 方 式 ：" and runs of spaces between words.
        assert "联 系" not in line and "   " not in line, (what, line)
        assert line.startswith(("联系方式：", "Contact: ")), (what, line)


def test_party_lines_are_left_aligned_in_docx_xml_and_pdf(tmp_path: Path) -> None:
    checked = Checked(load_library(REPO))
    docs = {lang: assemble_agreement(checked, a) for lang, a in FINALS.items()}
    for lang, doc in docs.items():
        docx = render_word_native(doc)
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            styles = z.read("word/styles.xml").decode()
            xml = z.read("word/document.xml").decode()
        style = re.search(r'<w:style [^>]*w:styleId="Lines".*?</w:style>', styles)
        assert style is not None and re.search(r'<w:jc w:val="left" ?/>', style.group(0))
        paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
        with_breaks = [p for p in paragraphs if "<w:br />" in p and "Heading" not in p]
        assert len(with_breaks) == 2, lang  # the two party blocks
        assert all('<w:pStyle w:val="Lines" />' in p for p in with_breaks)
        contact = "联系方式" if lang == "zh" else "Contact:"
        assert all(contact in p for p in with_breaks)
        # Prose stays justified (BodyText).
        assert sum('w:val="Lines"' in p for p in paragraphs) == 2
        page = _layout(render_pdf(doc.markdown, doc.lang), tmp_path, lang)
        _assert_not_stretched(page, f"{lang} PDF")
        if lang == "zh":
            # The long e-mail address may break: the line is filled up to "limin@".
            assert "邮箱 limin@" in page, page


@pytest.mark.needs("soffice")
def test_party_lines_are_not_stretched_in_libreoffice(tmp_path: Path) -> None:
    checked = Checked(load_library(REPO))
    src, out = tmp_path / "docx", tmp_path / "pdf"
    src.mkdir()
    for lang, agreement in FINALS.items():
        (src / f"{lang}.docx").write_bytes(
            render_word_native(assemble_agreement(checked, agreement))
        )
    subprocess.run(
        [
            *("soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless"),
            *("--convert-to", "pdf", "--outdir", str(out)),
            *(str(src / f"{lang}.docx") for lang in FINALS),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for lang in FINALS:
        page = _layout((out / f"{lang}.pdf").read_bytes(), tmp_path, f"lo-{lang}")
        _assert_not_stretched(page, f"{lang} DOCX in LibreOffice")

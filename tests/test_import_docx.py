"""`clausekit import` of DOCX: clausekit's own blank forms, and a Word form whose
articles are Word list items (scripts/make_import_form.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from conftest import REPO, TESTS, cli
from import_helpers import blank_markdown, body_of, fresh_library, headings, import_ok, norm

FORM = TESTS / "import_fixtures" / "services-form.en.docx"


def _form_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_import_form", REPO / "scripts" / "make_import_form.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("template", ["customer-service-training", "customer-service-training-en"])
def test_example_blank_docx_round_trip(tmp_path: Path, template: str) -> None:
    built = cli("-C", REPO, "build", "--blank", template, "--to", "md,docx", "-o", tmp_path / "o")
    assert built.code == 0, built
    original = (tmp_path / "o" / "blank" / f"{template}.md").read_text(encoding="utf-8")
    lib = fresh_library(tmp_path / "lib")
    out = import_ok(lib, tmp_path / "o" / "blank" / f"{template}.docx", "--template", "imp")
    assert "10 articles" in out
    blank = blank_markdown(lib, "imp")
    assert headings(blank) == headings(original)
    assert norm(body_of(blank)) == norm(body_of(original))
    assert blank.split("\n---\n")[0] == original.split("\n---\n")[0]  # title and language


def test_word_list_numbered_form(tmp_path: Path) -> None:
    form = _form_module()
    lib = fresh_library(tmp_path / "lib")
    out = import_ok(lib, FORM)
    assert "numbering decimal" in out and f"{len(form.FORM)} articles" in out
    blank = blank_markdown(lib, "services-form")
    expected_headings = []
    expected = [form.INTRO, *(f"{a} {b}" for a, b in form.COVER)]
    for i, (title, text, subs) in enumerate(form.FORM, 1):
        expected_headings.append((1, norm(f"{i}. {title}")))
        expected += [f"{i}. {title}", text]
        for j, (sub, sub_text) in enumerate(subs, 1):
            expected_headings.append((2, norm(f"{i}.{j} {sub}")))
            expected += [f"{i}.{j} {sub}", sub_text]
    expected += form.SIGNATURE
    assert headings(blank) == expected_headings
    text = norm(re.sub(r"^\|[-|]+\|$", "", body_of(blank), flags=re.M).replace("|", ""))
    assert text == norm("\n".join(expected))
    assert "Section 3.1" in blank  # computed: {{ ref(...) }}
    assert "services-form.en.docx:11: reference 'Clause 3' would print as 'Section 3'" in out


def test_word_form_variables(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FORM)
    clauses = {p.stem: p.read_text(encoding="utf-8") for p in (lib / "clauses").rglob("*.md")}
    assert "{{ customercontact }}" in clauses["notices"]  # the MERGEFIELD keeps its name
    assert "description: Legal name of customer" in clauses["preamble"]
    cover = clauses["cover-terms"]  # the cover-terms table is a clause, named from its labels
    assert "{{ monthly_fee_amount | money }}" in cover and "{{ start_date | date }}" in cover
    assert "{{ ref('services-form/fees#sec-1') }}" in clauses["defined-terms"]
    assert "### " not in clauses["fees"] and "# Invoices {#sec-1}" in clauses["fees"]


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_numbering_level_overrides_and_based_on_styles() -> None:
    """A list's `w:lvlOverride` restyles its level; a style without numbering takes
    the numbering of the style it is based on."""
    from xml.etree import ElementTree as ET

    from clausekit.importer.docxread import _levels, _style_numbering

    numbering = ET.fromstring(
        f"<w:numbering {_W}>"
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
        '<w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1"/></w:lvl>'
        "</w:lvlOverride></w:num>"
        "</w:numbering>"
    )
    levels = _levels(numbering)
    assert levels["1"][0] == ("decimal", "%1.")
    assert levels["2"][0] == ("decimal", "Article %1")  # overridden
    assert levels["2"][1] == ("decimal", "%1.%2")  # the rest from the abstract list
    styles = ET.fromstring(
        f"<w:styles {_W}>"
        '<w:style w:styleId="Clause"><w:pPr><w:numPr><w:ilvl w:val="0"/>'
        '<w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
        '<w:style w:styleId="ClauseBold"><w:basedOn w:val="Clause"/></w:style>'
        '<w:style w:styleId="Loop1"><w:basedOn w:val="Loop2"/></w:style>'
        '<w:style w:styleId="Loop2"><w:basedOn w:val="Loop1"/></w:style>'
        "</w:styles>"
    )
    by_style = _style_numbering(styles)
    assert by_style["ClauseBold"] == ("2", 0) == by_style["Clause"]
    assert "Loop1" not in by_style  # a basedOn loop ends without numbering


def test_chinese_title_ids_follow_the_title_order() -> None:
    from clausekit.importer.names import slug

    assert slug("付款与交付") == "payment-delivery"
    assert slug("交货与付款") == "delivery-payment"
    assert (
        slug("License to Company for Prior Inventions") == "license-to-company-for-prior-inventions"
    )
    assert (
        slug("Advice of Counsel and Representations of the Parties")
        == "advice-of-counsel-and-representations"
    )
    assert not slug("Return or Destruction of Confidential Information Held by").endswith("-of")

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

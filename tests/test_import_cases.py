"""The shapes real contracts take that `clausekit import` must hold: Markdown articles
as bold-titled list items, cover pages with check boxes and help texts, HTML and links,
placeholders, definitions, statute citations (issue cases, in our own words)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, cli
from import_helpers import docx_text, fresh_library, import_ok

FIXTURES = TESTS / "import_fixtures"


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = fresh_library(tmp_path_factory.mktemp("cases") / "lib")
    outs = {
        name: import_ok(root, FIXTURES / name)
        for name in (
            "nda-cover.md",
            "assignment-form.txt",
            "services-exhibits.txt",
            "supply-annex.zh.txt",
        )
    }
    return root, outs


def _clause(root: Path, cid: str) -> tuple[dict[str, object], str]:
    text = (root / "clauses" / f"{cid}.md").read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


def _template(root: Path, tid: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(
        (root / "templates" / f"{tid}.yaml").read_text(encoding="utf-8")
    )
    return data


def test_markdown_list_articles_html_and_links(lib: tuple[Path, dict[str, str]]) -> None:
    root, outs = lib
    template = _template(root, "nda-cover")
    assert template["body"] == ["nda-cover/scope", "nda-cover/use", "nda-cover/law"]
    assert [_clause(root, c)[0]["title"] for c in template["body"]] == ["Scope", "Use", "Law"]  # type: ignore[union-attr]
    _, scope = _clause(root, "nda-cover/scope")
    # The nested (a), (b) stay in their article; the span is the cover page's value;
    # the link is a link.
    assert "(a) Notes and drafts are included." in scope
    assert "{{ purpose | default(" in scope and "span" not in scope
    assert "[our site](<https://example.com/form>)" in scope
    _, use = _clause(root, "nda-cover/use")
    assert "{{ ref('nda-cover/scope') }}" in use
    _, law = _clause(root, "nda-cover/law")
    assert "{{ governing_law | default('[Fill in state]') }}" in law and "<b>" not in law
    out = outs["nda-cover.md"]
    assert "nda-cover.md:32: HTML markup dropped: </b>, <b>" in out
    assert "nda-cover.md:26: cover-page term 'Purpose' is 'purpose'" in out
    # In the DOCX the link is a hyperlink, not `[our site](…)` text.
    result = cli("-C", root, "build", "--blank", "nda-cover", "--to", "docx", "-o", root / "out")
    assert result.code == 0, result
    with zipfile.ZipFile(root / "out" / "blank" / "nda-cover.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
        rels = docx.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "<w:hyperlink" in xml and 'Target="https://example.com/form"' in rels
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "our site" in text and "](" not in text and "<span" not in text


def test_cover_page_check_boxes_labels_and_signature(lib: tuple[Path, dict[str, str]]) -> None:
    root, outs = lib
    meta, body = _clause(root, "nda-cover/preamble")
    variables = meta["variables"]
    assert isinstance(variables, dict)
    term = variables["agreement_term"]
    # The blank inside an option is a value of its own, named in the option's text,
    # whose default is the source's example.
    assert term["enum"] == [
        "Ends {agreement_term_period} after the Effective Date.",
        "Runs until either party ends it.",
    ]
    assert term["default"] == "Ends {agreement_term_period} after the Effective Date."  # ticked
    assert term["description"] == "How long this agreement lasts"  # the <label>
    period = variables["agreement_term_period"]
    assert period["default"] == "2 year(s)" and period["description"] == "2 year(s)"
    assert not any(n == "x" or n.startswith(("x_", "label")) for n in variables)
    assert (
        "{% if agreement_term == 'Ends {agreement_term_period} after the Effective Date.' %}"
        "Ends {{ agreement_term_period | default('[2 year(s)]') }} after the Effective Date."
    ) in body
    assert "label" not in body
    template = _template(root, "nda-cover")
    assert template["variables"]["purpose"]["description"] == "What the information may be used for"  # type: ignore[index]
    # One preamble; the signature table is its own clause, in English, holding no article.
    assert template["preamble"] == ["nda-cover/preamble", "nda-cover/cover-signatures"]
    sig, sig_body = _clause(root, "nda-cover/cover-signatures")
    assert sig["title"] == "Cover Page Signatures" and "Scope" not in sig_body
    out = outs["nda-cover.md"]
    assert "check boxes became the choice 'agreement_term' (2 options)" in out
    assert "nda-cover.md:10: the blank in option 'Ends [2 year(s)] after the Effective " in out


def test_a_blank_in_a_chosen_option_prints_its_value(lib: tuple[Path, dict[str, str]]) -> None:
    root, _ = lib
    blank = cli("-C", root, "build", "--blank", "nda-cover", "--to", "md", "-o", root / "opt")
    assert blank.code == 0, blank
    text = (root / "opt" / "blank" / "nda-cover.md").read_text(encoding="utf-8")
    # Not chosen: both boxes, the blank as the source wrote it.
    assert r"☐ Ends \[2 year(s)\] after the Effective Date. ☐ Runs until either party" in text
    draft = cli("-C", root, "assemble", "nda-cover/draft")
    assert draft.code == 0, draft
    assert "Ends 2 year(s) after the Effective Date." in draft.out  # the defaults
    agreement = root / "agreements" / "nda-cover" / "signed.yaml"
    agreement.write_text(
        "template: nda-cover\nstatus: draft\ntitle: T\nvariables:\n"
        "  agreement_term: 'Ends {agreement_term_period} after the Effective Date.'\n"
        "  agreement_term_period: 3 years\n",
        encoding="utf-8",
    )
    check = cli("-C", root, "check")
    assert check.code == 0, check.out
    chosen = cli("-C", root, "assemble", "nda-cover/signed")
    assert chosen.code == 0, chosen
    assert "Ends 3 years after the Effective Date." in chosen.out
    assert "Runs until" not in chosen.out and "☐" not in chosen.out
    agreement.write_text(
        agreement.read_text(encoding="utf-8").replace(
            "'Ends {agreement_term_period} after the Effective Date.'",
            "Runs until either party ends it.",
        ),
        encoding="utf-8",
    )
    other = cli("-C", root, "assemble", "nda-cover/signed")
    assert "Runs until either party ends it." in other.out and "3 years" not in other.out
    agreement.unlink()


def test_word_form_placeholders_definitions_ids_and_citations(
    lib: tuple[Path, dict[str, str]],
) -> None:
    root, outs = lib
    template = _template(root, "assignment-form")
    assert template["body"] == [
        "assignment-form/definitions",
        "assignment-form/license-to-company-for-prior-inventions",
        "assignment-form/notice-under-state-law",
        "assignment-form/governing-law",
    ]
    assert template["preamble"] == ["assignment-form/preamble"]
    # The same descriptive placeholder twice is one variable, described by its text,
    # printed as the source wrote it.
    employer = template["variables"]["legal_name_employer"]  # type: ignore[index]
    assert employer == {"type": "string", "minLength": 1, "description": "Legal name of employer"}
    _, definitions = _clause(root, "assignment-form/definitions")
    assert "“Covered Inventions” means all inventions" in definitions  # one paragraph
    assert not re.search(r"^#", definitions, re.M)
    assert "{{ list_prior_inventions_excluded | default(" in definitions
    # An example value is a variable of its own whose default is the example.
    law, _ = _clause(root, "assignment-form/governing-law")
    assert law["variables"]["california"]["default"] == "California"  # type: ignore[index]
    # A statute is cited, not referred to; `Section 2` is this document's.
    _, notice = _clause(root, "assignment-form/notice-under-state-law")
    assert "Kan. Stat. Section 44-130" in notice
    assert "{{ ref('assignment-form/license-to-company-for-prior-inventions') }}" in notice
    out = outs["assignment-form.txt"]
    assert "assignment-form.txt:7: '[Legal name of employer]' again: the same value" in out
    assert "assignment-form.txt:11: '[California]' taken as an example value" in out
    blank = cli("-C", root, "build", "--blank", "assignment-form", "--to", "md", "-o", root / "b")
    assert blank.code == 0, blank
    text = (root / "b" / "blank" / "assignment-form.md").read_text(encoding="utf-8")
    assert (
        text.count(r"\[Legal name of employer\]") == 2 and "[●]" not in text.split("IN WITNESS")[0]
    )


def test_exhibits_after_the_signature_are_clauses_of_their_own(
    lib: tuple[Path, dict[str, str]],
) -> None:
    root, _ = lib
    template = _template(root, "services-exhibits")
    assert template["signature"] == "services-exhibits/signature"
    assert template["annexes"] == [
        "services-exhibits/exhibit-a-statement-of-work",
        "services-exhibits/schedule-1-fees",
    ]
    assert len(template["body"]) == 3  # type: ignore[arg-type]
    _, sig_body = _clause(root, "services-exhibits/signature")
    assert "PROVIDER" in sig_body and "EXHIBIT" not in sig_body and "Schedule" not in sig_body
    exhibit, exhibit_body = _clause(root, "services-exhibits/exhibit-a-statement-of-work")
    assert exhibit["title"] == "EXHIBIT A – Statement of Work"
    assert exhibit_body.startswith("**EXHIBIT A**\n\n**Statement of Work**\n")
    assert "training_course_days" in exhibit["variables"]  # type: ignore[operator]
    # In the DOCX the exhibits follow the signature block, in the source's order.
    out = root / "out-exhibits"
    result = cli("-C", root, "build", "--blank", "services-exhibits", "--to", "docx", "-o", out)
    assert result.code == 0, result
    text = docx_text((out / "blank" / "services-exhibits.docx").read_bytes())
    order = [
        text.index(s)
        for s in (
            "This agreement lasts",
            "IN WITNESS",
            "PROVIDER",
            "EXHIBIT A",
            "Schedule 1 – Fees",
        )
    ]
    assert order == sorted(order), text
    # Chinese: the 附件 after the signature are annexes; the article that lists them keeps
    # its list.
    zh = _template(root, "supply-annex")
    assert zh["annexes"] == ["supply-annex/equipment", "supply-annex/acceptance"]
    titles = [_clause(root, c)[0]["title"] for c in zh["annexes"]]  # type: ignore[union-attr]
    assert titles == ["附件一：设备清单", "附件二：验收标准"]
    _, listing = _clause(root, "supply-annex/article-3")
    assert "附件一：设备清单" in listing and "附件二：验收标准" in listing
    _, zh_sig = _clause(root, "supply-annex/signature")
    assert "乙方（盖章）" in zh_sig and "附件" not in zh_sig and "国家标准" not in zh_sig


def test_check_notes_markup_that_prints_as_typed(tmp_path: Path) -> None:
    root = fresh_library(tmp_path / "lib")
    import_ok(root, FIXTURES / "assignment-form.txt")
    path = root / "clauses" / "assignment-form" / "governing-law.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nSee \\<b\\>this\\</b\\> and \\[x\\](https://e.com).\n",
        encoding="utf-8",
    )
    result = cli("-C", root, "check")
    assert result.code == 0, result.out
    notes = [line for line in result.out.splitlines() if "note[markup]" in line]
    assert len(notes) == 3, result.out
    assert notes[0].startswith("clauses/assignment-form/governing-law.md:")


def test_an_unknown_annex_is_reported_at_its_line(tmp_path: Path) -> None:
    root = fresh_library(tmp_path / "lib")
    import_ok(root, FIXTURES / "services-exhibits.txt")
    path = root / "templates" / "services-exhibits.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("- services-exhibits/schedule-1-fees", "- services-exhibits/schedule-9"),
        encoding="utf-8",
    )
    line = next(
        n
        for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "schedule-9" in t
    )
    result = cli("-C", root, "check")
    assert result.code == 1
    assert (
        f"templates/services-exhibits.yaml:{line}:3: error[missing-id]: "
        "no clause 'services-exhibits/schedule-9'"
    ) in result.out

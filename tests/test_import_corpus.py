"""`clausekit import` on real, openly licensed contracts (tests/import_corpus/): the
articles and their titles, the variables, the references, and a blank form that reads
like the source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import cli
from import_helpers import CORPUS, body_of, docx_text, fresh_library, similarity


@dataclass(frozen=True)
class Expected:
    file: str
    template: str
    titles: list[str]
    # name -> (type, description); a choice's type is 'enum'
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)


_MNDA_TERMS = [
    "Introduction",
    "Use and Protection of Confidential Information",
    "Exceptions",
    "Disclosures Required by Law",
    "Term and Termination",
    "Return or Destruction of Confidential Information",
    "Proprietary Rights",
    "Disclaimer",
    "Governing Law and Jurisdiction",
    "Equitable Relief",
    "General",
]

CASES = [
    Expected("common-paper-mnda-standard-terms.md", "cp-terms", _MNDA_TERMS, {}, [], {}),
    Expected(
        "common-paper-mnda-cover-and-terms.md",
        "cp-mnda",
        _MNDA_TERMS,
        {
            "purpose": ("string", "How Confidential Information may be used"),
            "effective_date": ("string", "Today’s date"),
            "mnda_term": ("enum", "The length of this MNDA"),
            "mnda_term_period": ("string", "1 year(s)"),
            "term_confidentiality": ("enum", "How long Confidential Information is protected"),
            "term_confidentiality_period": ("string", "1 year(s)"),
            "governing_law": ("string", "Fill in state"),
            "jurisdiction": (
                "string",
                "Fill in city or county and state, i.e. “courts located in New Castle, DE”",
            ),
        },
        [],
        {
            "mnda_term": "Expires {mnda_term_period} from Effective Date.",
            "mnda_term_period": "1 year(s)",
            "term_confidentiality_period": "1 year(s)",
            "term_confidentiality": (
                "{term_confidentiality_period} from Effective Date, but in the "
                "case of trade secrets until Confidential Information is no longer "
                "considered a trade secret under applicable laws."
            ),
        },
    ),
    Expected(
        "common-paper-mnda-cover-page.docx",
        "cp-mnda-cover",
        ["Mutual Non-Disclosure Agreement"],
        {
            "purpose": ("string", "purpose (placeholder)"),
            "effective_date": ("string", "effective_date (placeholder)"),
            # The `{mnda_term}` blank inside an option keeps its name; the choice is
            # `mnda_term_choice`.
            "mnda_term": ("string", "mnda_term (placeholder)"),
            "mnda_term_choice": ("enum", "Period for sharing Confidential Information"),
            "confidentiality_term": ("string", "confidentiality_term (placeholder)"),
            "confidentiality_term_start": ("string", "confidentiality_term_start (placeholder)"),
            "term_confidentiality": ("enum", "How long Confidential Information is Protected"),
            "governing_law": ("string", "governing_law (placeholder)"),
            "jurisdiction": ("string", "jurisdiction (placeholder)"),
            "changes_to_standard_terms": ("string", "changes_to_standard_terms (placeholder)"),
            "party_1_name": ("string", "party_1_name (placeholder)"),
            "party_2_name": ("string", "party_2_name (placeholder)"),
            "party_1_title_display": ("string", "party_1_title_display (placeholder)"),
            "party_2_title_display": ("string", "party_2_title_display (placeholder)"),
            "party_1_company_display": ("string", "party_1_company_display (placeholder)"),
            "party_2_company_display": ("string", "party_2_company_display (placeholder)"),
            "party_1_email": ("string", "party_1_email (placeholder)"),
            "party_2_email": ("string", "party_2_email (placeholder)"),
        },
        [],
        {
            "mnda_term_choice": "Expires {mnda_term} from Effective Date.",
            "term_confidentiality": (
                "{confidentiality_term} from "
                "{confidentiality_term_start}, but in the case of trade secrets, until "
                "Confidential Information is no longer considered a trade secret under "
                "applicable laws."
            ),
        },
    ),
    Expected(
        "common-paper-one-way-nda.docx",
        "cp-one-way",
        _MNDA_TERMS,
        {
            "discloser_name_and_address": ("string", "discloser_name_and_address (placeholder)"),
            "purpose": ("string", "purpose (placeholder)"),
            "effective_date": ("string", "effective_date (placeholder)"),
            "nda_term": ("string", "nda_term (placeholder)"),
            "nda_term_choice": ("enum", "Period for sharing Confidential Information"),
            "confidentiality_term": ("string", "confidentiality_term (placeholder)"),
            "confidentiality_term_start": ("string", "confidentiality_term_start (placeholder)"),
            "term_confidentiality": ("enum", "How long Confidential Information is Protected"),
            "governing_law": ("string", "governing_law (placeholder)"),
            "jurisdiction": ("string", "jurisdiction (placeholder)"),
            "changes_to_standard_terms": ("string", "changes_to_standard_terms (placeholder)"),
            "recipient_signatory_name": ("string", "recipient_signatory_name (placeholder)"),
            "recipient_signatory_title_display": (
                "string",
                "recipient_signatory_title_display (placeholder)",
            ),
            "recipient_signatory_company_display": (
                "string",
                "recipient_signatory_company_display (placeholder)",
            ),
            "recipient_signatory_email": ("string", "recipient_signatory_email (placeholder)"),
        },
        [],
        {
            "nda_term_choice": "Expires {nda_term} from Effective Date.",
            "term_confidentiality": (
                "{confidentiality_term} from "
                "{confidentiality_term_start}, but in the case of trade secrets, until "
                "Confidential Information is no longer considered a trade secret under "
                "applicable laws."
            ),
        },
    ),
    Expected(
        "common-paper-letter-of-intent.docx",
        "cp-loi",
        ["Product", "Functionality", "Fees", "Launch Date", "Confidentiality"],
        {
            "nda_date": ("string", "nda_date (placeholder)"),
            "fees_description": ("string", "fees_description (placeholder)"),
            "product_description": ("string", "product_description (placeholder)"),
            "launch_date": ("string", "launch_date (placeholder)"),
            "product_name": ("string", "product_name (placeholder)"),
            "company_name": ("string", "company_name (placeholder)"),
            "provider_signatory_name": ("string", "provider_signatory_name (placeholder)"),
            "customer_signatory_name": ("string", "customer_signatory_name (placeholder)"),
            "provider_signatory_title_display": (
                "string",
                "provider_signatory_title_display (placeholder)",
            ),
            "customer_signatory_title_display": (
                "string",
                "customer_signatory_title_display (placeholder)",
            ),
            "provider_signatory_email": ("string", "provider_signatory_email (placeholder)"),
            "customer_signatory_email": ("string", "customer_signatory_email (placeholder)"),
        },
        [],
        {},
    ),
    Expected(
        "bonterms-mnda-cover-page.docx",
        "bonterms-mnda",
        ["Text"],
        {
            "party_1_name": ("string", "party_1_name (placeholder)"),
            "party_1_signatory_name_and_title": (
                "string",
                "party_1_signatory_name_and_title (placeholder)",
            ),
            "party_1_signatory_company": ("string", "party_1_signatory_company (placeholder)"),
            "party_1_notice_email_check": ("string", "party_1_notice_email_check (placeholder)"),
            "party_1_email": ("string", "party_1_email (placeholder)"),
            "party_1_notice_postal_check": ("string", "party_1_notice_postal_check (placeholder)"),
            "party_1_address": ("string", "party_1_address (placeholder)"),
            "party_2_name": ("string", "party_2_name (placeholder)"),
            "party_2_signatory_name_and_title": (
                "string",
                "party_2_signatory_name_and_title (placeholder)",
            ),
            "party_2_signatory_company": ("string", "party_2_signatory_company (placeholder)"),
            "party_2_notice_email_check": ("string", "party_2_notice_email_check (placeholder)"),
            "party_2_email": ("string", "party_2_email (placeholder)"),
            "party_2_notice_postal_check": ("string", "party_2_notice_postal_check (placeholder)"),
            "party_2_address": ("string", "party_2_address (placeholder)"),
            "purpose": ("string", "purpose (placeholder)"),
            "effective_date": ("string", "effective_date (placeholder)"),
            "nda_term": ("string", "nda_term (placeholder)"),
            "confidentiality_period": ("string", "confidentiality_period (placeholder)"),
            "governing_law": ("string", "governing_law (placeholder)"),
            "courts": ("string", "courts (placeholder)"),
        },
        [],
        {},
    ),
    Expected(
        "agilebyte-tech-support.zh.md",
        "agilebyte",
        [
            "概述",
            "价格及付款方式",
            "双方的基本权利和基本义务",
            "变更",
            "知识产权和保密约定",
            "合同的解除",
            "违约责任",
            "不可抗力",
            "争议的解决",
            "合同效力",
        ],
        {
            "blank": ("string", "甲方（委托方）：____"),
            "blank_2": ("string", "委托内容：____"),
            "term": ("string", "合同履行期限：____"),
            "salary_amount": ("number", "乙方采取小时工资制度，按照人民币____元/小时"),
            "hours": ("integer", "乙方每周总工作时长需控制在 ____小时 以内"),
            "blank_3": ("string", "委托方（盖章）：____"),
            "blank_4": ("string", "授权代表签字：____"),
            "date": ("string", "签字日期：____"),
            "blank_5": ("string", "授权代表签字：____"),
            "date_2": ("string", "签字日期：____"),
        },
        [],
        {},
    ),
    Expected(
        "mulan-psl-v2.zh.txt",
        "mulan-zh",
        [
            "定义",
            "授予版权许可",
            "授予专利许可",
            "无商标许可",
            "分发限制",
            "免责声明与责任限制",
            "语言",
        ],
        {},
        [],
        {},
    ),
    Expected(
        "mulan-psl-v2.en.txt",
        "mulan-en",
        [
            "Definition",
            "Grant of Copyright License",
            "Grant of Patent License",
            "No Trademark License",
            "Distribution Restriction",
            "Disclaimer of Warranty and Limitation of Liability",
            "Language",
        ],
        {},
        [],
        {},
    ),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every corpus document imported into one library, checked once."""
    lib = fresh_library(tmp_path_factory.mktemp("corpus") / "lib")
    outputs: dict[str, str] = {}
    for case in CASES:
        result = cli("-C", lib, "import", CORPUS / case.file, "--template", case.template)
        assert result.code == 0 and "Traceback" not in result.err, result
        outputs[case.template] = result.out
    check = cli("-C", lib, "check")
    assert check.code == 0, check.out
    return {"lib": lib, "out": outputs}


def _meta(path: Path) -> dict[str, object]:
    meta: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return meta


def _variables(lib: Path, template: str) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for path in sorted((lib / "clauses" / template).glob("*.md")):
        found.update(_meta(path).get("variables") or {})  # type: ignore[arg-type]
    meta = yaml.safe_load((lib / "templates" / f"{template}.yaml").read_text(encoding="utf-8"))
    found.update(meta.get("variables") or {})
    return found


def _source_text(case: Expected) -> str:
    path = CORPUS / case.file
    if path.suffix == ".docx":
        return docx_text(path.read_bytes())
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_corpus_document(library: dict[str, object], case: Expected) -> None:
    lib = library["lib"]
    assert isinstance(lib, Path)
    template = yaml.safe_load(
        (lib / "templates" / f"{case.template}.yaml").read_text(encoding="utf-8")
    )
    titles = [str(_meta(lib / "clauses" / f"{cid}.md")["title"]) for cid in template["body"]]
    assert titles == case.titles
    variables = _variables(lib, case.template)
    kinds = {
        name: ("enum" if "enum" in v else str(v.get("type")), str(v.get("description")))
        for name, v in variables.items()
    }
    assert kinds == case.variables
    defaults = {n: str(v["default"]) for n, v in variables.items() if "default" in v}
    assert defaults == case.defaults
    clauses = "".join(
        p.read_text(encoding="utf-8") for p in (lib / "clauses" / case.template).glob("*.md")
    )
    assert sorted(set(re.findall(r"\{\{ ref\('([^']+)'\) \}\}", clauses))) == case.refs
    # No stray markup: no HTML tags, every link a link.
    assert not re.search(r"(?<!\\)<(?!https?://|mailto:)[a-z/][^>]*>", clauses)
    out = lib / "out" / case.template
    result = cli("-C", lib, "build", "--blank", case.template, "--to", "md", "-o", out)
    assert result.code == 0, result
    blank = (out / "blank" / f"{case.template}.md").read_text(encoding="utf-8")
    ratio = similarity(_source_text(case), body_of(blank))
    print(f"{case.file}: {len(titles)} articles, {len(variables)} variables, {ratio:.3f}")
    assert ratio >= 0.95, ratio


def test_unnumbered_chinese_articles_and_their_signature_part(
    library: dict[str, object],
) -> None:
    """The AgileByte contract: `##` headings printed `第 N 条` by its site, a signature
    part of bullets under a bold party label, after a thematic break."""
    lib = library["lib"]
    assert isinstance(lib, Path)
    template = yaml.safe_load((lib / "templates" / "agilebyte.yaml").read_text(encoding="utf-8"))
    assert template["numbering"] == "zh-CN-article"
    assert template["signature"] == "agilebyte/signature"
    sig = (lib / "clauses" / "agilebyte" / "signature.md").read_text(encoding="utf-8")
    body = sig.split("---\n", 2)[2]
    assert body.startswith("**甲**\n") and "受托方（盖章）" in body and "合同法" not in body
    last = (lib / "clauses" / "agilebyte" / f"{template['body'][-1].split('/')[1]}.md").read_text(
        encoding="utf-8"
    )
    assert "盖章）" not in last and r"\---" not in last

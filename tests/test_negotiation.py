"""The negotiation loop, end to end: build a DOCX, mark it up the way Word does, take
it back with `receive --apply`, and build again: the new DOCX reads as the returned
one with every change accepted, and the same file received again has nothing left."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from conftest import REPO, cli
from import_helpers import docx_text
from wordedit import (
    comment,
    delete_paragraph,
    edit_docx,
    insert_paragraph,
    move,
    replace,
    untracked,
)

EN = "customer-service-training-en/2026-draft"
ZH = "customer-service-training/2026-draft"
BI = "customer-service-training-bilingual/2026-draft"
NEW_EN = "The Provider shall also deliver one refresher session within three months."
NEW_ZH = "双方同意，协商期间各自承担己方费用。"
# Their words are words: no value, template code, Markdown or HTML comes to life.
TRICKY = (
    "Fees stay {{ fee.total }} and {% if x %}{# c #}; *not* **bold**, <b>raw</b>, "
    '[link](http://e.vil), "straight" quotes -- and # hash.'
)


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library and the two documents that went out."""
    root = tmp_path_factory.mktemp("negotiation") / "lib"
    root.mkdir()
    for part in ("clauses", "templates", "agreements", "schema"):
        shutil.copytree(REPO / part, root / part)
    result = cli("--root", root, "build", EN, ZH, BI, "--to", "docx", "-o", root / "sent")
    assert result.code == 0, result.err
    return root


def _en(root: Any) -> str:
    replace(root, "Daniel Lim", "Daniel Lin", "Acme Legal")
    replace(root, "high-quality, professional", "high-quality, certified", "Acme Legal")
    insert_paragraph(root, "The Provider shall assign a team of trainers", NEW_EN, "Acme Legal")
    insert_paragraph(root, "The Provider shall prepare a detailed training plan", TRICKY, "Acme")
    move(root, "Communication assessment: an overall", "Theory test: a written", "Acme Legal")
    # A blank of the draft filled in: the Client's name, not set yet.
    replace(root, "[●]", "Globex Corporation", "Acme Legal", within="Name: [●]")
    untracked(root, "textbooks, learning materials", "textbooks, workbooks")
    return comment(root, "The total fee for the training", "Can this be split?", "Acme Legal")


def _zh(root: Any) -> str:
    replace(root, "周建国", "周建华", "乙方法务")
    replace(root, "______", "上海示例培训有限公司", "乙方法务", within="法定代表人：______")
    replace(root, "______", "85", "乙方法务", within="实际操作考核成绩在")
    insert_paragraph(root, "应先行友好协商", NEW_ZH, "乙方法务")
    replace(root, "应先行友好协商", "应先行协商", "乙方法务")
    delete_paragraph(root, "均适用中华人民共和国法律", "乙方法务")
    untracked(root, "培训教材、学习资料", "培训教材、练习册")
    return comment(root, "培训服务费用总额", "能否分两期支付？", "乙方法务")


def _round(sent: Path, tmp: Path, aid: str, edits: Callable[[Any], str], *flags: str) -> Any:
    """A copy of the library after the returned file was applied, with what it printed."""
    lib = tmp / "lib"
    shutil.copytree(sent, lib)
    returned = tmp / f"returned-{ {ZH: 'zh', EN: 'en'}.get(aid, 'bi') }.docx"
    edit_docx(sent / "sent" / f"{aid}.docx", returned, edits)
    report = cli("--root", lib, "receive", returned)
    applied = cli("--root", lib, "receive", returned, "--apply", "--format", "json", *flags)
    assert applied.code == 0, applied.err
    built = cli("--root", lib, "build", aid, "--to", "docx", "-o", lib / "again")
    assert built.code == 0, built.err
    return lib, returned, report.out, json.loads(applied.out)


def _lines(path: Path) -> list[str]:
    text = docx_text(path.read_bytes())
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def english(sent: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _round(sent, tmp_path_factory.mktemp("en"), EN, _en, "--accept-untracked")


@pytest.fixture(scope="module")
def chinese(sent: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _round(sent, tmp_path_factory.mktemp("zh"), ZH, _zh)


def test_english_round_trip(english: Any) -> None:
    lib, returned, report, data = english
    assert data["applied"] == ["variables.party_a.name", "variables.party_b.legal_rep"]
    assert data["deviations"] == [
        "en/assessment-acceptance",
        "en/provider-duties",
        "en/training-scope",
    ]
    assert data["held"] == []
    # The new document reads as the returned one with every change accepted; the
    # name filled into one blank also prints where the signature had it blank.
    expected = [
        line.replace("Name (seal): [●]", "Name (seal): Globex Corporation")
        for line in _lines(returned)
    ]
    assert _lines(lib / "again" / f"{EN}.docx") == expected
    assert TRICKY in expected
    again = cli("--root", lib, "receive", returned)
    assert again.code == 0 and "nothing to apply" in again.out
    assert "changed without tracking" in report and "[needs-approval]" in report


def test_english_deviation_keeps_values_and_references(english: Any) -> None:
    lib = english[0]
    data = yaml.safe_load((lib / "agreements" / f"{EN}.yaml").read_text("utf-8"))
    duties = data["deviations"]["en/provider-duties"]
    assert "high-quality, certified customer service training" in duties["text"]
    assert "{{ ref('en/training-scope') }}" in duties["text"]  # still a reference
    assert f"- {NEW_EN}" in duties["text"]  # the added paragraph stays in the list
    assert duties["from_version"] == "1.0.0" and duties["by"] == "Acme Legal"
    assert duties["label"] == "needs-approval" and duties["source"] == "returned-en.docx"
    assessment = data["deviations"]["en/assessment-acceptance"]["text"]
    assert "{{ exam.theory_pass }}" in assessment
    # The library's own clauses are never written.
    assert (lib / "clauses" / "en" / "provider-duties.md").read_bytes() == (
        REPO / "clauses" / "en" / "provider-duties.md"
    ).read_bytes()


def test_chinese_round_trip(chinese: Any) -> None:
    lib, returned, _, data = chinese
    assert data["applied"] == [
        "variables.party_a.legal_rep",
        "variables.party_b.name",
        "variables.exam.practice_pass",
    ]
    assert data["deviations"] == ["common/dispute-resolution-zh"]
    assert data["held"] == ["training/scope"]  # changed without tracking: not applied
    got = _lines(lib / "again" / f"{ZH}.docx")
    expected = [
        line.replace("名称（盖章）：______", "名称（盖章）：上海示例培训有限公司").replace(
            "培训教材、练习册", "培训教材、学习资料"
        )
        for line in _lines(returned)
    ]
    assert got == expected
    assert NEW_ZH in got and "周建华" in " ".join(got)
    assert not any("均适用中华人民共和国法律" in line for line in got)
    text = (lib / "agreements" / f"{ZH}.yaml").read_text("utf-8")
    assert "  party_b:\n    name: 上海示例培训有限公司\n" in text
    assert "    practice_pass: 85\n" in text
    again = cli("--root", lib, "receive", returned)
    assert again.code == 0 and "nothing to apply" in again.out, again.err


def test_chinese_report(chinese: Any) -> None:
    report = chinese[2]
    assert "value variables.party_b.name" in report and "before: ______" in report
    assert "common/dispute-resolution-zh [needs-approval]" in report
    assert "changed without tracking" in report


def test_bilingual_round_trip(sent: Path, tmp_path: Path) -> None:
    """Each text of a bilingual document changes its own language's clause."""

    def edits(root: Any) -> str:
        replace(root, "应先行友好协商", "应先行协商", "Acme Legal")
        replace(root, "If the dispute is not resolved", "If it is not resolved", "Acme Legal")
        return ""

    lib, returned, _, data = _round(sent, tmp_path, BI, edits)
    assert data["deviations"] == ["common/dispute-resolution-zh", "en/dispute-resolution"]
    assert _lines(lib / "again" / f"{BI}.docx") == _lines(returned)
    again = cli("--root", lib, "receive", returned)
    assert again.code == 0 and "nothing to apply" in again.out


def test_unknown_clause_in_deviations(sent: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(sent, lib, ignore=shutil.ignore_patterns("sent"))
    path = lib / "agreements" / f"{EN}.yaml"
    text = path.read_text("utf-8") + "deviations:\n  en/no-such-clause:\n    text: Anything.\n"
    path.write_text(text, "utf-8")
    line = text.count("\n") - 1
    result = cli("--root", lib, "build", EN, "--to", "md", "-o", lib / "out")
    assert result.code == 1 and not (lib / "out").exists()
    first = result.err.splitlines()[0]
    assert first.startswith(f"agreements/{EN}.yaml:{line}:3: error[deviation-unknown]:")
    assert "Traceback" not in result.err


def test_deviation_text_is_sandboxed_and_escaped(sent: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(sent, lib, ignore=shutil.ignore_patterns("sent"))
    path = lib / "agreements" / f"{EN}.yaml"
    base = path.read_text("utf-8").replace("Daniel Lim", '"*Daniel* <b>Lim</b>"')
    own = "deviations:\n  en/location:\n    text: 'Held by {{ party_b.legal_rep }}.'\n"
    path.write_text(base + own, "utf-8")
    result = cli("--root", lib, "assemble", EN)
    assert result.code == 0, result.err
    assert r"Held by \*Daniel\* \<b\>Lim\</b\>." in result.out
    bad = (
        "deviations:\n  en/location:\n"
        "    text: \"{{ ''.__class__.__mro__ }} and {{ cycler.__init__.__globals__ }}\"\n"
    )
    path.write_text(base + bad, "utf-8")
    result = cli("--root", lib, "assemble", EN)
    # The sandbox refuses both: in a draft they print as blanks, and nothing leaks.
    assert result.code == 0, result.err
    assert "Training Venue\n\n\\[●\\] and \\[●\\]\n" in result.out
    assert "object" not in result.out and "__" not in result.out


def test_check_flags_outdated_and_unapproved(sent: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(sent, lib, ignore=shutil.ignore_patterns("sent"))
    final = lib / "agreements" / "customer-service-training-en" / "2026-shanghai-final.yaml"
    entry = (
        "deviations:\n  en/location:\n    text: The training takes place online.\n"
        "    from_version: 0.9.0\n    label: needs-approval\n"
    )
    final.write_text(final.read_text("utf-8") + entry, "utf-8")
    result = cli("--root", lib, "check")
    assert result.code == 1
    codes = {
        line.split("error[")[1].split("]")[0]
        for line in result.out.splitlines()
        if "error[" in line
    }
    assert codes == {"deviation-outdated", "deviation-approval"}, result.out
    fixed = final.read_text("utf-8").replace("0.9.0", "1.0.0") + "    approved_by: Head of Legal\n"
    final.write_text(fixed, "utf-8")
    assert cli("--root", lib, "check").code == 0


@pytest.mark.needs("git")
def test_deviations_in_review_redline_and_site(sent: Path, tmp_path: Path) -> None:
    """A pull request that takes a returned file in: `diff` lists the new deviations
    redlined against the standard clause, `redline` shows them as Word tracked changes,
    and the site shows them on the agreement's page and the "Negotiated terms" page."""
    lib = tmp_path / "lib"
    shutil.copytree(sent, lib, ignore=shutil.ignore_patterns("sent"))
    git = ["git", "-C", str(lib), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "sent"], check=True)
    returned = tmp_path / "returned.docx"
    edit_docx(sent / "sent" / f"{EN}.docx", returned, _en)
    assert cli("--root", lib, "receive", returned, "--apply").code == 0

    review = cli("--root", lib, "diff", "--base", "HEAD", "--format", "json")
    assert review.code == 0, review.err
    found = {d["clause"]: d for d in json.loads(review.out)["deviations"]}
    assert set(found) == {"en/assessment-acceptance", "en/provider-duties"}
    duties = found["en/provider-duties"]
    assert (duties["change"], duties["label"]) == ("added", "needs-approval")
    pieces = [(p["op"], p["text"]) for line in duties["diff"] for p in line["pieces"]]
    assert ("delete", "professional") in pieces and ("insert", "certified") in pieces
    text = cli("--root", lib, "diff", "--base", "HEAD").out
    assert "### Deviations" in text and "<del>professional</del><ins>certified</ins>" in text

    out = tmp_path / "redline"
    assert cli("--root", lib, "redline", EN, "--base", "HEAD", "-o", out).code == 0
    with zipfile.ZipFile(out / f"{EN}.redline.docx") as z:
        body = etree.fromstring(z.read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    inserted = "".join(body.xpath("//w:ins//w:t/text()", namespaces=ns))
    deleted = "".join(body.xpath("//w:del//w:delText/text()", namespaces=ns))
    assert "certified" in inserted and "refresher session" in inserted
    assert "professional" in deleted
    # Against the standard clauses: the deviations, and not the values they changed.
    assert cli("--root", lib, "redline", EN, "--standard", "-o", out / "std").code == 0
    with zipfile.ZipFile(out / "std" / f"{EN}.redline.docx") as z:
        body = etree.fromstring(z.read("word/document.xml"))
    inserted = "".join(body.xpath("//w:ins//w:t/text()", namespaces=ns))
    assert "certified" in inserted and "Daniel Lin" not in inserted

    assert cli("--root", lib, "pages", "--out", tmp_path / "site", "--no-downloads").code == 0
    negotiated = (tmp_path / "site" / "negotiated.md").read_text("utf-8")
    assert "`en/provider-duties`" in negotiated and "needs\\-approval" in negotiated
    assert f"(agreements/{EN}.md)" in negotiated
    page = (tmp_path / "site" / "agreements" / f"{EN}.md").read_text("utf-8")
    assert "{#deviations}" in page and "<del>professional</del><ins>certified</ins>" in page


@pytest.mark.needs("soffice", "pdftotext")
def test_libreoffice_prints_the_negotiated_text(english: Any, tmp_path: Path) -> None:
    """The document built after --apply, opened by LibreOffice: the negotiated wording
    prints in place of the standard one."""
    lib = english[0]
    docx = lib / "again" / f"{EN}.docx"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp_path, docx],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = subprocess.run(
        ["pdftotext", "-layout", tmp_path / "2026-draft.pdf", "-"], check=True, capture_output=True
    ).stdout.decode()
    flat = " ".join(pdf.split())
    assert "high-quality, certified customer service training" in flat
    assert "high-quality, professional" not in flat
    assert NEW_EN in flat and "Globex Corporation" in flat and "Daniel Lin" in flat


def test_apply_that_cannot_be_written_writes_nothing(sent: Path, tmp_path: Path) -> None:
    """An agreement whose `deviations` the writer cannot extend in place: one line,
    exit 1, no report, the file as it was."""
    lib = tmp_path / "lib"
    shutil.copytree(sent, lib, ignore=shutil.ignore_patterns("sent"))
    path = lib / "agreements" / f"{EN}.yaml"
    path.write_text(path.read_text("utf-8") + "deviations: {}\n", "utf-8")
    before = path.read_bytes()
    returned = tmp_path / "returned.docx"
    edit_docx(sent / "sent" / f"{EN}.docx", returned, _en)
    result = cli("--root", lib, "receive", returned, "--apply")
    assert result.code == 1 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1 and "nothing written" in result.err
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".clausekit-*"))
    usage = cli("--root", lib, "receive", returned, "--accept-untracked")
    assert usage.code == 2 and path.read_bytes() == before

"""`clausekit receive`: a DOCX returned from Word with tracked changes, comments and
an untracked edit, read back by clause and labelled against the playbook."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, cli
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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("receive") / "lib"
    root.mkdir()
    for part in ("clauses", "templates", "agreements", "schema"):
        if (REPO / part).exists():
            shutil.copytree(REPO / part, root / part)
    for name in ("clausekit.yml",):
        if (REPO / name).exists():
            shutil.copy(REPO / name, root / name)
    result = cli("--root", root, "build", EN, ZH, BI, "--to", "docx", "-o", root / "out")
    assert result.code == 0, result.err
    return root


def _en_edits(root: Any) -> str:
    replace(root, "Daniel Lim", "Daniel Lin", "Acme Legal")
    replace(root, "high-quality, professional", "high-quality, certified", "Acme Legal")
    insert_paragraph(root, "The Provider shall assign a team of trainers", NEW_EN, "Acme Legal")
    move(root, "Communication assessment: an overall", "Theory test: a written", "Acme Legal")
    untracked(root, "textbooks, learning materials", "textbooks, workbooks")
    return comment(root, "The total fee for the training", "Can this be split?", "Acme Legal")


def _receive(root: Path, file: Path, *extra: str) -> dict[str, Any]:
    result = cli("--root", root, "receive", file, "--format", "json", *extra)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


@pytest.mark.needs("soffice", "pdftotext")
def test_english_returned_file(built: Path, tmp_path: Path) -> None:
    returned = tmp_path / "returned-en.docx"
    edit_docx(built / "out" / f"{EN}.docx", returned, _en_edits)
    # LibreOffice opens the file and shows the changes (accepted view shows insertions).
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp_path, returned],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = subprocess.run(
        ["pdftotext", tmp_path / "returned-en.pdf", "-"], check=True, capture_output=True
    ).stdout.decode()
    assert "Daniel Lin" in pdf and "refresher session" in pdf and "textbooks, workbooks" in pdf

    data = _receive(built, returned)
    assert data["agreement"] == EN
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for c in data["changes"]:
        by_kind.setdefault(c["kind"], []).append(c)
    [value] = by_kind["value"]
    assert (value["variable"], value["before"], value["after"]) == (
        "variables.party_b.legal_rep",
        "Daniel Lim",
        "Daniel Lin",
    )
    assert value["author"] == "Acme Legal" and value["date"] == "2026-03-02T10:00:00Z"
    clauses = by_kind["clause"]
    assert any("certified" in c["after"] and "professional" in c["before"] for c in clauses)
    added = [c for c in clauses if c["after"] == NEW_EN]
    assert added and added[0]["before"] == "" and added[0]["clause"]
    assert added[0]["label"] == "needs-approval"
    moved = [c for c in clauses if c["after"].startswith("Communication assessment")]
    assert moved and all(c["clause"] for c in moved)
    [edit] = by_kind["untracked"]
    assert "learning materials" in edit["before"] and "workbooks" in edit["after"]
    assert edit["clause"]
    [note] = by_kind["comment"]
    assert note["after"] == "Can this be split?" and note["clause"]

    text = cli("--root", built, "receive", returned)
    assert text.code == 0 and "changed without tracking" in text.out


def test_chinese_value_and_struck_clause(built: Path, tmp_path: Path) -> None:
    def edits(root: Any) -> None:
        replace(root, "周建国", "周建华", "乙方法务")
        delete_paragraph(root, "均适用中华人民共和国法律", "乙方法务")
        delete_paragraph(root, "应先行友好协商", "乙方法务")

    returned = tmp_path / "returned-zh.docx"
    edit_docx(built / "out" / f"{ZH}.docx", returned, edits)
    data = _receive(built, returned)
    kinds = [(c["kind"], c["variable"], c["label"]) for c in data["changes"]]
    assert ("value", "variables.party_a.legal_rep", None) in kinds
    struck = [c for c in data["changes"] if c["kind"] == "clause"]
    assert len(struck) == 2 and {c["label"] for c in struck} == {"removed"}
    assert {c["after"] for c in struck} == {""}
    assert not [c for c in data["changes"] if c["kind"] == "untracked"]


def test_unchanged_file_reports_nothing(built: Path) -> None:
    assert _receive(built, built / "out" / f"{ZH}.docx")["changes"] == []


def test_file_of_another_agreement(built: Path) -> None:
    result = cli("--root", built, "receive", built / "out" / f"{ZH}.docx", "--agreement", EN)
    assert result.code == 1 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1 and "not" in result.err


def test_damaged_and_foreign_files(built: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes((built / "out" / f"{EN}.docx").read_bytes()[:2000])
    foreign = tmp_path / "foreign.docx"
    edit_docx(built / "out" / f"{EN}.docx", foreign, lambda root: None)
    _drop_properties(foreign)
    before = sorted(p.name for p in built.rglob("*"))
    for path, words in ((damaged, "not a readable DOCX"), (foreign, "not a document built")):
        result = cli("--root", built, "receive", path)
        assert result.code == 1 and result.out == "", result.err
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.err
    assert sorted(p.name for p in built.rglob("*")) == before


def _drop_properties(path: Path) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i) for i in z.infolist() if "custom" not in i.filename}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    path.write_bytes(out.getvalue())


def test_fallback_accepted(built: Path, tmp_path: Path) -> None:
    """The clause now reads as a playbook fallback (quotes, spaces and values aside)."""
    lib = tmp_path / "lib"
    shutil.copytree(built, lib)
    clause = lib / "clauses" / "en" / "provider-duties.md"
    fallback = (
        "playbook:\n  fallback:\n    - text: 'The Provider shall deliver high-quality, "
        "certified customer service training in accordance with the content, requirements "
        'and methods set out in Article {{ ref("x") }}.\'\n      note: certification is fine\n'
    )
    text = clause.read_text("utf-8")
    clause.write_text(text.replace("\nvariables:", "\n" + fallback + "variables:", 1), "utf-8")

    def edits(root: Any) -> None:
        replace(root, "high-quality, professional", "high-quality,  certified", "Acme Legal")

    returned = tmp_path / "fallback.docx"
    edit_docx(built / "out" / f"{EN}.docx", returned, edits)
    changes = _receive(lib, returned)["changes"]
    assert [(c["kind"], c["clause"], c["label"]) for c in changes] == [
        ("clause", "en/provider-duties", "fallback")
    ]
    # Any other wording of that clause needs approval.
    edit_docx(
        built / "out" / f"{EN}.docx",
        returned,
        lambda root: replace(root, "high-quality, professional", "adequate", "Acme Legal"),
    )
    assert [c["label"] for c in _receive(lib, returned)["changes"]] == ["needs-approval"]


def test_apply_writes_values_keeping_the_file(built: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(built, lib)
    path = lib / "agreements" / f"{ZH}.yaml"
    path.write_text(path.read_text("utf-8") + "# 谈判记录见邮件\n", "utf-8")
    before = path.read_text("utf-8")

    def edits(root: Any) -> None:
        replace(root, "周建国", "周建华", "乙方法务")
        replace(root, "应先行友好协商", "应先行协商", "乙方法务")

    returned = tmp_path / "returned.docx"
    edit_docx(built / "out" / f"{ZH}.docx", returned, edits)
    data = _receive(lib, returned, "--apply")
    assert data["applied"] == ["variables.party_a.legal_rep"]
    assert data["deviations"] == ["common/dispute-resolution-zh"]
    after = path.read_text("utf-8")
    # The value's line changed in place; the clause change is added after the rest,
    # comments and layout stay.
    kept, _, added = after.partition("deviations:\n")
    assert kept == before.replace("legal_rep: 周建国", "legal_rep: 周建华")
    assert added.startswith("  common/dispute-resolution-zh:\n    text: |-\n")
    assert "应先行协商" in added and "label: needs-approval" in added
    assembled = cli("--root", lib, "assemble", ZH)
    assert assembled.code == 0 and "周建华" in assembled.out and "周建国" not in assembled.out


def test_bilingual_document(built: Path, tmp_path: Path) -> None:
    """Both texts of a bilingual document: each change is found in its clause."""

    def edits(root: Any) -> None:
        replace(root, "应先行友好协商", "应先行协商", "Acme Legal")
        replace(
            root, "If the dispute is not resolved by n", "If it is not resolved by n", "Acme Legal"
        )

    returned = tmp_path / "returned-bi.docx"
    edit_docx(built / "out" / f"{BI}.docx", returned, edits)
    changes = _receive(built, returned)["changes"]
    assert [c["kind"] for c in changes] == ["clause", "clause"]
    assert "应先行协商" in changes[0]["after"] and "If it is not" in changes[1]["after"]
    assert all(c["clause"] and "dispute" in c["clause"] for c in changes)


@pytest.mark.needs("git")
def test_sent_version_found_in_history(built: Path, tmp_path: Path) -> None:
    """The agreement moved on after the file was sent: the sent version is in git."""
    lib = tmp_path / "lib"
    shutil.copytree(built, lib, ignore=shutil.ignore_patterns("out"))
    env = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", lib], check=True)
    subprocess.run(["git", "-C", lib, "add", "."], check=True)
    subprocess.run(["git", "-C", lib, *env, "commit", "-qm", "sent"], check=True)
    sent = subprocess.run(["git", "-C", lib, "rev-parse", "HEAD"], capture_output=True, check=True)
    path = lib / "agreements" / f"{ZH}.yaml"
    path.write_text(path.read_text("utf-8").replace("周建国", "周国强"), "utf-8")
    data = _receive(lib, built / "out" / f"{ZH}.docx")
    assert data["sent_from"] == sent.stdout.decode().strip() and data["changes"] == []
    other = cli("--root", lib, "receive", built / "out" / f"{EN}.docx")
    assert other.code == 0  # unchanged agreement: matched in the working tree
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    subprocess.run(["git", "-C", lib, "add", "."], check=True)
    subprocess.run(["git", "-C", lib, *env, "commit", "-qm", "moved on"], check=True)
    assert _receive(lib, built / "out" / f"{ZH}.docx")["sent_from"] == data["sent_from"]

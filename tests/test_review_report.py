"""The review report (`clausekit diff`) and redlines (`clausekit redline`) on real git
repositories, and the issue's "done when" on a copy of this repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest

from clausekit.render.pandoc import pandoc_path
from conftest import REPO, cli, golden
from review_fixtures import HERE, Repo

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def changed(tmp_path: Path) -> Repo:
    """The fixture library at tag v1 (acme locked), then version 2 committed on top."""
    repo = Repo.create(tmp_path / "lib")
    assert cli("-C", repo.root, "lock").code == 0
    repo.commit("lock services/acme")
    repo.git("tag", "v1")
    repo.overlay()
    repo.commit("version 2")
    return repo


def test_report_golden(changed: Repo) -> None:
    result = cli("-C", changed.root, "diff", "--base", "v1", "--head", "HEAD")
    assert result.code == 0, result.err
    assert result.out == golden(HERE / "report.md", result.out)


def test_report_json(changed: Repo) -> None:
    result = cli("-C", changed.root, "diff", "--base", "v1", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["head"] == "working tree"
    clauses = {c["id"]: c for c in data["clauses"]}
    assert sorted(clauses) == ["en/payment", "zh/confidentiality", "zh/signature"]
    payment = clauses["en/payment"]
    assert (payment["base_version"], payment["head_version"], payment["level"]) == (
        "1.0.0",
        "1.1.0",
        "minor",
    )
    assert payment["details"] == ["optional variable 'payment_days' was added"]
    conf = clauses["zh/confidentiality"]["diff"][0]["pieces"]
    assert [(p["op"], p["text"]) for p in conf if p["op"] != "equal"] == [
        ("delete", "严格"),
        ("insert", "妥善"),
    ]
    agreements = {a["id"]: a for a in data["affected_agreements"]}
    assert agreements["services/acme"]["locked"] is True
    assert agreements["services/acme"]["document"] == "unchanged"
    assert agreements["services/beta"]["document"] == "changed"
    assert agreements["nda/draft"]["document"] == "changed"
    assert [t["id"] for t in data["affected_templates"]] == ["nda", "services"]


def test_report_with_nothing_changed(changed: Repo) -> None:
    result = cli("-C", changed.root, "diff", "--base", "HEAD")
    assert result.code == 0 and "No clause, template or agreement changed." in result.out


# --- redlines -------------------------------------------------------------------------


def tracked(path: Path) -> dict[str, list[str]]:
    """The text of every w:ins and w:del of a DOCX, each checked for author and date."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("word/document.xml"))
    found: dict[str, list[str]] = {"ins": [], "del": []}
    for kind in found:
        for el in root.iter(f"{W}{kind}"):
            assert el.get(f"{W}author") == "Reviewer"
            assert el.get(f"{W}date") == "2026-12-01T00:00:00Z"
            texts = [t.text or "" for t in el.iter(f"{W}t")]
            texts += [t.text or "" for t in el.iter(f"{W}delText")]
            if texts:  # a paragraph mark carries no text
                found[kind].append("".join(texts))
    return found


def pandoc_changes(path: Path) -> dict[str, list[str]]:
    """What Pandoc reads back with --track-changes=all: insertion and deletion spans."""
    proc = subprocess.run(
        [str(pandoc_path()), "-f", "docx", "--track-changes=all", "-t", "json", str(path)],
        capture_output=True,
        check=True,
    )
    found: dict[str, list[str]] = {"ins": [], "del": []}

    def text(inlines: list[dict[str, object]]) -> str:
        return "".join(str(i.get("c", " ")) if i["t"] == "Str" else " " for i in inlines)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Span":
                (_, classes, _), inlines = node["c"]
                kind = {"insertion": "ins", "deletion": "del"}.get(classes[0] if classes else "")
                if kind:
                    found[kind].append(text(inlines))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(proc.stdout))
    return found


def same_changes(a: dict[str, list[str]], b: dict[str, list[str]]) -> bool:
    # Pandoc moves a space at the edge of a change out of it; the words are what count.
    return {k: [t.strip() for t in v] for k, v in a.items()} == {
        k: [t.strip() for t in v] for k, v in b.items()
    }


def redline(repo: Repo, agreement: str, *args: str) -> tuple[Path, Path]:
    result = cli(
        "-C",
        repo.root,
        "redline",
        agreement,
        "--author",
        "Reviewer",
        "-o",
        repo.root / "out",
        *args,
    )
    assert result.code == 0, result.err
    stem = repo.root / "out" / f"{agreement}.redline"
    return Path(f"{stem}.docx"), Path(f"{stem}.html")


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01T00:00:00Z


def test_redline_chinese_tracked_changes(changed: Repo) -> None:
    docx_path, html_path = redline(changed, "nda/draft", "--base", "v1")
    expected = {"ins": ["妥善", "甲方（盖章）："], "del": ["严格"]}
    assert tracked(docx_path) == expected
    assert pandoc_changes(docx_path) == expected
    document = docx.Document(str(docx_path))  # opens as a Word document
    assert any("保密" in p.text for p in document.paragraphs)
    page = html_path.read_text(encoding="utf-8")
    assert "双方均应<del>严格</del><ins>妥善</ins>保密" in page
    assert "<ins>甲方（盖章）：</ins>" in page


def test_redline_english_word_level(changed: Repo) -> None:
    docx_path, html_path = redline(changed, "services/beta", "--base", "v1")
    changes = tracked(docx_path)
    assert changes == {"ins": ["30", "receiving "], "del": ["thirty"]}
    assert same_changes(pandoc_changes(docx_path), changes)
    page = " ".join(html_path.read_text(encoding="utf-8").split())  # Pandoc wraps lines
    assert "within <del>thirty</del><ins>30</ins> days of <ins>receiving </ins>the invoice" in page


def test_redline_of_a_locked_agreement_has_no_changes(changed: Repo) -> None:
    docx_path, _ = redline(changed, "services/acme", "--base", "v1")
    assert tracked(docx_path) == {"ins": [], "del": []}


def test_redline_of_an_agreement_missing_at_base(changed: Repo) -> None:
    changed.write("agreements/nda/new.yaml", changed.read("agreements/nda/draft.yaml"))
    result = cli("-C", changed.root, "redline", "nda/new", "--base", "v1")
    assert result.code == 1
    assert result.err == (
        "clausekit: error: agreement 'nda/new' did not exist at 'v1': nothing to compare\n"
    )


# --- the "done when", on a copy of this repository's own library ----------------


def test_done_when_confidentiality_word_change(tmp_path: Path) -> None:
    # A copy, not a clone: the test also runs from a source tree that is no git checkout.
    lib = tmp_path / "scratch"
    for part in ("clausekit.yml", "clauses", "templates", "agreements", "schema"):
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, lib / part, ignore=shutil.ignore_patterns("*.lock.json"))
        elif src.is_file():
            shutil.copy2(src, lib / part)
    repo = Repo(lib)
    repo.git("init", "-q", "-b", "main")
    repo.commit("library")
    conf = "clauses/common/confidentiality-zh.md"
    repo.edit(conf, "双方均应严格保密", "双方均应妥善保密")
    repo.commit("one word")

    result = cli("-C", lib, "check", "--base", "HEAD~1")
    assert result.code == 1
    assert [line.split(":")[0] for line in result.out.splitlines() if "error[" in line] == [conf]

    repo.edit(conf, "version: 1.0.0", "version: 1.0.1")
    repo.edit(
        conf, "changelog:\n", "changelog:\n  - {version: 1.0.1, date: 2026-12-01, note: 措辞}\n"
    )
    repo.commit("bump")
    # The English translation still names 1.0.0: the one problem left, and the
    # report says so.
    result = cli("-C", lib, "check", "--base", "HEAD~2")
    assert result.code == 1
    assert result.out.startswith("clauses/en/confidentiality.md:6:1: error[translation-outdated]")
    assert len(result.out.splitlines()) == 2

    report = cli("-C", lib, "diff", "--base", "HEAD~2").out
    assert "| `en/confidentiality` | en | `common/confidentiality-zh` | 1.0.0 | 1.0.1 |" in report
    templates = report.split("### Templates affected", 1)[1].split("###", 1)[0]
    assert "`customer-service-training`" in templates and "`mutual-nda`" in templates
    agreements = report.split("### Agreements affected", 1)[1]
    for aid in (
        "customer-service-training/2026-draft",
        "customer-service-training/2026-shenzhen-final",
        "mutual-nda/2026-draft",
        "mutual-nda/2026-shenzhen-hangzhou-final",
    ):
        assert f"`{aid}`" in agreements
    assert "customer-service-training-en" not in report

    for agreement in (
        "mutual-nda/2026-shenzhen-hangzhou-final",
        "customer-service-training/2026-draft",
    ):
        docx_path, _ = redline(repo, agreement, "--base", "HEAD~2")
        assert tracked(docx_path) == {"ins": ["妥善"], "del": ["严格"]}
        assert pandoc_changes(docx_path) == {"ins": ["妥善"], "del": ["严格"]}

    # Reviewed, the translation names the new version; nothing else is owed.
    repo.edit("clauses/en/confidentiality.md", "version: 1.0.0}", "version: 1.0.1}")
    repo.commit("translation reviewed")
    assert cli("-C", lib, "check", "--base", "HEAD~3").code == 0


# --- clause history, for the site ----------------------------------------------------------


def test_clause_versions_and_redline_fragment(changed: Repo, tmp_path: Path) -> None:
    from clausekit.review.history import clause_versions, redline_fragment

    versions = clause_versions(changed.root, "clauses/zh/confidentiality.md")
    assert [v.version for v in versions] == ["1.0.1", "1.0.0"]
    fragment = redline_fragment(versions[1].body, versions[0].body)
    assert "<p>1. 双方均应<del>严格</del><ins>妥善</ins>保密；" in fragment
    assert clause_versions(tmp_path, "clauses/x.md") == []  # not a repository

"""`clausekit import` of text and Markdown: round trips, encodings, bad input."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from clausekit.importer.markdown import escape
from conftest import TESTS, cli, snapshot
from import_helpers import (
    blank_markdown,
    body_of,
    fresh_library,
    headings,
    import_ok,
    norm,
)

FIXTURES = TESTS / "import_fixtures"


def _source_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_reference_contract_filled_in(tmp_path: Path) -> None:
    """A filled-in agreement prints the 大写 computed from the amount."""
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FIXTURES / "equipment-lease.zh.md")
    draft = lib / "agreements" / "equipment-lease" / "draft.yaml"
    clauses = "".join(p.read_text(encoding="utf-8") for p in (lib / "clauses").rglob("*.md"))
    name = re.search(r"\{\{ (\w+) \| money \}\}元（大写", clauses)
    assert name
    draft.write_text(
        draft.read_text(encoding="utf-8").replace(
            "variables: {}", f"variables: {{{name[1]}: 12000}}"
        ),
        encoding="utf-8",
    )
    result = cli("-C", lib, "assemble", "equipment-lease/draft")
    assert result.code == 0, result
    assert "人民币12,000.00元（大写：壹万贰仟元整）" in result.out


@pytest.mark.parametrize(
    ("fixture", "numbering", "refs"),
    [
        ("consulting-decimal.md", "decimal", ["Section 2.1", "Section 2.2"]),
        ("equipment-lease.zh.md", "zh-CN-article", ["第二条第（二）款", "第三条"]),
    ],
)
def test_markdown_precedent_round_trip(
    tmp_path: Path, fixture: str, numbering: str, refs: list[str]
) -> None:
    lib = fresh_library(tmp_path / "lib")
    source = FIXTURES / fixture
    out = import_ok(lib, source)
    assert f"numbering {numbering}" in out
    template = fixture.split(".")[0]
    blank = blank_markdown(lib, template)
    text = source.read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    assert f'title: "{title.lstrip("# ")}"' in blank
    assert norm(body_of(blank)) == norm(rest)
    assert headings(blank) == [
        (len(m[1]) - 1, norm(m[2])) for m in re.finditer(r"^(##+)\s+(.*)$", rest, re.M)
    ]
    clauses = "".join(p.read_text(encoding="utf-8") for p in (lib / "clauses").rglob("*.md"))
    assert clauses.count("{{ ref(") == len(refs)
    for ref in refs:  # computed now, printed as typed
        assert ref in body_of(blank)


def test_unknown_references_are_review_items(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    out = import_ok(lib, FIXTURES / "consulting-decimal.md")
    assert "consulting-decimal.md:38: reference 'Article 3' would print as 'Section 3'" in out
    assert "reference 'clause 9.9' names nothing found" in out


def test_placeholders_keep_their_names_and_brackets_describe(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FIXTURES / "consulting-decimal.md")
    pre = (lib / "clauses" / "consulting-decimal" / "preamble.md").read_text(encoding="utf-8")
    assert "{{ consultant_name }}" in pre and "{{ consultant_address }}" in pre
    assert "description: Legal name of the client" in pre
    assert "{{ client.name }}" in pre  # the CLIENT: block is an object


def test_escaping_keeps_jinja_and_markdown_literal(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FIXTURES / "consulting-decimal.md")
    blank = blank_markdown(lib, "consulting-decimal")
    # HTML in the source is converted: a tag is dropped (and listed for review).
    assert r"\{% raw %}, \{## note ##} and \*stars\* or tags" in blank
    assert escape("{{ x }} {% y %}") == "{{ '{' }}{ x }} {{ '{' }}% y %}"


def test_signature_block_becomes_the_signature_clause(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FIXTURES / "equipment-lease.zh.md")
    template = (lib / "templates" / "equipment-lease.yaml").read_text(encoding="utf-8")
    assert "signature: equipment-lease/signature" in template
    sig = (lib / "clauses" / "equipment-lease" / "signature.md").read_text(encoding="utf-8")
    assert "以下无正文" in sig


def test_same_input_same_files(tmp_path: Path) -> None:
    one, two = fresh_library(tmp_path / "one"), fresh_library(tmp_path / "two")
    import_ok(one, FIXTURES / "equipment-lease.zh.md")
    import_ok(two, FIXTURES / "equipment-lease.zh.md")
    assert snapshot(one) == snapshot(two)


def test_never_overwrites(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FIXTURES / "equipment-lease.zh.md")
    before = snapshot(lib)
    again = cli("-C", lib, "import", FIXTURES / "equipment-lease.zh.md")
    assert again.code == 1 and "template 'equipment-lease' already exists" in again.err
    clash = cli(
        "-C",
        lib,
        "import",
        FIXTURES / "equipment-lease.zh.md",
        "--template",
        "other",
        "--prefix",
        "equipment-lease",
    )
    assert clash.code == 1 and "already exists" in clash.err
    assert len(clash.err.splitlines()) == 1
    assert snapshot(lib) == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    before = snapshot(lib)
    result = cli("-C", lib, "import", FIXTURES / "consulting-decimal.md", "--dry-run")
    assert result.code == 0 and "would write templates/consulting-decimal.yaml" in result.out
    assert snapshot(lib) == before


ZH_TEXT = (
    "服务合同\n一、服务内容\n乙方为甲方提供咨询服务。\n"
    "二、服务费用\n服务费为人民币____元（大写：____）。\n"
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("gb18030", ZH_TEXT.encode("gb18030")),
        ("bom", b"\xef\xbb\xbf" + ZH_TEXT.encode("utf-8")),
        ("crlf", ZH_TEXT.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_text_encodings_and_line_endings(tmp_path: Path, name: str, data: bytes) -> None:
    lib = fresh_library(tmp_path / "lib")
    source = tmp_path / f"{name}.txt"
    source.write_bytes(data)
    out = import_ok(lib, source, "--template", "svc")
    assert ("GB18030" in out) == (name == "gb18030")
    assert "2 articles" in out
    blank = blank_markdown(lib, "svc")
    assert headings(blank) == [(1, norm("一、服务内容")), (1, norm("二、服务费用"))]
    assert norm(body_of(blank)) == norm(ZH_TEXT.split("\n", 1)[1])


def test_no_numbered_headings_is_one_clause_and_a_review_item(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    source = tmp_path / "memo.txt"
    source.write_text("备忘录\n双方同意继续合作。\n具体事项另行商定。\n", encoding="utf-8")
    out = import_ok(lib, source)
    assert "1 articles" in out
    assert "memo.txt:2: no numbered headings found" in out


def _zip_bomb(path: Path, mebibytes: list[int]) -> None:
    """A DOCX whose members inflate to the given sizes (zeros compress ~1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for i, size in enumerate(mebibytes):
            name = "word/document.xml" if i == 0 else f"word/media/image{i}.bin"
            with zf.open(name, "w", force_zip64=True) as member:
                for _ in range(size):
                    member.write(bytes(2**20))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "the file is empty"),
        ("blank.md", b"  \n\n", "the file is empty"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a valid DOCX file"),
        ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
        ("binary.txt", b"\xff\xfe\x00\x81\x30\xff" * 10, "not text in UTF-8 or GB18030"),
        ("contract.pdf", b"%PDF-1.7", "cannot import .pdf"),
        (
            "japanese.txt",
            "第一条 本契約は、甲と乙の間で締結される。".encode("shift_jis"),
            "Shift-JIS",
        ),
        ("bomb.docx", "bomb", "inflates to 65 MiB (the limit is 64 MiB)"),
        ("bombs.docx", "bombs", "the DOCX inflates to 300 MiB (the limit is 256 MiB)"),
        ("dtd.docx", "dtd", "word/numbering.xml holds a DTD"),
    ],
)
def test_bad_input_is_one_line_exit_1(
    tmp_path: Path, name: str, data: bytes | str | None, message: str
) -> None:
    lib = fresh_library(tmp_path / "lib")
    source = tmp_path / name
    if data in ("bomb", "bombs"):
        _zip_bomb(source, [65] if data == "bomb" else [60] * 5)
    elif data == "dtd":
        _zip_bomb(source, [0])
        laughs = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><w>&b;</w>'
        with zipfile.ZipFile(source, "a") as zf:
            zf.writestr("word/numbering.xml", laughs)
    elif isinstance(data, bytes):
        source.write_bytes(data)
    before = snapshot(lib)
    result = cli("-C", lib, "import", source)
    assert result.code == 1, result
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
    assert str(source) in result.err and message in result.err
    assert snapshot(lib) == before


def test_bad_template_id_is_a_usage_error(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    result = cli("-C", lib, "import", FIXTURES / "equipment-lease.zh.md", "--template", "Bad Id")
    assert result.code == 2 and "--template" in result.err


def test_library_files_with_bom_crlf_load_and_gb18030_is_named(tmp_path: Path) -> None:
    lib = fresh_library(tmp_path / "lib")
    import_ok(lib, FIXTURES / "equipment-lease.zh.md")
    files = [
        lib / "templates" / "equipment-lease.yaml",
        lib / "clauses" / "equipment-lease" / "preamble.md",
        lib / "agreements" / "equipment-lease" / "draft.yaml",
    ]
    for path in files:  # a BOM (Notepad) and CRLF line endings on every kind of file
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    check = cli("-C", lib, "check")
    assert check.code == 0, check.out
    gb = lib / "clauses" / "equipment-lease" / "general.md"
    gb.write_bytes(gb.read_text(encoding="utf-8").encode("gb18030"))
    check = cli("-C", lib, "check")
    assert check.code == 1
    assert (
        "clauses/equipment-lease/general.md:1:1: error[encoding]: not UTF-8 text: the file "
        "looks GB18030-encoded; convert it with: iconv -f GB18030 -t UTF-8" in check.out
    )


def test_import_help() -> None:
    result = cli("import", "--help")
    assert result.code == 0 and "--dry-run" in result.out and "--prefix" in result.out


def test_a_reader_that_stops_early_still_gets_every_file(tmp_path: Path) -> None:
    """`clausekit import … | true`: the reader is gone before the first line is
    printed. The files are written all the same, and the closed pipe is no traceback."""
    lib = fresh_library(tmp_path / "lib")
    exe = Path(sys.executable).with_name("clausekit")
    shell = f"'{exe}' -C '{lib}' import '{FIXTURES / 'equipment-lease.zh.md'}' | true"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr == "", result.stderr
    assert result.returncode == 141, result
    assert sorted(p.name for p in (lib / "templates").iterdir()) == ["equipment-lease.yaml"]
    assert cli("-C", lib, "check").code == 0

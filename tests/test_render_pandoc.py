"""The Pandoc wrapper: the bundled binary, the input format, errors."""

from __future__ import annotations

import json

import pytest

from clausekit.errors import BuildError, ToolMissing
from clausekit.render import pandoc
from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path, run_pandoc


def native_json(markdown: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(run_pandoc(markdown, "json", [], "test"))
    return data


def para_text(markdown: str) -> str:
    return run_pandoc(markdown, "plain", [], "test").decode().strip()


def test_bundled_pandoc_is_found() -> None:
    assert pandoc_path().is_file()
    assert "pypandoc" in str(pandoc_path())


def test_input_format_includes_east_asian_line_breaks() -> None:
    assert INPUT_FORMAT.startswith("commonmark_x+east_asian_line_breaks")
    # A soft break between two CJK characters disappears; between Latin words it stays.
    assert para_text("中文\n文字") == "中文文字"
    assert para_text("plain\ntext") in ("plain text", "plain\ntext")


def test_literal_text_is_not_rewritten() -> None:
    # smart would give “引号“ (wrong closing quote); math would eat the dollar amounts.
    assert para_text('中文"引号" USD $500 and $300 H~2~O x^2^ :smile:') == (
        '中文"引号" USD $500 and $300 H~2~O x^2^ :smile:'
    )
    # fancy_lists would turn "(a)" paragraphs into a numbered list and drop the label.
    assert para_text("(a) first") == "(a) first"


def test_metadata_block_and_pipe_tables_are_read() -> None:
    doc = native_json('---\ntitle: "T"\nlang: zh-CN\n---\n\n| a | b |\n|:--|:--|\n| 1 | 2 |\n')
    meta = doc["meta"]
    assert isinstance(meta, dict) and "title" in meta and "lang" in meta
    blocks = doc["blocks"]
    assert isinstance(blocks, list) and blocks[0]["t"] == "Table"


def test_sandbox_blocks_file_includes(tmp_path: pytest.TempPathFactory) -> None:
    # Image paths are read by the docx writer; in sandbox mode they must not be.
    out = run_pandoc("![x](/etc/passwd)", "docx", ["-o", "-"], "test")
    assert b"root:" not in out


def test_pandoc_failure_is_build_error() -> None:
    with pytest.raises(BuildError, match="doc-name: pandoc -t nosuchformat failed"):
        run_pandoc("x", "nosuchformat", [], "doc-name")


def test_missing_pandoc_is_tool_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEKIT_PANDOC", "/nonexistent/pandoc")
    pandoc.pandoc_path.cache_clear()
    try:
        with pytest.raises(ToolMissing) as info:
            run_pandoc("x", "plain", [], "test")
        assert info.value.exit_code == 3
    finally:
        monkeypatch.delenv("CLAUSEKIT_PANDOC")
        pandoc.pandoc_path.cache_clear()

"""Every value is printed as literal text: Markdown never reads it as syntax."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from clausekit.language.sandbox import md_escape

MD = MarkdownIt("commonmark").enable("table")


def rendered_text(markdown: str) -> str:
    """The text a reader sees: HTML tags stripped, entities decoded."""
    out = MD.render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


HOSTILE = [
    "*ACME* [x](http://e.vil) <b>",
    "# * _ \\ $ < > [ ]",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "`code` ~~strike~~ &amp; | pipe |",
    "<script>alert(1)</script>",
    "![img](x.png)",
    '#sys.exit() #read("/etc/passwd")',
    "<w:p><w:r><w:t>raw</w:t></w:r></w:p>",
]


def test_hostile_values_print_literally() -> None:
    for value in HOSTILE:
        assert rendered_text("甲方：" + md_escape(value)) == "甲方：" + value
        assert rendered_text(md_escape(value)) == value  # at the start of a line too


def test_newlines_cannot_start_blocks() -> None:
    assert rendered_text(md_escape("a\n\n# heading\n- item")) == "a # heading - item"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1.#*_[]()<>&`\\!|~-+=:$@{}^'\"甲")), max_size=24))
def test_any_ascii_punctuation_is_literal(value: str) -> None:
    value = " ".join(value.split())  # blocks collapse runs of spaces anyway
    assert rendered_text("x " + md_escape(value)) == ("x " + value).strip()


def test_hostile_party_name_through_the_pipeline(tmp_path: object) -> None:
    from pathlib import Path

    from conftest import cli, make_library

    lib = make_library(Path(str(tmp_path)) / "lib")
    agreement = lib / "agreements" / "base" / "ok.yaml"
    hostile = "*ACME* [x](http://e.vil) <b> {{ 7*7 }} {% raw %}"
    text = agreement.read_text("utf-8").replace("甲公司", hostile.replace("'", "''"))
    agreement.write_text(text.replace("name: " + hostile, f"name: '{hostile}'"), "utf-8")
    result = cli("-C", lib, "assemble", "base/ok")
    assert result.code == 0, result.err
    assert "甲方：" + hostile in rendered_text(result.out.split("---\n", 2)[2])
    assert "49" not in result.out  # values are data, never templates

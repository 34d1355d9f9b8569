"""Headings are found as markdown-it finds them, with or without parsing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clausekit.language import headings

LINES = st.sampled_from(
    [
        "",
        "正文一句。",
        "# 标题 {#anchor}",
        "   ## Sub",
        "    # indented code, not a heading",
        "\t# a tab: code",
        "#no space: text",
        "Setext title",
        "===",
        "  ---  ",
        "- # in a list",
        "> # in a quote",
        "```",
        "1. item",
        "text with # inside",
        "-- not a rule",
        "= alone",
        "| 甲 | 乙 |",
        "|---|---|",
        "<div>",
        "~~~",
        "[ref]: /url 'title",
        "####### seven",
        "#\ttab",
        "## closed ##",
        "#",
        "  - nested",
        "2) other",
        "***",
        "   text indented three",
        "- <div>",
        "1. ```",
        "> ~~~",
        "  <!-- note",
        "-->",
    ]
)


def _parsed(text: str) -> tuple[headings.Heading, ...]:
    return tuple(
        (tok.map[0], tok.map[1], int(tok.tag[1]))
        for tok in headings._md().parse(text)
        if tok.type == "heading_open" and tok.level == 0 and tok.map is not None
    )


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINES, max_size=10))
def test_found_as_markdown_it_finds_them(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert headings.find_headings(text) == _parsed(text)


def test_a_text_without_a_heading_line_is_not_parsed() -> None:
    assert headings.MAYBE_HEADING.search("甲方应当支付。\n- 一项\n> 引用 # 号") is None
    assert headings.find_headings("甲方应当支付。\n- 一项") == ()
    assert headings.find_headings("Title\n---\n\nbody") == ((0, 2, 2),)


def test_headings_of_plain_lists_and_tables_are_found_without_parsing() -> None:
    """The examples' clauses: lists, tables and `###` headings need no parse."""
    text = "正文。\n\n### 一、范围\n\n1. 甲\n2. 乙\n\n| a | b |\n|---|---|\n| 1 | 2 |\n# 二\n"
    assert headings.NEEDS_PARSE.search(text) is None
    assert headings.find_headings(text) == _parsed(text) == ((2, 3, 3), (10, 11, 1))

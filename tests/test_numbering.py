"""Heading numbers and `ref` texts in every numbering style."""

from __future__ import annotations

import pytest

from clausekit.assemble.numbering import heading_prefix, reference

NUMBERS = [(5,), (5, 2), (5, 2, 3), (5, 2, 3, 4)]


@pytest.mark.parametrize(
    ("style", "prefixes", "refs"),
    [
        (
            "zh-CN",
            ["五、", "（二）", "3. ", "（4）"],
            [
                "第五条",
                "第五条第（二）款",
                "第五条第（二）款第3项",
                "第五条第（二）款第3项第（4）目",
            ],
        ),
        (
            "zh-CN-article",
            ["第五条 ", "（二）", "3. ", "（4）"],
            [
                "第五条",
                "第五条第（二）款",
                "第五条第（二）款第3项",
                "第五条第（二）款第3项第（4）目",
            ],
        ),
        (
            "decimal",
            ["5. ", "5.2 ", "5.2.3 ", "(d) "],
            ["Section 5", "Section 5.2", "Section 5.2.3", "Section 5.2.3(d)"],
        ),
        (
            "legal",
            ["Article 5 ", "5.2 ", "(c) ", "(iv) "],
            ["Article 5", "Section 5.2", "Section 5.2(c)", "Section 5.2(c)(iv)"],
        ),
    ],
)
def test_styles(style: str, prefixes: list[str], refs: list[str]) -> None:
    assert [heading_prefix(style, n) for n in NUMBERS] == prefixes
    assert [reference(style, n) for n in NUMBERS] == refs


def test_large_numbers() -> None:
    assert heading_prefix("zh-CN", (12,)) == "十二、"
    assert heading_prefix("zh-CN", (1, 11)) == "（十一）"
    assert heading_prefix("decimal", (1, 1, 1, 27)) == "(aa) "
    assert heading_prefix("legal", (1, 1, 1, 9)) == "(ix) "

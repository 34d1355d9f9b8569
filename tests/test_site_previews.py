"""Agreement previews converted in a background process give the HTML converted in turn."""

from __future__ import annotations

import pytest

from clausekit.errors import BuildError
from clausekit.publish.site.previews import Previews, preview_body

TEXTS = {
    "agreements/a.md": (
        "# 第一条 定义 {#defs}\n\n1. 甲方\n2. 乙方\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    ),
    "agreements/b.md": (
        ':::: {.row}\n::: {lang="zh"}\n甲方应付款。\n:::\n'
        '::: {lang="en"}\nParty A pays.\n:::\n::::\n'
    ),
}


@pytest.mark.parametrize("background_from", [1, 100])
def test_background_and_in_turn_give_the_same_html(background_from: int) -> None:
    previews = Previews(TEXTS, background_from=background_from)
    try:
        for key, text in TEXTS.items():
            assert key in previews
            assert previews.html(key) == preview_body(text)
        assert "ck-defs" in previews.html("agreements/a.md")
        assert '<td lang="en">' in previews.html("agreements/b.md")
        assert "agreements/c.md" not in previews
    finally:
        previews.close()


def test_a_failed_background_conversion_is_reported() -> None:
    previews = Previews({"agreements/a.md": None}, background_from=1)  # type: ignore[dict-item]
    try:
        with pytest.raises(BuildError, match="preview conversion failed"):
            previews.html("agreements/a.md")
    finally:
        previews.close()

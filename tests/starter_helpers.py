"""Helpers of the `clausekit init` tests: what init writes, and the site's state."""

from __future__ import annotations

COMMON = {
    ".github/workflows/publish.yml",
    ".github/workflows/review.yml",
    ".github/zizmor.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "clausekit.yml",
    "docs/index.md",
    "mkdocs.yml",
}
EXAMPLES = {
    "zh-CN": {
        "clauses/service/payment.md",
        "templates/service-agreement.yaml",
        "agreements/example/service-draft.yaml",
    },
    "en": {
        "clauses/services/fees.md",
        "templates/service-agreement.yaml",
        "agreements/example/service-draft.yaml",
    },
}
BARE = {"clauses/.gitkeep", "templates/.gitkeep", "agreements/.gitkeep"}
# What the example draft prints: its amount in words, and the blank where the
# provider's name is still missing.
AMOUNT_WORDS = {"zh-CN": "捌万陆仟元整", "en": "eighty-six thousand"}
BLANK = {"zh-CN": r"\_\_\_\_\_\_", "en": r"\[●\]"}
HOME_TEXT = {"zh-CN": "这一页是手写的", "en": "This page is hand-written"}

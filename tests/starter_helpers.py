"""Helpers of the `clausekit init` tests: what init writes, and the site's state."""

from __future__ import annotations

import pytest

from clausekit.publish.site.plugin import ClausekitConfig

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


def _plugin_has_prefix() -> bool:
    return "prefix" in dict(ClausekitConfig._schema)


# An init'ed library keeps its hand-written docs/index.md and puts the library
# under `prefix: library/`, which the plugin learns in a parallel branch.
needs_prefix = pytest.mark.xfail(
    not _plugin_has_prefix(), reason="needs plugin prefix option", strict=False
)


def xfail_without_prefix(output: str) -> None:
    """Inside a test that ran mkdocs and saw it fail: xfail only for the known reason."""
    if not _plugin_has_prefix():
        pytest.xfail(f"needs plugin prefix option; mkdocs said:\n{output[-2000:]}")

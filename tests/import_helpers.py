"""Helpers of the import round-trip tests: a fresh library, and text compared
apart from blanks."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from conftest import cli

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"
REFERENCE = SEED / "customer-service-training-agreement.zh-CN.txt"

# Every form a blank takes in a source or in a blank form, after NFKC.
_BLANK = re.compile(
    r"(?:\\?_){2,}|\\?\[●\\?\]|【\s*】|\[[^\[\]\n:,。;●]{1,80}\]|«[^»\n]+»"
    r"|\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_]\w*\}"
)


def fresh_library(path: Path) -> Path:
    for folder in ("clauses", "templates", "agreements"):
        (path / folder).mkdir(parents=True)
    return path


def import_ok(lib: Path, source: Path, *args: str) -> str:
    result = cli("-C", lib, "import", source, *args)
    assert result.code == 0, result
    assert "Traceback" not in result.err
    check = cli("-C", lib, "check")
    assert check.code == 0, check.out
    return result.out


def blank_markdown(lib: Path, template: str) -> str:
    result = cli("-C", lib, "build", "--blank", template, "--to", "md", "-o", lib / "out")
    assert result.code == 0, result
    return (lib / "out" / "blank" / f"{template}.md").read_text(encoding="utf-8")


def body_of(markdown: str) -> str:
    """A blank form without its metadata block."""
    if markdown.startswith("---\n"):
        markdown = markdown[markdown.index("\n---\n", 4) + 5 :]
    return markdown


_TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "--", "—": "---"})


def norm(text: str) -> str:
    """Text compared apart from blanks, escapes, emphasis, heading marks and spacing."""
    text = unicodedata.normalize("NFKC", text)
    # Clause text gets typographic quotes and dashes (language.typography).
    text = text.translate(_TYPOGRAPHIC)
    text = re.sub(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>", "", text)  # HTML is converted
    text = re.sub(r"\\([\[\]])", r"\1", text)  # a placeholder the blank form prints
    text = _BLANK.sub("□", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = text.replace("**", "")
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"□年□月□日", "□", text)
    return re.sub(r"(大写:)□元?整?", r"\1□", text)


def headings(markdown: str) -> list[tuple[int, str]]:
    return [
        (len(m.group(1)), norm(m.group(2)))
        for m in re.finditer(r"^(#+)\s+(.*?)(?:\s*\{#[\w-]+\})?$", body_of(markdown), re.M)
    ]

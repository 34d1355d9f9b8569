"""Helpers of the import round-trip tests: a fresh library, and text compared
apart from blanks."""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import TESTS, cli

CORPUS = TESTS / "import_corpus"

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


# Blanks as a reader sees them in a source or a blank form: bracketed or braced
# placeholders, underlines, `[●]`, check boxes.
_ANY_BLANK = re.compile(
    r"\[[^\[\]\n]{0,160}\]|\{\{?\s*[\w.]+\s*\}?\}|_{2,}|＿{2,}|[●☐☒☑]|【[^【】]*】|«[^»]*»"
)


def docx_text(data: bytes) -> str:
    """The paragraphs of a DOCX body in reading order (a table cell by cell)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))


def reading_tokens(text: str) -> list[str]:
    """Words (and Chinese characters) of a text, every blank one token `□`."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    text = re.sub(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>", "", text)
    text = _ANY_BLANK.sub(" □ ", text.replace("\\", ""))
    tokens = re.findall(r"□|[\u4e00-\u9fff]|[A-Za-z0-9]+", text)
    # A run of blanks is one blank (`[x] [1 year(s)]` in the source is `☐` in the form).
    return [
        t.lower() for i, t in enumerate(tokens) if not (t == "□" and i and tokens[i - 1] == "□")
    ]


def similarity(source: str, blank: str) -> float:
    return difflib.SequenceMatcher(
        None, reading_tokens(source), reading_tokens(blank), autojunk=False
    ).ratio()

"""Paragraphs of a plain-text or Markdown contract."""

from __future__ import annotations

import re

from .model import BOLD_OFF, BOLD_ON, BREAK, Para

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)([-*+]|(\d{1,3})[.)])\s+(.*)$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_STRONG = re.compile(r"\*\*(.+?)\*\*")


def read_txt(text: str) -> list[Para]:
    """One paragraph per non-empty line, as editors and 'save as text' write them."""
    return [Para(line.strip(), i) for i, line in enumerate(text.split("\n"), 1) if line.strip()]


def _inline(text: str) -> str:
    text = _STRONG.sub(lambda m: BOLD_ON + m.group(1) + BOLD_OFF, text)
    return _ESCAPE.sub(r"\1", text)


def _join(lines: list[str]) -> str:
    out = ""
    for i, raw in enumerate(lines):
        hard = raw.endswith("\\") or raw.endswith("  ")
        line = raw.rstrip("\\ ").strip() if hard else raw.strip()
        if not out:
            out = line
        elif re.search(r"[\u3000-\u9fff\uff00-\uffef]$", out) or re.match(r"[\u3000-\u9fff]", line):
            out += line
        else:
            out += " " + line
        if hard and i < len(lines) - 1:
            out += BREAK
    return _inline(out)


def read_md(text: str) -> list[Para]:
    """Headings, paragraphs, list items and pipe tables of a Markdown file."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
        start = end + 1 if end else 0
    paras: list[Para] = []
    buf: list[str] = []
    buf_para: Para | None = None
    table: list[list[str]] = []
    table_line = 0

    def flush() -> None:
        nonlocal buf, buf_para, table
        if buf_para is not None:
            buf_para.text = _join(buf)
            paras.append(buf_para)
        if table:
            paras.append(Para("", table_line, cells=table))
        buf, buf_para, table = [], None, []

    for n, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("|"):
            if buf_para is not None:
                flush()
            if not re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
                table_line = table_line if table else n
                cells = [c.strip() for c in re.split(r"(?<!\\)\|", stripped.strip("|"))]
                table.append([_inline(c) for c in cells])
            continue
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if heading:
            flush()
            paras.append(Para(_inline(heading.group(2)), n, heading=len(heading.group(1))))
        elif item and (buf_para is None or buf_para.list_level is not None or not buf):
            flush()
            depth = len(item.group(1).expandtabs(4)) // 2
            ordered = item.group(3) is not None
            buf_para = Para(
                "", n, list_level=min(depth, 3), ordered=ordered, item_no=int(item.group(3) or 1)
            )
            buf = [item.group(4)]
        else:
            if buf_para is None:
                buf_para = Para("", n)
            buf.append(line)
    flush()
    return paras

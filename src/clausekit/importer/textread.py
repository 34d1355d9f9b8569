"""Paragraphs of a plain-text or Markdown contract."""

from __future__ import annotations

import re

from .model import (
    BOLD_OFF,
    BOLD_ON,
    BREAK,
    LABEL_OFF,
    LABEL_ON,
    LINK_MID,
    LINK_OFF,
    LINK_ON,
    TERM_OFF,
    TERM_ON,
    Para,
    Review,
)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)([-*+]|(\d{1,3})[.)])\s+(.*)$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]+)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LABEL = re.compile(r"<label\b[^>]*>(.*?)</label\s*>", re.I | re.S)
_SPAN = re.compile(r"<span\b[^>]*>(.*?)</span\s*>", re.I | re.S)
_BR = re.compile(r"<br\s*/?>", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_RULE = re.compile(r"(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}")
_CHECK = re.compile(r"^\[([ xX])\]\s+")
# `<u>　　　　</u>`: underlined spaces are a line to write on, a blank.
_UNDERLINED = re.compile(r"<u>(.*?)</u\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \u3000\u00a0]{2,}|[\u3000\u00a0]")


def read_txt(text: str) -> list[Para]:
    """One paragraph per non-empty line, as editors and 'save as text' write them."""
    return [Para(line.strip(), i) for i, line in enumerate(text.split("\n"), 1) if line.strip()]


def _span(m: re.Match[str]) -> str:
    # A cover-page link names a term the cover page defines: the value, when one exists.
    if "coverpage" in m.group(0)[: m.group(0).find(">")].lower():
        return TERM_ON + m.group(1) + TERM_OFF
    return m.group(1)


def _html(text: str, line: int, reviews: list[Review]) -> str:
    """HTML of the source as text: a span keeps its text, a `<label>` is a help text
    (the description of the variable that follows), other tags are dropped."""
    text = _COMMENT.sub("", text)
    text = _LABEL.sub(lambda m: LABEL_ON + _TAG.sub("", m.group(1)).strip() + LABEL_OFF, text)
    if any("coverpage" not in m.group(0).lower() for m in _SPAN.finditer(text)):
        reviews.append(Review(line, "HTML <span> markup dropped; its text is kept"))
    if _SPAN.search(text):
        while _SPAN.search(text):  # spans may nest
            text = _SPAN.sub(_span, text)
    text = _BR.sub(BREAK, text)
    if _UNDERLINED.search(text):
        text = _UNDERLINED.sub(lambda m: _SPACES.sub("____", m.group(1)), text)
        reviews.append(Review(line, "underlined spaces (<u>　</u>) are a blank"))
    tags = sorted({m.group(0) for m in _TAG.finditer(text)})
    if tags:
        reviews.append(Review(line, f"HTML markup dropped: {', '.join(tags)[:80]}"))
        text = _TAG.sub("", text)
    return text


def _inline(text: str, line: int = 0, reviews: list[Review] | None = None) -> str:
    text = _html(text, line, reviews if reviews is not None else [])
    text = _LINK.sub(lambda m: LINK_ON + m.group(1) + LINK_MID + m.group(2) + LINK_OFF, text)
    text = _STRONG.sub(lambda m: BOLD_ON + m.group(1) + BOLD_OFF, text)
    return _ESCAPE.sub(r"\1", text)


def _join(lines: list[str], at: int, reviews: list[Review]) -> str:
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
    return _inline(out, at, reviews)


def read_md(text: str, reviews: list[Review] | None = None) -> list[Para]:
    """Headings, paragraphs, list items (check boxes too) and pipe tables of a Markdown
    file; what its HTML markup drops goes to `reviews`."""
    reviews = reviews if reviews is not None else []
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
            buf_para.text = _join(buf, buf_para.line, reviews)
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
                row = re.sub(r"^\||(?<!\\)\|$", "", stripped)  # one outer pipe each side
                cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)]
                table.append([_inline(c, n, reviews) for c in cells])
            continue
        if buf_para is None and _RULE.fullmatch(stripped):
            flush()  # a thematic break separates parts; the numbering style does that
            continue
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if heading:
            flush()
            title = _inline(heading.group(2), n, reviews)
            paras.append(Para(title, n, heading=len(heading.group(1))))
        elif item and (
            buf_para is None
            or buf_para.list_level is not None
            or not buf
            or item.group(3) in (None, "1")  # a list may start right under a paragraph
        ):
            flush()
            depth = len(item.group(1).expandtabs(4)) // 2
            ordered = item.group(3) is not None
            buf_para = Para(
                "", n, list_level=min(depth, 3), ordered=ordered, item_no=int(item.group(3) or 1)
            )
            check = _CHECK.match(item.group(4))
            if check and not ordered:
                buf_para.check = check.group(1) != " "
            buf = [item.group(4)[check.end() :] if check and not ordered else item.group(4)]
        else:
            if buf_para is None:
                buf_para = Para("", n)
            buf.append(line)
    flush()
    return paras

"""Paragraphs of a DOCX: Pandoc's JSON AST for the text, `word/document.xml` and
`word/numbering.xml` for Word's own list numbering, which Pandoc drops."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from ..errors import ToolMissing
from ..render.pandoc import INSTALL_HINT, MEMORY_CAP, pandoc_env, pandoc_path
from .decode import ImportFailed
from .model import BOLD_OFF, BOLD_ON, BREAK, Para

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


@dataclass(frozen=True)
class WordNumber:
    text: str  # the paragraph's text, for matching with Pandoc's
    level: int  # ilvl
    fmt: str  # numFmt: decimal, bullet, lowerLetter…
    lvl_text: str  # '%1.', 'Article %1'


def read_docx(data: bytes, shown: str) -> tuple[list[Para], str | None]:
    data = merge_fields(data)
    ast = _pandoc_json(data, shown)
    paras: list[Para] = []
    _blocks(ast.get("blocks", []), paras, None)
    for i, p in enumerate(paras, 1):
        p.line = i
    try:
        numbers = word_numbers(data)
    except ET.ParseError as exc:
        raise ImportFailed(f"{shown}: not a valid DOCX file (damaged XML: {exc})") from None
    _apply_numbering(paras, numbers)
    meta = ast.get("meta", {}).get("title")
    title = _meta_text(meta) if meta else None
    return paras, title or None


_FLD_SIMPLE = re.compile(
    rb'<w:fldSimple\b[^>]*w:instr="\s*MERGEFIELD\s+"?([^"\s\\]+)[^"]*"[^>]*?(?:/>|>.*?</w:fldSimple>)',
    re.S,
)


def merge_fields(data: bytes) -> bytes:
    """The DOCX with each simple MERGEFIELD replaced by its «name» text (Pandoc drops them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml")
        if b"MERGEFIELD" not in xml:
            return data
        fixed = _FLD_SIMPLE.sub(
            lambda m: b"<w:r><w:t>\xc2\xab" + m.group(1) + b"\xc2\xbb</w:t></w:r>", xml
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in zf.infolist():
                body = fixed if info.filename == "word/document.xml" else zf.read(info)
                dst.writestr(info, body)
    return out.getvalue()


def _pandoc_json(data: bytes, shown: str) -> dict[str, Any]:
    cmd = [str(pandoc_path()), *MEMORY_CAP, "--sandbox", "-f", "docx", "-t", "json"]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, env=pandoc_env(), check=False)
    except OSError as exc:
        raise ToolMissing(f"cannot run pandoc ({exc}); reinstall it with: {INSTALL_HINT}") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ImportFailed(f"{shown}: pandoc cannot read this DOCX: {err[-1] if err else '?'}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _meta_text(meta: dict[str, Any]) -> str:
    if meta.get("t") == "MetaInlines":
        return _inlines(meta["c"]).replace(BOLD_ON, "").replace(BOLD_OFF, "").strip()
    if meta.get("t") == "MetaString":
        return str(meta["c"])
    return ""


def _inlines(items: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for item in items:
        t: str = item["t"]
        c: Any = item.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak"):
            out.append(" ")
        elif t == "LineBreak":
            out.append(BREAK)
        elif t == "Strong":
            inner = _inlines(c)
            out.append(BOLD_ON + inner + BOLD_OFF if inner.strip() else inner)
        elif t in ("Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            out.append(_inlines(c))
        elif t in ("Span", "Link"):
            out.append(_inlines(c[1]))
        elif t == "Quoted":
            left, right = _QUOTES.get(c[0]["t"], ("“", "”"))
            out.append(left + _inlines(c[1]) + right)
        elif t in ("Code", "Math"):
            out.append(c[1])
    return "".join(out)


def _blocks(blocks: list[dict[str, Any]], out: list[Para], depth: int | None) -> None:
    for block in blocks:
        t: str = block["t"]
        c: Any = block.get("c")
        if t in ("Para", "Plain"):
            out.append(Para(_inlines(c), 0))
        elif t == "Header":
            out.append(Para(_inlines(c[2]), 0, heading=c[0]))
        elif t == "LineBlock":
            out.append(Para(BREAK.join(_inlines(line) for line in c), 0))
        elif t in ("OrderedList", "BulletList"):
            items = c[1] if t == "OrderedList" else c
            start = c[0][0] if t == "OrderedList" else 1
            level = 0 if depth is None else depth + 1
            for n, item in enumerate(items):
                first = len(out)
                _blocks(item, out, level)
                if len(out) > first and out[first].list_level is None and not out[first].cells:
                    out[first].list_level = min(level, 3)
                    out[first].ordered = t == "OrderedList"
                    out[first].item_no = start + n
        elif t in ("BlockQuote", "Div"):
            _blocks(c if t == "BlockQuote" else c[1], out, depth)
        elif t == "Table":
            out.append(Para("", 0, cells=_table(c)))


def _cell_text(cell: list[Any]) -> str:
    texts: list[Para] = []
    _blocks(cell[4], texts, None)
    return BREAK.join(p.text for p in texts)


def _table(c: list[Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    head, bodies = c[3], c[4]
    for row in head[1]:
        rows.append([_cell_text(cell) for cell in row[1]])
    for body in bodies:
        for row in [*body[2], *body[3]]:
            rows.append([_cell_text(cell) for cell in row[1]])
    return rows


def word_numbers(data: bytes) -> list[WordNumber]:
    """Every numbered paragraph of the document body, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        document = ET.fromstring(zf.read("word/document.xml"))
        names = set(zf.namelist())
        numbering = (
            ET.fromstring(zf.read("word/numbering.xml"))
            if ("word/numbering.xml" in names)
            else None
        )
        styles = ET.fromstring(zf.read("word/styles.xml")) if "word/styles.xml" in names else None
    if numbering is None:
        return []
    levels = _levels(numbering)
    style_num = _style_numbering(styles) if styles is not None else {}
    found: list[WordNumber] = []
    for p in document.iter(f"{W}p"):
        ppr = p.find(f"{W}pPr")
        own = ppr.find(f"{W}numPr") if ppr is not None else None
        num = _num_pr(own)
        if num is None and ppr is not None and own is None:  # numId 0: numbering turned off
            style = ppr.find(f"{W}pStyle")
            num = style_num.get(style.get(f"{W}val", "")) if style is not None else None
        if num is None or num[0] not in levels:
            continue
        fmt, lvl_text = levels[num[0]].get(num[1], ("decimal", f"%{num[1] + 1}."))
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        found.append(WordNumber(text, num[1], fmt, lvl_text))
    return found


def _num_pr(num_pr: ET.Element | None) -> tuple[str, int] | None:
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    if num_id is None or num_id.get(f"{W}val") in (None, "0"):
        return None
    level = int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
    return num_id.get(f"{W}val", ""), level


def _level_map(parent: ET.Element) -> dict[int, tuple[str, str]]:
    """The `w:lvl` children of an abstract list or a level override: ilvl -> (format, text)."""
    lv: dict[int, tuple[str, str]] = {}
    for lvl in parent.iter(f"{W}lvl"):
        fmt = lvl.find(f"{W}numFmt")
        text = lvl.find(f"{W}lvlText")
        lv[int(lvl.get(f"{W}ilvl", "0"))] = (
            fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
            text.get(f"{W}val", "") if text is not None else "",
        )
    return lv


def _levels(numbering: ET.Element) -> dict[str, dict[int, tuple[str, str]]]:
    """numId -> its levels: the abstract list's, with the `w:lvlOverride` levels of the
    `w:num` put over them (Word writes a restarted or restyled list that way)."""
    abstract = {
        a.get(f"{W}abstractNumId", ""): _level_map(a) for a in numbering.iter(f"{W}abstractNum")
    }
    out: dict[str, dict[int, tuple[str, str]]] = {}
    for num in numbering.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is None or ref.get(f"{W}val") not in abstract:
            continue
        levels = dict(abstract[ref.get(f"{W}val", "")])
        for override in num.iter(f"{W}lvlOverride"):
            levels.update(_level_map(override))
        out[num.get(f"{W}numId", "")] = levels
    return out


def _style_numbering(styles: ET.Element) -> dict[str, tuple[str, int]]:
    """styleId -> (numId, ilvl), a style without its own numbering taking its `w:basedOn`'s."""
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(f"{W}style"):
        sid = style.get(f"{W}styleId", "")
        ppr = style.find(f"{W}pPr")
        own[sid] = _num_pr(ppr.find(f"{W}numPr")) if ppr is not None else None
        base = style.find(f"{W}basedOn")
        if base is not None:
            based[sid] = base.get(f"{W}val", "")
    out: dict[str, tuple[str, int]] = {}
    for sid in own:
        seen: set[str] = set()
        cur: str | None = sid
        while cur is not None and cur not in seen:  # a basedOn loop ends the walk
            seen.add(cur)
            num = own.get(cur)
            if num is not None:
                out[sid] = num
                break
            cur = based.get(cur)
    return out


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.replace(BOLD_ON, "").replace(BOLD_OFF, ""))[:40]


def _apply_numbering(paras: list[Para], numbers: list[WordNumber]) -> None:
    """Give Pandoc's paragraphs the Word numbering of the same paragraph in document.xml."""
    pos = 0
    for p in paras:
        if p.cells is not None or (p.list_level is None and p.heading is None):
            continue
        key = _key(p.text)
        for j in range(pos, min(pos + 50, len(numbers))):
            if key and _key(numbers[j].text) == key:
                n = numbers[j]
                p.list_level = min(n.level, 3)
                p.ordered = n.fmt != "bullet"
                p.numtext = n.lvl_text if p.ordered else ""
                pos = j + 1
                break

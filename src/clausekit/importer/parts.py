"""Where a document's parts end: the signature block, the exhibits and annexes after
it, and the preamble before the first article (with its cover-page tables)."""

from __future__ import annotations

import re

from .blanks import TOKEN
from .model import BOLD_OFF, BOLD_ON, Article, Block
from .text import is_zh, plain

SIGNATURE = re.compile(
    r"^[\s(（]*以下无正文|^IN WITNESS|^签署页|^签字页|^(甲方|乙方)\s*[（(]?\s*(盖章|签章|签字)"
    r"|^Signed\b|^SIGNED\b|^Signature",
)
# A party's line to seal or sign (`委托方（盖章）：`), a list item in some forms.
SEAL = re.compile(r"^[\u4e00-\u9fff]{1,4}方\s*[（(]\s*(?:盖章|签章|签字)")
# An exhibit, schedule or annex after the signature: `EXHIBIT A`, `Schedule 2 – Fees`,
# `附件一：设备清单`, `附件 2`.
ANNEX = re.compile(
    r"^(?:(?:EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT"
    r"|Attachment|ADDENDUM|Addendum)\s+(?:[A-Z]|\d+|[IVX]+)\b"
    r"|(?:附件|附录|附表)\s*[一二三四五六七八九十\d]*(?:$|[\s：:、《]))"
)


def signature(last: Article, zh: bool) -> Article | None:
    """The signature block at the end of the last article, cut from it, if there is one;
    it opens with the party's label just before it (`**甲**`), if there is one."""
    for i, block in enumerate(last.blocks):
        if _signs(block):
            if i and _label_line(last.blocks[i - 1]):
                i -= 1
            sig = Article(
                "签署页" if zh else "Signatures", last.blocks[i].line, "", last.blocks[i:]
            )
            sig.slug = "signature"
            last.blocks = last.blocks[:i]
            return sig
    return None


def _signs(block: Block) -> bool:
    text = plain(block.text)
    if block.kind in ("bullet", "item"):
        return bool(SEAL.match(text))
    if block.kind == "table":
        return any(SIGNATURE.search(plain(c)) for row in block.cells or [] for c in row)
    return block.kind == "para" and bool(SIGNATURE.search(text) or SEAL.match(text))


def _label_line(block: Block) -> bool:
    return block.kind == "para" and _bold_line(block.text) and len(plain(block.text)) <= 12


def _is_annex(block: Block, anywhere: bool) -> bool:
    """An exhibit's heading: after a signature any short line that names one; without
    a signature only a heading (`EXHIBIT A` in bold or a heading style), since an
    article may list its annexes (`附件一：设备清单`) line by line."""
    text = plain(block.text)
    if block.kind != "para" or not ANNEX.match(text) or len(text) > 60 or text.endswith("。"):
        return False
    return anywhere or _bold_line(block.text)


def _bold_line(text: str) -> bool:
    t = text.strip()
    return t.startswith(BOLD_ON) and t.endswith(BOLD_OFF)


def annexes(last: Article, after_signature: bool) -> list[Article]:
    """The exhibits, schedules and 附件 that follow the signature (or the last article),
    each a clause of its own that opens with its heading; the signature block or the
    last article ends where the first one starts."""
    starts = [i for i, b in enumerate(last.blocks) if _is_annex(b, after_signature)]
    if after_signature:
        starts = [i for i in starts if i > 0]  # the block itself opens the signature
    if not starts:
        return []
    out: list[Article] = []
    for k, start in enumerate(starts):
        blocks = last.blocks[start : starts[k + 1] if k + 1 < len(starts) else None]
        title = _annex_title(blocks)
        for block in blocks[: 2 if plain(title) != plain(blocks[0].text) else 1]:
            if not _bold_line(block.text):  # the heading prints as one
                block.text = BOLD_ON + plain(block.text) + BOLD_OFF
        out.append(Article(title, blocks[0].line, "", blocks))
    last.blocks = last.blocks[: starts[0]]
    return out


def _annex_title(blocks: list[Block]) -> str:
    """`EXHIBIT A` alone takes the short line under it as part of its title."""
    head = plain(blocks[0].text)
    m = ANNEX.match(head)
    bare = m is not None and not head[m.end() :].strip(" :：-–—")
    if bare and len(blocks) > 1 and blocks[1].kind == "para":
        nxt = plain(blocks[1].text)
        if nxt and len(nxt) <= 60 and not re.search(r"[.。;；:：]$", nxt) and not TOKEN.search(nxt):
            return f"{head} – {nxt}" if not is_zh(head) else f"{head} {nxt}"
    return head


def preamble(pre: Article, zh: bool) -> list[Article]:
    """The text before the first article: one preamble, then (from the first table on,
    a cover page's terms) one cover-terms clause."""
    at = next((i for i, b in enumerate(pre.blocks) if b.kind == "table"), len(pre.blocks))
    out: list[Article] = []
    head, terms = pre.blocks[:at], pre.blocks[at:]
    if head:
        out.append(Article("首部" if zh else "Preamble", head[0].line, "", head, "preamble"))
    if terms:
        signs = any(SIGNATURE.search(plain(c)) for b in terms for row in b.cells or [] for c in row)
        title = ("签署栏" if zh else "Cover Page Signatures") if signs else None
        title = title or ("基本条款" if zh else "Cover Terms")
        slug = "cover-signatures" if signs else "cover-terms"
        out.append(Article(title, terms[0].line, "", terms, slug))
    return out

"""From paragraphs to a document: title, preamble, numbered articles, signature.

Typed numbers (`一、`, `第三条`, `1.2`, `Article 4`) and Word list numbering say
which paragraphs are articles (level 1) and sub-headings (level 2); deeper levels
stay inside their article as list items or paragraphs.  Typed numbers are
removed, since the numbering style prints them again.
"""

from __future__ import annotations

import re

from . import names, parts
from .blanks import TOKEN
from .model import (
    BOLD_OFF,
    BOLD_ON,
    BREAK,
    LABEL_ON,
    Article,
    Block,
    Document,
    Para,
    Review,
)
from .numbers import NumberMatch, detect_style, level_in, match_number, word_style
from .text import is_zh, plain

_STARTERS = (
    "本协议",
    "本合同",
    "本次",
    "本条",
    "双方",
    "甲方",
    "乙方",
    "各方",
    "若",
    "如",
    "在",
    "自",
    "凡",
    "任何",
    "因",
    "对于",
    "除",
    "经",
    "当事人",
)
DEFINITION = re.compile(
    r"^[“\"‘'「『][^“”\"「」]{1,80}[”\"’'」』]\s*"
    r"(?:(?:means|shall mean|has the meaning|includes|refers to)\b|：?(?:是指|系指|指))",
)


def _short(text: str, zh: bool) -> bool:
    if TOKEN.search(text) or BREAK in text:
        return False
    if zh:
        return len(text) <= 20 and not re.search(r"[。；;，,]", text)
    return len(text) <= 80 and not re.search(r"[.;:]\s", text) and not text.endswith((".", ";"))


def split_title(text: str, zh: bool) -> tuple[str, str] | None:
    """(title, body) of a heading line that runs into its text, or None if it cannot."""
    t = text.strip()
    if t.startswith(BOLD_ON) and BOLD_OFF in t:
        end = t.index(BOLD_OFF)
        title = t[1:end].strip().rstrip(".:：")
        if title:
            return title, t[end + 1 :].strip().lstrip(".:：").strip()
    p = plain(t)
    if _short(p, zh):
        return p, ""
    src = t if t == p else p  # sentinels inside: split the plain text
    if zh:
        for k in range(2, min(16, len(src) // 2 + 1)):
            if src[:k] == src[k : 2 * k]:
                return src[:k], src[k:]
        found = [i for w in _STARTERS if 2 <= (i := src.find(w, 2)) <= 15]
        if found:
            return src[: min(found)], src[min(found) :]
        return None
    m = re.match(r"^([A-Z][^.!?;:]{1,60}?)[.:]\s+(?=\S)", src)
    if m and len(m.group(1).split()) <= 8:
        return m.group(1), src[m.end() :].strip()
    return None


def _title_of(paras: list[Para]) -> str | None:
    first = paras[0]
    text = plain(first.text)
    if first.cells or first.list_level is not None or match_number(text):
        return None
    if len(text) > 60 or TOKEN.search(text) or text.endswith(("。", ".", ":", "：", "；")):
        return None
    return text


class _Builder:
    def __init__(
        self,
        style: str | None,
        word: bool,
        zh: bool,
        reviews: list[Review],
        headings_only: bool = False,
    ) -> None:
        self.style, self.word, self.zh, self.reviews = style, word, zh, reviews
        self.headings_only = headings_only  # Word numbers headings: other numbers are lists
        self.preamble = Article("", 0, "")
        self.articles: list[Article] = []
        self.expected = 1

    @property
    def current(self) -> Article:
        return self.articles[-1] if self.articles else self.preamble

    def level(self, p: Para, m: NumberMatch | None) -> int | None:
        if self.word and p.list_level is not None and p.ordered and p.numtext:
            if self.headings_only and p.heading is None:
                return None  # a numbered list inside an article
            return p.list_level + 1
        if self.style and m and p.list_level is None:
            lvl = level_in(self.style, m)
            if lvl == 1 and not self.articles and m.values[-1] == 0:
                self.expected = 0  # articles numbered from 0 (`0. Definitions`)
            if lvl == 1 and m.values[-1] != self.expected:
                return None  # not the next article: a list number in the text
            return lvl
        return None

    def add(self, p: Para) -> None:
        if p.cells is not None:
            self.current.blocks.append(Block("table", "", p.line, cells=p.cells))
            return
        if p.check is not None:
            self.current.blocks.append(Block("option", p.text, p.line, checked=p.check))
            return
        lead = BOLD_ON if p.text.startswith(BOLD_ON) else ""
        m = match_number(plain(p.text)) if self.style and p.list_level is None else None
        lvl = self.level(p, m)
        typed = m.typed if m and lvl else ""
        rest = p.text
        if m and lvl:
            at = p.text.find(m.typed)
            rest = lead + (p.text[at + len(m.typed) :] if at >= 0 else m.rest).lstrip(" \t.:：、")
            if rest.startswith(BOLD_ON + BOLD_OFF):
                rest = rest[2:]
        if lvl == 1:
            self._article(rest, typed, p.line)
        elif lvl == 2 and self.articles:
            self._heading(rest, typed, p.line, 1)
        elif (
            lvl == 3
            and self.articles
            and self.style in ("zh-CN", "zh-CN-article")
            and (p.heading is None)
        ):
            no = str(m.values[-1]) if m else str(p.item_no)
            self.current.blocks.append(Block("item", rest.strip(), p.line, 0, no))
        elif lvl == 3 and self.articles:
            self._heading(rest, typed, p.line, 2)
        elif p.list_level is not None:
            kind = "item" if p.ordered else "bullet"
            self.current.blocks.append(Block(kind, p.text, p.line, p.list_level, str(p.item_no)))
        elif p.heading is not None:
            self.current.blocks.append(Block("para", BOLD_ON + plain(p.text) + BOLD_OFF, p.line))
        else:
            self.current.blocks.append(Block("para", p.text.strip(), p.line))

    def _article(self, rest: str, typed: str, line: int) -> None:
        title, body = self._split(rest, line)
        self.articles.append(Article(title, line, typed))
        self.expected = self.expected + 1
        if body:
            self.current.blocks.append(Block("para", body, line))

    def _heading(self, rest: str, typed: str, line: int, level: int) -> None:
        if DEFINITION.match(plain(rest)):
            # `1.1 “Covered Inventions” means …` is one definition, not a titled section.
            self.current.blocks.append(Block("para", rest.strip(), line, number=typed))
            return
        title, body = self._split(rest, line)
        self.current.blocks.append(Block("heading", title, line, level, typed))
        if body:
            self.current.blocks.append(Block("para", body, line))

    def _split(self, rest: str, line: int) -> tuple[str, str]:
        parts = split_title(rest, self.zh)
        if parts is None:
            self.reviews.append(
                Review(
                    line,
                    "a numbered heading runs into its text and no "
                    "title could be told apart: the whole text is the heading",
                )
            )
            return plain(rest), ""
        if parts[1] and not rest.lstrip().startswith(BOLD_ON):  # a bold title is the form
            self.reviews.append(
                Review(
                    line,
                    f"heading and text were on one line: "
                    f"title '{parts[0]}', the rest is the article's text",
                )
            )
        return parts


_BOX = re.compile(r"^\s*(?:\[\s*([xX✓✔]?)\s*\]|([☐☒☑]))\s*")


def box(text: str) -> tuple[bool, str] | None:
    """(ticked, text) of a line that starts with a check box, else None."""
    m = _BOX.match(text)
    if m is None or not text[m.end() :].strip():
        return None
    return bool(m.group(1)) or m.group(2) in ("☒", "☑"), text[m.end() :]


def _boxes(paras: list[Para]) -> None:
    """Check boxes typed as text (`[ x ]`, `[  ]`, `☒`, `☐`), as Word forms have them."""
    for p in paras:
        m = _BOX.match(p.text) if p.check is None and not p.cells else None
        if m and p.text[m.end() :].strip():
            p.check = bool(m.group(1)) or m.group(2) in ("☒", "☑")
            p.text = p.text[m.end() :]


def build(
    paras: list[Para], title: str | None, lang: str | None, reviews: list[Review]
) -> Document:
    paras = [p for p in paras if p.cells or plain(p.text) or LABEL_ON in p.text]
    _boxes(paras)
    if title is None and paras:
        title = _title_of(paras)
        if title is not None:
            paras = paras[1:]
    text = " ".join(plain(p.text) for p in paras[:200])
    zh = lang.startswith("zh") if lang else is_zh(text)
    doc_lang = lang or ("zh-CN" if zh else "en")
    typed = [m for p in paras if p.list_level is None and (m := match_number(plain(p.text)))]
    style = detect_style(typed)
    word_top = [p for p in paras if p.list_level == 0 and p.ordered and p.numtext]
    # Where Word numbers the heading paragraphs themselves (a multilevel list on
    # the heading styles, as clausekit writes), numbered body paragraphs are lists.
    numbered_headings = [p for p in word_top if p.heading is not None]
    if len(numbered_headings) >= 2:
        word_top = numbered_headings
    if style is None and len(word_top) < 2:
        word_top = _list_articles(paras) or _heading_articles(paras)
        numbered_headings = [p for p in word_top if p.heading is not None]
    word = style is None and len(word_top) >= 2
    if word:
        style = word_style(word_top[0].numtext)
    headings_only = len(numbered_headings) >= 2
    b = _Builder(style, word, zh, reviews, headings_only=headings_only)
    for p in paras:
        b.add(p)
    if not b.articles:
        reviews.append(
            Review(
                paras[0].line if paras else 1,
                "no numbered headings found: "
                "imported as a single clause; split it into articles by hand",
            )
        )
        whole = b.preamble
        whole.title = title or ("正文" if zh else "Text")
        whole.line = paras[0].line if paras else 1
        b.articles, b.preamble = [whole], Article("", 0, "")
    signature = parts.signature(b.articles[-1], zh) if b.articles else None
    last = signature or (b.articles[-1] if b.articles else None)
    annexes = parts.annexes(last, signature is not None) if last else []
    preamble = parts.preamble(b.preamble, zh)
    taken: set[str] = set()
    _slugs(b.articles, taken)
    _slugs(annexes, taken, "annex")
    return Document(
        title or ("合同" if zh else "Agreement"),
        doc_lang,
        style or ("zh-CN" if zh else "decimal"),
        preamble,
        b.articles,
        signature,
        annexes,
    )


def _list_articles(paras: list[Para]) -> list[Para]:
    """Top-level numbered list items that open with a bold title (`1. **Term**. Text`),
    as Markdown standard terms number their articles; they get Word's `%1.` so that
    they are read like Word list numbering, and nested lists stay inside them."""
    top = [p for p in paras if p.list_level == 0 and p.ordered and not p.numtext]
    titled = [p for p in top if p.text.startswith(BOLD_ON) and BOLD_OFF in p.text]
    if len(titled) < 2 or len(titled) * 2 < len(top):
        return []
    for p in titled:
        p.numtext = "%1."
    return titled


def _heading_articles(paras: list[Para]) -> list[Para]:
    """Without numbers, the headings of the top level used more than once are articles.
    A "heading" that is a sentence is a paragraph in a heading style: text, not a title."""
    for p in paras:
        text = plain(p.text)
        if p.heading is not None and (not _short(text, is_zh(text)) or text.endswith(":")):
            p.heading = None
    levels = [p.heading for p in paras if p.heading is not None and p.list_level is None]
    top = [lv for lv in sorted(set(levels)) if levels.count(lv) >= 2][:1]
    if not top:
        return []
    found = [p for p in paras if p.heading == top[0] and p.list_level is None]
    # Chinese articles without numbers are most often printed `第一条` (a stylesheet's
    # counter, as Markdown contract sites number them).
    numtext = "第%1条" if is_zh(" ".join(plain(p.text) for p in found)) else "%1."
    for p in found:
        p.list_level, p.ordered, p.numtext = 0, True, numtext
    return found


def _slugs(articles: list[Article], taken: set[str], fallback: str = "article") -> None:
    taken |= {"preamble", "cover-terms", "cover-signatures", "signature"}
    counters: dict[str, int] = {}
    for i, art in enumerate(articles, 1):
        base = names.slug(art.title) or f"{fallback}-{i}"
        art.slug = names.unique(base, taken, "-", counters)

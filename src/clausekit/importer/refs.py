"""Typed cross-references (`第五条`, `第六条第（三）款`, `Section 5.2`, `Article 7`).

A reference becomes `{{ ref('…') }}` only when its target was imported and the
numbering style prints exactly the typed words; otherwise it stays text and
becomes a review item.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..assemble.numbering import reference
from .model import Document
from .numbers import CN, parse_cn

# Only references inside the document: a citation of an outside law (`《民法典》第五百条`,
# `Kan. Stat. Section 44-130`, `Section 5 of the Securities Act`) is text.
_CITED = r"(?<!》)(?<!》 )(?<!法)(?<!条例)(?<!规定)"
_STATUTE = r"(?<!Stat\. )(?<!Code )(?<!U\.S\.C\. )(?<!C\.F\.R\. )(?<!§ )"
_OF_LAW = r"(?!\s+of\s+(?:the\s+)?(?:[A-Z][\w.&'-]*\s+){0,6}(?:Act|Code|Law|Regulations?|Rules?)\b)"
REF = re.compile(
    rf"{_CITED}第\s*(?P<a>[{CN}]+|\d+)\s*条(?:\s*第\s*[（(]\s*(?P<b>[{CN}]+|\d+)\s*[）)]\s*款"
    rf"|\s*第\s*(?P<c>[{CN}]+|\d+)\s*款)?"
    rf"|{_STATUTE}\b(?P<word>Section|section|Article|article|Clause|clause)\s+"
    r"(?P<n>\d+(?:\.\d+)*)(?![-–.]?\d)"
    rf"(?P<sub>(?:\([a-z]{{1,4}}\))*){_OF_LAW}"
)


@dataclass
class Target:
    ref: str  # 'prefix/slug' or 'prefix/slug#sec-2'
    number: tuple[int, ...]  # as clausekit will number it


@dataclass
class Targets:
    style: str
    by_typed: dict[tuple[int, ...], Target] = field(default_factory=dict)
    used_anchors: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, doc: Document, prefix: str) -> Targets:
        t = cls(doc.numbering)
        for i, art in enumerate(doc.articles, 1):
            typed = _values(art.number) or (i,)
            clause = f"{prefix}/{art.slug}"
            t.by_typed[typed] = Target(clause, (i,))
            j = 0
            for block in art.blocks:
                if block.kind == "heading" and block.level == 1:
                    j += 1
                    sub = _values(block.number) or (j,)
                    block.anchor = f"sec-{j}"
                    t.by_typed[(*typed, *sub[-1:])] = Target(f"{clause}#sec-{j}", (i, j))
        return t

    def resolve(self, m: re.Match[str]) -> Target | None:
        """The target of a matched reference, when `ref()` would print the same words."""
        if m.group("a"):
            path = tuple(parse_cn(g) for g in (m.group("a"), m.group("b") or m.group("c")) if g)
        else:
            if m.group("sub"):
                return None
            path = tuple(int(p) for p in m.group("n").split("."))
        target = self.by_typed.get(path)
        if target is None:
            return None
        if _norm(reference(self.style, target.number)) != _norm(m.group(0)):
            return None
        return target

    def review(self, m: re.Match[str]) -> str:
        path_known = self.by_typed.get(
            tuple(parse_cn(g) for g in (m.group("a"), m.group("b") or m.group("c")) if g)
            if m.group("a")
            else tuple(int(p) for p in m.group("n").split("."))
        )
        if path_known is None:
            return f"reference '{m.group(0)}' names nothing found in this document; left as text"
        shown = reference(self.style, path_known.number)
        return f"reference '{m.group(0)}' would print as '{shown}'; left as text"


def _values(typed: str) -> tuple[int, ...]:
    digits = re.findall(rf"\d+|[{CN}]+", typed)
    return tuple(parse_cn(d) for d in digits)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()

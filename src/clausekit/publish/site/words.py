"""The site's own words (headings, table heads, the home page) in the library's languages.

An English library's site is in English only, a Chinese one in Chinese only, and a
library with both shows both (`条款 · Clauses`).  The languages are `clausekit.yml`'s
`lang` and the templates' languages; a clause's or a template's page keeps the labels
of its own language (`common.labels`).
"""

from __future__ import annotations

from dataclasses import dataclass

from clausekit.load.model import Library

# key -> (Chinese, English)
_WORDS: dict[str, tuple[str, str]] = {
    "library": ("条款库", "Library"),
    "clauses": ("条款", "Clauses"),
    "clause": ("条款", "Clause"),
    "templates": ("模板", "Templates"),
    "template": ("模板", "Template"),
    "agreements": ("协议", "Agreements"),
    "agreement": ("协议", "Agreement"),
    "tags": ("标签", "Tags"),
    "clause_index": ("条款索引", "Clause index"),
    "by_folder": ("按目录", "By folder"),
    "by_tag": ("按标签", "By tag"),
    "id": ("编号", "Id"),
    "status": ("状态", "Status"),
    "lang": ("语言", "Language"),
    "version": ("版本", "Version"),
    "summary": ("摘要", "Summary"),
    "numbering": ("编号样式", "Numbering"),
    "date": ("日期", "Date"),
    "note": ("说明", "Note"),
    "by_status": ("条款状态", "Clauses by status"),
    "languages": ("语言", "Languages"),
    "agreements_by_status": ("协议状态", "Agreements by status"),
    "recent": ("最近修改", "Recently changed"),
    "no_tags": ("没有标签。", "No tags yet."),
    "no_templates": ("没有模板。", "No templates yet."),
    "no_agreements": ("没有协议。", "No agreements yet."),
    "which_template": ("选择模板", "Which template?"),
    "use_when": ("适用情形", "Use when"),
    "blank": ("空白文本", "Blank form"),
    "open": ("查看模板", "Open the template"),
    "library_facts": ("条款库概况", "The library in figures"),
    "source": ("原文", "Source"),
    "translations": ("译文", "Translations"),
    "side_by_side": ("对照", "Side by side"),
    "negotiated": ("谈判条款", "Negotiated terms"),
    "negotiated_intro": (
        "各协议对条款库标准文本的修改，按条款列出。",
        "Where agreements word a clause their own way, clause by clause.",
    ),
    "no_negotiated": ("没有协议修改标准条款。", "No agreement words a clause its own way."),
    "position": ("评估", "Position"),
    "approved_by": ("批准人", "Approved by"),
}


def _is_en(lang: str | None) -> bool:
    return (lang or "").lower().startswith("en")


@dataclass(frozen=True)
class Words:
    zh: bool
    en: bool

    def __call__(self, key: str) -> str:
        zh, en = _WORDS[key]
        return " · ".join(w for w, on in ((zh, self.zh), (en, self.en)) if on)

    def holds(self, clauses: int, templates: int, agreements: int) -> str:
        parts = []
        if self.zh:
            parts.append(
                f"本条款库共有 {clauses} 个条款、{templates} 个模板、{agreements} 份协议。"
            )
        if self.en:
            parts.append(
                f"The library holds {_count(clauses, 'clause')}, "
                f"{_count(templates, 'template')} and {_count(agreements, 'agreement')}."
            )
        return " ".join(parts)

    @property
    def theme_language(self) -> str | None:
        """The theme's language for a one-language site (None: both, left as set)."""
        if self.zh == self.en:
            return None
        return "en" if self.en else "zh"


def site_words(lib: Library) -> Words:
    langs = {lib.settings.lang}
    for template in lib.templates.values():
        langs.update(template.languages or (template.lang,))
    en = any(_is_en(lang) for lang in langs)
    zh = any(not _is_en(lang) for lang in langs)
    return Words(zh=zh, en=en)


def _count(n: int, noun: str) -> str:
    """`1 clause`, `2 clauses`: the English count (Chinese needs no plural)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

"""Readable ASCII names (variable names, clause ids) for Chinese and English labels.

Clause ids and variable names are lowercase ASCII (docs/formats.md), so a Chinese label
goes through a small glossary of contract words; what the glossary does not
know falls back to a neutral name (`article-3`, `blank`), and `unique` keeps
every name distinct.
"""

from __future__ import annotations

import re

# Longest entries first is not needed: `topic` prefers entries in this order.
TOPICS: list[tuple[str, str]] = [
    ("预付款", "prepay"),
    ("进度款", "progress"),
    ("尾款", "final"),
    ("剩余", "final"),
    ("违约金", "penalty"),
    ("发票", "invoice"),
    ("验收", "acceptance"),
    ("保密", "confidentiality"),
    ("理论", "theory"),
    ("实际操作", "practical"),
    ("实操", "practical"),
    ("逾期", "overdue"),
    ("培训地点", "location"),
    ("地点", "location"),
    ("服务期限", "term"),
    ("期限", "term"),
    ("一式", "copies"),
    ("租金", "rent"),
    ("工资", "salary"),
    ("押金", "deposit"),
    ("保证金", "deposit"),
    ("价款", "price"),
    ("费用", "fee"),
    ("金额", "amount"),
    ("签订", "signing"),
    ("生效", "effective"),
    ("通知", "notice"),
    ("试用期", "probation"),
    ("合同期限", "term"),
    ("有效期", "validity"),
    ("期间", "period"),
]

FIELDS: dict[str, str] = {
    "名称": "name",
    "姓名": "name",
    "法定代表人": "legal_rep",
    "负责人": "legal_rep",
    "住所地": "address",
    "住所": "address",
    "地址": "address",
    "通讯地址": "address",
    "联系方式": "contact",
    "联系人": "contact_person",
    "联系电话": "phone",
    "电话": "phone",
    "电子邮箱": "email",
    "邮箱": "email",
    "统一社会信用代码": "credit_code",
    "开户行": "bank",
    "开户银行": "bank",
    "账号": "account",
    "身份证号": "id_number",
    "职务": "position",
    "name": "name",
    "address": "address",
    "email": "email",
    "title": "title",
    "phone": "phone",
    "telephone": "phone",
    "registered office": "address",
    "company number": "company_number",
    "contact": "contact",
    "attention": "attention",
}

PARTIES: dict[str, str] = {
    "甲方": "party_a",
    "乙方": "party_b",
    "丙方": "party_c",
    "丁方": "party_d",
    "party a": "party_a",
    "party b": "party_b",
}

TITLE_WORDS: list[tuple[str, str]] = [
    ("培训", "training"),
    ("服务", "services"),
    ("内容", "scope"),
    ("期限", "term"),
    ("地点", "location"),
    ("权利", "rights"),
    ("义务", "duties"),
    ("费用", "fees"),
    ("支付", "payment"),
    ("考核", "assessment"),
    ("验收", "acceptance"),
    ("保密", "confidentiality"),
    ("违约", "breach"),
    ("责任", "liability"),
    ("争议", "disputes"),
    ("解决", "resolution"),
    ("其他", "general"),
    ("定义", "definitions"),
    ("不可抗力", "force-majeure"),
    ("知识产权", "ip"),
    ("通知", "notices"),
    ("终止", "termination"),
    ("解除", "termination"),
    ("生效", "effect"),
    ("价款", "price"),
    ("交付", "delivery"),
    ("质量", "quality"),
    ("陈述", "representations"),
    ("保证", "warranties"),
    ("租赁", "lease"),
    ("设备", "equipment"),
    ("租金", "rent"),
    ("维护", "maintenance"),
    ("维修", "repair"),
    ("押金", "deposit"),
    ("交货", "delivery"),
    ("付款", "payment"),
    ("授予", "grant"),
    ("版权", "copyright"),
    ("专利", "patent"),
    ("商标", "trademark"),
    ("许可", "license"),
    ("分发", "distribution"),
    ("限制", "restriction"),
    ("免责", "disclaimer"),
    ("语言", "language"),
]

STOP = {
    "the",
    "a",
    "an",
    "of",
    "and",
    "or",
    "to",
    "for",
    "in",
    "on",
    "by",
    "with",
    "any",
    "insert",
    "enter",
    "is",
    "are",
    "be",
    "at",
    "within",
    "from",
    "until",
    "after",
    "before",
    "above",
    "below",
    "usd",
    "rmb",
    "cny",
    "shall",
    "will",
    "per",
    "this",
    "that",
    "each",
    "its",
    "their",
    "s",
}


_LOWER_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[A-Za-z0-9]+")


def english_topic(before: str) -> str:
    """The last two meaningful words before an English blank (`monthly fee of USD`)."""
    words = [w for w in _LOWER_WORD.findall(before.lower()) if w not in STOP]
    return "_".join(words[-2:])


SLUG_LENGTH = 40


def slug(text: str, limit: int = SLUG_LENGTH) -> str:
    """`Defined Terms` -> `defined-terms`: the whole title, or as many whole words as fit
    in `limit` characters, never ending on a short word (`of`, `for`); Chinese goes
    through the glossary."""
    words = _WORD.findall(text.lower())
    if words:
        kept: list[str] = []
        for word in words:
            if kept and len("-".join([*kept, word])) > limit:
                break
            kept.append(word)
        while len(kept) > 1 and kept[-1] in STOP:
            kept.pop()
        return "-".join(kept)
    # Each English word at the first place one of its Chinese words occurs
    # (`交付` and `交货` both give `delivery`; a word that is absent has no place).
    first: dict[str, int] = {}
    for zh, en in TITLE_WORDS:
        pos = text.find(zh)
        if pos >= 0 and pos < first.get(en, len(text)):
            first[en] = pos
    return "-".join(sorted(first, key=first.__getitem__)[:3])


def identifier(text: str, limit: int = 4) -> str:
    """A variable name from English words: `Legal name of employer` -> `legal_name_employer`."""
    words = [w for w in _LOWER_WORD.findall(text.lower()) if w not in STOP]
    name = "_".join(words[:limit])
    if name and name[0].isdigit():
        name = "n_" + name
    return name


def topic(context: str) -> str:
    """The contract topic a Chinese sentence is about (`prepay`, `fee`), or ''."""
    for zh, en in TOPICS:
        if zh in context:
            return en
    return identifier(context, 3)


def field_name(label: str) -> str | None:
    key = label.strip().lower()
    return FIELDS.get(key)


def party_name(label: str) -> str | None:
    key = label.strip().lower()
    for zh, name in PARTIES.items():
        if key.startswith(zh):
            return name
    return None


def unique(
    name: str, taken: set[str], sep: str = "_", counters: dict[str, int] | None = None
) -> str:
    """`name`, or `name_2`, `name_3` … the first not taken; `counters` remembers where the
    last search for each name ended, so that 30,000 `days` blanks are not quadratic."""
    n = counters.get(name, 2) if counters is not None else 2
    candidate = name
    while candidate in taken:
        candidate = f"{name}{sep}{n}"
        n += 1
    if counters is not None:
        counters[name] = n
    taken.add(candidate)
    return candidate

"""Blanks and placeholders in a paragraph, and the typed variables they become.

A `Registry` names each variable from its label (the words just before the
blank, a glossary topic of its sentence, or a bracketed instruction), keeps the
names unique, and remembers which clause uses which variable.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from . import names
from .model import BOLD_OFF, BOLD_ON, BREAK, Variable

B = r"(?:_{2,}|＿{2,}|\[●\]|【\s*】|\[\s*\]|…{3,})"
CUR = r"人民币|RMB|CNY|USD|US\$|\$|￥|¥"
UNIT = (
    r"个工作日|个自然日|工作日|自然日|日|天|年|个月|月|个小时|小时|分|份|人|名|次|"
    r"business days|working days|days?|years?|months?|hours?"
)
TOKEN = re.compile(
    rf"(?P<money>(?:{CUR})\s*(?P<m1>{B})(?P<mid>\s*元?\s*[（(]\s*大写\s*[:：]\s*)"
    rf"(?P<m2>{B})\s*(?:元整|元)?(?P<close>\s*[）)]))"
    rf"|(?P<money1>(?:{CUR})\s*(?P<b1>{B}))"
    rf"|(?P<date>{B}\s*年\s*{B}\s*月\s*{B}\s*日)"
    rf"|(?P<percent>{B}\s*[%％])"
    rf"|(?P<int>{B})(?=\s*(?P<unit>{UNIT}))"
    r"|(?P<ph2>\{\{\s*(?P<ph2n>[A-Za-z_][\w.]*)\s*\}\})"
    r"|(?P<ph1>\{(?P<ph1n>[A-Za-z_]\w*)\})"
    r"|(?P<merge>«(?P<mergen>[^»\n]{1,40})»)"
    r"|(?P<br>\[(?P<brt>(?:Fill in|Insert|Enter|Describe|List)\b[^\[\]\n]{1,120}"
    r"|[^\[\]\n:：,，。;；●]{1,80})\])(?!\()"
    r"|(?P<lent>【(?P<lentt>[^【】\n]{1,40})】)"
    rf"|(?P<blank>{B})"
)
_SENTENCE_END = re.compile(r"[。；;！!？?\n" + BREAK + "]")
_LABEL_SEP = re.compile(r"[，,、：:（(　]|\s")
_UNIT_SUFFIX = {
    "年": "years",
    "years": "years",
    "year": "years",
    "个月": "months",
    "月": "months",
    "months": "months",
    "month": "months",
    "小时": "hours",
    "个小时": "hours",
    "hours": "hours",
    "hour": "hours",
    "分": "score",
    "份": "copies",
    "人": "people",
    "名": "people",
    "次": "times",
}


@dataclass
class Registry:
    """Every variable of the import, by dotted name, and the clauses using each."""

    variables: dict[str, Variable] = field(default_factory=dict)
    used_in: dict[str, set[str]] = field(default_factory=dict)  # top-level name -> clauses
    taken: set[str] = field(default_factory=set)
    party: str = ""  # the party block being read ('party_a'), '' outside one
    party_label: str = ""
    hint: str = ""  # the label of a table row whose value cell is being read
    section: str = ""  # the heading the blanks being read are under
    note: str = ""  # a help text (`<label>`) describing the next variable
    merged: list[tuple[str, str]] = field(default_factory=list)  # (clause, name) reused
    placeholders: dict[str, str] = field(default_factory=dict)  # '[words]' -> variable name
    guesses: list[str] = field(default_factory=list)  # for review, at the blank's line
    counters: dict[str, int] = field(default_factory=dict)  # for names.unique
    fields: dict[str, set[str]] = field(default_factory=dict)  # object -> its field names
    option: str = ""  # the choice whose option text is being read: names its blanks

    def term(self, words: str, clause: str) -> Variable | None:
        """The value a cover page defines for a term (`Governing Law`), if any."""
        var = self.variables.get(names.identifier(words, 5))
        if var is not None:
            for name in (var.path[0], *var.inner):
                self.used_in.setdefault(name, set()).add(clause)
        return var

    def describe(self, fallback: str) -> str:
        """The pending help text, used once, or the fallback."""
        note, self.note = self.note, ""
        return note or fallback

    def add(
        self,
        path: tuple[str, ...],
        kind: str,
        description: str,
        clause: str,
        reuse: bool = False,
        default: str | None = None,
        shown: str | None = None,
    ) -> Variable:
        key = ".".join(path)
        if reuse and key in self.variables and self.variables[key].kind == kind:
            var = self.variables[key]
            self.merged.append((clause, key))
        else:
            if len(path) == 1:
                path = (names.unique(path[0], self.taken, counters=self.counters),)
            else:
                fields = self.fields.setdefault(path[0], set())
                self.taken.add(path[0])
                path = (path[0], names.unique(path[1], fields))
            var = Variable(path, kind, description, default=default, shown=shown)
            self.variables[var.name] = var
        self.used_in.setdefault(var.path[0], set()).add(clause)
        return var


_CLEAN = str.maketrans("", "", BOLD_ON + BOLD_OFF)


@functools.lru_cache(maxsize=64)
def _ends(text: str) -> list[int]:
    """Where the sentences of a paragraph end, found once per paragraph (a paragraph
    with thousands of blanks stays linear)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the blank's sentence before and after it."""
    ends = _ends(text)
    i = bisect.bisect_right(ends, start)
    cut = ends[i - 1] if i else 0
    j = bisect.bisect_right(ends, end)
    stop = ends[j] - 1 if j < len(ends) else len(text)
    return text[cut:start].translate(_CLEAN), text[end:stop].translate(_CLEAN)


def _label(before: str) -> str:
    parts = [p for p in _LABEL_SEP.split(before) if p.strip()]
    if not parts:
        return ""
    last = parts[-1].strip()
    return _LABEL_SUFFIX.sub("", last).strip()


_B = re.compile(B)
_TAIL_END = re.compile(r"[，,。；;：:（(）)]")
_LABEL_SUFFIX = re.compile(r"(为|是|即|计|共|of|is)$")


def _describe(before: str, label: str, after: str, blank: str) -> str:
    """The words around a blank, the blank itself shown as ____."""
    head = _B.sub("____", before).lstrip(" ：:，,")
    head = ("…" + head[-24:]) if len(head) > 24 else head
    tail = _TAIL_END.split(_B.sub("____", after), maxsplit=1)[0]
    tail = (tail[:16] + "…") if len(tail) > 16 else tail
    shown = _B.sub("____", blank)
    return f"{head}{shown}{tail}".strip() or label or "blank"


def _bracket_kind(words: str) -> str:
    low = words.lower()
    if "date" in low or "日期" in words:
        return "date"
    if re.search(r"amount|fee|price|salary|sum|金额|价款", low):
        return "money"
    if "percent" in low or "%" in low:
        return "percent"
    if re.search(r"number of|days|期限天数", low):
        return "integer"
    return "text"


_KINDS = ("money", "money1", "date", "percent", "int", "ph2", "ph1", "merge", "br", "lent", "blank")


def kind_of(m: re.Match[str]) -> str:
    """Which alternative of TOKEN matched.  The group that closed last is the
    alternative itself, except for the unit an integer blank looks ahead to."""
    group = m.lastgroup or ""
    return "int" if group == "unit" else group


def variable_for(reg: Registry, m: re.Match[str], text: str, clause: str, lang: str) -> Variable:
    """The variable a matched blank or placeholder stands for."""
    group = kind_of(m)
    before, after = _sentence(text, m.start(), m.end())
    label = _label(before)
    if reg.hint and not re.search(r"\w", _B.sub("", before)):
        before, label = reg.hint + "：", reg.hint
    context = before + after
    zh = lang.startswith("zh")
    if group in ("ph2", "ph1", "merge"):
        raw = m.group(f"{group}n") if group != "merge" else m.group("mergen")
        parts = tuple(
            re.sub(r"\W+", "_", p.strip().lower()).strip("_") or "field" for p in raw.split(".")[:2]
        )
        if parts[0][0].isdigit():
            parts = ("n_" + parts[0], *parts[1:])
        return reg.add(
            parts,
            "text",
            f"{raw}（原占位符）" if zh else f"{raw} (placeholder)",
            clause,
            reuse=True,
        )
    if group in ("br", "lent"):
        return _bracketed(reg, m, before, after, label, clause)
    kind = {
        "money": "money",
        "money1": "money",
        "date": "date",
        "percent": "percent",
        "int": "integer",
    }.get(group, "text")
    if kind == "text" and (label.endswith("日期") or "date" in label.lower()):
        kind = "date"
    fld = names.field_name(label)
    if kind == "text" and fld and reg.party:
        return reg.add((reg.party, fld), "text", reg.party_label + label, clause, reuse=True)
    topic = names.topic(context) if zh else names.english_topic(before)
    if kind == "text":
        base = fld or topic or names.identifier(label) or "blank"
    elif kind == "date" and m.group("date") is None:
        base = names.identifier(label) or topic or "date"
        base = base if "date" in base else f"{base}_date"
    elif kind == "date":
        tail = after.lstrip()
        if tail.startswith(("起", "开始")) or before.rstrip().endswith(("自", "from")):
            suffix = "start"
        elif tail.startswith(("止", "届满")) or before.rstrip().endswith(("至", "to", "until")):
            suffix = "end"
        else:
            suffix = "date"
        base = f"{topic}_{suffix}" if topic else suffix
    elif kind == "money":
        base = f"{topic}_amount" if topic else "amount"
    elif kind == "percent":
        base = f"{topic}_percent" if topic else "percent"
    else:
        unit = m.group("unit")
        suffix = _UNIT_SUFFIX.get(unit, "days")
        base = "copies" if suffix == "copies" else (f"{topic}_{suffix}" if topic else suffix)
    return reg.add((base,), kind, _describe(before, label, after, m.group(0)), clause)


_DURATION = re.compile(
    r"^\d+\s*(?:years?|months?|weeks?|days?|business days)\b|^\d+\s*(?:年|个月|日|天)"
)
_GENERIC = {"name", "date", "address", "company", "title", "signature", "party", "amount"}
_EN_LABEL = re.compile(r"([A-Za-z][\w '&/-]{0,40}?)\s*:")


def example_value(words: str) -> bool:
    """`[1 year(s)]`, `[California]`: a value to keep or change, not a description of one."""
    if re.match(r"\d", words):
        return True
    parts = words.split()
    return (
        0 < len(parts) <= 3
        and all(p[0].isupper() for p in parts)
        and not {p.lower().strip("'’s") for p in parts} & _GENERIC
    )


def _bracketed(
    reg: Registry, m: re.Match[str], before: str, after: str, label: str, clause: str
) -> Variable:
    """A bracketed placeholder: identical descriptions are one value; an example value is
    a value of its own whose default is the example."""
    words = (m.group("brt") if m.group("br") else m.group("lentt")).strip()
    shown = m.group(0)
    alone = not re.search(r"\w", before + after)
    # `Governing Law: [Fill in state]`: a short label of its own, not a sentence's end.
    en_label = _EN_LABEL.fullmatch(before.strip()) if len(before.strip()) <= 40 else None
    named_by = en_label.group(1) if en_label else (reg.section if alone else "")
    kind = _bracket_kind(f"{named_by} {words}")
    fld = names.field_name(label) or names.field_name(words)
    if reg.party and fld:
        return reg.add((reg.party, fld), kind, words, clause, reuse=True)
    example = example_value(words)
    if not example and shown in reg.placeholders:
        name = reg.placeholders[shown]
        reg.guesses.append(f"'{shown}' again: the same value '{name}'")
        return reg.add((name,), kind, words, clause, reuse=True)
    base = (
        names.identifier(named_by)
        or names.identifier(words)
        or names.topic(words)
        or names.topic(before + after)
        or "blank"
    )
    if reg.option and example:
        # `Expires [1 year(s)] from …` in a check box: the choice's period
        base = f"{reg.option}_{'period' if _DURATION.match(words) else 'value'}"
    if kind == "date" and "date" not in base:
        base += "_date"
    var = reg.add(
        (base,),
        kind if not example or kind == "text" else "text",
        reg.describe(words),
        clause,
        default=words if example else None,
        shown=shown,
    )
    if not example:
        reg.placeholders[shown] = var.name
    else:
        reg.guesses.append(f"'{shown}' taken as an example value: '{var.name}' defaults to it")
    return var


def choice_name(reg: Registry) -> str:
    """The name of the choice the check boxes under the current heading offer."""
    return names.identifier(reg.section, 5) or "choice"


def choice(reg: Registry, options: tuple[str, ...], ticked: str | None, clause: str) -> Variable:
    """The choice a group of check boxes offers, named after its heading (`_choice` when
    a blank in its options has that name already: `Expires {mnda_term} from …`)."""
    base = choice_name(reg)
    if base in reg.taken:
        base += "_choice"
    name = names.unique(base, reg.taken, counters=reg.counters)
    var = Variable((name,), "choice", reg.describe(reg.section or base))
    var.options, var.default = options, ticked
    reg.variables[var.name] = var
    reg.used_in.setdefault(var.name, set()).add(clause)
    return var


def literal(text: str) -> str:
    """A template-language string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def jinja_for(var: Variable, m: re.Match[str]) -> str:
    """The template text replacing the match (the 大写 of a money blank via rmb_upper)."""
    name = var.name
    if var.printed:
        return var.printed
    group = kind_of(m) if m.re is TOKEN else ""
    if group == "money":
        whole, start = m.group(0), m.start()
        cur = whole[: m.start("m1") - start]
        mid, close = m.group("mid"), m.group("close")
        return f"{cur}{{{{ {name} | money }}}}{mid}{{{{ {name} | rmb_upper }}}}{close}"
    if group == "money1":
        whole = m.group(0)
        return whole[: m.start("b1") - m.start()] + f"{{{{ {name} | money }}}}"
    filt = {"date": " | date", "percent": " | percent", "money": " | money"}.get(var.kind, "")
    if var.shown and var.kind == "text":
        # The blank form prints the source's placeholder, not a bare blank.
        filt = f" | default({literal(var.shown)})"
    return f"{{{{ {name}{filt} }}}}"

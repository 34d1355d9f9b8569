"""The loaded library: clauses, templates and agreements with their sources.

Everything here is immutable once loaded.  Objects keep their parsed YAML
(`Located`, with positions) so that any later stage can point a problem at the
exact line and column it concerns, the way markdown-it keeps `Token.map`.
Accessors give typed views with defaults; `check` reports what is malformed.
What later stages derive from these objects (schemas, validators, problems)
lives in `check.Checked`, not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from clausekit.errors import Problem
from clausekit.load.outline import Outline, read_outline
from clausekit.load.yamlpos import Located, Pos


def text_in(value: Any, lang: str | None) -> str:
    """A text of a template (`title`, a group `heading`): a string, or one per language
    (`{zh-CN: 保密, en: Confidentiality}`), of which `lang`'s, else the first."""
    if isinstance(value, dict):
        picked = value.get(lang) if lang in value else next(iter(value.values()), "")
        return str(picked)
    return str(value)


# The records below are NamedTuples, and those with derived values subclass one (a
# subclass has a `__dict__` for `cached_property`): a frozen dataclass costs Python
# 3.11 about 1.3 ms to create at import, six generated methods compiled one by one,
# and every command imports these.  A NamedTuple costs a fifth of that.


class _SourceFields(NamedTuple):
    path: str
    text: str


class Source(_SourceFields):
    """A file of the library: its repository-relative path and its text."""

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class _Versioned:
    """What clauses and templates share: a versioned YAML document with a title."""

    @property
    def id(self) -> str:
        raise NotImplementedError

    @property
    def located(self) -> Located:
        raise NotImplementedError

    @property
    def data(self) -> dict[str, Any]:
        value = self.located.value
        return value if isinstance(value, dict) else {}

    @property
    def title(self) -> str:
        return text_in(self.data.get("title", self.id), self.lang)

    @property
    def lang(self) -> str | None:
        v = self.data.get("lang")
        return str(v) if v is not None else None

    @property
    def version(self) -> str | None:
        v = self.data.get("version")
        return str(v) if v is not None else None

    @property
    def variables(self) -> dict[str, Any]:
        v = self.data.get("variables")
        return v if isinstance(v, dict) else {}


class _ClauseFields(NamedTuple):
    id: str
    source: Source
    meta: Located  # the front matter
    body: str
    body_line: int  # file line on which the body starts


class Clause(_ClauseFields, _Versioned):
    @property
    def located(self) -> Located:
        return self.meta

    @property
    def translates(self) -> tuple[str, str] | None:
        """The clause id and version this clause translates (`translates:`), if any."""
        v = self.data.get("translates")
        if isinstance(v, dict) and isinstance(v.get("clause"), str):
            return v["clause"], str(v.get("version"))
        return None


class KeyDate(NamedTuple):
    """A `key_dates` entry of a template: a date worth a reminder, as an expression."""

    place: int  # its index in `key_dates`, for positions (`("key_dates", place, "date")`)
    names: Mapping[str, str]  # language -> name; one entry under "" for a plain text
    expression: str  # giving the date
    notice_days: tuple[int, ...]  # reminders, days before the date, largest first
    when: str | None

    def name(self, lang: str | None) -> str:
        """The name in `lang`: the plain text, else `lang`'s entry, else the first."""
        return self.names[""] if "" in self.names else text_in(dict(self.names), lang)


class _TemplateFields(NamedTuple):
    id: str
    source: Source
    doc: Located
    default_lang: str = "zh-CN"  # clausekit.yml's `lang`, for a template that names none


class Template(_TemplateFields, _Versioned):
    @property
    def located(self) -> Located:
        return self.doc

    @property
    def lang(self) -> str:
        """The template's language; a bilingual template's first language."""
        langs = self.languages
        return str(self.data.get("lang", langs[0] if langs else self.default_lang))

    @property
    def languages(self) -> tuple[str, ...]:
        """A bilingual template's languages (its clauses' first); () for one language."""
        v = self.data.get("languages")
        return tuple(str(x) for x in v) if isinstance(v, list) and len(v) > 1 else ()

    @property
    def layout(self) -> str:
        return str(self.data.get("layout", "parallel"))

    @property
    def signature_borders(self) -> bool:
        """`print.signature_borders`: rule the signature table (default no borders)."""
        v = self.data.get("print")
        return isinstance(v, dict) and v.get("signature_borders") is True

    @property
    def first_line_indent(self) -> bool | None:
        """`print.first_line_indent`; None for the language's default."""
        v = self.data.get("print")
        flag = v.get("first_line_indent") if isinstance(v, dict) else None
        return flag if isinstance(flag, bool) else None

    @property
    def numbering(self) -> str:
        v = self.data.get("numbering")
        if isinstance(v, dict):
            v = v.get(self.lang)
        return str(v or ("zh-CN" if self.lang.startswith("zh") else "decimal"))

    @property
    def computed(self) -> dict[str, str]:
        v = self.data.get("computed")
        return {str(k): str(e) for k, e in v.items()} if isinstance(v, dict) else {}

    @property
    def rules(self) -> list[dict[str, Any]]:
        v = self.data.get("rules")
        return [r for r in v if isinstance(r, dict)] if isinstance(v, list) else []

    @cached_property
    def key_dates(self) -> tuple[KeyDate, ...]:
        v = self.data.get("key_dates")
        return tuple(_key_date(i, k) for i, k in enumerate(v if isinstance(v, list) else []))

    @cached_property
    def outline(self) -> Outline:
        return read_outline(self.data, self.lang)


def _key_date(index: int, entry: Any) -> KeyDate:
    entry = entry if isinstance(entry, dict) else {}
    name = entry.get("name", "")
    names = {str(k): str(v) for k, v in name.items()} if isinstance(name, dict) else {"": str(name)}
    notice = entry.get("notice_days", [])
    days = {d for d in (notice if isinstance(notice, list) else [notice]) if _count(d)}
    when = entry.get("when")
    return KeyDate(
        index,
        names,
        str(entry.get("date", "")),
        tuple(sorted(days, reverse=True)),
        str(when) if when is not None else None,
    )


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Deviation(NamedTuple):
    """An agreement's own wording of one clause (`deviations: {CLAUSE_ID: {...}}`).

    `text` replaces the clause's body in this agreement only: a clause text like
    any other (Markdown with `{{ … }}`), rendered in the same sandbox.
    """

    clause: str
    text: str
    from_version: str | None  # the clause's version the wording was made from
    by: str | None
    date: str | None
    source: str | None  # the file it came from (a returned DOCX)
    label: str | None  # standard | fallback | needs-approval | removed
    approved_by: str | None
    received: str | None  # the content hash of the returned file it came from
    pos: Pos  # of its key under `deviations`
    text_line: int  # the file line on which `text` starts


class _AgreementFields(NamedTuple):
    id: str
    source: Source
    doc: Located


class Agreement(_AgreementFields):
    @property
    def data(self) -> dict[str, Any]:
        return self.doc.value if isinstance(self.doc.value, dict) else {}

    @property
    def template_id(self) -> str:
        return str(self.data.get("template", ""))

    @property
    def status(self) -> str:
        return str(self.data.get("status", "draft"))

    @property
    def values(self) -> dict[str, Any]:
        v = self.data.get("variables")
        return v if isinstance(v, dict) else {}

    @cached_property
    def deviations(self) -> Mapping[str, Deviation]:
        """Clause id -> this agreement's wording of it (entries that are not a mapping
        with a `text` are left to the schema check)."""
        v = self.data.get("deviations")
        entries = v.items() if isinstance(v, dict) else ()
        return {
            str(cid): _deviation(self, str(cid), d)
            for cid, d in entries
            if isinstance(d, dict) and isinstance(d.get("text"), str)
        }


def _deviation(agreement: Agreement, cid: str, entry: dict[str, Any]) -> Deviation:
    def opt(key: str) -> str | None:
        v = entry.get(key)
        return str(v) if v is not None else None

    at = agreement.doc.pos(("deviations", cid, "text"))
    line = agreement.source.text.split("\n")[at.line - 1] if at.line >= 1 else ""
    block = line[at.col - 1 : at.col] in ("|", ">")  # the text starts on the next line
    return Deviation(
        cid,
        str(entry["text"]),
        opt("from_version"),
        opt("by"),
        opt("date"),
        opt("source"),
        opt("label"),
        opt("approved_by"),
        opt("received"),
        agreement.doc.key_pos(("deviations", cid)),
        at.line + (1 if block else 0),
    )


class Settings(NamedTuple):
    """`clausekit.yml`: optional project settings."""

    lang: str = "zh-CN"
    output: str = "dist"
    # Shared by every default Settings, never written to (a Mapping); a dict pickles.
    fonts: Mapping[str, str] = {}
    # Days that are not working days besides weekends (`calendar:`, a file of dates).
    holidays: frozenset[date] = frozenset()


class _LibraryFields(NamedTuple):
    root: Path
    settings: Settings
    clauses: Mapping[str, Clause]
    templates: Mapping[str, Template]
    agreements: Mapping[str, Agreement]
    agreement_files: tuple[Path, ...]
    problems: tuple[Problem, ...]  # files that could not be read or parsed
    files_read: int
    # A library extracted from a git revision into a temporary folder: the
    # repository folder and commit it came from (for searching its history).
    origin: tuple[Path, str] | None = None


class Library(_LibraryFields):
    """A library as read from disk.

    `agreement_files` lists every agreement file; `agreements` holds those read
    (all of them, unless the caller asked for a listing only so that `check` can
    read a large library's agreements in parallel workers).
    """

    @cached_property
    def translations(self) -> Mapping[str, Mapping[str, Clause]]:
        """Source clause id -> language -> the clause whose `translates` names it."""
        out: dict[str, dict[str, Clause]] = {}
        for clause in self.clauses.values():
            named = clause.translates
            if named is not None and clause.lang:
                out.setdefault(named[0], {}).setdefault(clause.lang, clause)
        return out

    def problems_of(self, path: str) -> tuple[Problem, ...]:
        return self._problems_by_path.get(path, ())

    @cached_property
    def _problems_by_path(self) -> dict[str, tuple[Problem, ...]]:
        out: dict[str, list[Problem]] = {}
        for p in self.problems:
            out.setdefault(p.path, []).append(p)
        return {k: tuple(v) for k, v in out.items()}

"""The loaded library: clauses, templates and agreements with their sources.

Objects keep their parsed YAML (`Located`, with positions) so that any later
stage can point a problem at the exact line and column it concerns, the way
markdown-it keeps `Token.map`.  Accessors give typed views with defaults;
validation (`validate.py`) has already reported what is malformed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem
from .yamlpos import Located


@dataclass
class Source:
    """A file of the library: its repository-relative path and bytes' digest."""

    path: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class _Versioned:
    """What clauses and templates share: a versioned YAML document with a title."""

    id: str

    @property
    def located(self) -> Located:
        raise NotImplementedError

    @property
    def data(self) -> dict[str, Any]:
        value = self.located.value
        return value if isinstance(value, dict) else {}

    @property
    def title(self) -> str:
        return str(self.data.get("title", self.id))

    @property
    def version(self) -> str | None:
        v = self.data.get("version")
        return str(v) if v is not None else None

    @property
    def variables(self) -> dict[str, Any]:
        v = self.data.get("variables")
        return v if isinstance(v, dict) else {}


@dataclass
class Clause(_Versioned):
    id: str
    source: Source
    meta: Located  # the front matter
    body: str
    body_line: int  # file line on which the body starts

    @property
    def located(self) -> Located:
        return self.meta

    @property
    def lang(self) -> str | None:
        v = self.data.get("lang")
        return str(v) if v is not None else None


@dataclass
class Template(_Versioned):
    id: str
    source: Source
    doc: Located

    @property
    def located(self) -> Located:
        return self.doc

    @property
    def lang(self) -> str:
        return str(self.data.get("lang", "zh-CN"))

    @property
    def numbering(self) -> str:
        return str(self.data.get("numbering", "zh-CN" if self.lang.startswith("zh") else "decimal"))

    @property
    def computed(self) -> dict[str, str]:
        v = self.data.get("computed")
        return {str(k): str(e) for k, e in v.items()} if isinstance(v, dict) else {}

    @property
    def rules(self) -> list[dict[str, Any]]:
        v = self.data.get("rules")
        return [r for r in v if isinstance(r, dict)] if isinstance(v, list) else []


@dataclass
class Agreement:
    id: str
    source: Source
    doc: Located

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


@dataclass
class Settings:
    """`clausekit.yml`: optional project settings."""

    lang: str = "zh-CN"
    output: str = "dist"
    fonts: dict[str, str] = field(default_factory=dict)


@dataclass
class Library:
    root: Path
    settings: Settings
    clauses: dict[str, Clause] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    # Problems found while reading files (syntax, ids); validation adds the rest.
    load_problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    # Results that depend only on the loaded files (a template's own problems,
    # its composed validator), kept so checking 10,000 agreements of one
    # template does the template's work once.
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Agreement files listed but not read yet (see load.load_library).
    pending: list[Path] = field(default_factory=list)

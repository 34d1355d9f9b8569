"""`clausekit new`: files that pass `check` from the first save.

Scaffolds never overwrite: an existing file is an error, so a typo in an id
cannot destroy a clause.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from clausekit.check.compose import declarations
from clausekit.errors import UsageError
from clausekit.ids import is_valid_id, why_invalid
from clausekit.load import resolve_arg
from clausekit.load.model import Library


def _target(lib: Library, folder: str, ident: str, suffix: str) -> Path:
    if not is_valid_id(ident):
        raise UsageError(why_invalid(ident))
    path = lib.root / folder / f"{ident}{suffix}"
    if path.exists():
        raise UsageError(f"{path.relative_to(lib.root).as_posix()} already exists")
    return path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as f:  # "x": never overwrite
        f.write(text)
    return path


def new_clause(lib: Library, ident: str, lang: str | None) -> Path:
    path = _target(lib, "clauses", ident, ".md")
    lang = lang or lib.settings.lang
    zh = lang.startswith("zh")
    today = datetime.date.today().isoformat()
    title, note = ("新条款", "首次起草") if zh else ("New clause", "First draft")
    body = (
        "本条款的正文。使用 {{ '{{' }} 变量名 {{ '}}' }} 引用协议变量。"
        if zh
        else "The text of the clause. Use {{ '{{' }} name {{ '}}' }} to print a variable."
    )
    text = (
        f"---\ntitle: {title}\nversion: 0.1.0\nstatus: draft\nlang: {lang}\nsummary: ''\n"
        f"tags: []\nvariables: {{}}\nguidance: ''\nchangelog:\n"
        f"  - {{version: 0.1.0, date: {today}, note: {note}}}\n---\n{body}\n"
    )
    return _write(path, text)


def new_agreement(lib: Library, name: str, template_arg: str) -> Path:
    template = lib.templates[resolve_arg(lib, template_arg, "templates")]
    path = _target(lib, "agreements", name, ".yaml")
    decls, _ = declarations(lib, template)
    values = {n: _skeleton(d.schema) for n, d in sorted(decls.items()) if "default" not in d.schema}
    doc: dict[str, Any] = {"template": template.id, "status": "draft", "variables": values}
    header = (
        f"# Agreement of template {template.id}: fill in every value, then set status: "
        "final.\n# `clausekit schema " + template.id + "` prints the schema for editors.\n"
    )
    return _write(path, header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def _skeleton(schema: dict[str, Any]) -> Any:
    """Placeholder values a draft accepts: nested objects laid out, leaves left empty."""
    if schema.get("type") == "object":
        props = schema.get("properties") or {}
        return {k: _skeleton(v) for k, v in props.items() if "default" not in v} or {}
    return None

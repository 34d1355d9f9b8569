"""`clausekit new`: files that pass `check` from the first save.

Scaffolds never overwrite: an existing file is an error, so a typo in an id
cannot destroy a clause.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clausekit.check import Checked
from clausekit.errors import UsageError
from clausekit.ids import is_valid_id, why_invalid
from clausekit.load import resolve_arg
from clausekit.load.model import Library, Template


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
    # The hint is a comment ({## … ##}, never printed), so the syntax shows as it is typed.
    body = (
        "本条款的正文。\n\n{## 使用 {{ 变量名 }} 引用协议变量，例如 {{ party_a.name }}。 ##}"
        if zh
        else "The text of the clause.\n\n{## Use {{ name }} to print a variable, "
        "e.g. {{ party_a.name }}. ##}"
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
    return _write(path, agreement_skeleton(Checked(lib), template))


def agreement_skeleton(checked: Checked, template: Template) -> str:
    """A draft of the template: every variable it uses, required ones first, then the
    optional ones and those with defaults, each with its description; the `when`
    switches listed with what they turn on."""
    scope = checked.scope(template)
    decls = scope.declarations
    conditional = {c.path[0]: c for c in scope.conditionals if len(c.path) == 1}
    notes = {
        c.path: "when " + " or ".join(" and ".join(w) for w in c.conditions)
        for c in scope.conditionals
    }
    required = [n for n in sorted(decls) if "default" not in decls[n].schema]
    always = [n for n in required if n not in conditional]
    lines = [
        f"# Agreement of template {template.id}: fill in every value, then set status: final.",
        f"# `clausekit schema {template.id}` prints the schema for editors.",
        f"template: {template.id}",
        "status: draft",
        "variables:",
    ]
    switches = list(_switches(checked, template))
    if switches:
        lines += ["  # Switches (when): each condition turns on the clauses after it.", *switches]
    groups = (
        ("Required:", always),
        ("Needed only when their clauses are in:", [n for n in required if n in conditional]),
        ("With defaults (uncomment to change):", [n for n in sorted(decls) if n not in required]),
    )
    for heading, names in groups:
        if names:
            lines.append(f"  # {heading}")
        for n in names:
            lines += _entry((n,), decls[n].schema, notes, commented=heading.startswith("With"))
    return "\n".join(lines) + "\n"


def _switches(checked: Checked, template: Template) -> Iterator[str]:
    for entry in template.outline.conditional():
        clause = checked.lib.clauses.get(entry.clause or "")
        what = f"{clause.title} ({clause.id})" if clause else str(entry.heading)
        yield f"  #   {entry.when}: {what}"


def _comment(schema: dict[str, Any], note: str = "") -> str:
    parts = [str(schema.get("description") or schema.get("title") or "").strip()]
    if isinstance(schema.get("enum"), list):
        parts.append("one of " + ", ".join(map(str, schema["enum"])))
    if schema.get("format") in ("date", "money", "percent"):
        parts.append(
            {"date": "YYYY-MM-DD", "money": "amount", "percent": "30 for 30%"}[
                str(schema["format"])
            ]
        )
    if schema.get("type") == "array":
        parts.append("a list")
    parts.append(note)
    text = "; ".join(p for p in parts if p)
    return f"  # {text}" if text else ""


def _entry(
    path: tuple[str, ...],
    schema: dict[str, Any],
    notes: dict[tuple[str, ...], str],
    commented: bool = False,
) -> list[str]:
    """`key:` and its value's skeleton: nested objects laid out, leaves left empty."""
    pad = "  " * len(path) + ("# " if commented else "")
    key, note = path[-1], notes.get(path, "")
    if "default" in schema:
        value = json.dumps(schema["default"], ensure_ascii=False, default=str)
        return [f"{pad}{key}: {value}{_comment(schema, note)}"]
    props = schema.get("properties") if schema.get("type") == "object" else None
    out = [f"{pad}{key}:{_comment(schema, note)}"]
    if not isinstance(props, dict):
        return out
    needed = set(schema.get("required") or [])
    order = sorted(props, key=lambda k: (k not in needed, list(props).index(k)))
    for k in order:
        if isinstance(props[k], dict):
            out += _entry((*path, k), props[k], notes, commented=commented)
    return out

"""The files of an import: a template, its clauses and a draft agreement.

Nothing is ever overwritten: every target is checked before the first write.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from ..errors import ClausekitError
from .model import Variable


class ImportConflict(ClausekitError):
    """A file the import would write is already there."""


def today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = datetime.fromtimestamp(int(epoch), tz=UTC).date() if epoch else date.today()
    return day.isoformat()


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def schemas(variables: list[Variable], labels: dict[str, str]) -> dict[str, Any]:
    """Variables as the `variables:` mapping of a clause or template (objects grouped)."""
    out: dict[str, Any] = {}
    for var in variables:
        if len(var.path) == 1:
            out[var.path[0]] = var.schema()
            continue
        obj = out.setdefault(
            var.path[0],
            {
                "type": "object",
                "description": labels.get(var.path[0], var.path[0]),
                "additionalProperties": False,
                "properties": {},
                "required": [],
            },
        )
        obj["properties"][var.path[1]] = var.schema()
        obj["required"].append(var.path[1])
    return out


def clause_file(title: str, lang: str, variables: dict[str, Any], body: str, note: str) -> str:
    meta = {
        "title": title,
        "version": "1.0.0",
        "status": "draft",
        "lang": lang,
        "variables": variables,
        "changelog": [{"version": "1.0.0", "date": today(), "note": note}],
    }
    return "---\n" + dump(meta) + "---\n" + body


def template_file(meta: dict[str, Any], note: str) -> str:
    meta = {**meta, "changelog": [{"version": "1.0.0", "date": today(), "note": note}]}
    return dump(meta)


def agreement_file(template: str, title: str) -> str:
    return dump({"template": template, "status": "draft", "title": title, "variables": {}})


def write_all(root: Path, files: dict[str, str]) -> None:
    """Write every file, or none when one of them exists already."""
    taken = [rel for rel in files if (root / rel).exists()]
    if taken:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise ImportConflict(
            f"{taken[0]} already exists{more}; nothing written "
            "(choose another --template or --prefix)"
        )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

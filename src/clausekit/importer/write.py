"""The files of an import: a template, its clauses and a draft agreement.

Nothing is ever overwritten: every target is checked before the first write.
"""

from __future__ import annotations

import functools
import json
import os
import re
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


# A word of text YAML reads back as the same text: no indicator, quote, colon or
# comment sign, not a number, date or boolean (those start with a digit or are listed).
_PLAIN = re.compile(r"[A-Za-z\u4e00-\u9fff][^\x00-\x1f:#'\"\[\]{},&*!|>%@`\\]*")
_VERSION = re.compile(r"\d+\.\d+\.\d+")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


@functools.lru_cache(maxsize=4096)  # keys and kinds repeat in every clause
def _text(value: str) -> str:
    if _PLAIN.fullmatch(value) and value == value.strip() and value.lower() not in _RESERVED:
        return value
    if _VERSION.fullmatch(value):  # `1.0.0` is text to YAML, as the library writes it
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # floats and anything else: PyYAML decides
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()


def _emit(data: Any, indent: str, out: list[str]) -> None:
    """Block-style YAML of plain data (mappings, lists, scalars), as `dump` writes it."""
    for key, value in data.items():
        head = f"{indent}{_scalar(key)}:"
        if isinstance(value, dict) and value:
            out.append(head)
            _emit(value, indent + "  ", out)
        elif isinstance(value, list) and value:
            out.append(head)
            for item in value:
                if isinstance(item, dict) and item:
                    inner: list[str] = []
                    _emit(item, indent + "  ", inner)
                    out.append(indent + "- " + inner[0][len(indent) + 2 :])
                    out.extend(inner[1:])
                else:
                    out.append(f"{indent}- {_scalar(item)}")
        elif isinstance(value, dict | list):
            out.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")
        else:
            out.append(f"{head} {_scalar(value)}")


def dump(data: dict[str, Any]) -> str:
    """YAML of the files an import writes.  Written directly: PyYAML's representer took
    most of the time of a 10,000-article import."""
    out: list[str] = []
    _emit(data, "", out)
    return "\n".join(out) + "\n"


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
    """Write every file, or none when one of them exists already.  Each folder is
    listed once and made once, and files are created exclusively: stat-ing, making
    folders and opening text files one by one took half of a 10,000-article import."""
    folders: dict[Path, list[str]] = {}
    for rel in files:
        path = root / rel
        folders.setdefault(path.parent, []).append(rel)
    taken: list[str] = []
    for folder, rels in folders.items():
        if folder.is_dir():
            present = set(os.listdir(folder))
            taken += [rel for rel in rels if rel.rsplit("/", 1)[-1] in present]
        elif folder.exists():
            taken.append(rels[0])
    if taken:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise ImportConflict(
            f"{taken[0]} already exists{more}; nothing written "
            "(choose another --template or --prefix)"
        )
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        _create(root / rel, rel, text.encode("utf-8"))


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create(path: Path, rel: str, data: bytes) -> None:
    """A new file holding `data`; one that appeared meanwhile is a conflict."""
    try:
        fd = os.open(path, _CREATE, 0o666)
    except FileExistsError as exc:
        raise ImportConflict(f"{rel} already exists; stopped writing") from exc
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)

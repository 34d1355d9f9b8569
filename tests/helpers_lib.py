"""Small libraries written file by file, for the stage tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from clausekit.check import Checked
from clausekit.load import load_library

CHANGELOG = "changelog:\n  - {version: 1.0.0, date: 2026-11-20, note: first}\n"


def write_library(root: Path, files: dict[str, str]) -> Path:
    """Each value is dedented; clause files get a changelog for their version 1.0.0."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = textwrap.dedent(text).lstrip("\n")
        if rel.endswith(".md") and "changelog:" not in body:
            body = body.replace("\n---\n", "\n" + CHANGELOG + "---\n", 1)
        path.write_text(body, encoding="utf-8")
    for folder in ("clauses", "templates", "agreements"):
        (root / folder).mkdir(exist_ok=True)
    return root


def checked_library(root: Path, files: dict[str, str]) -> Checked:
    return Checked(load_library(write_library(root, files)))
